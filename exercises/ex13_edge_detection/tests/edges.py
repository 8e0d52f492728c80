"""What the ex13 suite measures on: random masks, and the digits with their Canny edges and a
small EdgeMLP trained on them (masks made and model trained once per test process)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core import analysis, data, models, nn, optim, training
from core import random as gradkit_random
from exercises.studies import data as study_data

DIGITS_SHAPE = (8, 8)
SIGMA = 1.0
HIDDEN, EPOCHS, LEARNING_RATE, BATCH = [128], 12, 3e-3, 64


@dataclass(frozen=True)
class EdgeDigits:
    """The digits split, ``x_*`` (N, 64) in [0, 1], with their Canny masks ``masks_*`` (N, 64)."""

    x_train: np.ndarray
    masks_train: np.ndarray
    x_test: np.ndarray
    masks_test: np.ndarray


@functools.cache
def edge_digits(sigma: float = SIGMA) -> EdgeDigits:
    """The digits and their Canny edges at ``sigma``, made once per process."""
    images = study_data.images("digits", seed=0)
    return EdgeDigits(
        images.x_train,
        analysis.canny_edge_masks(images.x_train, DIGITS_SHAPE, sigma),
        images.x_test,
        analysis.canny_edge_masks(images.x_test, DIGITS_SHAPE, sigma),
    )


@functools.cache
def trained_edge_model():
    """EdgeMLP(64, [128]) trained with PixelwiseLoss("bce") and Adam on the training digits."""
    digits = edge_digits()
    gradkit_random.manual_seed(0)
    model = models.EdgeMLP(64, HIDDEN)
    trainer = training.Trainer(
        model, nn.PixelwiseLoss("bce"), optim.Adam(model.parameters(), lr=LEARNING_RATE)
    )
    targets = digits.masks_train.astype(np.float32)
    loader = data.DataLoader(
        data.ArrayDataset(digits.x_train, targets), batch_size=BATCH, shuffle=True, seed=0
    )
    trainer.fit(loader, EPOCHS)
    return model


def random_masks(shape: tuple[int, ...], density: float, seed: int) -> np.ndarray:
    """A bool mask of ``shape`` with about ``density`` of its pixels True."""
    return np.random.default_rng(seed).uniform(size=shape) < density
