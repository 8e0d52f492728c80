"""ex05: ArrayDataset and DataLoader — shapes, coverage, seeds, vectorised batching, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, data


def _dataset(n: int, transform=None) -> data.ArrayDataset:
    features = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    labels = np.arange(n, dtype=np.int64)
    return data.ArrayDataset(features, labels, transform=transform)


def _epoch_labels(loader) -> list[np.ndarray]:
    return [labels.data.copy() for _, labels in loader]


def test_array_dataset_length_and_int_indexing():
    dataset = _dataset(5)
    x, y = dataset[3]
    assert len(dataset) == 5, f"len(ArrayDataset) is {len(dataset)}, expected 5"
    assert np.array_equal(x, [9.0, 10.0, 11.0]) and y == 3, f"ds[3] gave {(x, y)}"


def test_array_dataset_indexes_every_array_with_one_index_array():
    x, y = _dataset(6)[np.array([5, 0, 5])]
    assert x.shape == (3, 3) and np.array_equal(y, [5, 0, 5]), (
        f"ds[[5, 0, 5]] gave shapes {x.shape}, {y.shape} and labels {y}"
    )


def test_array_dataset_applies_its_transform_to_the_features():
    x, y = _dataset(4, transform=lambda a: a * 2)[np.array([1])]
    assert np.array_equal(x, [[6.0, 8.0, 10.0]]) and np.array_equal(y, [1]), (
        "the transform must map the features (first array) of the selection, not the labels"
    )


def test_array_dataset_rejects_arrays_of_different_lengths():
    with pytest.raises(ValueError, match=r"\(4, 2\)[\s\S]*\(3,\)"):
        data.ArrayDataset(np.zeros((4, 2)), np.zeros(3))


@given(
    n=st.integers(1, 40),
    batch_size=st.integers(1, 12),
    drop_last=st.booleans(),
    shuffle=st.booleans(),
)
def test_each_epoch_visits_every_sample_exactly_once(n, batch_size, drop_last, shuffle):
    loader = data.DataLoader(
        _dataset(n), batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, seed=0
    )
    batches = _epoch_labels(loader)
    seen = np.concatenate(batches) if batches else np.array([], dtype=np.int64)
    kept = n - n % batch_size if drop_last else n
    assert len(batches) == len(loader), f"len(loader) is {len(loader)}, {len(batches)} batches came"
    assert len(seen) == kept and len(set(seen.tolist())) == kept, (
        f"n={n}, batch_size={batch_size}, drop_last={drop_last}: one epoch must hold {kept} "
        f"distinct samples, got {len(seen)} ({len(set(seen.tolist()))} distinct)"
    )
    if not drop_last or not shuffle:
        assert set(seen.tolist()) == set(range(kept)), f"one epoch gave {sorted(seen.tolist())}"


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "sizes"),
    [(10, 4, False, [4, 4, 2]), (10, 4, True, [4, 4]), (8, 4, False, [4, 4]), (3, 5, False, [3])],
)
def test_batch_sizes_and_the_last_partial_batch(n, batch_size, drop_last, sizes):
    loader = data.DataLoader(_dataset(n), batch_size=batch_size, drop_last=drop_last)
    got = [len(labels.data) for _, labels in loader]
    assert got == sizes and len(loader) == len(sizes), (
        f"N={n}, batch_size={batch_size}, drop_last={drop_last}: batch sizes {got} "
        f"(len(loader)={len(loader)}), expected {sizes}"
    )


def test_without_shuffle_batches_come_in_order():
    labels = np.concatenate(_epoch_labels(data.DataLoader(_dataset(7), batch_size=3)))
    assert np.array_equal(labels, np.arange(7)), f"unshuffled order was {labels}"


def test_batches_are_tensors_that_keep_float32_features_and_int64_labels():
    x, y = next(iter(data.DataLoader(_dataset(6), batch_size=4)))
    assert isinstance(x, Tensor) and isinstance(y, Tensor), "a batch is a tuple of Tensors"
    assert (x.shape, x.dtype, y.dtype) == ((4, 3), np.float32, np.int64), (
        f"batch features {x.shape} {x.dtype}, labels {y.dtype}; expected (4, 3) float32, int64"
    )


def test_the_same_seed_gives_the_same_order():
    first = _epoch_labels(data.DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=3))
    second = _epoch_labels(data.DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=3))
    assert all(np.array_equal(a, b) for a, b in zip(first, second)), (
        "two loaders with seed=3 must shuffle identically"
    )


def test_different_seeds_give_different_orders():
    first = np.concatenate(_epoch_labels(data.DataLoader(_dataset(50), 8, shuffle=True, seed=1)))
    second = np.concatenate(_epoch_labels(data.DataLoader(_dataset(50), 8, shuffle=True, seed=2)))
    assert not np.array_equal(first, second), "seeds 1 and 2 gave the same order"


def test_each_epoch_is_shuffled_anew():
    loader = data.DataLoader(_dataset(50), batch_size=50, shuffle=True, seed=0)
    first, second = (np.concatenate(_epoch_labels(loader)) for _ in range(2))
    assert not np.array_equal(first, second), (
        "two epochs of one shuffling loader gave the same order: keep one generator and let it "
        "advance, do not re-seed every epoch"
    )


def test_shuffle_is_a_permutation_not_sampling_with_replacement():
    labels = np.concatenate(_epoch_labels(data.DataLoader(_dataset(30), 7, shuffle=True, seed=5)))
    assert sorted(labels.tolist()) == list(range(30)), f"a shuffled epoch gave {sorted(labels)}"


class CountingDataset(data.ArrayDataset):
    """Counts calls to __getitem__ to prove batching is vectorised."""

    calls = 0

    def __getitem__(self, index):
        CountingDataset.calls += 1
        return super().__getitem__(index)


def test_each_batch_is_fetched_with_one_dataset_call():
    CountingDataset.calls = 0
    dataset = CountingDataset(np.zeros((100, 2), np.float32), np.zeros(100, np.int64))
    batches = list(data.DataLoader(dataset, batch_size=10, shuffle=True, seed=0))
    assert CountingDataset.calls == len(batches) == 10, (
        f"{CountingDataset.calls} dataset calls for {len(batches)} batches: index the dataset "
        "once per batch with an index array, not once per sample"
    )


def test_an_empty_dataset_is_rejected():
    empty = data.ArrayDataset(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="empty"):
        data.DataLoader(empty, batch_size=4)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5])
def test_a_bad_batch_size_is_rejected(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(_dataset(4), batch_size=batch_size)
