"""float64 NumPy oracles for the ex03 suite: the formulas the modules and losses must compute."""

from __future__ import annotations

import numpy as np


def numpy_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, np.float64)))


def numpy_bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise -[y log σ(z) + (1 - y) log(1 - σ(z))] = log(1 + e^z) - z·y, stably."""
    z = np.asarray(z, np.float64)
    return np.logaddexp(0.0, z) - z * np.asarray(y, np.float64)


def reduce(losses: np.ndarray, reduction: str) -> np.ndarray:
    return {"mean": losses.mean(), "sum": losses.sum(), "none": losses}[reduction]


def reduction_scale(shape: tuple[int, ...], reduction: str) -> float:
    """d(reduced loss)/d(elementwise loss): 1/n for "mean", 1 otherwise."""
    return 1.0 / int(np.prod(shape)) if reduction == "mean" else 1.0


def numpy_linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    out = np.asarray(x, np.float64) @ np.asarray(weight, np.float64).T
    return out if bias is None else out + np.asarray(bias, np.float64)
