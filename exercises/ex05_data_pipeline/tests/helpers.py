"""Small datasets whose contents say where they came from, shared by the ex05 suite.

Sample i has label i and features [3i, 3i + 1, 3i + 2], so a batch shows which samples it
holds and whether features and labels stayed paired.
"""

from __future__ import annotations

import numpy as np

from core import data


def numbered_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Features (n, 3) float32 with row i = [3i, 3i + 1, 3i + 2]; labels (n,) int64 = i."""
    return np.arange(n * 3, dtype=np.float32).reshape(n, 3), np.arange(n, dtype=np.int64)


def numbered_dataset(n: int, transform=None):
    return data.ArrayDataset(*numbered_arrays(n), transform=transform)


def epoch_labels(loader) -> list[np.ndarray]:
    """The label array of every batch of one epoch (a copy, as NumPy)."""
    return [np.array(batch[1].data) for batch in loader]


def epoch_order(loader) -> np.ndarray:
    """The sample indices of one epoch, in the order the loader gave them."""
    batches = epoch_labels(loader)
    return np.concatenate(batches) if batches else np.array([], dtype=np.int64)
