"""Reference solution of ex15 (imbalanced data): an imbalance maker and a split that imbalances
only the training part, per-sample and per-class weights, ``data.WeightedRandomSampler``,
``nn.WeightedCrossEntropyLoss``, ``nn.FocalLoss``, ``nn.BinaryFocalLoss`` and per-class
metrics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl
from core import functional as F
from core import random as gk_random

REDUCTIONS = ("mean", "sum", "none")
# 1 - p_t is clipped here before its power is taken: float32 rounds p_t to 1 at large margins.
TINY = 1e-30


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _labels(where: str, labels: Any, num_classes: int | None = None) -> np.ndarray:
    """``labels`` as an int64 (N,) array of class indices, checked."""
    labels = np.asarray(getattr(labels, "data", labels))
    if labels.ndim != 1:
        raise ValueError(
            f"{where}: labels must be a 1-D array of class indices; got {labels.shape}"
        )
    if labels.size and labels.dtype.kind not in "iu":
        raise ValueError(
            f"{where}: labels must be integer class indices; got dtype {labels.dtype}. "
            "Pass int64 labels (y.astype(np.int64)), not one-hot rows or probabilities"
        )
    labels = labels.astype(np.int64)
    if num_classes is not None:
        outside = labels[(labels < 0) | (labels >= num_classes)]
        if outside.size:
            raise ValueError(
                f"{where}: label {outside[0]} is outside [0, {num_classes}) for "
                f"num_classes={num_classes}; labels are class indices 0..{num_classes - 1}"
            )
    return labels


def _num_classes(where: str, num_classes: Any) -> int:
    if not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"{where}: num_classes must be a positive integer; got {num_classes!r}")
    return int(num_classes)


def _weights(where: str, weights: Any) -> np.ndarray:
    """A 1-D float array of finite, non-negative weights with a positive sum."""
    weights = np.asarray(getattr(weights, "data", weights), dtype=np.float64)
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(f"{where}: weights must be a non-empty 1-D array; got {weights.shape}")
    bad = weights[~np.isfinite(weights) | (weights < 0)]
    if bad.size:
        raise ValueError(
            f"{where}: weights must be finite and non-negative; got {bad[0]}. "
            "A weight is a relative importance, 0 or more"
        )
    if weights.sum() <= 0:
        raise ValueError(f"{where}: the weights sum to 0; at least one must be positive")
    return weights


# ----- making data imbalanced ---------------------------------------------------------------


def make_imbalanced(
    x: np.ndarray, y: np.ndarray, ratio: float, minority_classes: Sequence[int], seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Keep every sample of the other classes and a seeded round(ratio * count) of each
    minority class, in the original order."""
    where = "make_imbalanced"
    y = _labels(where, y)
    if len(x) != len(y):
        raise ValueError(f"{where}: x has {len(x)} rows but y has {len(y)} labels")
    if not (isinstance(ratio, (int, float, np.number)) and 0 < ratio <= 1):
        raise ValueError(
            f"{where}: ratio must be in (0, 1], the share of each minority class kept; "
            f"got {ratio!r}"
        )
    minority = [int(c) for c in minority_classes]
    if not minority:
        raise ValueError(f"{where}: minority_classes is empty; name at least one class")
    rng = np.random.default_rng(seed)
    keep = ~np.isin(y, minority)
    for c in minority:
        members = np.flatnonzero(y == c)
        count = round(ratio * len(members))
        if count == 0:
            raise ValueError(
                f"{where}: ratio {ratio} keeps no sample of class {c} ({len(members)} "
                f"samples); use a ratio of at least {1 / max(len(members), 1):.3g}"
            )
        keep[rng.choice(members, size=count, replace=False)] = True
    return x[keep], y[keep]


def imbalanced_split(
    x: np.ndarray,
    y: np.ndarray,
    ratio: float,
    minority_classes: Sequence[int],
    test_fraction: float = 0.25,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Stratified split first, then ``make_imbalanced`` on the training part only."""
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise ValueError(f"imbalanced_split: test_fraction must be in (0, 1); got {test_fraction}")
    y = _labels("imbalanced_split", y)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    return make_imbalanced(x_train, y_train, ratio, minority_classes, seed), (x_test, y_test)


# ----- weights from class frequencies -------------------------------------------------------


def _counts(where: str, labels: Any, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    num_classes = _num_classes(where, num_classes)
    labels = _labels(where, labels, num_classes)
    return labels, np.bincount(labels, minlength=num_classes)


def sample_weights(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """1 / count of each sample's class: (N,) float64, each class's weights sum to 1."""
    labels, counts = _counts("sample_weights", labels, num_classes)
    return 1.0 / counts[labels]


def class_weights(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """N / (C * count_c) per class, scikit-learn's "balanced": (C,) float32."""
    labels, counts = _counts("class_weights", labels, num_classes)
    if (counts == 0).any():
        raise ValueError(
            f"class_weights: class {np.flatnonzero(counts == 0)[0]} has no sample, so its "
            "weight N / (C * 0) is infinite; every class needs at least one sample"
        )
    return (len(labels) / (num_classes * counts)).astype(np.float32)


# ----- the sampler --------------------------------------------------------------------------


class WeightedRandomSampler:
    """``num_samples`` indices drawn with P(i) = w_i / sum w, afresh on every iteration."""

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        seed: int | None = None,
    ) -> None:
        self.weights = _weights("WeightedRandomSampler", weights)
        if not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
            raise ValueError(
                "WeightedRandomSampler: num_samples must be a positive integer; "
                f"got {num_samples!r}"
            )
        positive = int((self.weights > 0).sum())
        if not replacement and num_samples > positive:
            raise ValueError(
                f"WeightedRandomSampler: without replacement it can draw at most the {positive} "
                f"samples of positive weight; got num_samples={num_samples}"
            )
        self.num_samples = int(num_samples)
        self.replacement = replacement
        self._rng = gk_random.generator() if seed is None else np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.num_samples

    def __iter__(self) -> Iterator[int]:
        p = self.weights / self.weights.sum()
        drawn = self._rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        return iter(drawn.tolist())


# ----- losses -------------------------------------------------------------------------------


def _reduction(where: str, reduction: str) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{where}: reduction must be one of {REDUCTIONS}; got {reduction!r}")
    return reduction


def _logits_and_labels(where: str, logits: Any, target: Any) -> tuple[Tensor, np.ndarray]:
    logits = _as_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(f"{where}: logits must have shape (B, C); got {logits.shape}")
    labels = _labels(where, target, logits.shape[1])
    if len(labels) != len(logits):
        raise ValueError(f"{where}: {len(logits)} rows of logits but {len(labels)} labels")
    return logits, labels


def _picked_log_probabilities(logits: Tensor, labels: np.ndarray) -> Tensor:
    """log softmax(z_i)_{y_i}: (B,)."""
    one_hot = np.zeros(logits.shape, dtype=logits.dtype)
    one_hot[np.arange(len(labels)), labels] = 1
    return (F.log_softmax(logits, axis=-1) * Tensor(one_hot)).sum(axis=1)


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    return losses.sum() if reduction == "sum" else losses


class WeightedCrossEntropyLoss(Module):
    """-w_{y_i} log softmax(z_i)_{y_i}; "mean" divides by sum_i w_{y_i}, as in PyTorch."""

    def __init__(self, weight: Sequence[float], reduction: str = "mean") -> None:
        super().__init__()
        self.weight = _weights("WeightedCrossEntropyLoss", weight).astype(np.float32)
        self.reduction = _reduction("WeightedCrossEntropyLoss", reduction)

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """Weighted cross-entropy of logits (B, C) with class labels (B,)."""
        logits, labels = _logits_and_labels("WeightedCrossEntropyLoss", logits, target)
        if len(self.weight) != logits.shape[1]:
            raise ValueError(
                f"WeightedCrossEntropyLoss: weight has {len(self.weight)} entries but the "
                f"logits have C = {logits.shape[1]} classes; give one weight per class"
            )
        w = self.weight[labels].astype(logits.dtype)
        losses = -_picked_log_probabilities(logits, labels) * Tensor(w)
        if self.reduction == "mean":
            return losses.sum() / float(w.sum())
        return _reduce(losses, self.reduction)


def _gamma(where: str, gamma: Any) -> float:
    if not isinstance(gamma, (int, float, np.number)) or not gamma >= 0 or np.isinf(gamma):
        raise ValueError(f"{where}: gamma must be a finite number >= 0; got {gamma!r}")
    return float(gamma)


def _alpha(where: str, alpha: Any) -> np.ndarray | None:
    if alpha is None:
        return None
    values = np.asarray(alpha, dtype=np.float64)
    if values.ndim > 1 or np.any(~(values >= 0) | ~(values <= 1)):
        raise ValueError(
            f"{where}: alpha must be None, a number in [0, 1] or one per class in [0, 1]; "
            f"got {alpha!r}"
        )
    return values.astype(np.float32)


class FocalLoss(Module):
    """-alpha_t (1 - p_t)^gamma log p_t for logits (B, C) and labels (B,); mean over B."""

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float | Sequence[float] | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        self.gamma = _gamma("FocalLoss", gamma)
        self.alpha = _alpha("FocalLoss", alpha)
        self.reduction = _reduction("FocalLoss", reduction)

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """Focal loss of logits (B, C) with class labels (B,)."""
        logits, labels = _logits_and_labels("FocalLoss", logits, target)
        log_p = _picked_log_probabilities(logits, labels)
        losses = -log_p
        if self.gamma > 0:
            losses = losses * F.maximum(1.0 - log_p.exp(), TINY) ** self.gamma
        if self.alpha is not None:
            if self.alpha.ndim == 1 and len(self.alpha) != logits.shape[1]:
                raise ValueError(
                    f"FocalLoss: alpha has {len(self.alpha)} entries but the logits have "
                    f"C = {logits.shape[1]} classes; give one alpha per class or one number"
                )
            alpha_t = (
                self.alpha[labels] if self.alpha.ndim == 1 else np.full(len(labels), self.alpha)
            )
            losses = losses * Tensor(alpha_t.astype(logits.dtype))
        return _reduce(losses, self.reduction)


def _log_sigmoid(u: Tensor) -> Tensor:
    """log sigmoid(u) = min(u, 0) - log(1 + e^-|u|): the exponent is never positive."""
    return F.minimum(u, 0.0) - ((-F.maximum(u, -u)).exp() + 1.0).log()


class BinaryFocalLoss(Module):
    """Focal loss on logits (B,) with 0/1 targets; alpha weighs class 1, 1 - alpha class 0."""

    def __init__(
        self, gamma: float = 2.0, alpha: float | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        self.gamma = _gamma("BinaryFocalLoss", gamma)
        alpha = _alpha("BinaryFocalLoss", alpha)
        if alpha is not None and alpha.ndim != 0:
            raise ValueError(f"BinaryFocalLoss: alpha must be one number in [0, 1]; got {alpha}")
        self.alpha = alpha
        self.reduction = _reduction("BinaryFocalLoss", reduction)

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """Binary focal loss of logits (B,) with targets (B,) in {0, 1}."""
        logits = _as_tensor(logits)
        y = np.asarray(getattr(target, "data", target))
        if logits.ndim != 1 or y.shape != logits.shape:
            raise ValueError(
                f"BinaryFocalLoss: logits and targets must both have shape (B,); got logits "
                f"{logits.shape} and targets {y.shape}"
            )
        if not np.all((y == 0) | (y == 1)):
            raise ValueError(
                f"BinaryFocalLoss: targets must be 0 or 1; got {y[(y != 0) & (y != 1)][0]}"
            )
        sign = (2 * y - 1).astype(logits.dtype)
        margin = logits * Tensor(sign)  # u = z for y = 1, -z for y = 0: p_t = sigmoid(u)
        losses = -_log_sigmoid(margin)
        if self.gamma > 0:
            # (1 - p_t)^gamma = sigmoid(-u)^gamma = e^(gamma log sigmoid(-u)), finite for any u
            losses = losses * (_log_sigmoid(-margin) * self.gamma).exp()
        if self.alpha is not None:
            alpha_t = np.where(y == 1, self.alpha, 1 - self.alpha).astype(logits.dtype)
            losses = losses * Tensor(alpha_t)
        return _reduce(losses, self.reduction)


# ----- metrics ------------------------------------------------------------------------------


def _true_and_predicted(
    where: str, y_true: Any, y_pred: Any, num_classes: int
) -> tuple[np.ndarray, np.ndarray, int]:
    num_classes = _num_classes(where, num_classes)
    y_true = _labels(where, y_true, num_classes)
    y_pred = _labels(where, y_pred, num_classes)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{where}: y_true {y_true.shape} and y_pred {y_pred.shape} need the same length"
        )
    return y_true, y_pred, num_classes


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """counts[t, p] = number of samples of class t predicted as p: (C, C) int64."""
    y_true, y_pred, num_classes = _true_and_predicted(
        "confusion_matrix", y_true, y_pred, num_classes
    )
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _divide(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, 0 where bottom is 0 (scikit-learn's zero_division=0)."""
    return np.divide(top, bottom, out=np.zeros(len(top)), where=bottom > 0)


def _per_class(where: str, y_true: Any, y_pred: Any, num_classes: int) -> dict[str, np.ndarray]:
    y_true, y_pred, num_classes = _true_and_predicted(where, y_true, y_pred, num_classes)
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    hits = np.diag(counts).astype(np.float64)
    support, predicted = counts.sum(axis=1), counts.sum(axis=0)
    precision, recall = _divide(hits, predicted), _divide(hits, support)
    f1 = _divide(2 * hits, support + predicted)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def per_class_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int
) -> dict[str, np.ndarray]:
    """precision, recall, f1 (C,) float64 (0 where undefined) and support (C,) int64."""
    return _per_class("per_class_metrics", y_true, y_pred, num_classes)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> float:
    """Mean recall over the classes that occur in y_true."""
    metrics = _per_class("balanced_accuracy", y_true, y_pred, num_classes)
    return float(metrics["recall"][metrics["support"] > 0].mean())


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> float:
    """Unweighted mean of the C per-class F1 scores."""
    return float(_per_class("macro_f1", y_true, y_pred, num_classes)["f1"].mean())


@hookimpl
def gradkit_register_data(register):
    register("WeightedRandomSampler", WeightedRandomSampler)


@hookimpl
def gradkit_register_losses(register):
    register("WeightedCrossEntropyLoss", WeightedCrossEntropyLoss)
    register("FocalLoss", FocalLoss)
    register("BinaryFocalLoss", BinaryFocalLoss)


@hookimpl
def gradkit_register_analysis(register):
    register("make_imbalanced", make_imbalanced)
    register("imbalanced_split", imbalanced_split)
    register("sample_weights", sample_weights)
    register("class_weights", class_weights)
    register("confusion_matrix", confusion_matrix)
    register("per_class_metrics", per_class_metrics)
    register("balanced_accuracy", balanced_accuracy)
    register("macro_f1", macro_f1)
