"""Toy 2-D binary classification sets: blobs, moons and circles (seeded, offline).

``load_dataset("moons", n=1000, seed=0)`` -> ``(x, y)``: ``x`` (n, 2) float32, ``y`` (n,) int64
in {0, 1}. The shapes are fixed and only the points depend on ``seed``, so a validation set is
simply the same loader with another seed.
"""

from __future__ import annotations

import numpy as np

from core import hookimpl

BLOB_CENTERS = ((-1.5, -1.5), (1.5, 1.5))


def _checked_size(name: str, n: int) -> int:
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"{name}: n must be an integer of at least 2 points, got {n!r}")
    return int(n)


def _as_arrays(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.astype(np.float32), y.astype(np.int64)


def load_blobs(n: int = 1000, seed: int = 0, noise: float = 1.0):
    """Two Gaussian blobs at fixed centres (-1.5, -1.5) and (1.5, 1.5), std ``noise``."""
    from sklearn.datasets import make_blobs

    x, y = make_blobs(
        n_samples=_checked_size("blobs", n),
        centers=BLOB_CENTERS,
        cluster_std=noise,
        random_state=seed,
    )
    return _as_arrays(x, y)


def load_moons(n: int = 1000, seed: int = 0, noise: float = 0.2):
    """Two interleaving half circles with Gaussian noise of std ``noise``."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=_checked_size("moons", n), noise=noise, random_state=seed)
    return _as_arrays(x, y)


def load_circles(n: int = 1000, seed: int = 0, noise: float = 0.1):
    """A circle inside another (radius ratio 0.5), Gaussian noise of std ``noise``."""
    from sklearn.datasets import make_circles

    x, y = make_circles(
        n_samples=_checked_size("circles", n), noise=noise, factor=0.5, random_state=seed
    )
    return _as_arrays(x, y)


@hookimpl
def gradkit_register_datasets(register):
    register("blobs", load_blobs)
    register("moons", load_moons)
    register("circles", load_circles)
