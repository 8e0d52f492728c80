"""ex14: the BCE floor — the mean binary entropy of the target pixels, the least per-pixel BCE
any reconstruction can reach: 0 for black-and-white images, > 0 as soon as pixels are grey."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import analysis
from exercises.ex14_transfer_learning.tests.setups import numpy_bce


def numpy_entropy(t: np.ndarray) -> float:
    t = np.asarray(t, np.float64)
    inner = (t > 0) & (t < 1)
    h = np.zeros_like(t)
    h[inner] = -(t[inner] * np.log(t[inner]) + (1 - t[inner]) * np.log(1 - t[inner]))
    return float(h.mean())


def test_bce_floor_of_the_worked_example():
    floor = analysis.bce_floor(np.array([[0.0, 1.0, 0.5, 0.5]], np.float32))
    assert isinstance(floor, float)
    assert floor == pytest.approx(np.log(2) / 2, rel=1e-9), "H(0)=H(1)=0 and H(0.5)=log 2"


@pytest.mark.parametrize(
    "pixels", [np.zeros((3, 4)), np.ones((2, 5)), np.eye(4)], ids=["black", "white", "binary"]
)
def test_bce_floor_of_black_and_white_images_is_zero_without_warnings(pixels):
    assert analysis.bce_floor(pixels.astype(np.float32)) == 0.0, "0 log 0 counts as 0"


@settings(max_examples=30, deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 5), st.integers(1, 8)),
        elements=st.floats(0, 1, width=32),
    )
)
def test_bce_floor_is_the_mean_binary_entropy_of_the_pixels(pixels):
    assert analysis.bce_floor(pixels) == pytest.approx(numpy_entropy(pixels), rel=1e-6, abs=1e-9)


def test_no_prediction_beats_the_floor_and_predicting_the_targets_reaches_it():
    rng = np.random.default_rng(0)
    target = rng.uniform(0.05, 0.95, (8, 16))
    floor = analysis.bce_floor(target)
    exact = numpy_bce(np.log(target / (1 - target)), target)  # logits of p = t
    assert exact == pytest.approx(floor, rel=1e-9)
    for _ in range(5):
        assert numpy_bce(rng.normal(0, 3, target.shape), target) > floor
