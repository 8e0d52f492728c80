"""ex03: nn.MSELoss and nn.BCEWithLogitsLoss — values and gradients against float64 NumPy for
every reduction, extreme logits, float32, targets given as arrays or tensors, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, nn
from exercises.ex03_modules_and_losses.tests.oracles import (
    numpy_bce_with_logits,
    numpy_sigmoid,
    reduce,
    reduction_scale,
)
from exercises.testing.checks import assert_values

REDUCTIONS = ["mean", "sum", "none"]
LOSSES = ["MSELoss", "BCEWithLogitsLoss"]
SHAPES = [(6,), (4, 1), (3, 5), (2, 3, 2)]
REDUCTION_HINT = (
    "'mean' averages over every element, 'sum' adds them up, 'none' returns the elementwise "
    "losses with the input's shape"
)
# Per loss: the elementwise NumPy loss, its derivative with respect to the prediction, a hint.
FORMULAS = {
    "MSELoss": (
        lambda p, t: (p - t) ** 2,
        lambda p, t: 2 * (p - t),
        "elementwise (prediction - target)², then the reduction",
    ),
    "BCEWithLogitsLoss": (
        numpy_bce_with_logits,
        lambda z, y: numpy_sigmoid(z) - y,
        "elementwise max(z, 0) - z·y + log(1 + e^(-|z|)), then the reduction",
    ),
}


def _problem(name: str, shape: tuple[int, ...], seed: int = 0):
    """Predictions (logits for BCE) and targets, float32."""
    rng = np.random.default_rng(seed)
    prediction = rng.uniform(-3, 3, shape).astype(np.float32)
    if name == "BCEWithLogitsLoss":
        target = rng.integers(0, 2, shape).astype(np.float32)
    else:
        target = rng.uniform(-2, 2, shape).astype(np.float32)
    return prediction, target


def _as64(*arrays):
    return tuple(np.asarray(a, np.float64) for a in arrays)


def _check_loss_value(name: str, reduction: str, shape: tuple[int, ...], seed: int = 0) -> None:
    __tracebackhide__ = True
    prediction, target = _problem(name, shape, seed)
    got = getattr(nn, name)(reduction=reduction)(Tensor(prediction), target)
    elementwise, _, hint = FORMULAS[name]
    assert_values(
        f"{name}(reduction={reduction!r}) on shape {shape} is wrong",
        reduce(elementwise(*_as64(prediction, target)), reduction),
        got.data,
        f"{hint}; {REDUCTION_HINT}",
    )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_value_matches_numpy(name, reduction, shape):
    _check_loss_value(name, reduction, shape)


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    reduction=st.sampled_from(REDUCTIONS),
    seed=st.integers(0, 2**16),
)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_value_matches_numpy_on_random_shapes(name, shape, reduction, seed):
    _check_loss_value(name, reduction, shape, seed)


@pytest.mark.parametrize("name", LOSSES)
def test_default_reduction_is_mean(name):
    prediction, target = _problem(name, (3, 4))
    elementwise = FORMULAS[name][0]
    assert_values(
        f"{name}() (default reduction) is wrong",
        elementwise(*_as64(prediction, target)).mean(),
        getattr(nn, name)()(Tensor(prediction), target).data,
        "the default is reduction='mean'",
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradient_matches_the_derivative(name, reduction):
    shape = (3, 4)
    prediction, target = _problem(name, shape, seed=1)
    x = Tensor(prediction, requires_grad=True)
    loss = getattr(nn, name)(reduction=reduction)(x, target)
    upstream = np.random.default_rng(2).uniform(-1, 1, shape) if reduction == "none" else 1.0
    loss.backward(np.asarray(upstream, np.float32) if reduction == "none" else None)
    _, derivative, hint = FORMULAS[name]
    expected = derivative(*_as64(prediction, target)) * reduction_scale(shape, reduction)
    assert_values(
        f"{name}(reduction={reduction!r}) gradient is wrong",
        expected * upstream,
        x.grad,
        f"build the loss from tensor ops so autograd differentiates it ({hint}); 'mean' "
        "divides the gradient by the number of elements, 'sum' does not",
    )


@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_gradient_at_logit_zero_is_sigmoid_of_zero_minus_target(target):
    z = Tensor(np.zeros(4, np.float32), requires_grad=True)
    nn.BCEWithLogitsLoss(reduction="sum")(z, np.full(4, target, np.float32)).backward()
    assert_values(
        f"BCEWithLogitsLoss gradient at z = 0 with target {target} is wrong",
        np.full(4, 0.5 - target),
        z.grad,
        "the gradient is sigmoid(z) - y = 0.5 - y at z = 0; relu's gradient at 0 is 0, so "
        "write max(z, 0) as F.maximum(z, 0.0), which shares the gradient at the tie",
    )


def test_bce_with_soft_targets_matches_numpy():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], np.float32)
    y = np.array([0.1, 0.9, 0.5, 0.3, 0.7], np.float32)
    assert_values(
        "BCEWithLogitsLoss with targets between 0 and 1 is wrong",
        numpy_bce_with_logits(*_as64(z, y)),
        nn.BCEWithLogitsLoss(reduction="none")(Tensor(z), y).data,
        "the formula holds for any target y in [0, 1], not only 0/1 labels",
    )


EXTREME_Z = np.array([-1e4, -1e4, 1e4, 1e4, -50.0, 50.0], np.float32)
EXTREME_Y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0], np.float32)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_is_finite_and_exact_at_extreme_logits(reduction):
    got = nn.BCEWithLogitsLoss(reduction=reduction)(Tensor(EXTREME_Z), EXTREME_Y).data
    expected = reduce(numpy_bce_with_logits(*_as64(EXTREME_Z, EXTREME_Y)), reduction)
    assert np.all(np.isfinite(got)), (
        f"BCEWithLogitsLoss at logits ±1e4 gave {got}: log(sigmoid(z)) underflows to log(0); "
        "use the stable form max(z, 0) - z·y + log(1 + e^(-|z|))"
    )
    assert_values(
        "BCEWithLogitsLoss at logits ±1e4 is wrong",
        expected,
        got,
        "a confident wrong answer costs about |z| (here 10,000); a confident right one about 0",
    )


def test_bce_gradient_is_finite_and_exact_at_extreme_logits():
    z = Tensor(EXTREME_Z, requires_grad=True)
    nn.BCEWithLogitsLoss(reduction="sum")(z, EXTREME_Y).backward()
    assert z.grad is not None and np.all(np.isfinite(z.grad)), (
        f"the gradient at logits ±1e4 is {z.grad}; only e^(-|z|) may be computed (never e^z)"
    )
    assert_values(
        "BCEWithLogitsLoss gradient at logits ±1e4 is wrong",
        numpy_sigmoid(EXTREME_Z) - EXTREME_Y,
        z.grad,
        "the gradient is sigmoid(z) - y",
    )


@pytest.mark.parametrize("name", LOSSES)
def test_loss_keeps_float32_in_value_and_gradient(name):
    prediction, target = _problem(name, (4, 3))
    x = Tensor(prediction, requires_grad=True)
    loss = getattr(nn, name)()(x, target.astype(np.float64))
    loss.backward()
    assert (loss.dtype, x.grad.dtype) == (np.float32, np.float32), (
        f"{name} gave a {loss.dtype} loss and a {x.grad.dtype} gradient for float32 predictions "
        "and a float64 target; convert the target to the prediction's dtype"
    )


@pytest.mark.parametrize("name", LOSSES)
def test_target_given_as_a_tensor_works_like_an_array(name):
    prediction, target = _problem(name, (5,))
    assert_values(
        f"{name} with a Tensor target is wrong",
        reduce(FORMULAS[name][0](*_as64(prediction, target)), "mean"),
        getattr(nn, name)()(Tensor(prediction), Tensor(target)).data,
        "a Tensor target gives the same loss as the same values in an array",
    )


@pytest.mark.parametrize("name", LOSSES)
def test_target_gets_no_gradient(name):
    prediction, target = _problem(name, (5,))
    t = Tensor(target, requires_grad=True)
    getattr(nn, name)()(Tensor(prediction, requires_grad=True), t).backward()
    assert t.grad is None, (
        f"{name} sent a gradient to the target; the target is data: use its values only, "
        "e.g. Tensor(target.data, dtype=prediction.dtype)"
    )


@pytest.mark.parametrize(
    ("prediction_shape", "target_shape"), [((4, 1), (4,)), ((4,), (4, 1)), ((3,), (4,))]
)
@pytest.mark.parametrize("name", LOSSES)
def test_shape_mismatch_is_a_clear_error(name, prediction_shape, target_shape):
    loss = getattr(nn, name)()
    with pytest.raises(ValueError, match=name) as error:
        loss(Tensor(np.zeros(prediction_shape, np.float32)), np.zeros(target_shape, np.float32))
    message = str(error.value)
    assert str(prediction_shape) in message and str(target_shape) in message, (
        f"the error should show both shapes, {prediction_shape} and {target_shape}: {message}"
    )


@pytest.mark.parametrize("reduction", ["average", "Mean", None])
@pytest.mark.parametrize("name", LOSSES)
def test_unknown_reduction_is_a_clear_error(name, reduction):
    with pytest.raises(ValueError, match=name) as error:
        getattr(nn, name)(reduction=reduction)
    assert "mean" in str(error.value), (
        f"the error should list the allowed reductions: {error.value}"
    )
