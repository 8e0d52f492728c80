"""ex12's spot checks: shift and rotate of drawn images by drawn offsets and angles, and each
random transform and the pipeline on drawn batches (see exercises/testing/probes).

A random transform's draws are its own, so only what every correct transform agrees on is
compared: the shape, dtype and range it keeps, whether it leaves its input alone, repeats with
its seed and draws per image, and what it may draw (whole-pixel shifts, a rectangle of an area
in scale, noise of the given std, about p of the images changed). Where the draws cannot matter
— a rotation range of one angle, a pipeline step of probability 1 — the values are compared.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import data
from exercises.ex03_modules_and_losses.tests.spot_checks import flag
from exercises.ex12_augmentation.tests.batches import (
    SHAPE,
    TRANSFORMS,
    copies,
    numpy_shift,
    random_batch,
)
from exercises.testing.probes import Probe, parameter_id, test_named

Build = Callable[[int], Callable[[np.ndarray], np.ndarray]]


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def _ids(*names: str) -> str:
    """``covers`` for the parametrized tests of any of ``names``."""
    return "|".join(parameter_id(name) for name in names)


def _guarantees(build: Build, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """What every random transform promises, for ``build(seed)`` with drawn seeds on drawn
    batches: shape, float32 and [0, 1] kept for flat rows and (N, H, W); the input unchanged;
    the same seed the same batch, another seed another; 40 copies of one image give at least 5
    different images."""
    seed = _seed(rng)
    kept = []
    for flat in (True, False):
        batch = random_batch(seed=_seed(rng), flat=flat)
        got = build(seed)(batch)
        kept.append(got.shape == batch.shape and got.dtype == np.float32)
        kept.append(got.min() >= 0 and got.max() <= 1)
    batch = random_batch(seed=_seed(rng))
    before = batch.copy()
    first = build(seed)(batch)
    image = random_batch(1, seed=_seed(rng), flat=False)[0]
    distinct = len({row.tobytes() for row in build(seed)(copies(image, 40))})
    return {
        "shape, dtype and range kept": flag(all(kept)),
        "input unchanged": flag(np.array_equal(batch, before)),
        "same seed, same batch": flag(np.array_equal(first, build(seed)(batch))),
        "another seed, another batch": flag(not np.array_equal(first, build(seed + 1)(batch))),
        "one draw per image": flag(distinct >= 5),
    }


def shift(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """data.shift of drawn images (4, H, W), H and W drawn, by drawn whole-pixel and sub-pixel
    offsets; of drawn flat rows (5, 64) by drawn sub-pixel offsets, and whether they stay
    float32 flat rows."""
    shape = tuple(int(n) for n in rng.integers(3, 9, size=2))
    images = random_batch(4, shape, _seed(rng), flat=False)
    rows = random_batch(5, SHAPE, _seed(rng))
    moved = data.shift(rows, rng.uniform(-2.5, 2.5, (5, 2)), SHAPE)
    return {
        "whole pixels": data.shift(images, rng.integers(-2, 3, (4, 2)), shape),
        "sub-pixel": data.shift(images, rng.uniform(-2.5, 2.5, (4, 2)), shape),
        "flat rows": moved,
        "float32 flat rows": flag(moved.shape == rows.shape and moved.dtype == np.float32),
    }


def rotate(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """data.rotate of drawn images (4, H, W), H and W drawn, by drawn angles in [-180°, 180°],
    and by 90°, -90° and 180°; of drawn flat rows (5, 64) by drawn angles, and whether they
    stay float32 flat rows."""
    shape = tuple(int(n) for n in rng.integers(3, 9, size=2))
    images = random_batch(4, shape, _seed(rng), flat=False)
    square = random_batch(3, SHAPE, _seed(rng), flat=False)
    rows = random_batch(5, SHAPE, _seed(rng))
    turned = data.rotate(rows, rng.uniform(-180, 180, 5), SHAPE)
    return {
        "drawn angles": data.rotate(images, rng.uniform(-180, 180, 4), shape),
        "90, -90 and 180": data.rotate(square, np.array([90.0, -90.0, 180.0]), SHAPE),
        "flat rows": turned,
        "float32 flat rows": flag(turned.shape == rows.shape and turned.dtype == np.float32),
    }


def gaussian_noise(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """GaussianNoise(0.2): the guarantees (see _guarantees); for a drawn std in [0.03, 0.15] on
    grey images (200, 64), whether the noise has that std and mean 0 within 10% of the std;
    whether std 0 changes nothing."""
    values = _guarantees(TRANSFORMS["GaussianNoise(0.2)"], rng)
    std = float(rng.uniform(0.03, 0.15))
    grey = np.full((200, 64), 0.5, np.float32)
    noise = data.GaussianNoise(std, seed=_seed(rng))(grey) - grey
    values["std and mean"] = flag(
        abs(noise.std() - std) < 0.1 * std and abs(noise.mean()) < 0.1 * std
    )
    batch = random_batch(seed=_seed(rng))
    values["std 0"] = flag(np.array_equal(data.GaussianNoise(0.0, seed=_seed(rng))(batch), batch))
    return values


def random_shift(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """RandomShift(1) and RandomShift(1.5, subpixel=True): the guarantees of each (see
    _guarantees); whether RandomShift(1) moves each of 60 copies of a drawn image by one of the
    nine whole-pixel offsets in {-1, 0, 1}², at least seven of them in all; whether a sub-pixel
    shift of all-ones images leaves fractional values."""
    values = {}
    for name in ("RandomShift(1)", "RandomShift(1.5, subpixel)"):
        values.update({f"{name}: {k}": v for k, v in _guarantees(TRANSFORMS[name], rng).items()})
    image = random_batch(1, seed=_seed(rng), flat=False)[0]
    moved = data.RandomShift(1, SHAPE, seed=_seed(rng))(copies(image, 60)).reshape(60, *SHAPE)
    offsets = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    found = [
        [o for o in offsets if np.allclose(m, numpy_shift(image, *o), atol=1e-6)] for m in moved
    ]
    values["whole-pixel offsets"] = flag(all(found))
    values["most offsets occur"] = flag(len({o[0] for o in found if o}) >= 7)
    ones = data.RandomShift(1, SHAPE, subpixel=True, seed=_seed(rng))(copies(np.ones(SHAPE), 20))
    values["sub-pixel values"] = flag(np.mean((ones > 1e-3) & (ones < 1 - 1e-3)) > 0.01)
    return values


def random_rotation(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """RandomRotation(30): the guarantees (see _guarantees); RandomRotation((θ, θ)) of drawn
    images, for a drawn θ and for θ = 90°, which every correct draw turns by exactly θ."""
    values = _guarantees(TRANSFORMS["RandomRotation(30)"], rng)
    batch = random_batch(4, seed=_seed(rng))
    for title, angle in [("drawn angle", float(rng.uniform(-90, 90))), ("90", 90.0)]:
        values[title] = data.RandomRotation((angle, angle), SHAPE, seed=_seed(rng))(batch)
    return values


def random_erasing(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """RandomErasing(p=1): the guarantees (see _guarantees); whether, on 30 all-ones images with
    a drawn scale, each gets one filled rectangle of zeros whose share of the image is within
    the scale (0.5 × its low end to 1.6 × its high end, h and w being rounded); whether p=0
    leaves a drawn batch unchanged."""
    values = _guarantees(TRANSFORMS["RandomErasing(p=1)"], rng)
    low = float(rng.uniform(0.05, 0.2))
    scale = (low, low + float(rng.uniform(0.05, 0.2)))
    erased = data.RandomErasing(SHAPE, p=1.0, scale=scale, seed=_seed(rng))(
        copies(np.ones(SHAPE), 30)
    )
    rectangles = []
    for image in erased.reshape(30, *SHAPE):
        zeros = np.argwhere(image == 0)
        box = np.prod(zeros.max(axis=0) - zeros.min(axis=0) + 1) if len(zeros) else 0
        share = box / image.size
        rectangles.append(box == len(zeros) > 0 and 0.5 * scale[0] <= share <= 1.6 * scale[1])
    values["one rectangle of an area in scale"] = flag(all(rectangles))
    batch = random_batch(seed=_seed(rng))
    kept = data.RandomErasing(SHAPE, p=0.0, seed=_seed(rng))(batch)
    values["p = 0"] = flag(np.array_equal(kept, batch))
    return values


def augment(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Augment: the guarantees of Augment(shift, rotation, noise) (see _guarantees); whether a
    noise step of p = 0.2, 0.5 and 0.8 changes that share of 400 grey images within 0.1, and p =
    0 none of a drawn batch; how far a rotation step of p = 1 is from the rotation itself;
    [shift down, rotate by 90°] of a pixel lit at (0, 0), both of p = 1; whether the same seed
    chooses the same images and another seed others; whether a DataLoader of an ArrayDataset
    with the pipeline as transform gives changed float32 batches, and one without unchanged."""
    values = _guarantees(TRANSFORMS["Augment(shift, rotation, noise)"], rng)
    grey = np.full((400, 64), 0.5, np.float32)

    def chosen(p: float, seed: int) -> np.ndarray:
        out = data.Augment([(data.GaussianNoise(0.1, seed=_seed(rng)), p)], seed=seed)(grey)
        return np.any(out != grey, axis=1)

    for p in (0.2, 0.5, 0.8):
        values[f"share changed at p = {p}"] = flag(abs(chosen(p, _seed(rng)).mean() - p) < 0.1)
    seed = _seed(rng)
    values["same seed, same images"] = flag(np.array_equal(chosen(0.5, seed), chosen(0.5, seed)))
    values["another seed, other images"] = flag(
        not np.array_equal(chosen(0.5, seed), chosen(0.5, seed + 1))
    )
    batch = random_batch(seed=_seed(rng))
    untouched = data.Augment([(data.GaussianNoise(0.3, seed=_seed(rng)), 0.0)], seed=seed)(batch)
    values["p = 0"] = flag(np.array_equal(untouched, batch))
    rotation = _seed(rng)
    always = data.Augment([(data.RandomRotation(25, SHAPE, seed=rotation), 1.0)], seed=seed)
    values["p = 1 against the transform"] = np.abs(
        always(batch) - data.RandomRotation(25, SHAPE, seed=rotation)(batch)
    ).max()
    lit = np.zeros((3, 64), np.float32)
    lit[:, 0] = 1
    steps = [
        (lambda x: data.shift(x, np.tile([[1, 0]], (len(x), 1)), SHAPE), 1.0),
        (lambda x: data.rotate(x, np.full(len(x), 90.0), SHAPE), 1.0),
    ]
    values["steps in order"] = data.Augment(steps, seed=seed)(lit)
    x, y = random_batch(32, seed=_seed(rng)), np.arange(32) % 10
    pipeline = data.Augment([(data.GaussianNoise(0.2, seed=_seed(rng)), 1.0)], seed=seed)
    train = data.DataLoader(data.ArrayDataset(x, y, transform=pipeline), batch_size=16)
    test = data.DataLoader(data.ArrayDataset(x, y), batch_size=16)
    trained = np.concatenate([batch[0].data for batch in train])
    tested = np.concatenate([batch[0].data for batch in test])
    values["training batches changed"] = flag(
        not np.allclose(trained, x) and trained.shape == x.shape and trained.dtype == np.float32
    )
    values["test batches unchanged"] = flag(np.array_equal(tested, x))
    return values


PROBES = [
    Probe(
        "shift",
        test_named(
            "test_shift_moves_a_lit_pixel_by_the_offset",
            "test_shift_out_of_the_image_leaves_zeros",
            "test_whole_pixel_shifts_match_numpy_on_random_sizes",
            "test_a_half_pixel_shift_splits_a_pixel_over_two_rows",
        )
        + r"|\[shift\]|"  # "[shift-...]" are RandomShift's, but for these two
        + _ids("shift-function-images-wrong-size", "shift-offsets-one-per-batch"),
        shift,
    ),
    Probe(
        "rotate",
        r"::test_rotation_by_|"
        + test_named("test_each_image_of_a_batch_gets_its_own_angle")
        + "|"
        + _ids("rotate", "rotate-function-images-wrong-size", "rotate-degrees-nan"),
        rotate,
    ),
    Probe(
        "GaussianNoise",
        r"::test_noise_|" + _ids("GaussianNoise(0.2)", "noise"),
        gaussian_noise,
    ),
    Probe(
        "RandomShift",
        test_named(
            "test_integer_shift_gives_one_of_the_nine_whole_pixel_shifts",
            "test_subpixel_shift_interpolates_between_pixels",
        )
        + "|"
        + _ids(
            "RandomShift(1)",
            "RandomShift(1.5, subpixel)",
            "shift-negative",
            "shift-nan",
            "shift-inf",
            "shift-fractional-not-subpixel",
            "shift-images-too-small",
        ),
        random_shift,
    ),
    Probe(
        "RandomRotation",
        test_named("test_rotation_angles_are_drawn_from_the_range")
        + "|"
        + _ids("RandomRotation(30)", "rotation"),
        random_rotation,
    ),
    Probe(
        "RandomErasing",
        test_named("test_erasing_blanks_one_rectangle_of_an_area_in_scale")
        + "|"
        + _ids("RandomErasing(p=1)", "RandomErasing(p=0)", "erasing"),
        random_erasing,
    ),
    Probe(
        "Augment",
        r"test_pipeline\.py::|"
        + _ids("Augment(shift, rotation, noise)", "Augment(p=0)", "augment"),
        augment,
    ),
]
