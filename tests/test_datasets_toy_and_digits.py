"""The toy 2-D and digits dataset plugins: shapes, dtypes, seeds, errors."""

from __future__ import annotations

import numpy as np
import pytest

from core import data

TOY = ["blobs", "moons", "circles"]


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_give_float32_points_and_binary_int64_labels(name):
    x, y = data.load_dataset(name, n=300, seed=0)
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((300, 2), np.float32, (300,), np.int64)
    assert set(np.unique(y).tolist()) == {0, 1}


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_are_reproducible_by_seed(name):
    first, second = data.load_dataset(name, n=50, seed=7), data.load_dataset(name, n=50, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


@pytest.mark.parametrize("name", TOY)
def test_another_seed_draws_other_points_of_the_same_shape(name):
    (x0, y0), (x1, y1) = (data.load_dataset(name, n=2000, seed=s) for s in (0, 1))
    assert not np.array_equal(x0, x1)
    for label in (0, 1):
        centre0, centre1 = x0[y0 == label].mean(axis=0), x1[y1 == label].mean(axis=0)
        assert np.allclose(centre0, centre1, atol=0.15), (
            f"{name}: class {label} moved from {centre0} to {centre1} between seeds"
        )


@pytest.mark.parametrize("name", TOY)
@pytest.mark.parametrize("n", [0, 1, 2.5])
def test_toy_sets_reject_a_bad_size(name, n):
    with pytest.raises(ValueError, match="n must be"):
        data.load_dataset(name, n=n)


def test_digits_are_8x8_float32_images_with_labels_0_to_9():
    images, labels = data.load_dataset("digits")
    assert (images.shape, images.dtype, labels.shape, labels.dtype) == (
        (1797, 8, 8),
        np.float32,
        (1797,),
        np.int64,
    )
    assert images.min() == 0 and images.max() == 16
    assert set(np.unique(labels).tolist()) == set(range(10))
