"""ex15 losses: focal loss with γ = 0 and no α is cross-entropy, class weights scale each
sample's gradient by w_{y_i} / Σ w, the binary focal loss matches its formula, and every loss
stays finite at logits of ±1e4."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, nn

RNG = np.random.default_rng(15)
LOGITS = RNG.normal(0, 2, (7, 4)).astype(np.float32)
LABELS = np.array([0, 1, 2, 3, 1, 1, 0])
WEIGHTS = np.array([0.5, 2.0, 1.0, 4.0], np.float32)
EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 1e4]], np.float32)
EXTREME_LABELS = np.array([1, 1, 0])


def value_and_grad(loss, logits, target):
    z = Tensor(logits.copy(), requires_grad=True)
    out = loss(z, target)
    out.sum().backward() if out.ndim else out.backward()
    return out.data, z.grad


def log_softmax(z):
    z = z.astype(np.float64)
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_focal_loss_with_gamma_0_and_no_alpha_equals_cross_entropy(reduction) -> None:
    focal, focal_grad = value_and_grad(nn.FocalLoss(0.0, None, reduction), LOGITS, LABELS)
    ce, ce_grad = value_and_grad(nn.CrossEntropyLoss(reduction), LOGITS, LABELS)
    np.testing.assert_allclose(focal, ce, rtol=1e-5, err_msg="FocalLoss(gamma=0) != CE values")
    np.testing.assert_allclose(
        focal_grad, ce_grad, rtol=1e-5, atol=1e-7, err_msg="FocalLoss(gamma=0) != CE gradients"
    )


@pytest.mark.parametrize("gamma", [0.5, 2.0])
@pytest.mark.parametrize("alpha", [None, 0.25, [0.1, 0.2, 0.3, 0.4]])
def test_focal_loss_matches_its_formula_per_sample(gamma, alpha) -> None:
    value, _ = value_and_grad(nn.FocalLoss(gamma, alpha, "none"), LOGITS, LABELS)
    log_p = log_softmax(LOGITS)[np.arange(len(LABELS)), LABELS]
    alpha_t = 1.0 if alpha is None else np.broadcast_to(np.asarray(alpha), (4,))[LABELS]
    expected = -alpha_t * (1 - np.exp(log_p)) ** gamma * log_p
    np.testing.assert_allclose(value, expected, rtol=1e-4, err_msg="-α_t (1-p_t)^γ log p_t")


def test_focal_loss_mean_divides_by_the_batch_size() -> None:
    each, _ = value_and_grad(nn.FocalLoss(2.0, None, "none"), LOGITS, LABELS)
    mean, _ = value_and_grad(nn.FocalLoss(2.0), LOGITS, LABELS)
    np.testing.assert_allclose(mean, each.mean(), rtol=1e-5)


def test_weighted_cross_entropy_mean_divides_by_the_sum_of_sample_weights() -> None:
    value, _ = value_and_grad(nn.WeightedCrossEntropyLoss(WEIGHTS), LOGITS, LABELS)
    w = WEIGHTS[LABELS]
    expected = -(w * log_softmax(LOGITS)[np.arange(7), LABELS]).sum() / w.sum()
    np.testing.assert_allclose(value, expected, rtol=1e-5, err_msg="mean = Σ w_i loss_i / Σ w_i")


@pytest.mark.parametrize("reduction", ["sum", "none"])
def test_weighted_cross_entropy_sum_and_none_weigh_each_sample(reduction) -> None:
    value, _ = value_and_grad(nn.WeightedCrossEntropyLoss(WEIGHTS, reduction), LOGITS, LABELS)
    each = -WEIGHTS[LABELS] * log_softmax(LOGITS)[np.arange(7), LABELS]
    np.testing.assert_allclose(value, each.sum() if reduction == "sum" else each, rtol=1e-5)


def test_class_weights_scale_each_samples_gradient_by_its_weight_over_the_sum() -> None:
    _, weighted = value_and_grad(nn.WeightedCrossEntropyLoss(WEIGHTS), LOGITS, LABELS)
    _, plain = value_and_grad(nn.CrossEntropyLoss("sum"), LOGITS, LABELS)
    scale = WEIGHTS[LABELS] / WEIGHTS[LABELS].sum()
    np.testing.assert_allclose(
        weighted,
        plain * scale[:, None],
        rtol=1e-5,
        atol=1e-7,
        err_msg="row i of the gradient must be w_{y_i} / Σ_j w_{y_j} times CE's per-sample one",
    )


def test_equal_class_weights_give_plain_cross_entropy() -> None:
    weighted, _ = value_and_grad(nn.WeightedCrossEntropyLoss(np.full(4, 3.0)), LOGITS, LABELS)
    plain, _ = value_and_grad(nn.CrossEntropyLoss(), LOGITS, LABELS)
    np.testing.assert_allclose(weighted, plain, rtol=1e-5)


BINARY_LOGITS = np.array([-3.0, -0.5, 0.0, 0.5, 2.0, 4.0], np.float32)
BINARY_TARGETS = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0], np.float32)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.75])
def test_binary_focal_loss_matches_its_formula(gamma, alpha) -> None:
    value, _ = value_and_grad(
        nn.BinaryFocalLoss(gamma, alpha, "none"), BINARY_LOGITS, BINARY_TARGETS
    )
    p = 1 / (1 + np.exp(-BINARY_LOGITS.astype(np.float64)))
    p_t = np.where(BINARY_TARGETS == 1, p, 1 - p)
    alpha_t = 1.0 if alpha is None else np.where(BINARY_TARGETS == 1, alpha, 1 - alpha)
    expected = -alpha_t * (1 - p_t) ** gamma * np.log(p_t)
    np.testing.assert_allclose(
        value, expected, rtol=1e-4, err_msg="α weighs class 1 and 1 - α class 0"
    )


def test_binary_focal_loss_with_gamma_0_equals_bce_with_logits() -> None:
    focal, focal_grad = value_and_grad(nn.BinaryFocalLoss(0.0), BINARY_LOGITS, BINARY_TARGETS)
    bce, bce_grad = value_and_grad(nn.BCEWithLogitsLoss(), BINARY_LOGITS, BINARY_TARGETS)
    np.testing.assert_allclose(focal, bce, rtol=1e-5)
    np.testing.assert_allclose(focal_grad, bce_grad, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "name, arguments",
    [
        ("FocalLoss", (2.0,)),
        ("FocalLoss", (0.5, [0.2, 0.3, 0.5])),
        ("WeightedCrossEntropyLoss", ([1, 2, 3],)),
    ],
    ids=["focal-gamma-2", "focal-gamma-half-alpha", "weighted-ce"],
)
def test_multiclass_losses_stay_finite_at_logits_of_1e4(name, arguments) -> None:
    loss = getattr(nn, name)(*arguments)
    value, grad = value_and_grad(loss, EXTREME, EXTREME_LABELS)
    assert np.isfinite(value).all(), f"{type(loss).__name__} at ±1e4 gave {value}"
    assert np.isfinite(grad).all(), f"{type(loss).__name__}'s gradient at ±1e4: {grad}"
    assert value > 1e3, "a wrong class at margin 2e4 must cost a lot, not be clipped to 0"


@pytest.mark.parametrize("gamma, alpha", [(2.0, 0.25), (0.5, None), (0.0, 0.75)])
def test_binary_focal_loss_stays_finite_at_logits_of_1e4(gamma, alpha) -> None:
    logits = np.array([1e4, -1e4, 1e4, -1e4], np.float32)
    value, grad = value_and_grad(
        nn.BinaryFocalLoss(gamma, alpha, "none"), logits, np.array([1.0, 0.0, 0.0, 1.0])
    )
    assert np.isfinite(value).all() and np.isfinite(grad).all(), (value, grad)
    assert value[:2] == pytest.approx([0, 0], abs=1e-6), "right at a huge margin costs 0"
    assert (value[2:] > 1e3).all(), "wrong at margin 1e4: log p_t = -1e4, never log(0)"
