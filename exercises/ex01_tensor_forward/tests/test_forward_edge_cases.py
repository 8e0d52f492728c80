"""ex01: Python numbers beside tensors, saturation, and clear errors for bad shapes."""

from __future__ import annotations

import operator

import numpy as np
import pytest

from core import Tensor
from exercises.testing.checks import assert_values

X = np.array([[0.5, -1.5, 2.0], [3.0, -0.25, 1.0]])


@pytest.mark.parametrize(
    "symbol, apply",
    [("+", operator.add), ("-", operator.sub), ("*", operator.mul), ("/", operator.truediv)],
)
@pytest.mark.parametrize("number_on_left", [False, True], ids=["tensor-number", "number-tensor"])
def test_python_number_on_either_side_of_operator(symbol, apply, number_on_left):
    t = Tensor(X.astype(np.float32))
    got = apply(2.5, t) if number_on_left else apply(t, 2.5)
    expected = apply(2.5, X) if number_on_left else apply(X, 2.5)
    side = "2.5 " + symbol + " t" if number_on_left else "t " + symbol + " 2.5"
    assert_values(
        f"{side} is wrong",
        expected,
        got.data,
        "a Python number is wrapped as a 0-d tensor and broadcast",
    )
    assert got.dtype == np.float32, f"{side} gave {got.dtype}; a Python number must not upcast"


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturating_functions_are_exact_at_plus_minus_1000(name):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=np.float32)
    got = getattr(Tensor(x), name)().data
    expected = {
        "sigmoid": 0.5 * (1 + np.tanh(0.5 * x.astype(np.float64))),
        "tanh": np.tanh(x.astype(np.float64)),
    }[name]
    assert_values(
        f"{name} at large |x| is wrong",
        expected,
        got,
        "no exponential may overflow: for sigmoid, work with e^-|x| and pick the "
        "formula by the sign of x",
        atol=1e-7,
    )


def test_matmul_shape_mismatch_raises_value_error_naming_matmul_and_shapes():
    a, b = Tensor(np.ones((3, 4), np.float32)), Tensor(np.ones((5, 2), np.float32))
    with pytest.raises(ValueError, match=r"matmul[\s\S]*\(3, 4\)[\s\S]*\(5, 2\)"):
        a @ b


def test_broadcasting_mismatch_raises_value_error_naming_the_op():
    a, b = Tensor(np.ones((3, 4), np.float32)), Tensor(np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"add[\s\S]*\(3, 4\)[\s\S]*\(2, 4\)"):
        a + b
