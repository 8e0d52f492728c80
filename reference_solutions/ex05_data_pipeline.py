"""Reference solution of ex05 (data pipeline): datasets, a vectorised loader, transforms."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from core import Tensor, hookimpl
from core import random as gk_random
from core.data import Dataset


class ArrayDataset(Dataset):
    """Equal-length arrays indexed together; ``transform`` maps the first array's selection."""

    def __init__(self, *arrays: np.ndarray, transform: Callable | None = None) -> None:
        if not arrays:
            raise ValueError("ArrayDataset needs at least one array, e.g. ArrayDataset(x, y)")
        arrays = tuple(np.asarray(a) for a in arrays)
        lengths = [len(a) if a.ndim else None for a in arrays]
        if None in lengths or len(set(lengths)) != 1:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"ArrayDataset: arrays must share their first dimension; got {shapes}")
        self.arrays = arrays
        self.transform = transform

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index) -> tuple[np.ndarray, ...]:
        items = tuple(a[index] for a in self.arrays)
        if self.transform is not None:
            items = (self.transform(items[0]), *items[1:])
        return items


class DataLoader:
    """Batches of a dataset as tuples of Tensors: one fancy-index call per batch."""

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        sampler: Iterable[int] | None = None,
    ) -> None:
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(
                f"DataLoader: batch_size must be a positive integer, got {batch_size!r}"
            )
        if len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty; there is nothing to load")
        if sampler is not None and shuffle:
            raise ValueError(
                "DataLoader: sampler and shuffle=True exclude each other; the sampler decides "
                "the order, so leave shuffle=False"
            )
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.sampler = sampler
        self._rng = gk_random.generator() if seed is None else np.random.default_rng(seed)

    def __len__(self) -> int:
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        full, rest = divmod(n, self.batch_size)
        return full if self.drop_last or not rest else full + 1

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        if self.sampler is not None:
            order = np.fromiter(self.sampler, dtype=np.int64)
            outside = order[(order < 0) | (order >= len(self.dataset))]
            if outside.size:
                raise ValueError(
                    f"DataLoader: the sampler gave index {outside[0]}, outside the dataset's "
                    f"0..{len(self.dataset) - 1}; sample indices of this dataset"
                )
        elif self.shuffle:
            order = self._rng.permutation(len(self.dataset))
        else:
            order = np.arange(len(self.dataset))
        n = len(order)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            batch = self.dataset[order[start : start + self.batch_size]]
            yield tuple(Tensor(a, dtype=a.dtype) for a in batch)


class Normalize:
    """(x - mean) / std, float32."""

    def __init__(self, mean, std) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        if np.any(self.std == 0):
            raise ValueError(
                "Normalize: std is 0 for some feature; a constant feature cannot be "
                "scaled to unit variance (drop it, or use std=1 there)"
            )

    @classmethod
    def from_data(cls, x: np.ndarray, axis: int | tuple[int, ...] = 0) -> Normalize:
        """Mean and std measured on ``x`` along ``axis``."""
        x = np.asarray(x, dtype=np.float64)
        return cls(x.mean(axis=axis), x.std(axis=axis))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((np.asarray(x, dtype=np.float32) - self.mean) / self.std).astype(np.float32)


class Flatten:
    """(N, *dims) -> (N, prod(dims))."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return x.reshape(len(x), -1)


class OneHot:
    """Integer labels (N,) -> (N, num_classes) float32."""

    def __init__(self, num_classes: int) -> None:
        if num_classes < 1:
            raise ValueError(f"OneHot: num_classes must be at least 1, got {num_classes}")
        self.num_classes = int(num_classes)

    def __call__(self, labels: np.ndarray) -> np.ndarray:
        labels = np.asarray(labels)
        if labels.dtype.kind not in "iu":
            if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
                raise ValueError(f"OneHot: labels must be integers, got dtype {labels.dtype}")
            labels = labels.astype(np.int64)
        bad = labels[(labels < 0) | (labels >= self.num_classes)]
        if bad.size:
            raise ValueError(
                f"OneHot: label {bad.flat[0]} is outside [0, {self.num_classes}); "
                f"num_classes={self.num_classes}"
            )
        return np.eye(self.num_classes, dtype=np.float32)[labels]


class Compose:
    """Apply transforms in order."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = list(transforms)

    def __call__(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x


@hookimpl
def gradkit_register_data(register):
    register("ArrayDataset", ArrayDataset)
    register("DataLoader", DataLoader)
    register("Normalize", Normalize)
    register("Flatten", Flatten)
    register("OneHot", OneHot)
    register("Compose", Compose)
