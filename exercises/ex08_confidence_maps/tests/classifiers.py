"""What the ex08 suite maps: small random classifiers of 2-D points (seeded, untrained, so that
their fields are tilted and curved, not symmetric), points in a box that is wider than it is
tall, and a grid over it with more columns than rows — a transposed or mirrored map cannot
pass for the right one."""

from __future__ import annotations

import numpy as np

from core import Tensor, models, nn
from core import random as gradkit_random

# (name, builder of the model): logits (B,) for the binary ones, (B, 2) for the MLPClassifier.
MODELS = {
    "binary-tanh": lambda: models.BinaryMLPClassifier(2, [8], "tanh"),
    "binary-relu-2-layers": lambda: models.BinaryMLPClassifier(2, [6, 5], "relu"),
    "two-class-MLPClassifier": lambda: models.MLPClassifier(2, [7], 2),
}
NX, NY = 7, 5  # a grid of 5 rows (y) and 7 columns (x)


def classifier(name: str = "binary-tanh", seed: int = 0) -> nn.Module:
    """The model ``MODELS[name]`` with seeded random weights, scaled up so that its
    probabilities span much of [0, 1] over the box of ``points()``."""
    gradkit_random.manual_seed(seed)
    model = MODELS[name]()
    for parameter in model.parameters():
        parameter.data *= np.float32(3)
    return model


def points(n: int = 40, seed: int = 0) -> np.ndarray:
    """(n, 2) float32 points in [-3, 1] × [0.5, 2.5], not centred on 0."""
    rng = np.random.default_rng(seed)
    low, high = np.array([-3.0, 0.5]), np.array([1.0, 2.5])
    return rng.uniform(low, high, (n, 2)).astype(np.float32)


def labels_of(points: np.ndarray) -> np.ndarray:
    """Class 1 above the line y = 1.5 − x / 2, class 0 below: (N,) int64."""
    return (points[:, 1] > 1.5 - points[:, 0] / 2).astype(np.int64)


def class_one_probability(model: nn.Module, grid_points: np.ndarray) -> np.ndarray:
    """P(class 1) for points (M, 2), from the model's own ``predict_proba``: (M,) float64."""
    probabilities = model.predict_proba(Tensor(grid_points.astype(np.float32)))
    if probabilities.ndim == 2:  # an MLPClassifier gives the softmax of both classes
        probabilities = probabilities[:, 1]
    return np.asarray(probabilities, dtype=np.float64)


def grid() -> tuple[np.ndarray, np.ndarray]:
    """A (NY, NX) "xy" grid over [-3.5, 1.5] × [0, 3], built with NumPy (not with grid_over,
    so that the tests of confidence_map and of the plot do not wait on it)."""
    return np.meshgrid(np.linspace(-3.5, 1.5, NX), np.linspace(0.0, 3.0, NY))


def field(xx: np.ndarray, yy: np.ndarray) -> np.ndarray:
    """A smooth probability map that crosses 0.5 on the grid of ``grid()``: (NY, NX) float32."""
    return (1 / (1 + np.exp(-(2 * yy + xx - 3)))).astype(np.float32)
