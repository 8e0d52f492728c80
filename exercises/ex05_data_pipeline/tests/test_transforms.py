"""ex05: transforms — Normalize (and from_data), Flatten, OneHot, Compose: exact on known
cases, float32, inputs untouched, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from core import data
from exercises.testing.checks import assert_values

X = np.array([[3.0, 2.0], [1.0, 10.0], [-1.0, 6.0]], dtype=np.float32)


@pytest.mark.parametrize(
    ("mean", "std"),
    [([1.0, 2.0], [2.0, 4.0]), (1.5, 0.5), (np.array([0.0, -2.0]), np.array([1.0, 8.0]))],
    ids=["lists", "scalars", "arrays"],
)
def test_normalize_subtracts_the_mean_and_divides_by_the_std(mean, std):
    got = data.Normalize(mean, std)(X)
    expected = (X.astype(np.float64) - np.asarray(mean, np.float64)) / np.asarray(std, np.float64)
    assert_values(
        f"Normalize({mean}, {std})(x) is wrong",
        expected,
        got,
        "(x - mean) / std; mean and std broadcast against x (one value per feature, or one)",
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_normalize_returns_float32(dtype):
    got = data.Normalize([1.0, 2.0], [2.0, 4.0])(X.astype(dtype))
    assert got.dtype == np.float32, (
        f"Normalize on {np.dtype(dtype)} input returned {got.dtype}; convert to float32 "
        "(mean and std as float32 arrays, the result .astype(np.float32))"
    )


def test_normalize_does_not_change_its_input():
    x = X.copy()
    data.Normalize([1.0, 2.0], [2.0, 4.0])(x)
    assert np.array_equal(x, X), "Normalize changed the array it was given; build a new one"


@pytest.mark.parametrize(
    ("mean", "std"), [([0.0, 0.0], [1.0, 0.0]), (0.0, 0.0)], ids=["one-feature", "scalar"]
)
def test_normalize_rejects_a_zero_std(mean, std):
    with pytest.raises(ValueError, match="std"):
        data.Normalize(mean, std)


def test_normalize_from_data_measures_mean_and_population_std_per_feature():
    x = np.array([[1.0, 2.0], [3.0, 6.0]], dtype=np.float32)  # mean [2, 4], std [1, 2]
    got = data.Normalize.from_data(x)(x)
    assert_values(
        "Normalize.from_data(x)(x) with x = [[1, 2], [3, 6]] is wrong",
        np.array([[-1.0, -1.0], [1.0, 1.0]]),
        got,
        "per feature (axis 0): mean [2, 4] and population std [1, 2] (ddof=0, NumPy's default)",
    )


def test_normalize_from_data_gives_zero_mean_unit_std_columns():
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(200, 3)).astype(np.float32)
    got = np.asarray(data.Normalize.from_data(x)(x), dtype=np.float64)
    stats = np.concatenate([got.mean(axis=0), got.std(axis=0)])
    assert_values(
        "Normalize.from_data(x)(x): column means then column stds",
        np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
        stats,
        "measure mean and std along axis 0 (each feature over the samples)",
        atol=1e-5,
    )


def test_normalize_from_data_takes_a_tuple_of_axes():
    images = np.random.default_rng(1).uniform(0, 16, size=(10, 4, 3)).astype(np.float32)
    x64 = images.astype(np.float64)
    expected = (x64 - x64.mean(axis=(0, 1))) / x64.std(axis=(0, 1))
    assert_values(
        "Normalize.from_data(images, axis=(0, 1))(images) is wrong",
        expected,
        data.Normalize.from_data(images, axis=(0, 1))(images),
        "reduce over every axis in the tuple: mean and std of shape (3,) here",
        atol=1e-4,
    )


def test_normalize_from_data_rejects_a_constant_feature():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]], dtype=np.float32)
    with pytest.raises(ValueError, match="std"):
        data.Normalize.from_data(x)


@pytest.mark.parametrize(
    ("shape", "flat"),
    [((2, 3, 4), (2, 12)), ((5, 8, 8), (5, 64)), ((3, 5), (3, 5)), ((2, 1, 2, 3), (2, 6))],
    ids=str,
)
def test_flatten_keeps_the_first_axis_and_joins_the_others(shape, flat):
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    assert_values(
        f"Flatten() of shape {shape} is wrong",
        x.reshape(flat),
        data.Flatten()(x),
        "(N, d1, d2, ...) -> (N, d1 * d2 * ...), each row one sample in C order",
    )


def test_one_hot_encodes_labels_as_rows_with_a_single_one():
    labels = np.array([2, 0, 3, 2])
    assert_values(
        "OneHot(4)([2, 0, 3, 2]) is wrong",
        np.eye(4)[labels],
        data.OneHot(4)(labels),
        "row i is zeros with a 1 at column labels[i]",
    )


def test_one_hot_returns_float32():
    got = data.OneHot(3)(np.array([0, 2, 1], dtype=np.int64))
    assert got.dtype == np.float32, f"OneHot returned {got.dtype}, expected float32"


@pytest.mark.parametrize("labels", [[0, 7, 1], [-2, 1]], ids=["7", "-2"])
def test_one_hot_rejects_a_label_out_of_range_and_names_it(labels):
    bad = next(label for label in labels if not 0 <= label < 3)
    with pytest.raises(ValueError) as error:
        data.OneHot(3)(np.array(labels))
    message = str(error.value)
    assert str(bad) in message and "3" in message, (
        f"OneHot(3)({labels}) raised {message!r}; name the bad label ({bad}) and the valid "
        "range [0, 3)"
    )


def test_one_hot_accepts_whole_number_float_labels():
    assert_values(
        "OneHot(3)(np.array([2.0, 0.0])) is wrong",
        np.eye(3)[[2, 0]],
        data.OneHot(3)(np.array([2.0, 0.0])),
        "float labels that are whole numbers are read as integers (2.0 -> class 2)",
    )


def test_one_hot_rejects_non_integer_labels():
    with pytest.raises(ValueError, match="integer"):
        data.OneHot(3)(np.array([0.5, 1.0]))


@pytest.mark.parametrize("num_classes", [0, -1])
def test_one_hot_rejects_fewer_than_one_class(num_classes):
    with pytest.raises(ValueError, match="num_classes"):
        data.OneHot(num_classes)


def test_compose_applies_the_transforms_in_order():
    x = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    got = data.Compose([data.Flatten(), data.Normalize(1.0, 2.0)])(x)
    assert_values(
        "Compose([Flatten(), Normalize(1, 2)])(x) is wrong",
        (x.reshape(2, 4) - 1.0) / 2.0,
        got,
        "apply transforms[0] first, then transforms[1] to its result",
    )


def test_compose_order_matters():
    x = np.array([1.0, 2.0], dtype=np.float32)
    got = data.Compose([lambda a: a + 1, lambda a: a * 10])(x)
    assert_values(
        "Compose([add 1, times 10])([1, 2]) is wrong",
        np.array([20.0, 30.0]),
        got,
        "(x + 1) * 10, not x * 10 + 1: the first transform in the list runs first",
    )


def test_compose_of_no_transforms_returns_the_input_unchanged():
    x = np.array([[1.0, -2.0]], dtype=np.float32)
    assert_values("Compose([])(x) is wrong", x, data.Compose([])(x), "no transforms: x itself")
