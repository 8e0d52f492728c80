"""ex04: every optimizer minimises a least-squares quadratic f(w) = ||A w - b||² in a fixed
number of steps, and StepLR / CosineAnnealingLR give the closed-form learning rate per epoch."""

from __future__ import annotations

import numpy as np
import pytest

from core import Parameter, Tensor, optim
from exercises.ex04_optimizers.tests.oracles import cosine_lr, step_lr


def _least_squares_problem():
    """A (8, 4) with singular values 2 ... 1 (well conditioned), b (8,), and the minimiser."""
    rng = np.random.default_rng(0)
    left, _ = np.linalg.qr(rng.normal(size=(8, 4)))
    right, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    a = left @ np.diag([2.0, 1.6, 1.3, 1.0]) @ right.T
    b = rng.normal(size=8)
    return a, b, np.linalg.lstsq(a, b, rcond=None)[0]


@pytest.mark.parametrize(
    ("name", "options", "steps"),
    [
        pytest.param("SGD", {"lr": 0.1}, 100, id="SGD"),
        pytest.param("SGD", {"lr": 0.05, "momentum": 0.5}, 100, id="SGD-momentum"),
        pytest.param(
            "SGD", {"lr": 0.05, "momentum": 0.5, "nesterov": True}, 100, id="SGD-nesterov"
        ),
        pytest.param("Adam", {"lr": 0.05}, 300, id="Adam"),
        pytest.param("AdamW", {"lr": 0.05, "weight_decay": 0.0}, 300, id="AdamW"),
    ],
)
def test_optimizer_minimises_a_quadratic(name, options, steps):
    a, b, w_star = _least_squares_problem()
    w = Parameter(np.zeros(4, np.float32))
    optimizer = getattr(optim, name)([w], **options)
    a_t, b_t = Tensor(a.astype(np.float32)), Tensor(b.astype(np.float32))
    for _ in range(steps):
        optimizer.zero_grad()
        residual = a_t @ w - b_t
        (residual * residual).sum().backward()
        optimizer.step()
    error = float(np.abs(w.data - w_star).max())
    assert error < 1e-4, (
        f"{name}({options}) after {steps} steps on f(w) = ||A w - b||² is {error:.3g} away from "
        f"the minimiser (w = {w.data}, expected {w_star}); check the update rule's sign and "
        "that zero_grad() clears the gradients between steps"
    )


STEP_LR = [
    pytest.param(0.2, 3, 0.5, id="step3-gamma0.5"),
    pytest.param(1.0, 1, 0.1, id="step1-gamma0.1"),
]
COSINE = [
    pytest.param(0.1, 10, 0.0, id="T10"),
    pytest.param(0.5, 7, 0.01, id="T7-eta_min0.01"),
]


def _optimizer(name: str, lr: float):
    return getattr(optim, name)([Parameter(np.zeros(2, np.float32))], lr=lr)


def _rates_per_epoch(optimizer, schedule, epochs: int) -> np.ndarray:
    """(optimizer.lr, schedule.get_lr()) for epochs 0 .. epochs - 1, one step() after each."""
    rates = []
    for _ in range(epochs):
        rates.append((optimizer.lr, schedule.get_lr()))
        schedule.step()
    return np.array(rates)


@pytest.mark.parametrize("optimizer_name", ["SGD", "Adam"])
@pytest.mark.parametrize(("base_lr", "step_size", "gamma"), STEP_LR)
def test_step_lr_follows_its_closed_form_every_epoch(optimizer_name, base_lr, step_size, gamma):
    optimizer = _optimizer(optimizer_name, base_lr)
    schedule = optim.StepLR(optimizer, step_size=step_size, gamma=gamma)
    got = _rates_per_epoch(optimizer, schedule, 10)
    want = [step_lr(base_lr, epoch, step_size, gamma) for epoch in range(10)]
    np.testing.assert_allclose(
        got,
        np.array([want, want]).T,
        rtol=1e-12,
        err_msg=(
            f"StepLR(step_size={step_size}, gamma={gamma}) from lr {base_lr}: (optimizer.lr, "
            "get_lr()) per epoch 0..9 should be base_lr·gamma^(epoch // step_size); epoch 0 "
            "is base_lr and each step() ends one epoch"
        ),
    )


@pytest.mark.parametrize("optimizer_name", ["SGD", "Adam"])
@pytest.mark.parametrize(("base_lr", "t_max", "eta_min"), COSINE)
def test_cosine_annealing_follows_its_closed_form_every_epoch(
    optimizer_name, base_lr, t_max, eta_min
):
    optimizer = _optimizer(optimizer_name, base_lr)
    schedule = optim.CosineAnnealingLR(optimizer, T_max=t_max, eta_min=eta_min)
    got = _rates_per_epoch(optimizer, schedule, t_max + 1)
    want = [cosine_lr(base_lr, epoch, t_max, eta_min) for epoch in range(t_max + 1)]
    np.testing.assert_allclose(
        got,
        np.array([want, want]).T,
        rtol=1e-9,
        atol=1e-12,
        err_msg=(
            f"CosineAnnealingLR(T_max={t_max}, eta_min={eta_min}) from lr {base_lr}: "
            "(optimizer.lr, get_lr()) per epoch 0..T_max should be eta_min + (base_lr - eta_min)"
            "·(1 + cos(π·epoch/T_max))/2"
        ),
    )


def test_scheduled_learning_rate_is_used_by_the_next_step():
    p = Parameter(np.zeros(1, np.float32))
    optimizer = optim.SGD([p], lr=1.0)
    schedule = optim.StepLR(optimizer, step_size=1, gamma=0.5)
    schedule.step()
    p.grad = np.ones(1, np.float32)
    optimizer.step()
    assert p.data[0] == pytest.approx(-0.5), (
        f"after one StepLR(step_size=1, gamma=0.5) epoch the step should use lr 0.5, but p "
        f"moved to {p.data[0]}; StepLR.step() must assign optimizer.lr and SGD.step() read it"
    )


@pytest.mark.parametrize(
    ("schedule", "options"),
    [
        pytest.param("StepLR", {"step_size": 0}, id="StepLR-step_size-0"),
        pytest.param("StepLR", {"step_size": 1.5}, id="StepLR-step_size-float"),
        pytest.param("StepLR", {"step_size": 2, "gamma": -0.1}, id="StepLR-gamma"),
        pytest.param("CosineAnnealingLR", {"T_max": 0}, id="Cosine-T_max-0"),
        pytest.param("CosineAnnealingLR", {"T_max": 5, "eta_min": -1.0}, id="Cosine-eta_min"),
    ],
)
def test_bad_schedule_arguments_are_a_clear_error(schedule, options):
    with pytest.raises(ValueError, match=schedule):
        getattr(optim, schedule)(_optimizer("SGD", 0.1), **options)


@pytest.mark.parametrize(
    ("schedule", "options"), [("StepLR", {"step_size": 2}), ("CosineAnnealingLR", {"T_max": 5})]
)
def test_schedule_of_something_without_lr_is_a_clear_error(schedule, options):
    with pytest.raises(TypeError, match=schedule):
        getattr(optim, schedule)(object(), **options)
