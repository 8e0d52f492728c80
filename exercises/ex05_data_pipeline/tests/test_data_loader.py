"""ex05: DataLoader — batch shapes, every sample once per epoch, seeds, one dataset call per
batch, dtypes, and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, data
from core import random as gk_random
from exercises.ex05_data_pipeline.tests.helpers import (
    epoch_order,
    numbered_arrays,
    numbered_dataset,
)

SIZES = {"n": st.integers(1, 40), "batch_size": st.integers(1, 12)}


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "sizes"),
    [
        (10, 4, False, [4, 4, 2]),
        (10, 4, True, [4, 4]),
        (8, 4, False, [4, 4]),
        (8, 4, True, [4, 4]),
        (3, 5, False, [3]),
        (5, 1, False, [1, 1, 1, 1, 1]),
    ],
)
def test_batches_have_batch_size_rows_and_the_last_may_be_partial(n, batch_size, drop_last, sizes):
    loader = data.DataLoader(numbered_dataset(n), batch_size=batch_size, drop_last=drop_last)
    shapes = [(tuple(x.shape), tuple(y.shape)) for x, y in loader]
    expected = [((size, 3), (size,)) for size in sizes]
    assert shapes == expected, (
        f"N={n}, batch_size={batch_size}, drop_last={drop_last}: batch shapes (features, labels) "
        f"{shapes}, expected {expected}"
    )


def test_batches_keep_the_shape_of_each_sample():
    images = np.zeros((7, 2, 4, 4), dtype=np.float32)
    loader = data.DataLoader(data.ArrayDataset(images, np.zeros(7, np.int64)), batch_size=3)
    shapes = [tuple(x.shape) for x, _ in loader]
    assert shapes == [(3, 2, 4, 4), (3, 2, 4, 4), (1, 2, 4, 4)], (
        f"images (7, 2, 4, 4) in batches of 3 gave {shapes}; only the first axis is batched"
    )


@given(**SIZES, drop_last=st.booleans())
def test_len_is_the_number_of_batches(n, batch_size, drop_last):
    loader = data.DataLoader(numbered_dataset(n), batch_size=batch_size, drop_last=drop_last)
    expected = n // batch_size if drop_last else math.ceil(n / batch_size)
    assert len(loader) == expected == len(list(loader)), (
        f"N={n}, batch_size={batch_size}, drop_last={drop_last}: len(loader) is {len(loader)}, "
        f"the epoch had {len(list(loader))} batches, expected {expected}"
    )


@given(**SIZES, shuffle=st.booleans())
def test_without_drop_last_an_epoch_holds_every_sample_exactly_once(n, batch_size, shuffle):
    loader = data.DataLoader(numbered_dataset(n), batch_size=batch_size, shuffle=shuffle, seed=0)
    seen = sorted(epoch_order(loader).tolist())
    assert seen == list(range(n)), (
        f"N={n}, batch_size={batch_size}, shuffle={shuffle}: the epoch's sample indices, sorted, "
        f"are {seen}; expected 0..{n - 1} once each"
    )


@given(**SIZES, shuffle=st.booleans())
def test_with_drop_last_an_epoch_holds_distinct_samples_in_full_batches(n, batch_size, shuffle):
    loader = data.DataLoader(
        numbered_dataset(n), batch_size=batch_size, shuffle=shuffle, drop_last=True, seed=0
    )
    seen = epoch_order(loader).tolist()
    kept = n - n % batch_size
    assert len(seen) == len(set(seen)) == kept and set(seen) <= set(range(n)), (
        f"N={n}, batch_size={batch_size}, shuffle={shuffle}, drop_last=True: the epoch gave "
        f"{seen}; expected {kept} distinct samples (the {n % batch_size} left over dropped)"
    )


def test_without_shuffle_samples_come_in_order():
    order = epoch_order(data.DataLoader(numbered_dataset(7), batch_size=3))
    assert np.array_equal(order, np.arange(7)), f"the unshuffled order was {order}"


def test_shuffled_batches_keep_each_features_row_with_its_label():
    loader = data.DataLoader(numbered_dataset(20), batch_size=6, shuffle=True, seed=0)
    for x, y in loader:
        expected = 3 * np.asarray(y.data, dtype=np.float64)
        assert np.array_equal(np.asarray(x.data)[:, 0], expected), (
            f"a batch has labels {y.data} but features starting {x.data[:, 0]}; index every "
            "array with the same index array"
        )


def test_the_same_seed_gives_the_same_order_in_every_epoch():
    loaders = [
        data.DataLoader(numbered_dataset(30), batch_size=8, shuffle=True, seed=3) for _ in range(2)
    ]
    first, second = ([epoch_order(loader) for _ in range(3)] for loader in loaders)
    assert all(np.array_equal(a, b) for a, b in zip(first, second)), (
        "two loaders with seed=3 must give the same order in epoch 1, 2 and 3; got\n"
        f"{first}\n{second}"
    )


def test_successive_epochs_are_shuffled_differently():
    loader = data.DataLoader(numbered_dataset(50), batch_size=50, shuffle=True, seed=0)
    first, second = epoch_order(loader), epoch_order(loader)
    assert not np.array_equal(first, second), (
        "two epochs of one shuffling loader gave the same order: keep one generator for the "
        "loader's life and let it advance; do not re-seed it every epoch"
    )


def test_different_seeds_give_different_orders():
    first, second = (
        epoch_order(data.DataLoader(numbered_dataset(50), 8, shuffle=True, seed=s)) for s in (1, 2)
    )
    assert not np.array_equal(first, second), f"seeds 1 and 2 both gave the order {first}"


def test_without_a_seed_the_shared_generator_makes_the_order_reproducible():
    orders = []
    for _ in range(2):
        gk_random.manual_seed(11)
        orders.append(epoch_order(data.DataLoader(numbered_dataset(40), 8, shuffle=True)))
    assert np.array_equal(*orders) and not np.array_equal(orders[0], np.arange(40)), (
        "with seed=None, shuffle with core.random.generator(), so that core.random."
        f"manual_seed(11) fixes the order; two runs gave {orders[0]} and {orders[1]}"
    )


def counting_dataset(*arrays):
    """An ArrayDataset that counts the calls to __getitem__ (made when a test runs, so that
    collecting the suite runs none of the student's code)."""

    class CountingDataset(data.ArrayDataset):
        def __getitem__(self, index):
            self.calls = getattr(self, "calls", 0) + 1
            return super().__getitem__(index)

    return CountingDataset(*arrays)


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "shuffle"),
    [(100, 10, False, True), (23, 5, False, False), (23, 5, True, True)],
)
def test_each_batch_is_fetched_with_exactly_one_dataset_call(n, batch_size, drop_last, shuffle):
    dataset = counting_dataset(*numbered_arrays(n))
    loader = data.DataLoader(
        dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, seed=0
    )
    batches = len(list(loader))
    calls = getattr(dataset, "calls", 0)
    assert calls == batches and batches > 0, (
        f"{calls} calls of dataset[...] for {batches} batches: index the dataset once per "
        "batch with an index array (dataset[order[start:stop]]), not once per sample"
    )


def test_batches_are_tuples_of_tensors_one_per_array():
    x, y = numbered_arrays(6)
    dataset = data.ArrayDataset(x, y, y * 2)
    batch = next(iter(data.DataLoader(dataset, batch_size=4)))
    kinds = [type(t).__name__ for t in batch]
    assert isinstance(batch, tuple) and kinds == ["Tensor"] * 3, (
        f"a batch of ArrayDataset(x, y, z) was {type(batch).__name__} of {kinds}; "
        "expected a tuple of 3 Tensors"
    )


@pytest.mark.parametrize(
    ("features", "labels"),
    [(np.float32, np.int64), (np.float64, np.int64), (np.float32, np.float32)],
    ids=["float32-int64", "float64-int64", "float32-float32"],
)
def test_batches_keep_the_dtype_of_each_array(features, labels):
    x, y = numbered_arrays(6)
    loader = data.DataLoader(data.ArrayDataset(x.astype(features), y.astype(labels)), 4)
    got = [(t.dtype, type(t)) for batch in loader for t in batch]
    expected = [(np.dtype(features), Tensor), (np.dtype(labels), Tensor)] * 2
    assert got == expected, (
        f"features {np.dtype(features)} and labels {np.dtype(labels)} gave batches {got}; "
        "wrap each array as Tensor(a, dtype=a.dtype): a plain Tensor(a) turns int64 labels "
        "into float32"
    )


def test_the_datasets_transform_is_applied_to_every_batch():
    images = np.arange(5 * 2 * 2, dtype=np.float32).reshape(5, 2, 2)
    dataset = data.ArrayDataset(images, np.arange(5), transform=data.Flatten())
    got = [np.asarray(x.data) for x, _ in data.DataLoader(dataset, batch_size=2)]
    expected = [images[:2].reshape(2, 4), images[2:4].reshape(2, 4), images[4:].reshape(1, 4)]
    assert len(got) == 3 and all(np.array_equal(g, e) for g, e in zip(got, expected)), (
        f"ArrayDataset(images (5, 2, 2), y, transform=Flatten()) in batches of 2 gave {got}"
    )


def test_an_empty_dataset_is_rejected():
    empty = data.ArrayDataset(np.zeros((0, 2), np.float32), np.zeros(0, np.int64))
    with pytest.raises(ValueError, match="empty"):
        data.DataLoader(empty, batch_size=4)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5])
def test_a_batch_size_that_is_not_a_positive_integer_is_rejected(batch_size):
    with pytest.raises(ValueError, match="batch_size") as error:
        data.DataLoader(numbered_dataset(4), batch_size=batch_size)
    assert str(batch_size) in str(error.value), (
        f"the ValueError says {str(error.value)!r}; it should show the batch_size it got "
        f"({batch_size})"
    )


class ListSampler:
    """A sampler as PyTorch's DataLoader takes one: ``len`` and a fresh ``iter`` each epoch.
    Epoch k yields ``epochs[k]`` (the last one again after that)."""

    def __init__(self, *epochs: list[int]) -> None:
        self.epochs, self.started = epochs, 0

    def __len__(self) -> int:
        return len(self.epochs[0])

    def __iter__(self):
        epoch = self.epochs[min(self.started, len(self.epochs) - 1)]
        self.started += 1
        return iter(epoch)


def test_a_sampler_decides_the_epochs_order_repeats_included():
    indices = [4, 4, 0, 2, 9, 1]
    order = epoch_order(data.DataLoader(numbered_dataset(10), 4, sampler=ListSampler(indices)))
    assert order.tolist() == indices, (
        f"with sampler yielding {indices}, the epoch gave the samples {order.tolist()}; batch k "
        "is dataset[order[k*B:(k+1)*B]] with order = the sampler's indices"
    )


def test_the_sampler_is_iterated_anew_every_epoch():
    sampler = ListSampler([0, 1, 2], [2, 2, 1])
    loader = data.DataLoader(numbered_dataset(5), batch_size=2, sampler=sampler)
    epochs = [epoch_order(loader).tolist() for _ in range(2)]
    assert epochs == [[0, 1, 2], [2, 2, 1]], (
        f"two epochs gave {epochs}; iterate the sampler at the start of each epoch, in "
        "__iter__, so that a random sampler draws new indices every time"
    )


@pytest.mark.parametrize(("drop_last", "expected"), [(False, 7), (True, 6)])
def test_len_counts_the_samplers_indices_not_the_dataset(drop_last, expected):
    sampler = ListSampler(list(range(10)) * 2 + [0, 1, 2, 3, 4])
    loader = data.DataLoader(numbered_dataset(10), 4, drop_last=drop_last, sampler=sampler)
    assert len(loader) == expected == len(list(loader)), (
        f"a sampler of 25 indices over 10 samples, batch_size=4, drop_last={drop_last}: "
        f"len(loader) is {len(loader)}, expected {expected} (N is len(sampler))"
    )


def test_a_sampler_with_shuffle_is_rejected():
    with pytest.raises(ValueError, match="shuffle"):
        data.DataLoader(numbered_dataset(4), 2, shuffle=True, sampler=ListSampler([0, 1]))


def test_a_sampler_index_outside_the_dataset_is_rejected_with_the_index():
    loader = data.DataLoader(numbered_dataset(4), 2, sampler=ListSampler([0, 7]))
    with pytest.raises(ValueError, match="DataLoader") as error:
        list(loader)
    assert "7" in str(error.value), f"the message {str(error.value)!r} should name index 7"
