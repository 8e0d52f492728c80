"""Exercise 13 — edge detection: a network that draws the edges of a digit, one sigmoid per
pixel, and the scores that say how well it drew them.

The edges to learn are given: ``canny_edge_masks`` runs scikit-image's Canny detector on every
image (``analysis.canny_edge_masks``). What you write, and how it reaches the library:

- ``EdgeMLP`` (``models.EdgeMLP``): an MLP that maps an image (N, H*W) to one logit per pixel
  (N, H*W); ``predict_proba`` gives P(edge) per pixel, ``predict`` the thresholded mask.
- ``PixelwiseLoss`` (``nn.PixelwiseLoss(kind="bce")``): binary cross-entropy of every pixel's
  logit against the true mask, or the squared error of its sigmoid (``kind="mse"``), averaged
  over all pixels of all images.
- ``edge_scores`` (``analysis.edge_scores``): precision, recall, F1 and IoU of a thresholded
  mask against the true one, counted over every pixel of every image (a micro average).
- ``tolerant_f1`` (``analysis.tolerant_f1``): the F1 in which an edge one pixel off still
  counts, for 28x28 images whose edges are one pixel thin.

Rules (the tests check them):

- A score whose denominator is 0 is 0 — nothing predicted gives precision 0, no true edge gives
  recall 0 — as scikit-learn's ``zero_division=0``. The tests compare with scikit-learn.
- Stable: the BCE is finite and exact for logits of ±1e4 (no ``log(sigmoid(z))``).
- Bad arguments raise ``ValueError`` naming the function (or class), the value got and the
  fix: masks of another shape than the predictions, a threshold outside (0, 1), a loss kind
  other than "bce"/"mse", images whose width does not match the model.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex13``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad  # noqa: F401 - yours to use
from core import functional as F  # noqa: F401 - F.sigmoid, F.maximum
from exercises.ex13_edge_detection.edge_masks import canny_edge_masks
from exercises.stub import todo

LOSS_KINDS = ("bce", "mse")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
SCORE_NAMES = ("precision", "recall", "f1", "iou")

# ----- the per-pixel model ----------------------------------------------------------------------


class EdgeMLP(Module):
    """A multilayer perceptron with one output per pixel: the logit of "this pixel is an edge".

    Layers, for ``hidden_sizes = [h1]``::

        Linear(in_features, h1) -> act -> Linear(h1, in_features)

    as ex07's MLPClassifier, but the last layer has ``in_features`` outputs (one per pixel of
    the image) instead of one per class. Keep the layers in one ``nn.Sequential`` as
    ``self.layers`` and the width as ``self.in_features``.

    Args:
        in_features: D = H*W pixels per image (positive int).
        hidden_sizes: widths of the hidden layers (positive ints; may be empty).
        activation: "relu", "tanh" or "sigmoid".

    Raises:
        ValueError: bad sizes, or an unknown activation (name EdgeMLP and the value).

    Example:
        model = EdgeMLP(64, [128])
        model(Tensor(np.zeros((5, 64), np.float32))).shape   # (5, 64): a logit per pixel
    """

    def __init__(
        self, in_features: int, hidden_sizes: Sequence[int], activation: str = "relu"
    ) -> None:
        """Call super().__init__(), check the arguments, build self.layers."""
        raise todo()

    def forward(self, x: Tensor) -> Tensor:
        """The logit of every pixel: x (N, D) float32 -> (N, D) float32, D = in_features.

        Raises:
            ValueError: x not 2-D, or x.shape[1] != in_features — images of another size than
                the model was built for (name EdgeMLP, the shape got and the width expected).

        Example:
            EdgeMLP(64, [8])(Tensor(np.zeros((2, 784), np.float32)))
            # ValueError: EdgeMLP: images must be (N, 64) rows ...; got (2, 784) ...
        """
        raise todo()

    def predict_proba(self, x: Tensor | np.ndarray) -> np.ndarray:
        """P(edge) of every pixel: sigmoid of the logits, float32 (N, D), in [0, 1].

        Computed under ``no_grad()``.

        Example:
            a pixel with logit 0 gets 0.5; logit 2 gets 0.880797.
        """
        raise todo()

    def predict(self, x: Tensor | np.ndarray, threshold: float = 0.5) -> np.ndarray:
        """The predicted edge mask: ``predict_proba(x) >= threshold``, bool (N, D).

        Args:
            x: (N, D) images.
            threshold: a number strictly between 0 and 1.

        Raises:
            ValueError: threshold outside (0, 1) (name EdgeMLP.predict and the value).

        Example:
            probabilities [[0.2, 0.5, 0.9]], threshold 0.5  ->  [[False, True, True]]
        """
        raise todo()


# ----- the per-pixel loss -----------------------------------------------------------------------


class PixelwiseLoss(Module):
    """A loss per pixel, averaged over all N·D pixels: ``nn.PixelwiseLoss(kind="bce")``.

    With z the logits (N, D) and y the true masks (N, D) of 0s and 1s::

        "bce":  loss = mean over i, j of  max(z, 0) − z·y + log(1 + e^−|z|)
                       (= −y log σ(z) − (1 − y) log(1 − σ(z)), written so it never overflows)
        "mse":  loss = mean over i, j of  (σ(z) − y)²

    The gradient of "bce" w.r.t. z is (σ(z) − y) / (N·D); autograd gives it if you build the
    loss from tensor ops (``F.maximum``, ``.exp()``, ``.log()``, ``F.sigmoid``, ``.mean()``).

    Args:
        kind: "bce" (default) or "mse".

    Raises:
        ValueError: any other kind (name PixelwiseLoss, the value and the two allowed).

    Example:
        PixelwiseLoss()(Tensor([[0., 2.]]), np.array([[1., 0.]]))
        # mean(log 2, 2 + log(1 + e^-2)) = mean(0.693147, 2.126928) = Tensor(1.410038)
        PixelwiseLoss("mse")(Tensor([[0., 2.]]), np.array([[1., 0.]]))
        # mean(0.25, 0.775803) = Tensor(0.512901)
    """

    def __init__(self, kind: str = "bce") -> None:
        """Call super().__init__(), check kind and keep it as self.kind."""
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The mean per-pixel loss of ``logits`` (N, D) against masks ``target`` (N, D).

        ``target`` is a Tensor or an array of 0/1 (bool, int or float); use its values as a
        constant of the logits' dtype (it gets no gradient).

        Returns:
            a 0-d float32 Tensor.

        Raises:
            ValueError: target of another shape than the logits — e.g. masks (N, H, W) for
                logits (N, H*W) (name PixelwiseLoss and both shapes).
        """
        raise todo()


# ----- the scores of thresholded masks ----------------------------------------------------------


def edge_scores(predicted: Any, masks: Any, threshold: float = 0.5) -> dict[str, float]:
    """Precision, recall, F1 and IoU of the mask ``predicted >= threshold`` against ``masks``.

    Count over every pixel of every image at once (a micro average, not a mean of per-image
    scores)::

        TP = #(edge predicted and true)  FP = #(predicted, not true)  FN = #(true, not predicted)
        precision = TP / (TP + FP)        recall = TP / (TP + FN)
        F1  = 2 TP / (2 TP + FP + FN)     IoU    = TP / (TP + FP + FN)

    A score whose denominator is 0 is 0: nothing predicted gives precision 0, no true edge
    gives recall 0, both empty give F1 = IoU = 0 — scikit-learn's ``zero_division=0``.

    Args:
        predicted: (N, D) probabilities in [0, 1], or a bool mask (True ≥ any threshold).
        masks: (N, D) true masks, bool or 0/1.
        threshold: strictly between 0 and 1.

    Returns:
        {"precision": float, "recall": float, "f1": float, "iou": float}.

    Raises:
        ValueError: predicted and masks of different shapes (name both); threshold outside
            (0, 1) (name edge_scores and the value).

    Example:
        predicted [[0.9, 0.8, 0.1, 0.2]], masks [[1, 0, 1, 0]]: TP 1, FP 1, FN 1
        -> {"precision": 0.5, "recall": 0.5, "f1": 0.5, "iou": 0.333333}
    """
    raise todo()


def tolerant_f1(
    predicted: Any,
    masks: Any,
    shape: tuple[int, int],
    threshold: float = 0.5,
    tolerance: int = 1,
) -> float:
    """The F1 of edges that may be ``tolerance`` pixels off: for thin edges on 28x28 images.

    Threshold as in ``edge_scores``, reshape both masks to (N, H, W), and dilate each image's
    mask by ``tolerance`` pixels in every direction, diagonals included::

        near(m) = scipy.ndimage.binary_dilation(m, np.ones((1, 3, 3), bool), iterations=t)

    (the leading 1 keeps each image apart from the next). Then, over all pixels of all images::

        precision = #(predicted & near(true)) / #predicted
        recall    = #(true & near(predicted)) / #true
        F1        = 2 · precision · recall / (precision + recall)

    with 0 for a zero denominator. ``tolerance=0`` dilates nothing: the strict F1 of
    ``edge_scores``.

    Args:
        predicted: (N, H*W) probabilities or bool masks.
        masks: (N, H*W) true masks.
        shape: (H, W).
        threshold: strictly between 0 and 1.
        tolerance: pixels, a whole number ≥ 0.

    Returns:
        the tolerant F1, a float in [0, 1].

    Raises:
        ValueError: predicted and masks of different shapes; a width other than H*W; a
            threshold outside (0, 1); a negative or fractional tolerance (name tolerant_f1).

    Example:
        shape (1, 4): predicted [[1, 0, 0, 0]], true [[0, 1, 0, 0]]
        strict F1 0; tolerant_f1(..., tolerance=1) = 1.0 (each edge has the other beside it)
    """
    raise todo()


@hookimpl
def gradkit_register_models(register: Callable[..., None]) -> None:
    register("EdgeMLP", EdgeMLP)


@hookimpl
def gradkit_register_losses(register: Callable[..., None]) -> None:
    register("PixelwiseLoss", PixelwiseLoss)


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("canny_edge_masks", canny_edge_masks)
    register("edge_scores", edge_scores)
    register("tolerant_f1", tolerant_f1)
