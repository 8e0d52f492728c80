"""ex07: F.softmax and F.log_softmax — values against float64 NumPy on random shapes and axes,
gradients against finite differences, float32 kept, and stability at logits of ±1e4."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor
from core import functional as F
from exercises.ex07_multiclass.tests.oracles import numpy_log_softmax, numpy_softmax
from exercises.testing.checks import assert_gradients, assert_values

FUNCTIONS = {"softmax": numpy_softmax, "log_softmax": numpy_log_softmax}
NAMES = list(FUNCTIONS)
HINTS = {
    "softmax": "e^(x - m) / Σ e^(x - m) along axis, m = x.max(axis, keepdims=True); sum along "
    "the given axis (keepdims=True so it broadcasts back)",
    "log_softmax": "(x - m) - log Σ e^(x - m) along axis; never log(softmax(x))",
}


@st.composite
def inputs_and_axis(draw, max_side: int = 5):
    shape = tuple(draw(st.lists(st.integers(1, max_side), min_size=1, max_size=3), label="shape"))
    axis = draw(st.integers(-len(shape), len(shape) - 1), label="axis")
    scale = draw(st.sampled_from([1.0, 10.0, 100.0]), label="scale")
    seed = draw(st.integers(0, 2**16), label="seed")
    x = np.random.default_rng(seed).standard_normal(shape) * scale
    return x, axis


@pytest.mark.parametrize("name", NAMES)
@given(case=inputs_and_axis())
def test_values_match_numpy_on_random_shapes_and_axes(name, case):
    x, axis = case
    x32 = x.astype(np.float32)
    got = getattr(F, name)(Tensor(x32), axis=axis)
    assert_values(
        f"F.{name}(x, axis={axis}) is wrong for x of shape {x.shape}",
        FUNCTIONS[name](x32, axis),
        got.data,
        HINTS[name],
    )


@pytest.mark.parametrize("name", NAMES)
def test_default_axis_is_the_last(name):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    assert_values(
        f"F.{name}(x) without axis is wrong",
        FUNCTIONS[name](x, -1),
        getattr(F, name)(Tensor(x)).data,
        "the default is axis=-1: each row of a (B, C) input is normalised",
    )


@pytest.mark.parametrize("name", NAMES)
def test_output_is_a_float32_tensor(name):
    x = np.random.default_rng(1).standard_normal((2, 5)).astype(np.float32)
    got = getattr(F, name)(Tensor(x))
    assert isinstance(got, Tensor) and got.dtype == np.float32, (
        f"F.{name} returned {type(got).__name__} {getattr(got, 'dtype', '')}; expected a "
        "float32 Tensor (a float64 constant such as np.float64 or np.ones(...) upcasts)"
    )


@pytest.mark.parametrize("name", NAMES)
@given(case=inputs_and_axis(max_side=4))
def test_gradient_matches_finite_differences(name, case):
    x, axis = case
    x = x / 10  # keep every probability away from 0 and 1, where differences lose precision
    assert_gradients(
        f"F.{name}(x, axis={axis}) backward is wrong for x of shape {x.shape}",
        lambda t: getattr(F, name)(t, axis=axis),
        [x],
        lambda a: FUNCTIONS[name](a, axis),
        "build it from tensor ops (-, exp, sum, /, log) so autograd differentiates it; the "
        "max must be detached, and any use of x.data cuts the graph",
    )


EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]], np.float32)
EXPECTED_EXTREME = {
    "softmax": [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]],
    "log_softmax": [
        [0.0, -2e4, -1e4],
        [-np.log(3.0)] * 3,
        [-np.log(2.0), -np.log(2.0), -2e4 - np.log(2.0)],
    ],
}


@pytest.mark.parametrize("name", NAMES)
def test_values_are_exact_at_logits_of_plus_minus_1e4(name):
    got = getattr(F, name)(Tensor(EXTREME)).data
    assert_values(
        f"F.{name} at logits ±1e4 is wrong (or not finite)",
        EXPECTED_EXTREME[name],
        got,
        "subtract the row's maximum before exp: e^(x - max) is at most 1 and never overflows",
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize("name", NAMES)
def test_gradient_is_finite_at_logits_of_plus_minus_1e4(name):
    x = Tensor(EXTREME, requires_grad=True)
    upstream = np.random.default_rng(2).standard_normal(EXTREME.shape).astype(np.float32)
    getattr(F, name)(x).backward(upstream)
    assert x.grad is not None and np.all(np.isfinite(x.grad)), (
        f"F.{name}'s gradient at logits ±1e4 is {x.grad}; it must be finite"
    )
