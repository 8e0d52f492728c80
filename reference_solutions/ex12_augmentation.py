"""Reference solution of ex12 (augmentation): seeded, batch-wise random transforms of images."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import ndimage

from core import hookimpl
from core import random as gk_random

# ----- helpers ------------------------------------------------------------------------------


def _generator(seed: int | None) -> np.random.Generator:
    return gk_random.generator() if seed is None else np.random.default_rng(seed)


def _check_shape(image_shape: Sequence[int], who: str) -> tuple[int, int]:
    shape = tuple(image_shape)
    if len(shape) != 2 or any(not isinstance(n, (int, np.integer)) or n < 1 for n in shape):
        raise ValueError(
            f"{who}: image_shape must be two positive ints (height, width); got {image_shape!r}"
        )
    return int(shape[0]), int(shape[1])


def _as_images(batch: np.ndarray, image_shape: tuple[int, int], who: str) -> np.ndarray:
    """The batch as (N, H, W), a view of the float array given."""
    batch = np.asarray(batch)
    height, width = image_shape
    if batch.dtype.kind != "f":
        raise ValueError(f"{who}: images must be a float array in [0, 1]; got dtype {batch.dtype}")
    if not (
        (batch.ndim == 2 and batch.shape[1] == height * width)
        or (batch.ndim == 3 and batch.shape[1:] == (height, width))
    ):
        raise ValueError(
            f"{who}: images of shape {batch.shape} do not match image_shape {image_shape}; "
            f"pass (N, {height * width}) rows or (N, {height}, {width}) images"
        )
    return batch.reshape(len(batch), height, width)


def _check_level(value: float, who: str, what: str) -> float:
    if not isinstance(value, (int, float, np.integer, np.floating)) or not (
        math.isfinite(value) and value >= 0
    ):
        raise ValueError(f"{who}: {what} must be a finite number >= 0; got {value!r}")
    return float(value)


def _check_probability(p: float, who: str) -> float:
    if not isinstance(p, (int, float, np.integer, np.floating)) or not 0 <= p <= 1:
        raise ValueError(f"{who}: probability p must be in [0, 1]; got {p!r}")
    return float(p)


def _warp(images: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """out[n, r, c] = images[n, rows[n, r, c], columns[n, r, c]], bilinear, 0 outside; one call."""
    count = len(images)
    samples = np.broadcast_to(np.arange(count)[:, None, None], rows.shape)
    return ndimage.map_coordinates(
        images,
        np.stack([samples, rows, columns]),
        order=1,
        mode="grid-constant",
        cval=0.0,
        prefilter=False,
        output=images.dtype,
    )


def _grid(count: int, image_shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows, columns = np.meshgrid(
        np.arange(image_shape[0], dtype=np.float64),
        np.arange(image_shape[1], dtype=np.float64),
        indexing="ij",
    )
    return np.broadcast_to(rows, (count, *image_shape)), np.broadcast_to(
        columns, (count, *image_shape)
    )


# ----- deterministic geometry ----------------------------------------------------------------


def shift(batch: np.ndarray, offsets: np.ndarray, image_shape: Sequence[int]) -> np.ndarray:
    """Move image n down by offsets[n, 0] rows and right by offsets[n, 1] columns; 0 fills."""
    shape = _check_shape(image_shape, "shift")
    images = _as_images(batch, shape, "shift")
    offsets = np.asarray(offsets, dtype=np.float64)
    if offsets.shape != (len(images), 2) or not np.all(np.isfinite(offsets)):
        raise ValueError(
            f"shift: offsets must be finite, one (rows, columns) pair per image, shape "
            f"({len(images)}, 2); got shape {offsets.shape}"
        )
    rows, columns = _grid(len(images), shape)
    moved = _warp(images, rows - offsets[:, 0, None, None], columns - offsets[:, 1, None, None])
    return np.clip(moved, 0, 1).reshape(np.shape(batch))


def rotate(batch: np.ndarray, degrees: np.ndarray, image_shape: Sequence[int]) -> np.ndarray:
    """Rotate image n by degrees[n] counter-clockwise (as displayed) about its centre."""
    shape = _check_shape(image_shape, "rotate")
    images = _as_images(batch, shape, "rotate")
    angles = np.asarray(degrees, dtype=np.float64)
    if angles.shape != (len(images),) or not np.all(np.isfinite(angles)):
        raise ValueError(
            f"rotate: degrees must be finite, one angle per image, shape ({len(images)},); "
            f"got {np.asarray(degrees)!r}"
        )
    theta = np.deg2rad(angles)[:, None, None]
    cos, sin = np.cos(theta), np.sin(theta)
    centre_row, centre_column = (shape[0] - 1) / 2, (shape[1] - 1) / 2
    rows, columns = _grid(len(images), shape)
    down, right = rows - centre_row, columns - centre_column
    source_rows = centre_row + cos * down + sin * right
    source_columns = centre_column + cos * right - sin * down
    return np.clip(_warp(images, source_rows, source_columns), 0, 1).reshape(np.shape(batch))


# ----- random transforms ---------------------------------------------------------------------


class GaussianNoise:
    """x + N(0, std^2) per pixel, clipped to [0, 1]."""

    def __init__(self, std: float, seed: int | None = None) -> None:
        self.std = _check_level(std, "GaussianNoise", "std")
        self.rng = _generator(seed)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch)
        if batch.dtype.kind != "f":
            raise ValueError(
                f"GaussianNoise: images must be a float array in [0, 1]; got dtype {batch.dtype}"
            )
        noise = self.rng.normal(0.0, self.std, batch.shape)
        return np.clip(batch + noise, 0, 1).astype(batch.dtype)


class RandomShift:
    """Each image moved by its own (rows, columns) offset, each in [-max_shift, max_shift]."""

    def __init__(
        self,
        max_shift: float,
        image_shape: Sequence[int],
        subpixel: bool = False,
        seed: int | None = None,
    ) -> None:
        self.max_shift = _check_level(max_shift, "RandomShift", "max_shift")
        if not subpixel and self.max_shift != int(self.max_shift):
            raise ValueError(
                f"RandomShift: an integer shift needs a whole max_shift; got {max_shift!r} "
                "(pass subpixel=True for fractional shifts)"
            )
        self.image_shape = _check_shape(image_shape, "RandomShift")
        self.subpixel = bool(subpixel)
        self.rng = _generator(seed)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        count = len(_as_images(batch, self.image_shape, "RandomShift"))
        if self.subpixel:
            offsets = self.rng.uniform(-self.max_shift, self.max_shift, (count, 2))
        else:
            reach = int(self.max_shift)
            offsets = self.rng.integers(-reach, reach + 1, (count, 2))
        return shift(batch, offsets, self.image_shape)


class RandomRotation:
    """Each image rotated by its own angle, uniform in [-degrees, degrees] (or [lo, hi])."""

    def __init__(
        self,
        degrees: float | tuple[float, float],
        image_shape: Sequence[int],
        seed: int | None = None,
    ) -> None:
        if isinstance(degrees, (tuple, list)):
            if (
                len(degrees) != 2
                or not all(
                    isinstance(d, (int, float, np.integer, np.floating)) and math.isfinite(d)
                    for d in degrees
                )
                or degrees[0] > degrees[1]
            ):
                raise ValueError(
                    f"RandomRotation: degrees as a range must be two finite numbers lo <= hi; "
                    f"got {degrees!r}"
                )
            self.degrees = (float(degrees[0]), float(degrees[1]))
        else:
            reach = _check_level(degrees, "RandomRotation", "degrees")
            self.degrees = (-reach, reach)
        self.image_shape = _check_shape(image_shape, "RandomRotation")
        self.rng = _generator(seed)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        count = len(_as_images(batch, self.image_shape, "RandomRotation"))
        angles = self.rng.uniform(*self.degrees, count)
        return rotate(batch, angles, self.image_shape)


class RandomErasing:
    """With probability p per image, one rectangle of area share in ``scale`` set to ``value``."""

    def __init__(
        self,
        image_shape: Sequence[int],
        p: float = 0.5,
        scale: tuple[float, float] = (0.02, 0.33),
        ratio: tuple[float, float] = (0.3, 3.3),
        value: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self.image_shape = _check_shape(image_shape, "RandomErasing")
        self.p = _check_probability(p, "RandomErasing")
        low, high = scale
        if not 0 < low <= high <= 1:
            raise ValueError(
                f"RandomErasing: scale must be (low, high) with 0 < low <= high <= 1; got {scale!r}"
            )
        if not 0 < ratio[0] <= ratio[1] or not math.isfinite(ratio[1]):
            raise ValueError(
                f"RandomErasing: ratio must be (low, high) with 0 < low <= high; got {ratio!r}"
            )
        if not 0 <= value <= 1:
            raise ValueError(f"RandomErasing: value must be in [0, 1]; got {value!r}")
        self.scale, self.ratio, self.value = (float(low), float(high)), tuple(ratio), value
        self.rng = _generator(seed)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        images = _as_images(batch, self.image_shape, "RandomErasing")
        count, (height, width) = len(images), self.image_shape
        erase = self.rng.uniform(size=count) < self.p
        area = self.rng.uniform(*self.scale, count) * height * width
        aspect = np.exp(self.rng.uniform(*np.log(self.ratio), count))
        tall = np.clip(np.round(np.sqrt(area * aspect)), 1, height).astype(int)
        wide = np.clip(np.round(np.sqrt(area / aspect)), 1, width).astype(int)
        top = np.floor(self.rng.uniform(size=count) * (height - tall + 1)).astype(int)
        left = np.floor(self.rng.uniform(size=count) * (width - wide + 1)).astype(int)
        rows = np.arange(height)[None, :, None]
        columns = np.arange(width)[None, None, :]
        inside = (
            erase[:, None, None]
            & (rows >= top[:, None, None])
            & (rows < (top + tall)[:, None, None])
            & (columns >= left[:, None, None])
            & (columns < (left + wide)[:, None, None])
        )
        out = np.where(inside, np.asarray(self.value, images.dtype), images)
        return out.reshape(np.shape(batch))


class Augment:
    """A pipeline: each (transform, p) applied in turn to each image with its own probability."""

    def __init__(self, steps: Sequence[tuple[Callable, float]], seed: int | None = None) -> None:
        checked = []
        for step in steps:
            if not (isinstance(step, (tuple, list)) and len(step) == 2 and callable(step[0])):
                raise ValueError(f"Augment: each step must be a (transform, p) pair; got {step!r}")
            checked.append((step[0], _check_probability(step[1], "Augment")))
        self.steps = checked
        self.rng = _generator(seed)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        out = np.array(batch, copy=True)
        for transform, p in self.steps:
            chosen = self.rng.uniform(size=len(out)) < p
            if chosen.any():
                out[chosen] = transform(out[chosen])
        return out


@hookimpl
def gradkit_register_data(register: Callable[..., None]) -> None:
    register("shift", shift)
    register("rotate", rotate)
    register("GaussianNoise", GaussianNoise)
    register("RandomShift", RandomShift)
    register("RandomRotation", RandomRotation)
    register("RandomErasing", RandomErasing)
    register("Augment", Augment)
