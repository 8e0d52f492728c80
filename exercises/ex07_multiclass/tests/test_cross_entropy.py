"""ex07: nn.CrossEntropyLoss — values against float64 NumPy for class-index, one-hot and
probability targets with every reduction, its gradient (softmax − target)/B and finite
differences, one fused op, float32 kept, stability at ±1e4, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, nn
from exercises.ex07_multiclass.tests.oracles import (
    numpy_cross_entropy,
    numpy_softmax,
    one_hot,
)
from exercises.testing.checks import assert_gradients, assert_values

REDUCTIONS = ["mean", "sum", "none"]
TARGET_KINDS = ["indices", "one-hot", "probabilities"]
HINT = (
    "per sample -Σ_c target_c · log_softmax(logits)_c (for a label: -log_softmax at the label), "
    "then mean over the batch, sum, or the (B,) vector for 'none'"
)


def problem(batch: int, classes: int, kind: str, seed: int = 0, scale: float = 2.0):
    """Logits (B, C) float32, the target as passed to the loss, and its probabilities."""
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((batch, classes)) * scale).astype(np.float32)
    labels = rng.integers(0, classes, batch)
    if kind == "indices":
        return logits, labels, one_hot(labels, classes)
    if kind == "one-hot":
        target = one_hot(labels, classes).astype(np.float32)
        return logits, target, target
    weights = rng.random((batch, classes)) + 0.1
    target = (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)
    return logits, target, target


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", TARGET_KINDS)
@given(batch=st.integers(1, 6), classes=st.integers(2, 6), seed=st.integers(0, 2**16))
def test_values_match_numpy(kind, reduction, batch, classes, seed):
    logits, target, probabilities = problem(batch, classes, kind, seed)
    got = nn.CrossEntropyLoss(reduction=reduction)(Tensor(logits), target)
    assert_values(
        f"CrossEntropyLoss(reduction={reduction!r}) with {kind} targets is wrong "
        f"for logits {logits.shape}",
        numpy_cross_entropy(logits, probabilities, reduction),
        got.data,
        HINT,
    )


def test_default_reduction_is_the_mean():
    logits, labels, probabilities = problem(5, 4, "indices", seed=1)
    assert_values(
        "CrossEntropyLoss() without a reduction is wrong",
        numpy_cross_entropy(logits, probabilities, "mean"),
        nn.CrossEntropyLoss()(Tensor(logits), labels).data,
        "reduction='mean' is the default",
    )


@pytest.mark.parametrize("kind", ["indices", "one-hot"])
def test_gradient_of_the_mean_is_softmax_minus_one_hot_over_batch(kind):
    logits, target, probabilities = problem(6, 5, kind, seed=2)
    x = Tensor(logits, requires_grad=True)
    nn.CrossEntropyLoss()(x, target).backward()
    assert_values(
        f"d CrossEntropyLoss / d logits with {kind} targets is wrong",
        (numpy_softmax(logits, axis=1) - probabilities) / len(logits),
        x.grad,
        "(softmax(logits) - one_hot) / B for reduction 'mean'",
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_gradient_matches_finite_differences(kind, reduction):
    logits, target, probabilities = problem(4, 3, kind, seed=3, scale=1.0)
    loss = nn.CrossEntropyLoss(reduction=reduction)
    assert_gradients(
        f"CrossEntropyLoss(reduction={reduction!r}) backward with {kind} targets is wrong",
        lambda z: loss(z, target),
        [logits.astype(np.float64)],
        lambda z: numpy_cross_entropy(z, probabilities, reduction),
        "(softmax - target) times the upstream gradient: divided by B for 'mean', as it is "
        "for 'sum', one factor per row (grad[:, None]) for 'none'",
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_is_one_fused_cross_entropy_op(reduction):
    logits, labels, _ = problem(3, 4, "indices")
    out = nn.CrossEntropyLoss(reduction=reduction)(Tensor(logits, requires_grad=True), labels)
    assert out.grad_fn == "cross_entropy", (
        f"the loss was made by op {out.grad_fn!r}; CrossEntropyLoss must return the result of "
        "the fused 'cross_entropy' op (apply_op('cross_entropy', ...)), reduction included"
    )


@pytest.mark.parametrize("kind", ["indices", "one-hot-float64"])
def test_loss_and_gradient_stay_float32(kind):
    logits, labels, _ = problem(4, 3, "indices", seed=4)
    target = labels if kind == "indices" else one_hot(labels, 3)  # int64 or float64
    x = Tensor(logits, requires_grad=True)
    loss = nn.CrossEntropyLoss()(x, target)
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32, (
        f"with {kind} targets the loss is {loss.dtype} and the gradient {x.grad.dtype}; both "
        "must be float32: build the one-hot (or cast the target) in the logits' dtype"
    )


def test_target_receives_no_gradient_and_inputs_are_not_modified():
    logits, _, probabilities = problem(3, 4, "one-hot", seed=5)
    x = Tensor(logits.copy(), requires_grad=True)
    target = Tensor(probabilities.copy(), requires_grad=True)
    nn.CrossEntropyLoss()(x, target).backward()
    assert target.grad is None, "the target received a gradient; use its array, not the Tensor"
    assert np.array_equal(x.data, logits) and np.array_equal(target.data, probabilities), (
        "CrossEntropyLoss modified its inputs"
    )


EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [1e4, 1e4, -1e4]], np.float32)
EXTREME_LABELS = np.array([0, 0, 2])
EXTREME_LOSSES = [0.0, 2e4, 2e4 + np.log(2.0)]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_values_are_exact_at_logits_of_plus_minus_1e4(reduction):
    got = nn.CrossEntropyLoss(reduction=reduction)(Tensor(EXTREME), EXTREME_LABELS).data
    expected = {
        "mean": np.mean(EXTREME_LOSSES),
        "sum": np.sum(EXTREME_LOSSES),
        "none": EXTREME_LOSSES,
    }[reduction]
    assert_values(
        f"CrossEntropyLoss(reduction={reduction!r}) at logits ±1e4 is wrong (or not finite)",
        expected,
        got,
        "compute log_softmax with the row's max subtracted; never log(softmax)",
        rtol=1e-6,
        atol=1e-6,
    )


def test_gradient_is_exact_at_logits_of_plus_minus_1e4():
    x = Tensor(EXTREME, requires_grad=True)
    nn.CrossEntropyLoss()(x, EXTREME_LABELS).backward()
    expected = (numpy_softmax(EXTREME, axis=1) - one_hot(EXTREME_LABELS, 3)) / 3
    assert_values(
        "CrossEntropyLoss's gradient at logits ±1e4 is wrong (or not finite)",
        expected,
        x.grad,
        "the softmax in the backward must be computed stably too",
    )


# ----- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [4, 7, -1])
def test_label_outside_the_classes_raises_value_error_naming_it_and_c(label):
    logits = np.zeros((3, 4), np.float32)
    with pytest.raises(ValueError) as error:
        nn.CrossEntropyLoss()(Tensor(logits), np.array([0, label, 1]))
    message = str(error.value)
    assert "CrossEntropyLoss" in message and str(label) in message and "4" in message, (
        f"a label {label} with C = 4 classes raised ValueError({message!r}); name "
        "CrossEntropyLoss, the label and C"
    )


def test_non_integer_labels_raise_value_error():
    with pytest.raises(ValueError) as error:
        nn.CrossEntropyLoss()(Tensor(np.zeros((2, 3), np.float32)), np.array([0.5, 1.0]))
    assert "0.5" in str(error.value), (
        f"labels [0.5, 1.0] raised ValueError({str(error.value)!r}); name the bad label 0.5"
    )


def test_whole_float_labels_are_accepted_as_class_indices():
    logits, labels, probabilities = problem(4, 3, "indices", seed=6)
    got = nn.CrossEntropyLoss()(Tensor(logits), Tensor(labels.astype(np.float32)))
    assert_values(
        "CrossEntropyLoss with labels given as floats 0., 1., 2. is wrong",
        numpy_cross_entropy(logits, probabilities, "mean"),
        got.data,
        "a float label such as 2.0 is a whole number: treat it as class 2",
    )


@pytest.mark.parametrize(
    ("logits_shape", "target_shape"),
    [((2, 4), (3,)), ((2, 4), (2, 5)), ((2, 4), (4, 2)), ((2, 4), (2, 4, 1))],
)
def test_target_of_the_wrong_shape_raises_value_error_naming_both_shapes(
    logits_shape, target_shape
):
    target = np.zeros(target_shape, np.int64 if len(target_shape) == 1 else np.float32)
    with pytest.raises(ValueError) as error:
        nn.CrossEntropyLoss()(Tensor(np.zeros(logits_shape, np.float32)), target)
    message = str(error.value)
    assert str(logits_shape) in message and str(target_shape) in message, (
        f"logits {logits_shape} with a target {target_shape} raised ValueError({message!r}); "
        "name both shapes"
    )


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4)])
def test_logits_that_are_not_2d_raise_value_error(shape):
    with pytest.raises(ValueError, match="CrossEntropyLoss"):
        nn.CrossEntropyLoss()(Tensor(np.zeros(shape, np.float32)), np.zeros(shape[0], np.int64))


def test_unknown_reduction_raises_value_error():
    with pytest.raises(ValueError) as error:
        nn.CrossEntropyLoss(reduction="average")
    assert "average" in str(error.value), (
        f"reduction='average' raised ValueError({str(error.value)!r}); name the bad value"
    )
