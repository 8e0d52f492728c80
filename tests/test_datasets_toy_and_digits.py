"""The toy 2-D and digits dataset plugins: shapes, dtypes, seeds, errors."""

from __future__ import annotations

import numpy as np
import pytest

from core import data

TOY = ["blobs", "moons", "circles"]


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_give_float32_points_and_binary_int64_labels(name):
    x, y = data.load_dataset(name, n=300, seed=0)
    got = (x.shape, x.dtype, y.shape, y.dtype, sorted(np.unique(y).tolist()))
    assert got == ((300, 2), np.float32, (300,), np.int64, [0, 1]), (
        f"{name}: (x shape, x dtype, y shape, y dtype, classes) = {got}"
    )


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_are_reproducible_by_seed(name):
    first, second = data.load_dataset(name, n=50, seed=7), data.load_dataset(name, n=50, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second)), (
        f"{name}: two loads with seed=7 differ"
    )


@pytest.mark.parametrize("name", TOY)
def test_another_seed_draws_other_points_of_the_same_shape(name):
    (x0, y0), (x1, y1) = (data.load_dataset(name, n=2000, seed=s) for s in (0, 1))
    assert x0.shape == x1.shape == (2000, 2) and y0.shape == y1.shape == (2000,)
    assert not np.array_equal(x0, x1), f"{name}: seeds 0 and 1 gave the same points"
    for label in (0, 1):
        centre0, centre1 = x0[y0 == label].mean(axis=0), x1[y1 == label].mean(axis=0)
        assert np.allclose(centre0, centre1, atol=0.15), (
            f"{name}: class {label} moved from {centre0} to {centre1} between seeds"
        )


def test_blobs_centres_are_fixed_whatever_the_seed():
    for seed in (0, 1, 2):
        x, y = data.load_dataset("blobs", n=4000, seed=seed)
        centres = np.stack([x[y == label].mean(axis=0) for label in (0, 1)])
        assert np.allclose(centres, [[-1.5, -1.5], [1.5, 1.5]], atol=0.1), (
            f"blobs with seed {seed}: class centres {centres.tolist()}, expected "
            "(-1.5, -1.5) for class 0 and (1.5, 1.5) for class 1"
        )


@pytest.mark.parametrize("noise", [0.3, 1.0])
def test_blobs_noise_is_the_spread_around_each_centre(noise):
    x, y = data.load_dataset("blobs", n=4000, seed=0, noise=noise)
    spread = np.concatenate([x[y == label] - x[y == label].mean(axis=0) for label in (0, 1)])
    assert abs(spread.std() - noise) < 0.05 * noise, (
        f"blobs with noise={noise}: spread around the centres {spread.std():.3f}"
    )


def test_circles_without_noise_lie_on_radius_1_for_class_0_and_0_5_for_class_1():
    x, y = data.load_dataset("circles", n=200, seed=0, noise=0.0)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert np.allclose(radius, np.where(y == 0, 1.0, 0.5), atol=1e-6), (
        f"circles radii by class: {sorted(set(np.round(radius, 3)))[:6]}...; expected the "
        "outer circle (class 0) at 1 and the inner one (class 1) at factor 0.5"
    )


def test_moons_without_noise_lie_on_unit_half_circles():
    x, y = data.load_dataset("moons", n=200, seed=0, noise=0.0)
    centres = np.where(y[:, None] == 0, (0.0, 0.0), (1.0, 0.5))  # scikit-learn's two moons
    distance = np.hypot(*(x - centres).T)
    assert np.allclose(distance, 1.0, atol=1e-6), (
        f"moons with noise=0: distances to the class centres in "
        f"[{distance.min():.3f}, {distance.max():.3f}], expected 1"
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
    assert np.array_equal(images, np.round(images)), "digits pixels are the integers 0..16"
    assert set(np.unique(labels).tolist()) == set(range(10))
