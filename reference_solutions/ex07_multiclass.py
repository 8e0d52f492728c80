"""Reference solution of ex07 (multiclass): stable softmax and log-softmax, a fused
cross-entropy op with its gradient, ``nn.CrossEntropyLoss``, ``MLPClassifier`` and the fixed
digits split."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from core import Module, Tensor, apply_op, hookimpl, nn, no_grad
from core import data as gk_data
from core import functional as F

REDUCTIONS = ("mean", "sum", "none")
ACTIVATIONS = ("relu", "tanh", "sigmoid")


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# ----- softmax and log-softmax: composites of registered ops -----------------------------------


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """e^(x - max) / sum e^(x - max) along axis; the max is a detached constant."""
    x = _as_tensor(x)
    shifted = x - x.max(axis=axis, keepdims=True).detach()
    e = shifted.exp()
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """(x - max) - log sum e^(x - max) along axis."""
    x = _as_tensor(x)
    shifted = x - x.max(axis=axis, keepdims=True).detach()
    return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


# ----- the fused cross-entropy op ---------------------------------------------------------------


def _log_probabilities(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy_forward(
    logits: np.ndarray, target: np.ndarray, reduction: str = "mean"
) -> np.ndarray:
    """loss_i = -sum_c target_ic log_softmax(logits)_ic; mean, sum or per sample (B,)."""
    losses = -(target * _log_probabilities(logits)).sum(axis=1)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _per_sample_scale(grad: np.ndarray, reduction: str, batch: int) -> np.ndarray:
    """dL/dloss_i: g / B for mean, g for sum, g_i (as a column) for none."""
    if reduction == "mean":
        return grad / batch
    if reduction == "sum":
        return grad
    return grad[:, None]


def cross_entropy_backward(ctx, grad: np.ndarray) -> tuple[np.ndarray, None]:
    """d/dlogits = (softmax - target) * g_i (g / B for mean); no gradient for the target."""
    logits, target = ctx.inputs
    scale = _per_sample_scale(grad, ctx.params.get("reduction", "mean"), len(logits))
    return (np.exp(_log_probabilities(logits)) - target) * scale, None


# ----- the loss module --------------------------------------------------------------------------


def _target_probabilities(target: np.ndarray, logits: np.ndarray) -> np.ndarray:
    batch, classes = logits.shape
    if target.shape == logits.shape:
        return target.astype(logits.dtype, copy=False)
    if target.shape != (batch,):
        raise ValueError(
            f"CrossEntropyLoss: logits {logits.shape} need targets of shape ({batch},) "
            f"(class indices) or {logits.shape} (one-hot or probabilities); got {target.shape}"
        )
    if target.dtype.kind not in "iu":
        whole = np.isfinite(target) & (target == np.round(target))
        if not whole.all():
            bad = target[~whole][0]
            raise ValueError(
                f"CrossEntropyLoss: class labels must be whole numbers; got label {bad} "
                f"(dtype {target.dtype}). Pass int64 labels, or one-hot targets {logits.shape}"
            )
    outside = (target < 0) | (target >= classes)
    if outside.any():
        raise ValueError(
            f"CrossEntropyLoss: label {target[outside][0]} is outside [0, {classes}) for "
            f"logits with C = {classes} classes"
        )
    probabilities = np.zeros_like(logits)
    probabilities[np.arange(batch), target.astype(np.int64)] = 1
    return probabilities


class CrossEntropyLoss(Module):
    """Softmax cross-entropy of logits (B, C) with class indices (B,) or probabilities (B, C)."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"CrossEntropyLoss: reduction must be one of {REDUCTIONS}; got {reduction!r}"
            )
        self.reduction = reduction

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The fused "cross_entropy" op on logits and the targets as probabilities."""
        logits = _as_tensor(logits)
        if logits.ndim != 2:
            raise ValueError(f"CrossEntropyLoss: logits must have shape (B, C); got {logits.shape}")
        probabilities = _target_probabilities(
            np.asarray(getattr(target, "data", target)), logits.data
        )
        return apply_op(
            "cross_entropy", (logits, Tensor(probabilities)), {"reduction": self.reduction}
        )


# ----- the multiclass model ---------------------------------------------------------------------


class MLPClassifier(Module):
    """Linear -> activation per hidden size, then Linear(last, num_classes); logits (B, C)."""

    def __init__(
        self,
        in_features: int,
        hidden_sizes: Sequence[int],
        num_classes: int,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        sizes = [in_features, *hidden_sizes]
        if any(not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
            raise ValueError(
                f"MLPClassifier: in_features and hidden_sizes must be positive integers; "
                f"got in_features={in_features!r}, hidden_sizes={list(hidden_sizes)!r}"
            )
        if not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
            raise ValueError(f"MLPClassifier: num_classes must be at least 2; got {num_classes!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"MLPClassifier: unknown activation {activation!r}; "
                f"use one of {', '.join(ACTIVATIONS)}"
            )
        activation_class = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[activation]
        layers: list[Module] = []
        for n_in, n_out in pairwise(sizes):
            layers += [nn.Linear(n_in, n_out), activation_class()]
        layers.append(nn.Linear(sizes[-1], num_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """(B, in_features) -> logits (B, num_classes)."""
        return self.layers(x)

    def predict_proba(self, x: Any) -> np.ndarray:
        """softmax(logits), float32 (B, C), without a graph."""
        with no_grad():
            return F.softmax(self(_as_tensor(x)), axis=-1).data

    def predict(self, x: Any) -> np.ndarray:
        """argmax of the logits, int64 (B,)."""
        with no_grad():
            return self(_as_tensor(x)).data.argmax(axis=-1).astype(np.int64)


# ----- the digits split -------------------------------------------------------------------------


def load_digits_split(
    test_fraction: float = 0.25, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Digits as ((x_train, y_train), (x_test, y_test)): x (N, 64) in [0, 1], y one-hot (N, 10)."""
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise ValueError(f"load_digits_split: test_fraction must be in (0, 1); got {test_fraction}")
    images, labels = gk_data.load_dataset("digits")
    x = (gk_data.Flatten()(images) / 16).astype(np.float32)
    y = gk_data.OneHot(10)(labels)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=labels
    )
    return (x_train, y_train), (x_test, y_test)


@hookimpl
def gradkit_register_functions(register):
    register("softmax", softmax)
    register("log_softmax", log_softmax)


@hookimpl
def gradkit_register_ops(register):
    register("cross_entropy", cross_entropy_forward)


@hookimpl
def gradkit_register_gradients(register):
    register("cross_entropy", cross_entropy_backward)


@hookimpl
def gradkit_register_losses(register):
    register("CrossEntropyLoss", CrossEntropyLoss)


@hookimpl
def gradkit_register_models(register):
    register("MLPClassifier", MLPClassifier)


@hookimpl
def gradkit_register_datasets(register):
    register("digits-split", load_digits_split)
