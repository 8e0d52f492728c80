"""ex12: data.shift and data.rotate — exact results on known images: a lit pixel moves by the
offset, whole-pixel shifts equal a NumPy oracle on random sizes, a half-pixel shift splits a
pixel in two, rotation by 0° is the identity, by ±90° is np.rot90 and by 180° flips both axes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import data
from exercises.ex12_augmentation.tests.batches import numpy_shift, random_batch

SHIFT_HINT = (
    "out[n, r, c] = image[n, r - dy, c - dx] with (dy, dx) = offsets[n]: dy moves rows (down), "
    "dx moves columns (right); 0 fills what comes in from outside"
)
ROTATE_HINT = (
    "source row = cy + cos θ·(r - cy) + sin θ·(c - cx), source column = cx + cos θ·(c - cx) - "
    "sin θ·(r - cy), with (cy, cx) = ((H - 1) / 2, (W - 1) / 2); positive θ turns the image "
    "counter-clockwise as displayed, like np.rot90"
)


def lit(row: int, column: int, shape=(5, 5)) -> np.ndarray:
    """One image (1, H, W) float32, 1 at (row, column) and 0 elsewhere."""
    image = np.zeros((1, *shape), np.float32)
    image[0, row, column] = 1
    return image


@pytest.mark.parametrize(
    ("offset", "moved_to"),
    [
        pytest.param((1, 0), (3, 2), id="one-row-down"),
        pytest.param((-1, 0), (1, 2), id="one-row-up"),
        pytest.param((0, 1), (2, 3), id="one-column-right"),
        pytest.param((2, -2), (4, 0), id="two-down-two-left"),
    ],
)
def test_shift_moves_a_lit_pixel_by_the_offset(offset, moved_to):
    got = data.shift(lit(2, 2), np.array([offset]), (5, 5))
    expected = lit(*moved_to)
    assert np.array_equal(got, expected), (
        f"shift of a pixel lit at (2, 2) by {offset} should light exactly {moved_to}; lit "
        f"{[tuple(p) for p in np.argwhere(got[0] > 0)]}. {SHIFT_HINT}"
    )


def test_shift_out_of_the_image_leaves_zeros():
    got = data.shift(lit(4, 4), np.array([[1, 0]]), (5, 5))
    assert np.array_equal(got, np.zeros_like(got)), (
        f"a pixel on the last row shifted down leaves the image: expected all zeros, got "
        f"{got[0]}; fill with 0 (cval=0), do not wrap around like np.roll"
    )


@settings(max_examples=25, deadline=None)
@given(
    height=st.integers(2, 9),
    width=st.integers(2, 9),
    count=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_whole_pixel_shifts_match_numpy_on_random_sizes(height, width, count, seed):
    images = random_batch(count, (height, width), seed, flat=False)
    offsets = np.random.default_rng(seed).integers(-2, 3, (count, 2))
    got = data.shift(images, offsets, (height, width))
    for n in range(count):
        expected = numpy_shift(images[n], *offsets[n])
        np.testing.assert_allclose(
            got[n],
            expected,
            atol=1e-6,
            err_msg=f"image {n} of {count} ({height}x{width}) shifted by {offsets[n]}: "
            f"{SHIFT_HINT}; each image uses its own row of offsets",
        )


def test_a_half_pixel_shift_splits_a_pixel_over_two_rows():
    got = data.shift(lit(2, 2), np.array([[0.5, 0.0]]), (5, 5))[0]
    expected = np.zeros((5, 5), np.float32)
    expected[2, 2] = expected[3, 2] = 0.5
    np.testing.assert_allclose(
        got,
        expected,
        atol=1e-6,
        err_msg="a shift by half a row should share the pixel equally between rows 2 and 3 "
        "(bilinear interpolation: map_coordinates with order=1)",
    )


@pytest.mark.parametrize("flat", [True, False], ids=["flat-rows", "images"])
def test_rotation_by_0_degrees_is_the_identity(flat):
    images = random_batch(6, seed=1, flat=flat)
    got = data.rotate(images, np.zeros(6), (8, 8))
    np.testing.assert_allclose(
        got,
        images,
        atol=1e-6,
        err_msg=f"rotate by 0° must return the batch as it was. {ROTATE_HINT}",
    )


@pytest.mark.parametrize(
    ("degrees", "turns"),
    [pytest.param(90.0, 1, id="90"), pytest.param(-90.0, -1, id="minus-90")],
)
def test_rotation_by_90_degrees_equals_rot90(degrees, turns):
    images = random_batch(5, seed=2, flat=False)
    got = data.rotate(images, np.full(5, degrees), (8, 8))
    expected = np.rot90(images, k=turns, axes=(1, 2))
    np.testing.assert_allclose(
        got,
        expected,
        atol=1e-5,
        err_msg=f"rotate by {degrees}° should equal np.rot90(image, k={turns}) on square images. "
        f"{ROTATE_HINT}",
    )


def test_rotation_by_180_degrees_flips_a_wide_image_both_ways():
    images = random_batch(3, (5, 8), seed=3, flat=False)
    got = data.rotate(images, np.full(3, 180.0), (5, 8))
    np.testing.assert_allclose(
        got,
        images[:, ::-1, ::-1],
        atol=1e-5,
        err_msg="rotate by 180° about the centre ((H - 1) / 2, (W - 1) / 2) flips rows and "
        "columns, also when H != W",
    )


def test_each_image_of_a_batch_gets_its_own_angle():
    images = random_batch(3, seed=4, flat=False)
    got = data.rotate(images, np.array([0.0, 90.0, 180.0]), (8, 8))
    for n, turns in enumerate((0, 1, 2)):
        np.testing.assert_allclose(
            got[n],
            np.rot90(images[n], k=turns),
            atol=1e-5,
            err_msg=f"image {n} was to turn by {90 * turns}°: degrees[n] belongs to image n",
        )


@pytest.mark.parametrize("function", ["shift", "rotate"])
def test_geometry_keeps_float32_flat_rows_and_the_value_range(function):
    images = random_batch(7, seed=5)
    parameters = (
        np.random.default_rng(0).uniform(-1.5, 1.5, (7, 2))
        if function == "shift"
        else np.random.default_rng(0).uniform(-45, 45, 7)
    )
    got = getattr(data, function)(images, parameters, (8, 8))
    assert got.shape == images.shape and got.dtype == np.float32, (
        f"{function} of (7, 64) float32 rows returned {got.shape} {got.dtype}; reshape back to "
        f"the input's shape and resample with output=images.dtype"
    )
    assert got.min() >= 0 and got.max() <= 1, (
        f"{function} gave values in [{got.min()}, {got.max()}]; clip to [0, 1]"
    )
