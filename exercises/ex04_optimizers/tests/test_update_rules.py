"""ex04: SGD (plain, momentum, Nesterov, weight decay), Adam and AdamW follow their update rules
step by step, against float64 NumPy, with gradients set by hand on Parameters."""

from __future__ import annotations

import numpy as np
import pytest

from core import Parameter, optim
from exercises.ex04_optimizers.tests.oracles import adam_trajectory, sgd_trajectory, stepped
from exercises.testing.checks import assert_values

STEPS = 5
SHAPE = (2, 3)


def _start() -> np.ndarray:
    return np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.25]], np.float32)


def _gradients(seed: int = 0) -> list[np.ndarray]:
    """Different gradients every step, of mixed signs and sizes (float32)."""
    rng = np.random.default_rng(seed)
    scale = np.array([[1.0, 0.1, 3.0], [0.5, 2.0, 0.01]])
    return [(rng.normal(size=SHAPE) * scale).astype(np.float32) for _ in range(STEPS)]


SGD_CASES = [
    pytest.param({"lr": 0.1}, "p = p - lr·g", id="plain"),
    pytest.param(
        {"lr": 0.1, "momentum": 0.9},
        "b = g on the first step, then b = momentum·b + g; p = p - lr·b",
        id="momentum",
    ),
    pytest.param(
        {"lr": 0.1, "momentum": 0.9, "nesterov": True},
        "Nesterov steps along g + momentum·b (after updating b), not along b",
        id="nesterov",
    ),
    pytest.param(
        {"lr": 0.1, "weight_decay": 0.2},
        "weight decay adds weight_decay·p to the gradient before the step",
        id="weight-decay",
    ),
    pytest.param(
        {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.3},
        "add weight_decay·p to g BEFORE the momentum buffer, so the buffer includes it",
        id="momentum-weight-decay",
    ),
    pytest.param(
        {"lr": 0.05, "momentum": 0.5, "nesterov": True, "weight_decay": 0.1},
        "g = g + wd·p; b = momentum·b + g; step along g + momentum·b",
        id="nesterov-weight-decay",
    ),
]

ADAM_CASES = [
    pytest.param("Adam", {"lr": 0.01}, {}, id="Adam-defaults"),
    pytest.param(
        "Adam",
        {"lr": 0.1, "betas": (0.8, 0.9), "eps": 1e-2},
        {"betas": (0.8, 0.9), "eps": 1e-2},
        id="Adam-betas-eps",
    ),
    pytest.param(
        "Adam", {"lr": 0.05, "weight_decay": 0.3}, {"weight_decay": 0.3}, id="Adam-weight-decay"
    ),
    pytest.param(
        "AdamW",
        {"lr": 0.05, "weight_decay": 0.3},
        {"weight_decay": 0.3, "decoupled": True},
        id="AdamW",
    ),
    pytest.param(
        "AdamW", {"lr": 0.01}, {"weight_decay": 1e-2, "decoupled": True}, id="AdamW-defaults"
    ),
]
ADAM_HINT = (
    "m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; m̂ = m/(1-β1^t); v̂ = v/(1-β2^t); "
    "p = p - lr·m̂/(√v̂ + eps). Adam adds wd·p to g first; AdamW multiplies p by (1 - lr·wd) "
    "and leaves g alone"
)


def _assert_trajectory(title, expected, got, hint):
    for step, (want, have) in enumerate(zip(expected, got), start=1):
        assert_values(
            f"{title}: the parameter after step {step} is wrong",
            want,
            have,
            hint,
            rtol=1e-5,
            atol=1e-6,
        )


@pytest.mark.parametrize(("options", "hint"), SGD_CASES)
def test_sgd_follows_its_update_rule_step_by_step(options, hint):
    grads = _gradients()
    got = stepped(lambda params: optim.SGD(params, **options), _start(), grads)
    _assert_trajectory(f"SGD({options})", sgd_trajectory(_start(), grads, **options), got, hint)


@pytest.mark.parametrize(("name", "options", "oracle_options"), ADAM_CASES)
def test_adam_family_follows_its_update_rule_step_by_step(name, options, oracle_options):
    grads = _gradients(seed=1)
    got = stepped(lambda params: getattr(optim, name)(params, **options), _start(), grads)
    expected = adam_trajectory(_start(), grads, options["lr"], **oracle_options)
    _assert_trajectory(f"{name}({options})", expected, got, ADAM_HINT)


@pytest.mark.parametrize(
    ("name", "options", "oracle"),
    [
        pytest.param(
            "SGD",
            {"lr": 0.1, "momentum": 0.9},
            lambda p0, grads: sgd_trajectory(p0, grads, 0.1, momentum=0.9),
            id="SGD-momentum",
        ),
        pytest.param(
            "Adam", {"lr": 0.05}, lambda p0, grads: adam_trajectory(p0, grads, 0.05), id="Adam"
        ),
    ],
)
def test_state_is_kept_per_parameter(name, options, oracle):
    """A parameter without a gradient for two steps starts its buffers (and t) when one comes."""
    early, late = Parameter(_start()), Parameter(_start())
    optimizer = getattr(optim, name)([early, late], **options)
    grads = _gradients(seed=2)
    for step, grad in enumerate(grads):
        early.grad = grad.copy()
        late.grad = grad.copy() if step >= 2 else None
        optimizer.step()
    _assert_trajectory(
        f"{name}: a parameter first updated at step 3",
        oracle(_start(), grads[2:])[-1:],
        [late.data],
        "keep momentum buffers, m, v and the step count t per parameter (in self.state[i]); a "
        "skipped parameter's first real step is a first step (t = 1, buffer = g)",
    )


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
        ("Adam", {"lr": 0.1, "weight_decay": 0.1}),
        ("AdamW", {"lr": 0.1}),
    ],
)
def test_step_does_not_modify_the_gradient(name, options):
    p = Parameter(_start())
    optimizer = getattr(optim, name)([p], **options)
    grad = _gradients()[0]
    p.grad = grad.copy()
    optimizer.step()
    optimizer.step()
    assert np.array_equal(p.grad, grad), (
        f"{name}.step() changed p.grad in place (e.g. p.grad += wd·p, or a momentum buffer that "
        "is p.grad itself); compute a new array: g = p.grad + wd * p.data, buffer = g.copy()"
    )
