"""ex12: the random transforms — the batch's shape, dtype and value range kept and the input
left as it was, the same batch from the same seed and another from another seed, independent
draws for the images of one batch, and what each transform draws: whole-pixel or sub-pixel
shifts, angles in the range, noise of the given std, one erased rectangle."""

from __future__ import annotations

import numpy as np
import pytest

from core import data
from exercises.ex12_augmentation.tests.batches import (
    SHAPE,
    TRANSFORM_PARAMS,
    copies,
    numpy_shift,
    random_batch,
)


@pytest.mark.parametrize("flat", [True, False], ids=["flat-rows", "images"])
@pytest.mark.parametrize("build", TRANSFORM_PARAMS)
def test_transform_keeps_shape_dtype_and_value_range(build, flat):
    batch = random_batch(flat=flat)
    got = build(0)(batch)
    assert isinstance(got, np.ndarray) and got.shape == batch.shape, (
        f"a transform must return an array of the batch's shape {batch.shape}; got "
        f"{getattr(got, 'shape', type(got))}"
    )
    assert got.dtype == np.float32, f"float32 in, {got.dtype} out: cast back to batch.dtype"
    assert got.min() >= 0 and got.max() <= 1, (
        f"values in [{got.min():.3f}, {got.max():.3f}]; clip the result to [0, 1]"
    )


@pytest.mark.parametrize("build", TRANSFORM_PARAMS)
def test_transform_leaves_its_input_unchanged(build):
    batch = random_batch()
    before = batch.copy()
    build(0)(batch)
    assert np.array_equal(batch, before), (
        "the transform changed the array it was given: work on a copy (the dataset's training "
        "images would otherwise drift a little more every epoch)"
    )


@pytest.mark.parametrize("build", TRANSFORM_PARAMS)
def test_same_seed_gives_the_same_batch(build):
    batch = random_batch()
    first, second = build(3)(batch), build(3)(batch)
    assert np.array_equal(first, second), (
        "two transforms built with seed=3 gave different batches: draw every random number "
        "from self.rng = np.random.default_rng(seed)"
    )


@pytest.mark.parametrize("build", TRANSFORM_PARAMS)
def test_another_seed_gives_another_batch(build):
    batch = random_batch()
    assert not np.array_equal(build(3)(batch), build(4)(batch)), (
        "seeds 3 and 4 gave the same batch: the seed must reach the generator"
    )


@pytest.mark.parametrize("build", TRANSFORM_PARAMS)
def test_images_of_one_batch_get_independent_draws(build):
    image = random_batch(1, seed=7, flat=False)[0]
    got = build(0)(copies(image, 40))
    distinct = len({row.tobytes() for row in got})
    assert distinct >= 5, (
        f"40 copies of one image came out as only {distinct} different images: draw one "
        f"parameter per image (size N), not one for the whole batch"
    )


def test_integer_shift_gives_one_of_the_nine_whole_pixel_shifts():
    image = random_batch(1, seed=8, flat=False)[0]
    got = data.RandomShift(1, SHAPE, seed=0)(copies(image, 60)).reshape(60, *SHAPE)
    candidates = {(dy, dx): numpy_shift(image, dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    seen = set()
    for n, moved in enumerate(got):
        match = [k for k, v in candidates.items() if np.allclose(moved, v, atol=1e-6)]
        assert match, (
            f"image {n} is not a whole-pixel shift of the original by (dy, dx) in {{-1, 0, 1}}²: "
            f"RandomShift(1) draws integer offsets rng.integers(-1, 2, (N, 2))"
        )
        seen.add(match[0])
    assert len(seen) >= 7, (
        f"60 images used only the offsets {sorted(seen)}: draw rows and columns independently, "
        f"each from -1, 0 and 1"
    )


def test_subpixel_shift_interpolates_between_pixels():
    got = data.RandomShift(1, SHAPE, subpixel=True, seed=0)(copies(np.ones(SHAPE), 20))
    fractional = np.mean((got > 1e-3) & (got < 1 - 1e-3))
    assert fractional > 0.01, (
        "a sub-pixel shift of an all-ones image should leave fractional values on the edge it "
        "moves away from; all values were 0 or 1, so the offsets were whole numbers"
    )


def test_rotation_angles_are_drawn_from_the_range():
    image = random_batch(1, seed=9, flat=False)[0]
    got = data.RandomRotation((90, 90), SHAPE, seed=0)(copies(image, 4)).reshape(4, *SHAPE)
    np.testing.assert_allclose(
        got,
        np.broadcast_to(np.rot90(image), got.shape),
        atol=1e-5,
        err_msg="RandomRotation((90, 90)) draws every angle from [90, 90]: each image is "
        "np.rot90 of the original",
    )


@pytest.mark.parametrize("std", [0.05, 0.1])
def test_noise_has_the_given_standard_deviation(std):
    batch = np.full((200, 64), 0.5, np.float32)
    noise = data.GaussianNoise(std, seed=0)(batch) - batch
    assert abs(noise.std() - std) < 0.1 * std and abs(noise.mean()) < 0.1 * std, (
        f"GaussianNoise({std}) on grey images: noise mean {noise.mean():.4f}, std "
        f"{noise.std():.4f}; add rng.normal(0, std, batch.shape)"
    )


def test_noise_of_std_0_changes_nothing():
    batch = random_batch()
    assert np.array_equal(data.GaussianNoise(0.0, seed=0)(batch), batch), (
        "GaussianNoise(0) must return the batch unchanged"
    )


def test_erasing_blanks_one_rectangle_of_an_area_in_scale():
    scale = (0.1, 0.3)
    got = data.RandomErasing(SHAPE, p=1.0, scale=scale, seed=0)(copies(np.ones(SHAPE), 30))
    for n, image in enumerate(got.reshape(30, *SHAPE)):
        erased = np.argwhere(image == 0)
        assert len(erased), f"image {n}: with p=1 every image gets a rectangle of zeros"
        (top, left), (bottom, right) = erased.min(axis=0), erased.max(axis=0)
        box = (bottom - top + 1) * (right - left + 1)
        assert box == len(erased), (
            f"image {n}: the erased pixels do not form one filled rectangle "
            f"({len(erased)} pixels in a {box}-pixel bounding box)"
        )
        share = box / image.size
        assert 0.5 * scale[0] <= share <= 1.6 * scale[1], (
            f"image {n}: erased {share:.2f} of the image; the area share is drawn from scale "
            f"{scale} (h and w rounded)"
        )


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: data.RandomErasing(SHAPE, p=0.0, seed=0), id="RandomErasing(p=0)"),
        pytest.param(
            lambda: data.Augment([(data.GaussianNoise(0.3, seed=1), 0.0)], seed=0),
            id="Augment(p=0)",
        ),
    ],
)
def test_probability_0_leaves_the_batch_unchanged(build):
    batch = random_batch()
    assert np.array_equal(build()(batch), batch), (
        "with probability 0 no image may change: draw coins rng.uniform(size=N) < p"
    )
