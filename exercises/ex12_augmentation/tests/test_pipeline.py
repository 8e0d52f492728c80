"""ex12: data.Augment, the pipeline — each step applied to each image with its own
probability (about p of the images, drawn per image), p = 1 is the transform itself, the steps
run in order, and through ArrayDataset's transform only the training batches change."""

from __future__ import annotations

import numpy as np
import pytest

from core import data
from exercises.ex12_augmentation.tests.batches import SHAPE, random_batch


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_each_image_is_changed_with_the_steps_probability(p):
    batch = np.full((400, 64), 0.5, np.float32)
    got = data.Augment([(data.GaussianNoise(0.1, seed=1), p)], seed=0)(batch)
    share = np.mean(np.any(got != batch, axis=1))
    assert abs(share - p) < 0.1, (
        f"Augment with p={p} changed {share:.2f} of 400 images: flip one coin per image, "
        f"rng.uniform(size=N) < p, and transform only the chosen ones"
    )


def test_probability_1_equals_the_transform_itself():
    batch = random_batch()
    got = data.Augment([(data.RandomRotation(25, SHAPE, seed=5), 1.0)], seed=0)(batch)
    expected = data.RandomRotation(25, SHAPE, seed=5)(batch)
    np.testing.assert_allclose(
        got,
        expected,
        atol=1e-6,
        err_msg="with p=1 every image is chosen, so Augment must return transform(batch): "
        "pass the chosen images to the transform in their order, in one call",
    )


def test_steps_run_in_order():
    image = np.zeros(SHAPE, np.float32)
    image[0, 0] = 1
    batch = np.tile(image.reshape(1, -1), (3, 1))
    down = lambda x: data.shift(x, np.tile([[1, 0]], (len(x), 1)), SHAPE)  # noqa: E731
    turn = lambda x: data.rotate(x, np.full(len(x), 90.0), SHAPE)  # noqa: E731
    got = data.Augment([(down, 1.0), (turn, 1.0)], seed=0)(batch).reshape(3, *SHAPE)
    expected = np.rot90(np.roll(image, 1, axis=0))
    np.testing.assert_allclose(
        got[0],
        expected,
        atol=1e-5,
        err_msg="Augment([(down, 1), (turn, 1)]) must shift first, then rotate the shifted "
        "images: apply the steps in the order given, each to the previous step's output",
    )


def test_same_seed_gives_the_same_choice_of_images():
    batch = np.full((100, 64), 0.5, np.float32)

    def changed(seed):
        out = data.Augment([(data.GaussianNoise(0.1, seed=1), 0.5)], seed=seed)(batch)
        return np.any(out != batch, axis=1)

    assert np.array_equal(changed(2), changed(2)), (
        "Augment(..., seed=2) chose other images on a second run: draw the coins from "
        "self.rng = np.random.default_rng(seed)"
    )
    assert not np.array_equal(changed(2), changed(3)), "seeds 2 and 3 chose the same images"


def test_only_training_batches_are_augmented():
    x = random_batch(32, seed=3)
    y = np.arange(32) % 10
    pipeline = data.Augment([(data.GaussianNoise(0.2, seed=1), 1.0)], seed=0)
    train = data.DataLoader(data.ArrayDataset(x, y, transform=pipeline), batch_size=16)
    test = data.DataLoader(data.ArrayDataset(x, y), batch_size=16)
    trained = np.concatenate([batch[0].data for batch in train])
    tested = np.concatenate([batch[0].data for batch in test])
    assert not np.allclose(trained, x), "the training loader's batches should be augmented"
    assert np.array_equal(tested, x), "a loader built without transform must give x unchanged"
    assert trained.shape == x.shape and trained.dtype == np.float32, (
        f"augmented training batches are {trained.shape} {trained.dtype}, expected "
        f"{x.shape} float32"
    )
