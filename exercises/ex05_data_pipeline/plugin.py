"""Exercise 05 — data pipeline: datasets, a vectorised, seeded DataLoader, and transforms.

A training loop needs its samples in batches: every sample exactly once per epoch, in an order
that is shuffled yet reproducible from a seed, and fast — one NumPy fancy-indexing call per
batch, not a Python loop over samples. Transforms prepare the arrays: standardise features,
flatten images, one-hot encode labels.

The base class ``Dataset`` is given: it is ``core.data.Dataset`` and only declares the
interface (``__len__``, ``__getitem__``). Replace each ``raise todo()``; read ``README.md`` in
this folder, then run ``tox -e ex05``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from core import Tensor, hookimpl
from core.data import Dataset
from exercises.stub import todo


class ArrayDataset(Dataset):
    """Samples stored as equal-length arrays, indexed together.

    ``ArrayDataset(x, y)`` with x: (N, ...) and y: (N, ...) — every array must have the same
    first dimension N (else ValueError naming the shapes). ``ds[i]`` with an int returns
    ``(x[i], y[i])``; with an index array ``idx`` of shape (B,) it returns ``(x[idx], y[idx])``
    in ONE indexing call per array — that is what makes batching fast. If ``transform`` is
    given, it is applied to the first array's selection (the features), batch-wise.

    Example:
        ds = ArrayDataset(np.arange(10.0).reshape(5, 2), np.array([0, 1, 0, 1, 1]))
        len(ds) == 5;  ds[np.array([4, 0])] -> (array([[8., 9.], [0., 1.]]), array([1, 0]))
    """

    def __init__(self, *arrays: np.ndarray, transform: Callable | None = None) -> None:
        """Keep the arrays (as NumPy arrays) and the transform; check the lengths agree.

        Args:
            *arrays: one or more arrays of shapes (N, ...), all with the same N.
            transform: a callable applied to the features (the first array) of every
                selection, or None.

        Raises:
            ValueError: no arrays, a 0-d array, or first dimensions that differ; the message
                names ArrayDataset and every shape, e.g. "got (4, 2), (3,)".
        """
        raise todo()

    def __len__(self) -> int:
        """The number of samples N (the arrays' first dimension)."""
        raise todo()

    def __getitem__(self, index) -> tuple[np.ndarray, ...]:
        """A tuple with each array indexed by ``index`` (int or index array), transform applied.

        ``index`` is an int (one sample: shapes (...)) or an int array of shape (B,) (a batch:
        shapes (B, ...)); index every array with it once, no loop over samples. The transform,
        if any, maps the first element of the tuple only.

        Example: with x: (5, 2), y: (5,), ``ds[np.array([4, 0])]`` -> (x[[4, 0]], y[[4, 0]]),
        shapes (2, 2) and (2,); ``ds[1]`` -> (x[1], y[1]), shapes (2,) and ().
        """
        raise todo()


class DataLoader:
    """Iterate over a dataset in batches of Tensors, optionally shuffled by a seeded generator.

    Args:
        dataset: anything with ``len`` and ``[index_array]`` returning a tuple of arrays.
        batch_size: B >= 1 samples per batch (else ValueError).
        shuffle: a new random order every epoch (``np.random.default_rng(seed).permutation``);
            else the samples in order.
        drop_last: drop the final batch when it has fewer than B samples.
        seed: makes the shuffled orders reproducible; None uses ``core.random.generator()``.
        sampler: PyTorch's ``sampler=``: an iterable of sample indices with ``len``, iterated
            anew each epoch; the epoch's order is what it yields (repeats allowed, as a
            weighted random sampler draws them). It replaces shuffle: both together is a
            ValueError.

    Each epoch (each ``for batch in loader``) visits every sample exactly once. A batch is a
    tuple of Tensors, one per dataset array, each keeping its array's dtype
    (``Tensor(a, dtype=a.dtype)``: float32 features, int64 labels). An empty dataset is a
    ValueError. ``len(loader)`` is the number of batches per epoch: ceil(N / B), or N // B
    with drop_last, where N is ``len(sampler)`` when there is a sampler.

    Example: N = 5, batch_size = 2, shuffle=False -> indices [0, 1], [2, 3], [4]
    (drop_last=True: [0, 1], [2, 3]); len(loader) == 3 (2 with drop_last).
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        sampler: Iterable[int] | None = None,
    ) -> None:
        """Check the arguments; keep them and one random generator for all epochs.

        The generator is ``np.random.default_rng(seed)``, or ``core.random.generator()`` when
        seed is None; create it here, once, so each epoch draws a new permutation from it.

        Raises:
            ValueError: batch_size not an integer >= 1 (show the value got), an empty
                dataset (say it is empty), or a sampler with shuffle=True (say to leave
                shuffle=False).
        """
        raise todo()

    def __len__(self) -> int:
        """Batches per epoch: ceil(N / batch_size), or N // batch_size with drop_last; N is
        ``len(sampler)`` with a sampler, else ``len(dataset)``."""
        raise todo()

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        """Yield the epoch's batches: one index array per batch, one dataset call per batch.

        order = the indices the sampler yields this epoch (``np.fromiter(sampler, np.int64)``),
        or a permutation of 0..N-1 (shuffle), or 0..N-1; batch k is
        ``dataset[order[k * B : (k + 1) * B]]``, a tuple of arrays, yielded as a tuple of
        ``Tensor(a, dtype=a.dtype)``. With drop_last, a final batch shorter than B is skipped.

        Example: N = 5, B = 2, shuffle=False -> tensors for samples [0, 1], [2, 3], [4];
        sampler=[4, 4, 0] -> samples [4, 4], [0].

        Raises:
            ValueError: a sampler index outside 0..len(dataset)-1 (name the index and the
                valid range).
        """
        raise todo()


class Normalize:
    """Standardise features: (x - mean) / std, computed in float32.

    ``mean`` and ``std`` broadcast against x (e.g. shape (D,) for x: (N, D)). A std of 0
    anywhere is a ValueError (a constant feature cannot be scaled). ``Normalize.from_data(x)``
    measures mean and std along axis 0.

    Example: Normalize([1.0, 2.0], [2.0, 4.0])(np.array([[3.0, 2.0]])) -> [[1., 0.]]
    """

    def __init__(self, mean, std) -> None:
        """Keep mean and std as float32 arrays; reject a zero std.

        Args:
            mean, std: numbers, lists or arrays that broadcast against the inputs, e.g. (D,)
                for x: (N, D).

        Raises:
            ValueError: std is 0 anywhere (name std; say the feature is constant).
        """
        raise todo()

    @classmethod
    def from_data(cls, x: np.ndarray, axis: int | tuple[int, ...] = 0) -> Normalize:
        """A Normalize with the mean and (population) std of ``x`` along ``axis``.

        Measure in float64 (``x.mean(axis=axis)``, ``x.std(axis=axis)``, ddof=0), then build
        ``cls(mean, std)`` (so a constant feature is a ValueError too).

        Example: x = [[1, 2], [3, 6]] -> mean [2, 4], std [1, 2];
        ``Normalize.from_data(x)(x)`` -> [[-1, -1], [1, 1]]. With images (N, H, W) and
        axis=(0, 1), mean and std have shape (W,).
        """
        raise todo()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """(x - mean) / std as float32, same shape as x.

        Any input dtype (float64, int) gives float32. Do not modify x.
        """
        raise todo()


class Flatten:
    """Flatten every sample: (N, d1, d2, ...) -> (N, d1 * d2 * ...).

    Example: images of shape (32, 8, 8) -> (32, 64), each row one image in C order.
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """x reshaped to (N, -1).

        Example: (2, 3, 4) -> (2, 12); (5, 8, 8) -> (5, 64); (3, 5) stays (3, 5).
        """
        raise todo()


class OneHot:
    """Integer class labels (N,) -> one-hot rows (N, num_classes) float32.

    Row i is all zeros except a 1 at column labels[i]. Labels must be integers in
    [0, num_classes): anything else is a ValueError naming the bad label and the range.

    Example: OneHot(3)(np.array([2, 0])) -> [[0., 0., 1.], [1., 0., 0.]]
    """

    def __init__(self, num_classes: int) -> None:
        """Keep the number of classes C (at least 1, else ValueError naming num_classes)."""
        raise todo()

    def __call__(self, labels: np.ndarray) -> np.ndarray:
        """The (N, C) float32 one-hot encoding of ``labels``.

        Labels may be an integer array, or floats holding whole numbers (``[2.0, 0.0]`` is
        read as ``[2, 0]``: labels loaded from a text file are often floats).

        Raises:
            ValueError: labels that are not integers ("labels must be integers"), or a label
                outside [0, C): name that label and the range, e.g. "label 7 is outside [0, 3)".
        """
        raise todo()


class Compose:
    """Apply several transforms in order: Compose([Flatten(), Normalize(m, s)])(x)."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        """Keep the transforms, in order."""
        raise todo()

    def __call__(self, x):
        """transforms[-1](...transforms[1](transforms[0](x))).

        Example: Compose([lambda a: a + 1, lambda a: a * 10])(np.array([1.0])) -> [20.];
        Compose([]) returns x unchanged.
        """
        raise todo()


@hookimpl
def gradkit_register_data(register):
    register("ArrayDataset", ArrayDataset)
    register("DataLoader", DataLoader)
    register("Normalize", Normalize)
    register("Flatten", Flatten)
    register("OneHot", OneHot)
    register("Compose", Compose)
