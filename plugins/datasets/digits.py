"""scikit-learn's 8x8 handwritten digits, shipped with scikit-learn (offline).

``load_dataset("digits")`` -> ``(images, labels)``: images (1797, 8, 8) float32 with values
0..16, labels (1797,) int64 in 0..9.
"""

from __future__ import annotations

import numpy as np

from core import hookimpl


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 scans as (N, 8, 8) float32 images and int64 labels."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    return bunch.images.astype(np.float32), bunch.target.astype(np.int64)


@hookimpl
def gradkit_register_datasets(register):
    register("digits", load_digits)
