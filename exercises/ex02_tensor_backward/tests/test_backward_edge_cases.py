"""ex02: the cases that catch real bugs: repeated indices, ties, saturation, reused inputs."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor
from core import functional as F
from exercises.testing.checks import assert_gradients, assert_values


def _grad_of(x: np.ndarray, fn, upstream: np.ndarray) -> np.ndarray:
    t = Tensor(np.asarray(x, dtype=np.float32), requires_grad=True)
    fn(t).backward(np.asarray(upstream, dtype=np.float32))
    return t.grad


def test_repeated_fancy_indices_accumulate_their_gradients():
    index = np.array([0, 0, 2, 0])
    upstream = np.array([1.0, 2.0, 3.0, 4.0])
    expected = np.zeros(4)
    np.add.at(expected, index, upstream)
    got = _grad_of(np.arange(4.0), lambda t: t[index], upstream)
    assert_values(
        "x[[0, 0, 2, 0]] backward is wrong",
        expected,
        got,
        "element 0 is picked three times, so its gradient is the sum of three; "
        "grad[index] = g keeps only the last one, np.add.at adds them all",
    )


def test_repeated_rows_accumulate_their_gradients():
    upstream = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    expected = np.array([[0.0, 0.0], [upstream[0, 0] + upstream[2, 0], 8.0], [3.0, 4.0]])
    got = _grad_of(np.zeros((3, 2)), lambda t: t[[1, 2, 1]], upstream)
    assert_values(
        "x[[1, 2, 1]] backward is wrong",
        expected,
        got,
        "row 1 is picked twice: its gradient is the sum of both rows' gradients",
    )


def test_max_of_all_elements_splits_gradient_equally_among_ties():
    got = _grad_of(np.array([1.0, 3.0, 3.0, -2.0]), lambda t: t.max(), np.array(4.0))
    assert_values(
        "max() with a tie backward is wrong",
        [0.0, 2.0, 2.0, 0.0],
        got,
        "two elements share the maximum: each gets half of the upstream gradient",
    )


def test_max_over_axis_splits_gradient_among_ties_per_row():
    x = np.array([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0], [7.0, 1.0, 1.0]])
    upstream = np.array([2.0, 3.0, 4.0])
    expected = np.array([[1.0, 1.0, 0.0], [0.0, 1.5, 1.5], [4.0, 0.0, 0.0]])
    got = _grad_of(x, lambda t: t.max(axis=1), upstream)
    assert_values(
        "max(axis=1) with ties backward is wrong",
        expected,
        got,
        "in each row the upstream gradient is shared equally by that row's maxima",
    )


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_elementwise_max_min_split_gradient_in_half_at_ties(name):
    a = Tensor(np.array([1.0, 2.0, 3.0], np.float32), requires_grad=True)
    b = Tensor(np.array([1.0, 0.0, 3.0], np.float32), requires_grad=True)
    upstream = np.array([2.0, 4.0, 6.0], np.float32)
    getattr(F, name)(a, b).backward(upstream)
    wins = (a.data > b.data) if name == "maximum" else (a.data < b.data)
    tie = a.data == b.data
    expected_a = upstream * (wins + 0.5 * tie)
    expected_b = upstream * (~wins & ~tie) + upstream * 0.5 * tie
    hint = "where a == b each input gets half of the gradient"
    assert_values(f"{name} backward for a is wrong", expected_a, a.grad, hint)
    assert_values(f"{name} backward for b is wrong", expected_b, b.grad, hint)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturated_inputs_give_finite_gradients(name):
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    upstream = np.array([1.0, -2.0, 3.0, -4.0, 5.0])
    got = _grad_of(x, lambda t: getattr(t, name)(), upstream)
    s = 0.5 * (1 + np.tanh(0.5 * x))
    expected = upstream * (s * (1 - s) if name == "sigmoid" else 1 - np.tanh(x) ** 2)
    assert np.all(np.isfinite(got)), f"{name} backward gave {got} at x = ±1000"
    assert_values(
        f"{name} backward at large |x| is wrong",
        expected,
        got,
        "compute the derivative from the (finite) output, e.g. s(1 - s)",
        atol=1e-7,
    )


REUSED_INPUT = {  # name: (on tensors, the float64 NumPy oracle)
    "x * x": (lambda x: x * x, lambda x: x * x),
    "x / exp(x)": (lambda x: x / x.exp(), lambda x: x / np.exp(x)),
    "x @ x.T": (lambda x: x @ x.T, lambda x: x @ x.T),
    "maximum(x, -x)": (lambda x: F.maximum(x, -x), lambda x: np.maximum(x, -x)),
    "x[0] + x[[0, 1]]": (lambda x: x[0] + x[[0, 1]], lambda x: x[0] + x[[0, 1]]),
}


@pytest.mark.parametrize("name", REUSED_INPUT)
def test_tensor_used_twice_receives_both_gradients(name):
    fn, numpy_fn = REUSED_INPUT[name]
    x = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])
    assert_gradients(
        f"{name} backward is wrong for x of shape {x.shape}",
        fn,
        [x],
        numpy_fn,
        "x is used twice, so its gradient is the sum of both uses' gradients (the engine adds "
        "them); a backward that changes grad or the arrays in ctx in place breaks that",
    )
