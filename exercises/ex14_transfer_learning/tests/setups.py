"""What the ex14 suite trains and compares against: small random auto-encoders and images, a
NumPy forward of a model's own parameters, and one auto-encoder trained on the digits (once per
test process)."""

from __future__ import annotations

import functools

import numpy as np

from core import Tensor, models, nn, no_grad, training
from core import random as gradkit_random
from exercises.studies import data as study_data

SMALL_FEATURES, SMALL_HIDDEN, SMALL_BOTTLENECK, SMALL_BATCH = 16, 12, 4, 6
DIGITS_HIDDEN, DIGITS_BOTTLENECK, DIGITS_EPOCHS = 32, 8, 8
DIGITS_TRAIN = 600  # the first 600 training images: enough to learn, fast to train


def small_autoencoder(
    features: int = SMALL_FEATURES,
    hidden: int = SMALL_HIDDEN,
    bottleneck: int = SMALL_BOTTLENECK,
    seed: int = 0,
):
    """A random (untrained) AutoEncoder, its weights drawn from ``seed``."""
    gradkit_random.manual_seed(seed)
    return models.AutoEncoder(features, hidden, bottleneck)


def small_images(count: int = SMALL_BATCH, features: int = SMALL_FEATURES, seed: int = 0):
    """``count`` random images (count, features) float32 with grey pixels in [0, 1]."""
    return np.random.default_rng(seed).uniform(0, 1, (count, features)).astype(np.float32)


def linears(module) -> list:
    """The nn.Linear layers of ``module``, in order."""
    return [m for m in module.modules() if isinstance(m, nn.Linear)]


def numpy_mlp(layers, x: np.ndarray) -> np.ndarray:
    """Linear layers with ReLU between them (not after the last), in float64 NumPy."""
    out = np.asarray(x, np.float64)
    for index, layer in enumerate(layers):
        out = out @ layer.weight.data.T.astype(np.float64) + layer.bias.data
        if index < len(layers) - 1:
            out = np.maximum(out, 0.0)
    return out


def numpy_bce(logits: np.ndarray, target: np.ndarray) -> float:
    """Mean BCE-with-logits in float64."""
    z, t = np.asarray(logits, np.float64), np.asarray(target, np.float64)
    return float(np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))))


def reconstruction_bce(autoencoder, x: np.ndarray) -> float:
    """The auto-encoder's mean per-pixel BCE on ``x``."""
    with no_grad():
        return numpy_bce(autoencoder(Tensor(x)).data, x)


@functools.cache
def digits():
    """The digits split of the studies (pixels in [0, 1], labels 0..9)."""
    return study_data.images("digits", seed=0)


@functools.cache
def _trained():
    images = digits()
    x = images.x_train[:DIGITS_TRAIN]
    autoencoder = small_autoencoder(64, DIGITS_HIDDEN, DIGITS_BOTTLENECK)
    before = reconstruction_bce(autoencoder, images.x_test)
    losses = training.train_autoencoder(autoencoder, x, epochs=DIGITS_EPOCHS, seed=0)
    return autoencoder, before, tuple(losses)


def trained_autoencoder():
    """AutoEncoder(64, 32, 8) trained 8 epochs on 600 digits, its test BCE before training and
    the per-epoch losses train_autoencoder returned. Tests that change it must copy it first."""
    return _trained()


def copy_of_trained_autoencoder():
    """A fresh AutoEncoder with the trained one's weights: a test may freeze or train it."""
    autoencoder = trained_autoencoder()[0]
    copy = small_autoencoder(64, DIGITS_HIDDEN, DIGITS_BOTTLENECK, seed=1)
    copy.load_state_dict(autoencoder.state_dict())
    return copy
