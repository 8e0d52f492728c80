"""What the ex09 suite looks into: a small seeded MLP, a float64 NumPy forward of every one of
its layers (the oracle), a counter of the hooks registered on a layer, and an MLP trained on the
digits (trained once per test process) with the test digits."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from core import models
from core import random as gradkit_random
from exercises.studies import data as study_data
from exercises.studies import training as study_training

IN_FEATURES, HIDDEN_SIZES, CLASSES = 12, [10, 6], 4
# The output width of every named layer of MLPClassifier(12, [10, 6], 4); "" is the model.
LAYER_WIDTHS = {
    "layers.0": 10,  # Linear: pre-activation of hidden layer 1
    "layers.1": 10,  # ReLU: post-activation of hidden layer 1
    "layers.2": 6,
    "layers.3": 6,
    "layers.4": 4,  # the last Linear: the logits
    "": 4,
}


def small_mlp(seed: int = 0) -> models.MLPClassifier:
    """``MLPClassifier(12, [10, 6], 4)`` with weights drawn after ``manual_seed(seed)``."""
    gradkit_random.manual_seed(seed)
    return models.MLPClassifier(IN_FEATURES, HIDDEN_SIZES, CLASSES)


def rows(count: int, width: int = IN_FEATURES, seed: int = 0) -> np.ndarray:
    """Standard normal float32 inputs (count, width), reproducible by ``seed``."""
    return np.random.default_rng(seed).standard_normal((count, width)).astype(np.float32)


def numpy_layer_outputs(model: models.MLPClassifier, x: np.ndarray) -> dict[str, np.ndarray]:
    """The output of every module of ``model.layers`` by its name ("layers.0", ...) and of the
    model (""), in float64 from the model's own parameters: a Linear is h @ Wᵀ + b, a ReLU
    max(h, 0)."""
    state = {name: np.asarray(p, np.float64) for name, p in model.state_dict().items()}
    names = [name for name, _ in model.named_modules() if name.count(".") == 1]
    outputs, h = {}, np.asarray(x, np.float64)
    for name in names:
        if f"{name}.weight" in state:
            h = h @ state[f"{name}.weight"].T + state[f"{name}.bias"]
        else:
            h = np.maximum(h, 0)
        outputs[name] = h
    outputs[""] = h
    return outputs


def count_hook_calls(layer, monkeypatch: pytest.MonkeyPatch) -> list:
    """From now on, every hook registered on ``layer`` with ``register_forward_hook`` appends to
    the returned list each time it fires."""
    calls: list = []
    register = layer.register_forward_hook

    def register_counted(hook):
        def counted(module, inputs, output):
            calls.append(module)
            return hook(module, inputs, output)

        return register(counted)

    monkeypatch.setattr(layer, "register_forward_hook", register_counted)
    return calls


DIGITS_HIDDEN, DIGITS_EPOCHS = [64, 32], 30
DIGITS_LAST_HIDDEN = "layers.3"  # the ReLU after the second hidden Linear
TSNE_POINTS = 150


def one_thread() -> threadpool_limits:
    """``with one_thread():`` runs BLAS and OpenMP on one thread. On small arrays threads only
    wait for each other, and far longer on a busy machine (t-SNE of 150 points: 0.3 s against
    several seconds)."""
    return threadpool_limits(limits=1)


@functools.cache
def _digits() -> study_data.Images:
    return study_data.images("digits", seed=0)


@functools.cache
def _trained_digits_mlp() -> models.MLPClassifier:
    images = _digits()
    with one_thread():
        return study_training.classifier(
            images.x_train, images.y_train, DIGITS_HIDDEN, classes=10, epochs=DIGITS_EPOCHS, seed=0
        )


def digits_test_images() -> tuple[np.ndarray, np.ndarray]:
    """The 450 test digits of the studies' split: rows (450, 64) in [0, 1] and labels (450,)."""
    images = _digits()
    return images.x_test.copy(), images.y_test.copy()


def trained_digits_mlp() -> models.MLPClassifier:
    """``MLPClassifier(64, [64, 32], 10)`` trained on the training digits, once per process."""
    return _trained_digits_mlp()


def untrained_digits_mlp(seed: int = 0) -> models.MLPClassifier:
    """The same architecture with its initial random weights."""
    gradkit_random.manual_seed(seed)
    return models.MLPClassifier(64, DIGITS_HIDDEN, 10)
