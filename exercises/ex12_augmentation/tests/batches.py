"""What the ex12 suite transforms, and how: random image batches in [0, 1], a NumPy oracle of
whole-pixel shifts, and one table of every random transform built at a mild and a strong
setting, so that a guarantee (shape, dtype, range, determinism) is one parametrized test."""

from __future__ import annotations

import numpy as np
import pytest

from core import data

SHAPE = (8, 8)
BATCH = 24


def random_batch(count: int = BATCH, shape=SHAPE, seed: int = 0, flat: bool = True) -> np.ndarray:
    """``count`` random float32 images in [0, 1]: (count, H*W) if ``flat``, else (count, H, W)."""
    images = np.random.default_rng(seed).uniform(0, 1, (count, *shape)).astype(np.float32)
    return images.reshape(count, -1) if flat else images


def copies(image: np.ndarray, count: int) -> np.ndarray:
    """``count`` copies of one (H, W) image, as flat rows (count, H*W)."""
    return np.tile(np.asarray(image, np.float32).reshape(1, -1), (count, 1))


def numpy_shift(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """out[r, c] = image[r - rows, c - columns], zeros where that is outside: (H, W)."""
    height, width = image.shape
    out = np.zeros_like(image)
    source = image[
        max(0, -rows) : height - max(0, rows), max(0, -columns) : width - max(0, columns)
    ]
    out[
        max(0, rows) : max(0, rows) + source.shape[0],
        max(0, columns) : max(0, columns) + source.shape[1],
    ] = source
    return out


# name -> a function of the seed that builds the transform (on SHAPE images)
TRANSFORMS = {
    "GaussianNoise(0.2)": lambda seed: data.GaussianNoise(0.2, seed=seed),
    "RandomShift(1)": lambda seed: data.RandomShift(1, SHAPE, seed=seed),
    "RandomShift(1.5, subpixel)": lambda seed: data.RandomShift(
        1.5, SHAPE, subpixel=True, seed=seed
    ),
    "RandomRotation(30)": lambda seed: data.RandomRotation(30, SHAPE, seed=seed),
    "RandomErasing(p=1)": lambda seed: data.RandomErasing(SHAPE, p=1.0, seed=seed),
    "Augment(shift, rotation, noise)": lambda seed: data.Augment(
        [
            (data.RandomShift(1, SHAPE, seed=seed + 1), 0.7),
            (data.RandomRotation(20, SHAPE, seed=seed + 2), 0.7),
            (data.GaussianNoise(0.1, seed=seed + 3), 0.7),
        ],
        seed=seed,
    ),
}
TRANSFORM_PARAMS = [pytest.param(build, id=name) for name, build in TRANSFORMS.items()]
