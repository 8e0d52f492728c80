"""What the ex11 suite measures: a linear model with known weights, small random MLPs with a
float64 NumPy forward of their own parameters (the oracle of the finite differences), and an
MLP trained on the digits (trained once per test process)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core import Tensor, models
from core import random as gradkit_random
from exercises.studies import data as study_data
from exercises.studies import training as study_training

FEATURES, HIDDEN, CLASSES, BATCH = 12, [10], 4, 5
IMAGE_SHAPE = (3, 4)  # FEATURES pixels; not square, so a transposed weight shows
DIGITS_HIDDEN, DIGITS_EPOCHS = [64], 20


def random_images(count: int = BATCH, features: int = FEATURES, seed: int = 0) -> np.ndarray:
    """``count`` random flat images (count, features) float32 in [0, 1]."""
    return np.random.default_rng(seed).uniform(0, 1, (count, features)).astype(np.float32)


def linear_model(features: int = FEATURES, classes: int = CLASSES, seed: int = 0):
    """``MLPClassifier(features, [], classes)`` with random weights W (classes, features) and
    biases of a few units, so that a gradient that is not W's row c cannot pass by chance."""
    model = models.MLPClassifier(features, [], classes)
    rng = np.random.default_rng(seed)
    layer = model.layers[0]
    layer.weight.data[...] = rng.normal(0, 1, layer.weight.shape)
    layer.bias.data[...] = rng.normal(0, 3, layer.bias.shape)
    return model


def mlp(hidden_sizes=HIDDEN, activation: str = "relu", seed: int = 0):
    """A random (untrained) ``MLPClassifier(FEATURES, hidden_sizes, CLASSES)``."""
    gradkit_random.manual_seed(seed)
    return models.MLPClassifier(FEATURES, list(hidden_sizes), CLASSES, activation=activation)


ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}


def numpy_logits(model, x: np.ndarray, activation: str = "relu") -> np.ndarray:
    """The logits of an MLPClassifier computed in float64 NumPy from its own parameters."""
    state = model.state_dict()
    layers = sorted({int(name.split(".")[1]) for name in state if name.startswith("layers.")})
    out = np.asarray(x, np.float64)
    for position, index in enumerate(layers):
        weight = state[f"layers.{index}.weight"].astype(np.float64)
        out = out @ weight.T + state[f"layers.{index}.bias"].astype(np.float64)
        if position < len(layers) - 1:
            out = ACTIVATIONS[activation](out)
    return out


def finite_difference_gradient(
    model, x: np.ndarray, classes: np.ndarray, activation: str = "relu", step: float = 1e-6
) -> np.ndarray:
    """Central differences of logit z_(i, c_i) in each pixel of x_i, in float64: (N, D)."""
    x = np.asarray(x, np.float64)
    rows = np.arange(len(x))
    gradient = np.zeros_like(x)
    for j in range(x.shape[1]):
        up, down = x.copy(), x.copy()
        up[:, j] += step
        down[:, j] -= step
        change = numpy_logits(model, up, activation) - numpy_logits(model, down, activation)
        gradient[:, j] = change[rows, classes] / (2 * step)
    return gradient


@dataclass(frozen=True)
class Digits:
    """A trained digits MLP and the test images it classifies correctly."""

    model: object
    x: np.ndarray
    labels: np.ndarray


@functools.cache
def _trained_digits() -> Digits:
    images = study_data.images("digits", seed=0)
    model = study_training.classifier(
        images.x_train, images.y_train, DIGITS_HIDDEN, classes=10, epochs=DIGITS_EPOCHS, seed=0
    )
    correct = logits(model, images.x_test).argmax(axis=1) == images.y_test
    return Digits(model, images.x_test[correct], images.y_test[correct])


def trained_digits() -> Digits:
    """An MLPClassifier(64, [64], 10) trained on the digits, with copies of the test images it
    classifies correctly (a test may not change what the next one gets)."""
    digits = _trained_digits()
    return Digits(digits.model, digits.x.copy(), digits.labels.copy())


def logits(model, x: np.ndarray) -> np.ndarray:
    """The model's logits for x, as a NumPy array."""
    return model(Tensor(x)).data
