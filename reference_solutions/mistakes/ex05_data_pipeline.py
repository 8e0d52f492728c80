"""Known ex05 mistakes: loaders and transforms that give the right shapes on easy inputs."""

from __future__ import annotations

import numpy as np

from core import Tensor
from reference_solutions import ex05_data_pipeline as reference
from reference_solutions.mistakes import mistake


@mistake("data", "DataLoader", "stops at the last full batch even when drop_last=False")
class LoaderAlwaysDropsTheLastBatch(reference.DataLoader):
    def __iter__(self):
        n = len(self.dataset)
        order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, n - n % self.batch_size, self.batch_size):
            batch = self.dataset[order[start : start + self.batch_size]]
            yield tuple(Tensor(a, dtype=a.dtype) for a in batch)


@mistake("data", "DataLoader", "len(loader) is n // batch_size: the partial batch is not counted")
class LoaderLenRoundsDown(reference.DataLoader):
    def __len__(self):
        return len(self.dataset) // self.batch_size


@mistake("data", "DataLoader", "len(loader) counts the dataset even when a sampler sets the epoch")
class LoaderLenIgnoresTheSampler(reference.DataLoader):
    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)


@mistake("data", "DataLoader", "reads the sampler once, in __init__: every epoch repeats its draw")
class LoaderFreezesTheSampler(reference.DataLoader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.sampler is not None:
            self.sampler = list(self.sampler)


@mistake(
    "data",
    "DataLoader",
    "makes a new generator from the seed in __iter__, so every epoch has the same order",
)
class LoaderReseedsEveryEpoch(reference.DataLoader):
    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, seed=None):
        super().__init__(dataset, batch_size, shuffle, drop_last, seed)
        self.seed = seed

    def __iter__(self):
        self._rng = np.random.default_rng(self.seed)
        return super().__iter__()


@mistake("data", "ArrayDataset", "applies the transform to every array, the labels too")
class DatasetTransformsTheLabels(reference.ArrayDataset):
    def __getitem__(self, index):
        items = tuple(a[index] for a in self.arrays)
        if self.transform is not None:
            items = tuple(self.transform(item) for item in items)
        return items


@mistake("data", "Normalize", "from_data takes the std of the whole array, not per feature")
class NormalizeWithOneStd(reference.Normalize):
    @classmethod
    def from_data(cls, x, axis=0):
        x = np.asarray(x, dtype=np.float64)
        return cls(x.mean(axis=axis), x.std())


@mistake(
    "data", "OneHot", "only checks labels >= num_classes: a negative label wraps around in np.eye"
)
class OneHotAcceptsNegativeLabels(reference.OneHot):
    def __call__(self, labels):
        labels = np.asarray(labels)
        if labels.dtype.kind not in "iu":
            if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
                raise ValueError(f"OneHot: labels must be integers, got dtype {labels.dtype}")
            labels = labels.astype(np.int64)
        if np.any(labels >= self.num_classes):
            bad = labels[labels >= self.num_classes][0]
            raise ValueError(f"OneHot: label {bad} is outside [0, {self.num_classes})")
        return np.eye(self.num_classes, dtype=np.float32)[labels]
