"""Where an op's inputs are drawn from: each domain maps (rng, shape) to a float64 array.

Domains keep finite differences meaningful: log and fractional powers see positive inputs,
division a denominator away from zero, relu inputs away from its kink at 0, and max/min
inputs whose values never tie (ties are tested separately, with exact expectations).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Domain = Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]


def real(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform on [-2, 2]."""
    return rng.uniform(-2.0, 2.0, size=shape)


def positive(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform on [0.5, 2]."""
    return rng.uniform(0.5, 2.0, size=shape)


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Either sign, magnitude in [0.5, 2]."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """All values different, at least 0.1 apart (no ties for max)."""
    size = int(np.prod(shape, dtype=int))
    return (rng.permutation(size) * 0.1 - 0.05 * size).reshape(shape)


def even_grid(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Multiples of 0.1: never equal to a value of :func:`odd_grid`."""
    return rng.integers(-20, 21, size=shape) * 0.1


def odd_grid(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Multiples of 0.1 shifted by 0.05."""
    return rng.integers(-20, 20, size=shape) * 0.1 + 0.05
