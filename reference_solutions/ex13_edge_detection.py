"""Reference solution of ex13 (edge detection): Canny edge masks (given), a per-pixel MLP, a
per-pixel BCE or MSE loss, and precision, recall, F1, IoU and a 1-pixel-tolerant F1 of
thresholded masks, micro-averaged over every pixel of every image."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad
from core import functional as F
from exercises.ex13_edge_detection.edge_masks import canny_edge_masks

LOSS_KINDS = ("bce", "mse")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
SCORE_NAMES = ("precision", "recall", "f1", "iou")


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _array(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


# ----- the per-pixel model ----------------------------------------------------------------------


def _check_threshold(owner: str, threshold: Any) -> float:
    if not isinstance(threshold, (int, float, np.number)) or not 0 < threshold < 1:
        raise ValueError(
            f"{owner}: threshold must be a number strictly between 0 and 1; got {threshold!r}. "
            "Use 0.5 for the most likely label of each pixel"
        )
    return float(threshold)


class EdgeMLP(Module):
    """Linear -> activation per hidden size, then Linear(last, in_features): one logit per pixel."""

    def __init__(
        self, in_features: int, hidden_sizes: Sequence[int], activation: str = "relu"
    ) -> None:
        super().__init__()
        sizes = [in_features, *hidden_sizes]
        if any(not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
            raise ValueError(
                f"EdgeMLP: in_features and hidden_sizes must be positive integers; "
                f"got in_features={in_features!r}, hidden_sizes={list(hidden_sizes)!r}"
            )
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"EdgeMLP: unknown activation {activation!r}; use one of {', '.join(ACTIVATIONS)}"
            )
        activation_class = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[activation]
        layers: list[Module] = []
        for n_in, n_out in pairwise(sizes):
            layers += [nn.Linear(n_in, n_out), activation_class()]
        layers.append(nn.Linear(sizes[-1], in_features))
        self.in_features = int(in_features)
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """(N, H*W) images -> (N, H*W) logits, after checking the width."""
        x = _as_tensor(x)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"EdgeMLP: images must be (N, {self.in_features}) rows, one value per pixel of "
                f"the images it was built for; got {x.shape}. Flatten them, or build "
                f"EdgeMLP(H*W, ...) for images of another size"
            )
        return self.layers(x)

    def predict_proba(self, x: Any) -> np.ndarray:
        """sigmoid(logits): P(edge) per pixel, float32 (N, H*W), without a graph."""
        with no_grad():
            return F.sigmoid(self(_as_tensor(x))).data

    def predict(self, x: Any, threshold: float = 0.5) -> np.ndarray:
        """The edge mask: P(edge) >= threshold, bool (N, H*W)."""
        threshold = _check_threshold("EdgeMLP.predict", threshold)
        return self.predict_proba(x) >= threshold


# ----- the per-pixel loss -----------------------------------------------------------------------


def _loss_inputs(logits: Any, target: Any) -> tuple[Tensor, Tensor]:
    """Logits and masks as Tensors of one shape and dtype."""
    logits = _as_tensor(logits)
    target = Tensor(_array(target), dtype=logits.dtype)
    if target.shape != logits.shape:
        raise ValueError(
            f"PixelwiseLoss: masks must have the shape of the logits {logits.shape}; got "
            f"{target.shape}. Flatten the masks to (N, H*W)"
        )
    return logits, target


class PixelwiseLoss(Module):
    """BCE of logits, or MSE of sigmoid(logits), against 0/1 masks; the mean over all pixels."""

    def __init__(self, kind: str = "bce") -> None:
        super().__init__()
        if kind not in LOSS_KINDS:
            raise ValueError(f"PixelwiseLoss: kind must be 'bce' or 'mse'; got {kind!r}")
        self.kind = kind

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The mean per-pixel loss of logits (N, H*W) against masks (N, H*W)."""
        logits, target = _loss_inputs(logits, target)
        if self.kind == "bce":
            # max(z, 0) - z y + log(1 + e^-|z|): stable for any z.
            abs_z = F.maximum(logits, -logits)
            losses = F.maximum(logits, 0.0) - logits * target + ((-abs_z).exp() + 1.0).log()
        else:
            difference = F.sigmoid(logits) - target
            losses = difference * difference
        return losses.mean()


# ----- the scores of thresholded masks ----------------------------------------------------------


def _masks(owner: str, predicted: Any, masks: Any, threshold: Any) -> tuple[np.ndarray, ...]:
    threshold = _check_threshold(owner, threshold)
    predicted, masks = _array(predicted), _array(masks)
    if predicted.shape != masks.shape:
        raise ValueError(
            f"{owner}: predictions {predicted.shape} and true masks {masks.shape} must have the "
            "same shape; flatten both to (N, H*W)"
        )
    return predicted >= threshold, masks.astype(bool)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def edge_scores(predicted: Any, masks: Any, threshold: float = 0.5) -> dict[str, float]:
    """Micro-averaged precision, recall, F1 and IoU of (predicted >= threshold) against masks;
    a score whose denominator is 0 is 0 (scikit-learn's zero_division=0)."""
    edges, truth = _masks("edge_scores", predicted, masks, threshold)
    tp = int(np.count_nonzero(edges & truth))
    fp = int(np.count_nonzero(edges & ~truth))
    fn = int(np.count_nonzero(~edges & truth))
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "iou": _ratio(tp, tp + fp + fn),
    }


def _image_masks(
    predicted: Any, masks: Any, shape: tuple[int, int], threshold: float, tolerance: Any
) -> tuple[np.ndarray, np.ndarray]:
    """tolerant_f1's thresholded and true masks as images (N, H, W), its arguments checked."""
    edges, truth = _masks("tolerant_f1", predicted, masks, threshold)
    height, width = shape
    if edges.ndim != 2 or edges.shape[1] != height * width:
        raise ValueError(
            f"tolerant_f1: masks must be (N, {height * width}) for images of shape {shape}; "
            f"got {edges.shape}"
        )
    if not isinstance(tolerance, (int, np.integer)) or tolerance < 0:
        raise ValueError(
            f"tolerant_f1: tolerance must be a whole number of pixels >= 0; got {tolerance!r}"
        )
    return edges.reshape(-1, height, width), truth.reshape(-1, height, width)


def tolerant_f1(
    predicted: Any,
    masks: Any,
    shape: tuple[int, int],
    threshold: float = 0.5,
    tolerance: int = 1,
) -> float:
    """F1 in which an edge pixel counts as found if the other mask has one within ``tolerance``
    pixels (a (2t+1) x (2t+1) square), both ways; micro-averaged, 0 when nothing matches."""
    from scipy import ndimage

    edges, truth = _image_masks(predicted, masks, shape, threshold, tolerance)
    if tolerance:
        # One image at a time: a (1, 3, 3) block never reaches into the neighbouring image.
        block = np.ones((1, 3, 3), bool)
        near_truth = ndimage.binary_dilation(truth, block, iterations=tolerance)
        near_edges = ndimage.binary_dilation(edges, block, iterations=tolerance)
    else:
        near_truth, near_edges = truth, edges
    precision = _ratio(np.count_nonzero(edges & near_truth), np.count_nonzero(edges))
    recall = _ratio(np.count_nonzero(truth & near_edges), np.count_nonzero(truth))
    return _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0


@hookimpl
def gradkit_register_models(register):
    register("EdgeMLP", EdgeMLP)


@hookimpl
def gradkit_register_losses(register):
    register("PixelwiseLoss", PixelwiseLoss)


@hookimpl
def gradkit_register_analysis(register):
    register("canny_edge_masks", canny_edge_masks)
    register("edge_scores", edge_scores)
    register("tolerant_f1", tolerant_f1)
