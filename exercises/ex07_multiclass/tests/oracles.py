"""float64 NumPy oracles for the ex07 suite, and a gradcheck wrapper with a student message."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import GradcheckError, gradcheck


def numpy_log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x, np.float64)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def numpy_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.exp(numpy_log_softmax(x, axis))


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    return np.eye(classes)[np.asarray(labels, np.int64)]


def numpy_cross_entropy(logits: np.ndarray, probabilities: np.ndarray, reduction: str):
    losses = -(np.asarray(probabilities, np.float64) * numpy_log_softmax(logits, axis=1)).sum(1)
    return {"mean": losses.mean(), "sum": losses.sum(), "none": losses}[reduction]


def check_gradcheck(title: str, fn: Callable, inputs: list, numpy_fn: Callable, hint: str) -> None:
    """``core.gradcheck`` with a float64 NumPy oracle; a mismatch fails with ``hint``."""
    __tracebackhide__ = True
    try:
        gradcheck(fn, inputs, numpy_fn=numpy_fn)
    except GradcheckError as error:
        raise AssertionError(
            f"{title}\n  (upstream gradient: random, non-uniform)\n{error}\n  hint: {hint}"
        ) from None
