"""Exercise 10 — adversarial images: the fast gradient sign method (FGSM), untargeted and
targeted, and its iterative variant.

What you write, and how it reaches the library:

- ``fgsm`` becomes ``analysis.fgsm`` (``from core import analysis``): one step of size ε along
  the sign of the gradient of the cross-entropy with respect to the *input pixels*.
- ``iterative_fgsm`` becomes ``analysis.iterative_fgsm``: many small such steps, each followed
  by a projection back into the ε-ball around the image and into the pixel range [0, 1].

Rules (the tests check them):

- The result stays within ε of the image in every pixel (the L∞ bound) and within [0, 1].
- Untargeted: step **up** the loss of the true labels. Targeted: step **down** the loss of the
  target classes.
- Nothing you are given changes: not the image array, not the labels, not the model — its
  parameters get no gradient and keep their ``requires_grad``.
- Bad arguments raise ``ValueError`` naming the function, the value got and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex10``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad  # noqa: F401 - yours to use
from exercises.stub import todo


def fgsm(
    model: Module, x: np.ndarray, labels: np.ndarray, epsilon: float, targeted: bool = False
) -> np.ndarray:
    """Adversarial images by one fast gradient sign step of size epsilon, clipped to [0, 1].

    With L = Σ_i cross-entropy(model(x)_i, labels_i) and g = dL/dx (N, D)::

        untargeted (labels = the true classes):    x_adv = clip(x + ε · sign(g), 0, 1)
        targeted   (labels = the wanted classes):  x_adv = clip(x − ε · sign(g), 0, 1)

    The input gradient: ``image = Tensor(x, requires_grad=True)``, the loss
    ``nn.CrossEntropyLoss(reduction="sum")(model(image), labels)``, ``backward()``, then
    ``image.grad``. With "sum" each row of g is the gradient of that image's own loss. Freeze
    the model meanwhile (``model.requires_grad_(False)``) so that its parameters get no
    gradient, and give each parameter its own ``requires_grad`` back afterwards.

    Args:
        model: a classifier giving logits (N, C) for images (N, D).
        x: (N, D) float32, flattened images with pixels in [0, 1]. Not modified.
        labels: (N,) int class indices in [0, C): the true classes, or the targets.
        epsilon: ε ≥ 0, the largest change of any pixel.
        targeted: False to move away from ``labels``, True to move towards them.

    Returns:
        (N, D) float32, a new array: every pixel within ε of x and in [0, 1].

    Raises:
        ValueError: ε negative or not finite; x not 2-D, with pixels outside [0, 1], or of a
            width the model does not take; labels not (N,) integers, or outside [0, C). Name
            fgsm, the value got and the fix.

    Example:
        For a linear model with logits z = x Wᵀ, W = [[1, -1], [0, 0]] (C = 2, D = 2), the
        image x = [[0.5, 0.5]] and label 0: softmax(z) = [0.5, 0.5], so
        g = (softmax(z) − [1, 0]) W = [[-0.5, 0.5]] and, with ε = 0.1,
        fgsm(...) = [[0.4, 0.6]]; targeted at class 0 it is [[0.6, 0.4]].
    """
    raise todo()


def iterative_fgsm(
    model: Module,
    x: np.ndarray,
    labels: np.ndarray,
    epsilon: float,
    steps: int = 10,
    step_size: float | None = None,
    targeted: bool = False,
) -> np.ndarray:
    """Adversarial images by repeated small sign steps, projected to the ε-ball and [0, 1].

    Starting from x_0 = x, with g_k the input gradient of the summed cross-entropy at x_k
    (as in ``fgsm``) and α the step size, for k = 0 .. steps − 1::

        x'      = x_k + α · sign(g_k)            (− α · sign(g_k) when targeted)
        x_{k+1} = clip(clip(x', x − ε, x + ε), 0, 1)

    and the result is x_steps. The first clip is the projection onto the L∞ ball of radius ε
    around the *original* image, the second onto the pixel range. The default
    α = 2.5 · ε / steps (Madry et al., 2018) lets the steps reach the ball's surface and then
    move along it.

    Args:
        model, x, labels, epsilon, targeted: as in ``fgsm``.
        steps: the number of steps, a whole number ≥ 1.
        step_size: α > 0, or None for 2.5 · ε / steps.

    Returns:
        (N, D) float32, a new array: every pixel within ε of x and in [0, 1].

    Raises:
        ValueError: everything ``fgsm`` rejects, and steps < 1 or step_size ≤ 0 (name
            iterative_fgsm, the value got and the fix).

    Example:
        With the linear model of ``fgsm``'s example, x = [[0.5, 0.5]], label 0, ε = 0.1,
        steps = 3 and step_size = 0.05: x_1 = [[0.45, 0.55]], x_2 = [[0.4, 0.6]], and x_3
        would be [[0.35, 0.65]] but is projected back to [[0.4, 0.6]].
    """
    raise todo()


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("fgsm", fgsm)
    register("iterative_fgsm", iterative_fgsm)
