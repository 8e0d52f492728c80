"""Exercise 11 — saliency and weights: what a trained classifier looks at.

What you write, and how it reaches the library (``from core import analysis``):

- ``class_score_gradient`` (``analysis.class_score_gradient``): the gradient of one class's
  score (its logit) with respect to each input image, a *saliency map*: which pixels, nudged,
  would change the score most. Autograd does the calculus; you ask it for the gradient of the
  input instead of the weights.
- ``first_layer_weight_images`` (``analysis.first_layer_weight_images``): each first-layer
  neuron's input weights, one per pixel, shown as an image (all neurons, or those picked with
  ``neurons=``). For a model with no hidden layer those are the class templates, and the
  saliency of class c is exactly template c.
- ``mean_weight_image`` (``analysis.mean_weight_image``): the mean of those images.

Rules (the tests check them):

- The gradient is of the logit, not of the softmax probability, and with respect to the input
  x, not the weights.
- A saliency map is a measurement: it must leave the model as it found it — no gradient on
  any parameter, the same ``training`` mode, the same ``requires_grad`` flags.
- Bad arguments raise errors naming the function, the value got and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex11``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn  # noqa: F401 - yours to use
from exercises.stub import todo

# ----- saliency: d logit_c / d x ----------------------------------------------------------------


def class_score_gradient(model: Module, x: Any, classes: Any) -> np.ndarray:
    """d logit_c / d x for each row of x and its class c: a saliency map per image, (N, D).

    For row i with class c_i, the result's row i is the gradient of the model's logit
    z_(i, c_i) (before any softmax) with respect to that row's pixels x_i (D,). Rows do not
    interact in a model in eval mode, so one backward gives all N rows: call
    ``logits.backward(one_hot)`` with the (N, C) one-hot rows of the classes as the upstream
    gradient (it selects z_(i, c_i) from each row), then read ``inputs.grad``.

    Steps:

    1. x as a float32 array; it must be 2-D (N, D). Wrap a copy in
       ``Tensor(..., requires_grad=True)``: that tensor's ``.grad`` is the answer.
    2. Remember ``model.training`` and every parameter's ``requires_grad``; then
       ``model.eval()`` and ``model.requires_grad_(False)``, so that backward leaves no
       gradient on the weights. Restore both in a ``finally:`` block, even after an error.
    3. ``logits = model(inputs)``: (N, C). A ValueError from the forward means x does not fit
       the model: raise a ValueError naming class_score_gradient and x's shape.
    4. ``classes``: one int for every row, or an int array (N,); each in [0, C).
    5. Backward with the one-hot rows; return the input's gradient.

    Args:
        model: a classifier mapping x (N, D) to logits (N, C), e.g. ``models.MLPClassifier``.
        x: (N, D) float32 array (or Tensor) of flat images.
        classes: an int (the same class for every row) or an int array (N,).

    Returns:
        (N, D) float32 NumPy array: row i is d z_(i, c_i) / d x_i.

    Raises:
        ValueError: x not 2-D, or of a width the model cannot take (name the shape); classes
            not integers, not one per row, or outside [0, C) (name the class and C).

    Example:
        For a linear model (``models.MLPClassifier(2, [], 3)``, logits x @ W.T + b with W (3, 2)
        = [[1, 2], [3, 4], [5, 6]]): class_score_gradient(model, [[0.5, -1.0]], 2) = [[5., 6.]],
        row 2 of W, whatever x is.
    """
    raise todo()


# ----- the first layer's weights as images ------------------------------------------------------


def first_layer_weight_images(
    model: Module, image_shape: Sequence[int], neurons: Sequence[int] | None = None
) -> np.ndarray:
    """Each first-layer neuron's input weights as an image: (K, *image_shape) float32.

    The first layer is the model's first module without submodules (the first entry of
    ``model.modules()`` whose ``children()`` is empty: ``model.layers[0]`` of an
    MLPClassifier). It must be an ``nn.Linear``. Its ``weight`` has shape (H_out, D) — out
    by in, as in PyTorch, since ``Linear`` computes x @ weight.T + bias — so row k holds
    neuron k's D input weights, one per pixel, and row k reshaped to ``image_shape`` is
    neuron k's weight image:

        image_k[r, s] = weight[k, r * W + s]        for image_shape (H, W)

    ``neurons`` picks which rows (in the order given); None means all H_out of them, K = H_out.
    Return a copy: writing into the images must not change the model.

    Args:
        model: a model whose first layer is an ``nn.Linear(D, H_out)``.
        image_shape: the shape of one image, e.g. (8, 8); its product must be D.
        neurons: neuron indices in [0, H_out), or None for all of them.

    Returns:
        (K, *image_shape) float32. For ``MLPClassifier(D, [], C)`` (no hidden layer) the
        first layer is the only one, H_out = C, and image c is class c's template.

    Raises:
        ValueError: the first layer is not a Linear (name the layer's type); prod(image_shape)
            is not D (name the shape and D); neurons not integers, or one outside [0, H_out)
            (name the neuron and H_out).

    Example:
        weight [[1, 2, 3, 4, 5, 6]] (one neuron, D = 6), image_shape (2, 3)
          -> [[[1, 2, 3], [4, 5, 6]]]
        weight [[1, 2, 3, 4], [5, 6, 7, 8]], image_shape (2, 2), neurons [1]
          -> [[[5, 6], [7, 8]]]
    """
    raise todo()


def mean_weight_image(model: Module, image_shape: Sequence[int]) -> np.ndarray:
    """The mean over the first layer's neurons of their weight images: image_shape float32.

    mean_k weight[k, :] over all H_out neurons, reshaped to ``image_shape`` (a signed mean:
    positive and negative weights cancel; it is not the mean of |weight|).

    Args:
        model: a model whose first layer is an ``nn.Linear(D, H_out)``.
        image_shape: the shape of one image; its product must be D.

    Returns:
        image_shape float32.

    Raises:
        ValueError: as in ``first_layer_weight_images`` (a first layer that is not a Linear,
            an image_shape of the wrong size), naming mean_weight_image.

    Example:
        weight [[1, 2, 3, 4], [3, 2, 1, 0]] (two neurons), image_shape (2, 2) -> [[2, 2], [2, 2]]
    """
    raise todo()


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("class_score_gradient", class_score_gradient)
    register("first_layer_weight_images", first_layer_weight_images)
    register("mean_weight_image", mean_weight_image)
