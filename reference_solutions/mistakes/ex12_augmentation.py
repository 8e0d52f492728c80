"""Known ex12 mistakes: transforms that look right on one image and go wrong on a batch."""

from __future__ import annotations

import numpy as np

from reference_solutions import ex12_augmentation as reference
from reference_solutions.mistakes import mistake


@mistake("data", "shift", "swaps the axes: offsets[n, 0] moves columns instead of rows")
def shift_with_swapped_axes(batch, offsets, image_shape):
    return reference.shift(batch, np.asarray(offsets)[:, ::-1], image_shape)


@mistake("data", "rotate", "turns clockwise: the source angle has the wrong sign")
def rotate_clockwise(batch, degrees, image_shape):
    return reference.rotate(batch, -np.asarray(degrees, dtype=np.float64), image_shape)


@mistake("data", "RandomShift", "draws one offset for the whole batch, not one per image")
class ShiftWholeBatch(reference.RandomShift):
    def __call__(self, batch):
        count = len(reference._as_images(batch, self.image_shape, "RandomShift"))
        reach = int(self.max_shift)
        if self.subpixel:
            offset = self.rng.uniform(-self.max_shift, self.max_shift, (1, 2))
        else:
            offset = self.rng.integers(-reach, reach + 1, (1, 2))
        return reference.shift(batch, np.repeat(offset, count, axis=0), self.image_shape)


@mistake("data", "GaussianNoise", "adds the noise without clipping: pixels leave [0, 1]")
class NoiseWithoutClipping(reference.GaussianNoise):
    def __call__(self, batch):
        batch = np.asarray(batch)
        return (batch + self.rng.normal(0.0, self.std, batch.shape)).astype(batch.dtype)


@mistake("data", "Augment", "flips one coin per batch: all images change or none do")
class AugmentOneCoinPerBatch(reference.Augment):
    def __call__(self, batch):
        out = np.array(batch, copy=True)
        for transform, p in self.steps:
            if self.rng.uniform() < p:
                out = transform(out)
        return out


@mistake("data", "Augment", "writes into the batch it was given instead of a copy")
class AugmentInPlace(reference.Augment):
    def __call__(self, batch):
        for transform, p in self.steps:
            chosen = self.rng.uniform(size=len(batch)) < p
            if chosen.any():
                batch[chosen] = transform(batch[chosen])
        return batch
