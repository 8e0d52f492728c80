"""gradcheck: silent on correct gradients, loud and specific on wrong ones, and harmless."""

from __future__ import annotations

import numpy as np
import pytest

from core import GradcheckError, Tensor, gradcheck, unbroadcast
from core.gradcheck import numerical_gradients

RNG = np.random.default_rng(7)
A = RNG.uniform(0.5, 2.0, size=(2, 3))
B = RNG.uniform(0.5, 2.0, size=(3, 4))
ROW = RNG.uniform(0.5, 2.0, size=(3,))

CORRECT = {
    "a * row": (lambda a, r: a * r, [A, ROW]),
    "a / row": (lambda a, r: a / r, [A, ROW]),
    "a @ b": (lambda a, b: a @ b, [A, B]),
    "exp(a).sum(axis=0)": (lambda a: a.exp().sum(axis=0), [A]),
    "log(a).mean()": (lambda a: a.log().mean(), [A]),
    "a ** 3 - a": (lambda a: a**3 - a, [A]),
    "tanh(a)[:, [0, 0, 2]]": (lambda a: a.tanh()[:, [0, 0, 2]], [A]),
}


@pytest.mark.parametrize(("fn", "inputs"), CORRECT.values(), ids=CORRECT.keys())
def test_gradcheck_passes_on_correct_ops(fn, inputs):
    gradcheck(fn, inputs)


def test_gradcheck_accepts_tensors_as_inputs():
    gradcheck(lambda a: a * a, [Tensor(A)])


def _check_wrong_numpy_fn() -> GradcheckError:
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, r: a + r, [A, ROW], numpy_fn=lambda a, r: a + 2 * r)
    return caught.value


def test_gradcheck_error_is_an_assertion_error():
    assert isinstance(_check_wrong_numpy_fn(), AssertionError)


@pytest.mark.parametrize("word", ["expected", "got", "largest error"])
def test_gradcheck_error_shows(word):
    assert word in str(_check_wrong_numpy_fn())


def test_gradcheck_error_names_only_the_input_whose_gradient_is_wrong():
    message = str(_check_wrong_numpy_fn())
    assert "gradient of input 1 (shape (3,))" in message and "input 0" not in message


def test_gradcheck_catches_a_backward_that_forgets_a_factor(replace_registered):
    def mul_backward_missing_factor(ctx, grad):
        a, b = ctx.inputs
        return unbroadcast(grad * b, a.shape), unbroadcast(grad, b.shape)

    replace_registered("gradients", "mul", mul_backward_missing_factor)
    with pytest.raises(GradcheckError, match="gradient of input 1"):
        gradcheck(lambda a, r: a * r, [A, ROW])


def test_gradcheck_catches_a_backward_hidden_by_a_uniform_upstream(replace_registered):
    def sum_backward_ignoring_grad(ctx, grad):
        return (np.ones_like(ctx.inputs[0]),)

    replace_registered("gradients", "sum", sum_backward_ignoring_grad)
    with pytest.raises(GradcheckError):
        gradcheck(lambda a: a.sum(axis=1), [A])


@pytest.mark.parametrize("use_numpy_fn", [False, True], ids=["fn", "numpy_fn"])
def test_gradcheck_does_not_modify_the_callers_arrays(use_numpy_fn):
    a, r = A.copy(), ROW.copy()
    numpy_fn = (lambda x, y: x * y) if use_numpy_fn else None
    gradcheck(lambda x, y: x * y, [a, r], numpy_fn=numpy_fn)
    np.testing.assert_array_equal(np.concatenate([a.ravel(), r]), np.concatenate([A.ravel(), ROW]))


def test_numerical_gradients_of_a_product_are_the_other_factor():
    upstream = np.array([1.0, -2.0, 0.5])
    grads = numerical_gradients(lambda x, y: x * y, [ROW, 2 * ROW], upstream)
    np.testing.assert_allclose(grads[0], upstream * 2 * ROW, rtol=1e-6)
