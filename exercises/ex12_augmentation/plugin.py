"""Exercise 12 — augmentation: seeded, batch-wise random transforms of image batches, applied
to training batches only.

What you write, and how it reaches the library (all through ``gradkit_register_data``, so each
is ``data.<Name>`` after ``from core import data``):

- ``shift`` and ``rotate`` (``data.shift``, ``data.rotate``): the deterministic geometry. Every
  image of a batch moves by its own offset or turns by its own angle, and the whole batch is
  resampled by **one** ``scipy.ndimage.map_coordinates`` call over (N, H, W) — no loop over
  images.
- ``GaussianNoise``, ``RandomShift``, ``RandomRotation``, ``RandomErasing``
  (``data.GaussianNoise(std, seed=0)``, ...): transforms with torchvision's names. Each holds
  its own ``np.random.Generator`` and draws one independent parameter per image.
- ``Augment`` (``data.Augment([(transform, p), ...], seed=0)``): the pipeline. It applies each
  transform in turn, to each image with that step's own probability.

A transform is called on a batch: ``transform(batch)`` with ``batch`` (N, H*W) flat rows (as the
studies hold images) or (N, H, W), float32 in [0, 1]. So
``data.ArrayDataset(x, y, transform=pipeline)`` augments every training batch the DataLoader
draws, and a test set built without ``transform`` stays clean.

Rules (the tests check them):

- The same shape and dtype come out as went in, with every value in [0, 1]; the input is never
  modified.
- The same seed gives the same batch; the images of one batch get independent draws.
- Exact geometry: a shift by (1, 0) moves a lit pixel one row down; a rotation by 0° is the
  identity and by +90° is ``np.rot90`` (counter-clockwise as displayed, row 0 at the top).
- A probability of 0 leaves the batch unchanged.
- Bad arguments raise ``ValueError`` naming the class or function, the value and the fix: a
  probability outside [0, 1]; a noise std, shift or rotation that is negative or not finite;
  images whose size does not match ``image_shape``.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex12``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import ndimage  # noqa: F401 - ndimage.map_coordinates does the geometry

from core import hookimpl
from core import random as gk_random  # noqa: F401 - the shared generator when seed is None
from exercises.stub import todo

# ----- deterministic geometry ----------------------------------------------------------------


def shift(batch: np.ndarray, offsets: np.ndarray, image_shape: Sequence[int]) -> np.ndarray:
    """Move image n down by offsets[n, 0] rows and right by offsets[n, 1] columns; 0 fills.

    With (dy, dx) = offsets[n]::

        out[n, r, c] = image[n, r - dy, c - dx]        (0 where that falls outside)

    Offsets may be fractional: the value is then interpolated bilinearly from the four nearest
    pixels. Do the whole batch in one call::

        ndimage.map_coordinates(images, np.stack([n_index, rows, columns]), order=1,
                                mode="grid-constant", cval=0.0, prefilter=False,
                                output=images.dtype)

    where ``images`` is the batch as (N, H, W) and ``n_index``, ``rows``, ``columns`` are
    (N, H, W) arrays of the *source* coordinates: n_index[n] = n everywhere, rows = r - dy,
    columns = c - dx. ("grid-constant" treats the outside as zeros and still interpolates
    near the edge.) Clip to [0, 1] and give back the input's shape.

    Args:
        batch: (N, H*W) or (N, H, W) float array, values in [0, 1].
        offsets: (N, 2) finite numbers: (rows down, columns right) per image.
        image_shape: (H, W).

    Returns:
        The shifted batch: the shape and dtype of ``batch``.

    Raises:
        ValueError: image_shape not two positive ints; a batch that is not a float array of
            shape (N, H*W) or (N, H, W) (name the shape got and image_shape); offsets not of
            shape (N, 2) or not finite.

    Example:
        x = zeros (1, 3, 3) with x[0, 0, 1] = 1
        shift(x, [[1, 0]], (3, 3))[0] = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    """
    raise todo()


def rotate(batch: np.ndarray, degrees: np.ndarray, image_shape: Sequence[int]) -> np.ndarray:
    """Rotate image n by degrees[n] counter-clockwise (as displayed) about its centre.

    Row 0 is the top of the image. With the centre (cy, cx) = ((H - 1) / 2, (W - 1) / 2),
    θ = radians(degrees[n]), and for every output pixel (r, c) the offsets down = r - cy and
    right = c - cx, the source pixel is::

        source row    = cy + cos θ · down + sin θ · right
        source column = cx + cos θ · right - sin θ · down

    read bilinearly, 0 outside, all images in one ``map_coordinates`` call as in ``shift``.
    Then +90° equals ``np.rot90(image)`` and 0° is the identity. Clip to [0, 1].

    Args:
        batch: (N, H*W) or (N, H, W) float array, values in [0, 1].
        degrees: (N,) finite angles in degrees, positive = counter-clockwise.
        image_shape: (H, W).

    Returns:
        The rotated batch: the shape and dtype of ``batch``.

    Raises:
        ValueError: as ``shift`` for image_shape and the batch; degrees not of shape (N,) or
            not finite.

    Example:
        x = [[[1, 0], [0, 0]]] (lit top-left)
        rotate(x, [90], (2, 2))[0] = [[0, 0], [1, 0]]     (lit bottom-left, as np.rot90)
    """
    raise todo()


# ----- random transforms ---------------------------------------------------------------------


class GaussianNoise:
    """Add independent Gaussian noise to every pixel: clip(x + N(0, std²), 0, 1).

    Args:
        std: the noise's standard deviation, a finite number ≥ 0 (0 changes nothing).
        seed: seeds ``self.rng = np.random.default_rng(seed)``; None uses
            ``gk_random.generator()``, the library's shared generator.

    Raises:
        ValueError: std negative, NaN or infinite (name GaussianNoise and the value).

    Example:
        noise = GaussianNoise(0.1, seed=0)
        noise(np.full((2, 64), 0.5, np.float32))   # (2, 64) float32, values near 0.5
    """

    def __init__(self, std: float, seed: int | None = None) -> None:
        """Check std; keep it as self.std (a float) and the generator as self.rng."""
        raise todo()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """batch (N, ...) float -> clip(batch + self.rng.normal(0, std, batch.shape), 0, 1),
        in batch's dtype and shape. Raises ValueError for a batch that is not a float array."""
        raise todo()


class RandomShift:
    """Move each image by its own random offset (rows, columns), each in [-max_shift, max_shift].

    Integer shifts (the default) draw each offset uniformly from the whole numbers
    -max_shift..max_shift (``self.rng.integers(-m, m + 1, (N, 2))``); ``subpixel=True`` draws
    them uniformly from the interval (``self.rng.uniform(-m, m, (N, 2))``). Then ``shift``.

    Args:
        max_shift: the largest offset in pixels, finite and ≥ 0; a whole number unless
            subpixel.
        image_shape: (H, W).
        subpixel: fractional offsets, bilinearly interpolated.
        seed: seeds ``self.rng``; None uses the library's shared generator.

    Raises:
        ValueError: max_shift negative, NaN or infinite, or fractional without subpixel
            (name RandomShift and the value); a bad image_shape; on call, a batch that does
            not match image_shape.

    Example:
        RandomShift(1, (8, 8), seed=0)(x)   # x (N, 64): each image moved by one of the
                                            # 9 offsets in {-1, 0, 1}², drawn per image
    """

    def __init__(
        self,
        max_shift: float,
        image_shape: Sequence[int],
        subpixel: bool = False,
        seed: int | None = None,
    ) -> None:
        """Check the arguments; keep self.max_shift, self.image_shape, self.subpixel, self.rng."""
        raise todo()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """One offset pair per image drawn from self.rng, then ``shift``: the batch's shape and
        dtype."""
        raise todo()


class RandomRotation:
    """Rotate each image by its own angle, uniform in [-degrees, degrees] (or [lo, hi]).

    Args:
        degrees: a finite number ≥ 0 (angles in [-degrees, degrees]) or a pair (lo, hi) of
            finite numbers with lo ≤ hi; positive = counter-clockwise, as ``rotate``.
        image_shape: (H, W).
        seed: seeds ``self.rng``; None uses the library's shared generator.

    Raises:
        ValueError: degrees negative, NaN or infinite, or a pair that is not lo ≤ hi (name
            RandomRotation and the value); a bad image_shape; on call, a batch that does not
            match image_shape.

    Example:
        RandomRotation(15, (8, 8), seed=0)(x)        # each image turned by its own angle
        RandomRotation((90, 90), (8, 8))(x)          # every image: np.rot90
    """

    def __init__(
        self,
        degrees: float | tuple[float, float],
        image_shape: Sequence[int],
        seed: int | None = None,
    ) -> None:
        """Check the arguments; keep self.degrees as the pair (lo, hi), self.image_shape,
        self.rng."""
        raise todo()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """One angle per image, ``self.rng.uniform(lo, hi, N)``, then ``rotate``."""
        raise todo()


class RandomErasing:
    """With probability p per image, set one random rectangle to ``value`` (torchvision's name).

    For each image: erase with probability p; the rectangle's area is a share of H·W drawn
    uniformly from ``scale``, its aspect ratio h/w log-uniformly from ``ratio``; then
    h = clip(round(sqrt(area · aspect)), 1, H), w = clip(round(sqrt(area / aspect)), 1, W), and
    its top-left corner is uniform among the positions where it fits. Vectorise it: the
    rectangle of every image becomes one (N, H, W) boolean mask built by broadcasting
    comparisons of row and column indices, then ``np.where(mask, value, images)``.

    Args:
        image_shape: (H, W).
        p: the probability of erasing an image, in [0, 1].
        scale: (low, high) area shares, 0 < low ≤ high ≤ 1.
        ratio: (low, high) aspect ratios, 0 < low ≤ high, finite.
        value: the fill, in [0, 1].
        seed: seeds ``self.rng``; None uses the library's shared generator.

    Raises:
        ValueError: p outside [0, 1]; a bad scale, ratio or value; a bad image_shape (name
            RandomErasing and the value); on call, a batch that does not match image_shape.

    Example:
        RandomErasing((8, 8), p=1.0, seed=0)(x)   # every image gets one black rectangle
        RandomErasing((8, 8), p=0.0)(x)           # equals x
    """

    def __init__(
        self,
        image_shape: Sequence[int],
        p: float = 0.5,
        scale: tuple[float, float] = (0.02, 0.33),
        ratio: tuple[float, float] = (0.3, 3.3),
        value: float = 0.0,
        seed: int | None = None,
    ) -> None:
        """Check the arguments; keep self.image_shape, self.p, self.scale, self.ratio,
        self.value and self.rng."""
        raise todo()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """The batch with one rectangle erased in each chosen image: same shape and dtype."""
        raise todo()


class Augment:
    """A pipeline of (transform, p) steps: each step applied to each image with probability p.

    For every step in order: draw ``chosen = self.rng.uniform(size=N) < p`` (one coin per
    image), then ``out[chosen] = transform(out[chosen])`` — the transform sees only the chosen
    images. Work on a copy: the batch you were given stays as it was. p = 0 returns an equal
    batch; p = 1 applies the transform to every image.

    Args:
        steps: a sequence of (transform, p) pairs; transform is a callable batch -> batch, p in
            [0, 1].
        seed: seeds ``self.rng`` (the coins; each transform has its own generator); None uses
            the library's shared generator.

    Raises:
        ValueError: a step that is not a (callable, p) pair; p outside [0, 1] (name Augment,
            the value and the allowed range).

    Example:
        pipeline = Augment([(RandomShift(1, (8, 8), seed=1), 0.5),
                            (GaussianNoise(0.05, seed=2), 0.3)], seed=0)
        data.ArrayDataset(x_train, y_train, transform=pipeline)  # augments training batches
    """

    def __init__(self, steps: Sequence[tuple[Callable, float]], seed: int | None = None) -> None:
        """Check every step; keep them as self.steps, a list of (transform, p) pairs, and
        self.rng."""
        raise todo()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """The batch after every step, each image of each step chosen with the step's p."""
        raise todo()


@hookimpl
def gradkit_register_data(register: Callable[..., None]) -> None:
    register("shift", shift)
    register("rotate", rotate)
    register("GaussianNoise", GaussianNoise)
    register("RandomShift", RandomShift)
    register("RandomRotation", RandomRotation)
    register("RandomErasing", RandomErasing)
    register("Augment", Augment)
