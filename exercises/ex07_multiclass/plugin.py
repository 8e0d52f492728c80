"""Exercise 07 — multiclass: softmax, log-softmax, a fused cross-entropy, a classifier of C
classes, and the digits data split that it learns.

What you write, and how it reaches the library:

- ``softmax`` and ``log_softmax`` become ``F.softmax`` / ``F.log_softmax``
  (``from core import functional as F``). They are composites of registered ops (``max``,
  ``-``, ``exp``, ``sum``, ``/``, ``log``), so autograd gives their gradients for free.
- ``cross_entropy_forward`` and ``cross_entropy_backward`` are one new op, ``"cross_entropy"``:
  a forward on arrays and its vector-Jacobian product, like the ops of ex01/ex02. One fused op
  is faster than a chain of ten ops and stable by construction.
- ``CrossEntropyLoss`` (``nn.CrossEntropyLoss``) checks and converts the targets, then runs the
  op with ``apply_op("cross_entropy", logits, probabilities, reduction=...)``.
- ``MLPClassifier`` (``models.MLPClassifier``): logits (B, C), ``predict``, ``predict_proba``.
- ``load_digits_split`` (``data.load_dataset("digits-split")``): scikit-learn's 8x8 digits,
  flattened, scaled to [0, 1], labels one-hot, split in a fixed way.

Rules (the tests check them):

- Stable: no overflow, no RuntimeWarning, no inf/NaN at logits of ±1e4. Subtract the row's
  maximum before ``exp``; e^(x - max) is at most 1.
- float32 stays float32 end to end: a float64 one-hot (``np.eye(C)``) or constant silently
  upcasts the loss, the gradients and then the parameters.
- Bad targets raise ``ValueError`` naming CrossEntropyLoss, the value got and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex07``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, apply_op, hookimpl, nn, no_grad  # noqa: F401 - yours to use
from core import data as gk_data  # noqa: F401 - load_dataset, Flatten, OneHot
from core import functional as F  # noqa: F401 - F.softmax once you have written it
from core.autograd import Node
from exercises.stub import todo

REDUCTIONS = ("mean", "sum", "none")
ACTIVATIONS = ("relu", "tanh", "sigmoid")

# ----- softmax and log-softmax --------------------------------------------------------------


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Softmax along ``axis``: e^(x - m) / Σ e^(x - m), with m the maximum along that axis.

    softmax(x)_i = e^(x_i) / Σ_j e^(x_j): positive, summing to 1 along ``axis``. Subtracting
    m = ``x.max(axis=axis, keepdims=True)`` changes nothing mathematically (e^-m cancels) but
    keeps every exponent ≤ 0, so e^(x - m) never overflows. Detach m (``.detach()``): it is a
    constant shift, so no gradient needs to flow through the max.

    Build it from tensor operations (``-``, ``.exp()``, ``.sum(axis, keepdims=True)``, ``/``),
    never from ``x.data``: autograd then gives the gradient.

    Args:
        x: Tensor of any shape (*S), float32. An array is wrapped in a Tensor first.
        axis: the axis that sums to 1 (negative counts from the end).

    Returns:
        Tensor of shape (*S), float32.

    Example:
        softmax(Tensor([[1., 2., 3.], [1e4, 0., -1e4]]))
          = [[0.090031, 0.244728, 0.665241], [1., 0., 0.]]
    """
    raise todo()


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Log of the softmax along ``axis``: (x - m) - log Σ e^(x - m), m the max along axis.

    Never ``softmax(x).log()``: the softmax of a very unlikely class rounds to 0 in float32
    and log(0) = -inf. With s = x - m (m detached), log_softmax = s - log Σ e^s; the sum is at
    least 1 (the maximum contributes e^0), so the log is always finite.

    Args:
        x: Tensor of any shape (*S), float32.
        axis: the axis to normalise over.

    Returns:
        Tensor of shape (*S), float32; every entry ≤ 0.

    Example:
        log_softmax(Tensor([[1e4, 0., -1e4]])) = [[0., -1e4, -2e4]]
    """
    raise todo()


# ----- the fused cross-entropy op -----------------------------------------------------------


def cross_entropy_forward(
    logits: np.ndarray, target: np.ndarray, reduction: str = "mean"
) -> np.ndarray:
    """Cross-entropy of each row of logits with a target distribution, then the reduction.

    Per sample i (row)::

        loss_i = -Σ_c target[i, c] · log_softmax(logits)[i, c]

    with log_softmax computed stably on the array (subtract the row's max). Then
    "mean": the mean of loss_i over the batch (0-d array); "sum": the sum (0-d array);
    "none": the (B,) array of loss_i.

    Args:
        logits: (B, C) float32.
        target: (B, C) float32, each row a probability distribution (one-hot for a label).
        reduction: "mean", "sum" or "none".

    Returns:
        float32 array: shape () for "mean"/"sum", (B,) for "none".

    Example:
        logits [[0., 0.], [2., 0.]], target [[1., 0.], [0., 1.]]:
        losses [log 2, 2 + log(1 + e^-2)] = [0.693147, 2.126928]; mean 1.410038
    """
    raise todo()


def cross_entropy_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray, None]:
    """Gradient of the cross-entropy w.r.t. the logits: (softmax(logits) - target), scaled.

    For one sample, d loss_i / d logits[i] = softmax(logits[i]) - target[i] (the target rows
    sum to 1). The upstream gradient ``grad`` has the forward output's shape, so scale by::

        "mean":  grad / B     (grad is a 0-d array; each sample counts 1/B)
        "sum":   grad         (0-d)
        "none":  grad[:, None] (grad is (B,): one factor per row)

    Recompute the softmax from ``ctx.inputs`` (stably). The target gets no gradient: return
    None in its place.

    Args:
        ctx: ctx.inputs = (logits (B, C), target (B, C)); ctx.params = {"reduction": ...}.
        grad: dL/d(output), shape () or (B,).

    Returns:
        (dL/dlogits of shape (B, C) in the logits' dtype, None).

    Example:
        logits [[0., 0.]], target [[1., 0.]], "mean", grad 1.  ->  ([[-0.5, 0.5]], None)
    """
    raise todo()


# ----- the loss module ----------------------------------------------------------------------


class CrossEntropyLoss(Module):
    """Softmax cross-entropy of logits (B, C) with class labels (B,) or probabilities (B, C).

    ``nn.CrossEntropyLoss(reduction="mean")`` as in PyTorch: ``loss(logits, target)``.

    Args:
        reduction: "mean" (default), "sum" or "none".

    Raises:
        ValueError: any other reduction (name CrossEntropyLoss and the allowed values).

    Example:
        loss = CrossEntropyLoss()
        loss(Tensor([[0., 0.], [2., 0.]]), np.array([0, 1]))   # Tensor(1.410038)
    """

    def __init__(self, reduction: str = "mean") -> None:
        """Call super().__init__(), check reduction and keep it as self.reduction."""
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The cross-entropy loss: checks, targets as probabilities, then the fused op.

        1. ``logits`` must be 2-D (B, C).
        2. ``target`` (a Tensor or an array; use its array, it gets no gradient) is either
           - (B, C): probabilities or one-hot; cast to the logits' dtype; or
           - (B,): class labels; they must be whole numbers (an int array, or floats such as
             3.0) in [0, C). Turn them into one-hot rows of the logits' dtype: zeros (B, C)
             with a 1 at [i, label_i].
           Anything else is a ValueError.
        3. Return ``apply_op("cross_entropy", (logits, Tensor(probabilities)),
           {"reduction": self.reduction})``: the op's forward and backward are the two
           functions above.

        Raises:
            ValueError: logits not 2-D; target shape neither (B,) nor (B, C) (name both
                shapes); a label that is not a whole number (name it); a label outside
                [0, C) (name the label and C).
        """
        raise todo()


# ----- the multiclass model -----------------------------------------------------------------


class MLPClassifier(Module):
    """A multilayer perceptron that maps each sample to C logits, one score per class.

    Layers, for ``hidden_sizes = [h1]``::

        Linear(in_features, h1) -> act -> Linear(h1, num_classes)

    as in ex06's BinaryMLPClassifier, but the last layer has ``num_classes`` outputs and
    nothing is reshaped. Keep the layers in one ``nn.Sequential`` as ``self.layers``.

    Args:
        in_features: D (positive int).
        hidden_sizes: widths of the hidden layers (positive ints; may be empty).
        num_classes: C ≥ 2.
        activation: "relu", "tanh" or "sigmoid".

    Raises:
        ValueError: bad sizes, num_classes < 2, or an unknown activation (name MLPClassifier
            and the value).

    Example:
        model = MLPClassifier(64, [32], 10)
        model(Tensor(np.zeros((5, 64), np.float32))).shape   # (5, 10)
    """

    def __init__(
        self,
        in_features: int,
        hidden_sizes: Sequence[int],
        num_classes: int,
        activation: str = "relu",
    ) -> None:
        """Call super().__init__(), check the arguments, build self.layers."""
        raise todo()

    def forward(self, x: Tensor) -> Tensor:
        """The logits of every class for every sample: x (B, D) -> (B, C) float32."""
        raise todo()

    def predict_proba(self, x: Tensor | np.ndarray) -> np.ndarray:
        """Class probabilities: ``F.softmax`` of the logits along the classes; float32 (B, C).

        Computed under ``no_grad()``. Each row sums to 1.
        """
        raise todo()

    def predict(self, x: Tensor | np.ndarray) -> np.ndarray:
        """The predicted class of every sample: argmax of the logits; int64 (B,).

        Computed under ``no_grad()``. No softmax needed: it does not change the argmax.
        """
        raise todo()


# ----- the digits split ---------------------------------------------------------------------


def load_digits_split(
    test_fraction: float = 0.25, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """scikit-learn's digits, ready for an MLP: ((x_train, y_train), (x_test, y_test)).

    1. ``images, labels = gk_data.load_dataset("digits")``: images (1797, 8, 8) float32 with
       pixel values 0..16, labels (1797,) int64 in 0..9.
    2. x = the images flattened to (N, 64) and divided by 16: float32 in [0, 1].
    3. y = one-hot labels (N, 10) float32 (``gk_data.OneHot(10)`` does it).
    4. The fixed split: ``sklearn.model_selection.train_test_split(x, y,
       test_size=test_fraction, random_state=seed, stratify=labels)`` (import it inside the
       function). Stratified: each digit is split in the same proportion.

    Args:
        test_fraction: the share of samples in the test set, strictly between 0 and 1.
        seed: fixes the split.

    Returns:
        ((x_train (N_train, 64), y_train (N_train, 10)), (x_test (N_test, 64), y_test
        (N_test, 10))), all float32; N_test = ceil(test_fraction · 1797), 450 by default.

    Raises:
        ValueError: test_fraction outside (0, 1) (name load_digits_split and the value).
    """
    raise todo()


@hookimpl
def gradkit_register_functions(register: Callable[..., None]) -> None:
    register("softmax", softmax)
    register("log_softmax", log_softmax)


@hookimpl
def gradkit_register_ops(register: Callable[..., None]) -> None:
    register("cross_entropy", cross_entropy_forward)


@hookimpl
def gradkit_register_gradients(register: Callable[..., None]) -> None:
    register("cross_entropy", cross_entropy_backward)


@hookimpl
def gradkit_register_losses(register: Callable[..., None]) -> None:
    register("CrossEntropyLoss", CrossEntropyLoss)


@hookimpl
def gradkit_register_models(register: Callable[..., None]) -> None:
    register("MLPClassifier", MLPClassifier)


@hookimpl
def gradkit_register_datasets(register: Callable[..., None]) -> None:
    register("digits-split", load_digits_split)
