"""Data: ``from core import data``.

:class:`Dataset`, the interface every dataset follows, is defined here. ``data.ArrayDataset``,
``data.DataLoader`` and the transforms come from the ``data`` registry (the data-pipeline
exercise). :func:`load_dataset` calls a loader from the ``datasets`` registry, filled by dataset
plugins (toy 2-D sets, digits, MNIST-family files).
"""

from __future__ import annotations

from typing import Any

from core.plugin_manager import lookup


class Dataset:
    """Base class of every dataset: ``len(ds)`` samples; ``ds[index]`` -> tuple of arrays.

    It only declares the interface; a subclass such as ``data.ArrayDataset`` defines both
    methods. ``index`` is an int (one sample) or an index array (a batch, in one call).
    """

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index: Any) -> tuple:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


def load_dataset(name: str, **options: Any) -> Any:
    """Load the dataset registered as ``name``, e.g. ``load_dataset("moons", n=1000, seed=0)``.

    What it returns and which options it takes are the loader's (see ``gradkit plugins``).
    """
    return lookup(name, "datasets")(**options)


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "data")
