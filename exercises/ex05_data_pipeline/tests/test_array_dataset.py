"""ex05: ArrayDataset — length, int and index-array indexing, the transform, bad arrays."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import data
from exercises.ex05_data_pipeline.tests.helpers import numbered_arrays, numbered_dataset


@given(n=st.integers(1, 50))
def test_length_is_the_number_of_samples(n):
    got = len(numbered_dataset(n))
    assert got == n, f"len(ArrayDataset(x, y)) with x: ({n}, 3) is {got}, expected {n}"


@pytest.mark.parametrize("index", [0, 3, -1])
def test_an_int_index_gives_one_sample_of_every_array(index):
    x, y = numbered_arrays(5)
    got = numbered_dataset(5)[index]
    expected = (x[index], y[index])
    assert (
        isinstance(got, tuple)
        and len(got) == 2
        and np.array_equal(got[0], expected[0])
        and got[1] == expected[1]
    ), f"ds[{index}] gave {got!r}; expected the tuple (x[{index}], y[{index}]) = {expected}"


@pytest.mark.parametrize("index", [[4, 0, 4], [2], [1, 2, 3, 0]], ids=str)
def test_an_index_array_selects_the_same_rows_of_every_array(index):
    x, y = numbered_arrays(6)
    extra = np.arange(6, dtype=np.int64) * 10
    got = data.ArrayDataset(x, y, extra)[np.array(index)]
    expected = (x[index], y[index], extra[index])
    assert len(got) == 3 and all(np.array_equal(g, e) for g, e in zip(got, expected)), (
        f"ds[np.array({index})] on ArrayDataset(x, y, extra) gave {got!r}; expected "
        f"{expected!r} (index every array with the whole index array, repeats included)"
    )


@pytest.mark.parametrize("index", [np.array([3, 1]), 2], ids=["index-array", "int"])
def test_the_transform_maps_the_features_and_leaves_the_labels(index):
    x, y = numbered_arrays(4)
    got_x, got_y = numbered_dataset(4, transform=lambda features: features * 2 + 1)[index]
    assert np.array_equal(got_x, x[index] * 2 + 1) and np.array_equal(got_y, y[index]), (
        f"with transform=lambda f: f * 2 + 1, ds[{index!r}] gave features {got_x} and labels "
        f"{got_y}; the transform applies to the first array's selection only"
    )


@pytest.mark.parametrize(
    "arrays",
    [
        (np.zeros((4, 2)), np.zeros(3)),
        (np.zeros((5, 2)), np.zeros(5), np.zeros((6, 1))),
        (np.zeros((3, 2)), np.float32(1.0)),
    ],
    ids=["(4,2)-(3,)", "third-array-longer", "0-d-array"],
)
def test_arrays_of_different_lengths_are_rejected_with_their_shapes(arrays):
    with pytest.raises(ValueError) as error:
        data.ArrayDataset(*arrays)
    message = str(error.value)
    shapes = [str(np.shape(a)) for a in arrays]
    assert "ArrayDataset" in message and all(s in message for s in shapes), (
        f"the ValueError says {message!r}; it should name ArrayDataset and every shape {shapes}"
    )


def test_no_arrays_at_all_is_rejected():
    with pytest.raises(ValueError, match="ArrayDataset"):
        data.ArrayDataset()
