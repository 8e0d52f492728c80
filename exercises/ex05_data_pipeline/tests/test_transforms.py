"""ex05: transforms — exact on known cases, float32, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from core import data
from exercises.testing.checks import assert_values


def test_normalize_subtracts_mean_and_divides_by_std():
    x = np.array([[3.0, 2.0], [1.0, 10.0]], np.float32)
    got = data.Normalize([1.0, 2.0], [2.0, 4.0])(x)
    assert_values(
        "Normalize is wrong",
        None,
        (x - [1.0, 2.0]) / [2.0, 4.0],
        got,
        "(x - mean) / std, mean and std broadcast over the rows",
    )
    assert got.dtype == np.float32, f"Normalize returned {got.dtype}, expected float32"


def test_normalize_from_data_gives_zero_mean_unit_std_columns():
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(200, 3)).astype(np.float32)
    got = data.Normalize.from_data(x)(x).astype(np.float64)
    assert_values(
        "Normalize.from_data(x)(x) column means",
        None,
        np.zeros(3),
        got.mean(axis=0),
        "measure mean and std along axis 0",
        atol=1e-5,
    )
    assert_values(
        "Normalize.from_data(x)(x) column stds",
        None,
        np.ones(3),
        got.std(axis=0),
        "the population std (NumPy's default, ddof=0)",
        atol=1e-5,
    )


def test_normalize_rejects_a_zero_std():
    with pytest.raises(ValueError, match="std"):
        data.Normalize([0.0, 0.0], [1.0, 0.0])


def test_flatten_keeps_the_batch_axis():
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    assert_values(
        "Flatten is wrong",
        None,
        x.reshape(2, 12),
        data.Flatten()(x),
        "(N, d1, d2) -> (N, d1 * d2), rows in C order",
    )


def test_one_hot_encodes_labels_as_float32_rows():
    got = data.OneHot(4)(np.array([2, 0, 3, 2]))
    assert_values(
        "OneHot(4) is wrong",
        None,
        np.eye(4)[[2, 0, 3, 2]],
        got,
        "row i has a single 1 at column labels[i]",
    )
    assert got.dtype == np.float32, f"OneHot returned {got.dtype}, expected float32"


@pytest.mark.parametrize("labels", [np.array([0, 4]), np.array([-1, 2])], ids=["4", "-1"])
def test_one_hot_rejects_a_label_out_of_range_and_names_it(labels):
    bad = labels[(labels < 0) | (labels >= 4)][0]
    with pytest.raises(ValueError, match=str(bad)):
        data.OneHot(4)(labels)


def test_one_hot_rejects_non_integer_labels():
    with pytest.raises(ValueError, match="integer"):
        data.OneHot(3)(np.array([0.5, 1.0]))


def test_compose_applies_transforms_in_order():
    x = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    got = data.Compose([data.Flatten(), data.Normalize(1.0, 2.0)])(x)
    assert_values(
        "Compose([Flatten(), Normalize(1, 2)]) is wrong",
        None,
        (x.reshape(2, 4) - 1.0) / 2.0,
        got,
        "apply the first transform first",
    )
