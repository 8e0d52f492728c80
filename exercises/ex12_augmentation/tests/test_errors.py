"""ex12: bad arguments are a ValueError that names the transform and the value it got — a
probability outside [0, 1], a noise std, shift or rotation that is negative or not finite, and
images whose size does not match the image shape."""

from __future__ import annotations

import numpy as np
import pytest

from core import data
from exercises.ex12_augmentation.tests.batches import SHAPE, random_batch

NAN, INF = float("nan"), float("inf")

# (id, who must be named, a function that must raise, a text the message must show)
CASES = [
    ("noise-std-negative", "GaussianNoise", lambda: data.GaussianNoise(-0.1), "-0.1"),
    ("noise-std-nan", "GaussianNoise", lambda: data.GaussianNoise(NAN), "nan"),
    ("noise-std-inf", "GaussianNoise", lambda: data.GaussianNoise(INF), "inf"),
    ("shift-negative", "RandomShift", lambda: data.RandomShift(-1, SHAPE), "-1"),
    ("shift-nan", "RandomShift", lambda: data.RandomShift(NAN, SHAPE, subpixel=True), "nan"),
    ("shift-inf", "RandomShift", lambda: data.RandomShift(INF, SHAPE), "inf"),
    ("shift-fractional-not-subpixel", "RandomShift", lambda: data.RandomShift(1.5, SHAPE), "1.5"),
    ("rotation-negative", "RandomRotation", lambda: data.RandomRotation(-10, SHAPE), "-10"),
    ("rotation-nan", "RandomRotation", lambda: data.RandomRotation(NAN, SHAPE), "nan"),
    ("rotation-inf", "RandomRotation", lambda: data.RandomRotation(INF, SHAPE), "inf"),
    (
        "rotation-range-reversed",
        "RandomRotation",
        lambda: data.RandomRotation((20, -20), SHAPE),
        "(20, -20)",
    ),
    (
        "rotation-range-inf",
        "RandomRotation",
        lambda: data.RandomRotation((0, INF), SHAPE),
        "inf",
    ),
    ("erasing-p-above-1", "RandomErasing", lambda: data.RandomErasing(SHAPE, p=1.5), "1.5"),
    ("erasing-p-negative", "RandomErasing", lambda: data.RandomErasing(SHAPE, p=-0.1), "-0.1"),
    ("erasing-p-nan", "RandomErasing", lambda: data.RandomErasing(SHAPE, p=NAN), "nan"),
    (
        "erasing-scale-above-1",
        "RandomErasing",
        lambda: data.RandomErasing(SHAPE, scale=(0.5, 2.0)),
        "(0.5, 2.0)",
    ),
    (
        "augment-p-above-1",
        "Augment",
        lambda: data.Augment([(data.GaussianNoise(0.1), 1.2)]),
        "1.2",
    ),
    (
        "augment-p-negative",
        "Augment",
        lambda: data.Augment([(data.GaussianNoise(0.1), -0.5)]),
        "-0.5",
    ),
    ("augment-step-not-a-pair", "Augment", lambda: data.Augment([data.GaussianNoise(0.1)]), "pair"),
    (
        "shift-images-too-small",
        "RandomShift",
        lambda: data.RandomShift(1, SHAPE)(random_batch(4)[:, :63]),
        "(4, 63)",
    ),
    (
        "rotation-images-wrong-size",
        "RandomRotation",
        lambda: data.RandomRotation(10, SHAPE)(random_batch(4, (7, 9), flat=False)),
        "(4, 7, 9)",
    ),
    (
        "erasing-images-28x28",
        "RandomErasing",
        lambda: data.RandomErasing(SHAPE)(random_batch(2, (28, 28))),
        "(2, 784)",
    ),
    (
        "shift-function-images-wrong-size",
        "shift",
        lambda: data.shift(random_batch(3), np.zeros((3, 2)), (7, 7)),
        "(7, 7)",
    ),
    (
        "rotate-function-images-wrong-size",
        "rotate",
        lambda: data.rotate(random_batch(3), np.zeros(3), (4, 4)),
        "(3, 64)",
    ),
    (
        "shift-offsets-one-per-batch",
        "shift",
        lambda: data.shift(random_batch(3), np.array([1, 0]), SHAPE),
        "(3, 2)",
    ),
    (
        "rotate-degrees-nan",
        "rotate",
        lambda: data.rotate(random_batch(3), np.array([0.0, NAN, 0.0]), SHAPE),
        "nan",
    ),
]


@pytest.mark.parametrize(
    ("who", "call", "shows"),
    [pytest.param(who, call, shows, id=name) for name, who, call, shows in CASES],
)
def test_bad_argument_raises_value_error_naming_the_transform_and_the_value(who, call, shows):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    assert message.startswith(f"{who}:") and shows in message, (
        f"ValueError({message!r}) should start with '{who}:' and show {shows!r}, then say "
        f"what is allowed"
    )
