"""What the ex10 suite attacks, and how it calls the attacks: a small random MLP with random
images, an MLP trained on the digits (trained once per test process), and both attacks by name
so that a test can be parametrized over them."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pytest

from core import Tensor, analysis, models
from core import random as gradkit_random
from exercises.ex07_multiclass.tests.oracles import numpy_softmax
from exercises.studies import data as study_data
from exercises.studies import training as study_training

SMALL_FEATURES, SMALL_HIDDEN, SMALL_CLASSES, SMALL_BATCH = 16, [12], 4, 6
DIGITS_HIDDEN, DIGITS_EPOCHS = [64], 20
ATTACKS = ("fgsm", "iterative_fgsm")
ATTACK_PARAMS = [pytest.param(name, id=name) for name in ATTACKS]
TARGETED_PARAMS = [
    pytest.param(False, id="untargeted"),
    pytest.param(True, id="targeted"),
]


@dataclass(frozen=True)
class Victim:
    """A model and images to attack: ``x`` (N, D) float32 in [0, 1], ``labels`` (N,) int64
    (the true classes), ``targets`` (N,) int64 (another class for each image)."""

    model: object
    x: np.ndarray
    labels: np.ndarray
    targets: np.ndarray


def other_classes(labels: np.ndarray, classes: int, seed: int) -> np.ndarray:
    """For each label, a class drawn uniformly from the other ``classes - 1``."""
    shift = np.random.default_rng(seed).integers(1, classes, size=len(labels))
    return (labels + shift) % classes


def small_victim(hidden_sizes=SMALL_HIDDEN, seed: int = 0) -> Victim:
    """A random (untrained) MLPClassifier(16, hidden_sizes, 4) and 6 random images in [0, 1]."""
    gradkit_random.manual_seed(seed)
    model = models.MLPClassifier(SMALL_FEATURES, list(hidden_sizes), SMALL_CLASSES)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (SMALL_BATCH, SMALL_FEATURES)).astype(np.float32)
    labels = rng.integers(0, SMALL_CLASSES, SMALL_BATCH)
    return Victim(model, x, labels, other_classes(labels, SMALL_CLASSES, seed + 1))


@functools.cache
def _trained_digits() -> Victim:
    images = study_data.images("digits", seed=0)
    model = study_training.classifier(
        images.x_train, images.y_train, DIGITS_HIDDEN, classes=10, epochs=DIGITS_EPOCHS, seed=0
    )
    correct = predictions(model, images.x_test) == images.y_test
    labels = images.y_test[correct]
    return Victim(model, images.x_test[correct], labels, other_classes(labels, 10, seed=1))


def trained_digits() -> Victim:
    """An MLPClassifier(64, [64], 10) trained on the digits, with the test images it classifies
    correctly (copies: a test may not change what the next one gets)."""
    victim = _trained_digits()
    return Victim(victim.model, victim.x.copy(), victim.labels.copy(), victim.targets.copy())


def predictions(model, x: np.ndarray) -> np.ndarray:
    """The model's classes for x, from its logits."""
    return model(Tensor(x)).data.argmax(axis=1)


def probabilities(model, x: np.ndarray) -> np.ndarray:
    """softmax of the model's logits, in float64: (N, C)."""
    return numpy_softmax(model(Tensor(x)).data, axis=1)


def attack(name: str, victim: Victim, epsilon: float, targeted: bool = False, **options):
    """``analysis.<name>`` on the victim's images, aimed at its targets if ``targeted``."""
    labels = victim.targets if targeted else victim.labels
    return getattr(analysis, name)(
        victim.model, victim.x, labels, epsilon, targeted=targeted, **options
    )
