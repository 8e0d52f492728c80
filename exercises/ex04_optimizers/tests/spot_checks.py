"""ex04's spot checks: each optimizer's trajectory under grader-drawn gradients and its
bookkeeping, and both schedules' learning rate epoch by epoch (see exercises/testing/probes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from core import Parameter, optim
from exercises.ex04_optimizers.tests.oracles import stepped
from exercises.testing.probes import Probe, test_named

STEPS = 5
SHAPE = (2, 3)
Factory = Callable[[list[Parameter]], Any]

# The suite's tests of one optimizer or schedule carry its name among their parameters.
OPTIMIZER_TESTS = (
    "test_optimizer_minimises_a_quadratic",
    "test_zero_grad_sets_every_gradient_to_none",
    "test_step_skips_parameters_without_a_gradient",
    "test_step_skips_parameters_that_do_not_require_grad",
    "test_step_keeps_parameters_float32_and_in_place",
    "test_parameters_given_as_a_generator_are_all_updated_at_every_step",
    "test_lr_is_a_plain_attribute_that_step_reads",
    "test_bad_learning_rate_is_a_clear_error",
    "test_empty_parameter_list_is_a_clear_error",
    "test_a_parameter_that_is_not_a_tensor_is_a_clear_error",
    "test_betas_outside_zero_one_are_a_clear_error",
    "test_bad_hyperparameter_is_a_clear_error",
    "test_adam_family_follows_its_update_rule_step_by_step",
    "test_state_is_kept_per_parameter",
    "test_step_does_not_modify_the_gradient",
)
SCHEDULE_TESTS = (
    "test_bad_schedule_arguments_are_a_clear_error",
    "test_schedule_of_something_without_lr_is_a_clear_error",
)


def tests_of(name: str, functions: tuple[str, ...]) -> str:
    """``covers`` for the tests ``functions`` with ``name`` (a regular expression) among their
    parameters: ``test_x[SGD]``, ``test_x[nan-SGD]``, ``test_x[SGD-nesterov]``, not
    ``test_x[SGDW]``."""
    alternatives = "|".join(re.escape(function) for function in functions)
    return rf"::({alternatives})\[([^\]]*-)?{name}[\]-]"


def _start(rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(-2, 2, SHAPE).astype(np.float32)


def _gradients(rng: np.random.Generator) -> list[np.ndarray]:
    """STEPS gradients of mixed signs, each element on its own scale (0.01 to 3)."""
    scale = rng.choice([0.01, 0.1, 1.0, 3.0], SHAPE)
    return [(rng.standard_normal(SHAPE) * scale).astype(np.float32) for _ in range(STEPS)]


def bookkeeping(make: Factory, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Everything an optimizer does besides its formula, on four parameters given as a generator:
    one stepped every time, one that gets its first gradient at step 3, one that never gets a
    gradient, one with ``requires_grad=False``. Their values after the steps; the gradient left
    in the first (never modified); whether the first stayed the same float32 array; ``lr`` as
    given; whether ``zero_grad`` sets every gradient to None; the first after one more step
    with ``lr`` set to 0."""
    start, grads = _start(rng), _gradients(rng)
    every, late, unused = (Parameter(start.copy()) for _ in range(3))
    frozen = Parameter(start.copy(), requires_grad=False)
    params = [every, late, unused, frozen]
    array = every.data
    optimizer = make(p for p in params)
    for step, grad in enumerate(grads):
        every.grad = grad.copy()
        late.grad = grad.copy() if step >= 2 else None
        frozen.grad = grad.copy()
        optimizer.step()
    values = {name: p.data.copy() for name, p in zip(["every", "late", "unused", "frozen"], params)}
    values["gradient after the steps"] = every.grad
    values["float32 and in place"] = np.array(float(every.data is array and array.dtype == "f4"))
    values["lr"] = np.array(float(optimizer.lr))
    optimizer.zero_grad()
    values["zero_grad gives None"] = np.array(float(all(p.grad is None for p in params)))
    optimizer.lr = 0.0
    every.grad = grads[0].copy()
    optimizer.step()
    values["after a step with lr 0"] = every.data.copy()
    return values


# Each case names the hyperparameters drawn besides lr (see hyperparameters).
SGD_CASES = {
    "plain": (),
    "momentum": ("momentum",),
    "Nesterov": ("momentum", "nesterov"),
    "weight decay": ("weight_decay",),
    "momentum and weight decay": ("momentum", "weight_decay"),
    "Nesterov and weight decay": ("momentum", "nesterov", "weight_decay"),
}
ADAM_CASES = {"defaults": (), "betas and eps": ("betas", "eps"), "weight decay": ("weight_decay",)}
ADAMW_CASES = {"default weight decay": (), "weight decay": ("weight_decay",)}
RANGES = {
    "lr": (0.01, 0.1),
    "momentum": (0.5, 0.95),
    "weight_decay": (0.05, 0.5),
    "eps": (1e-3, 1e-2),
}


def hyperparameters(rng: np.random.Generator, names: tuple[str, ...]) -> dict[str, Any]:
    """lr and ``names``, drawn uniformly in their RANGES; nesterov is True, betas a drawn pair."""
    drawn: dict[str, Any] = {"lr": rng.uniform(*RANGES["lr"])}
    for name in names:
        if name == "nesterov":
            drawn[name] = True
        elif name == "betas":
            drawn[name] = (rng.uniform(0.5, 0.9), rng.uniform(0.9, 0.99))
        else:
            drawn[name] = rng.uniform(*RANGES[name])
    return drawn


def _optimizer_probe(
    name: str, cases: dict[str, tuple[str, ...]]
) -> Callable[[np.random.Generator], dict[str, np.ndarray]]:
    def make(options: dict[str, Any]) -> Factory:
        return lambda params: getattr(optim, name)(params, **options)

    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The optimizer's trajectory for the same drawn start and gradients in each case, with
        drawn hyperparameters; then its bookkeeping() with the last case's."""
        start, grads = _start(rng), _gradients(rng)
        values = {}
        for title, names in cases.items():
            options = hyperparameters(rng, names)
            values[f"{title} trajectory"] = stepped(make(options), start, grads)
        kept = bookkeeping(make(options), rng)
        values.update({f"bookkeeping: {key}": value for key, value in kept.items()})
        return values

    return compute


# ----- schedules --------------------------------------------------------------------------------


def _rates(optimizer_name: str, make_schedule: Callable[[Any], Any], base_lr: float, epochs: int):
    """(optimizer.lr, schedule.get_lr()) for epochs 0 .. epochs - 1, one step() after each."""
    optimizer = getattr(optim, optimizer_name)([Parameter(np.zeros(2, np.float32))], lr=base_lr)
    schedule = make_schedule(optimizer)
    rates = []
    for _ in range(epochs):
        rates.append((optimizer.lr, schedule.get_lr()))
        schedule.step()
    return np.array(rates)


def step_lr(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """StepLR with a drawn base lr, step_size and gamma, on SGD and on Adam: (optimizer.lr,
    get_lr()) for epochs 0..9; the parameter after an SGD step taken after one epoch of
    StepLR(step_size=1, gamma)."""
    base_lr, gamma = rng.uniform(0.1, 1.0), rng.uniform(0.1, 0.9)
    step_size = int(rng.integers(1, 4))
    values = {
        f"{name} rates": _rates(
            name, lambda o: optim.StepLR(o, step_size=step_size, gamma=gamma), base_lr, 10
        )
        for name in ("SGD", "Adam")
    }
    p = Parameter(np.zeros(1, np.float32))
    optimizer = optim.SGD([p], lr=base_lr)
    optim.StepLR(optimizer, step_size=1, gamma=gamma).step()
    p.grad = np.ones(1, np.float32)
    optimizer.step()
    values["after a scheduled step"] = p.data
    return values


def cosine_annealing_lr(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """CosineAnnealingLR with a drawn base lr, T_max and eta_min, on SGD and on Adam:
    (optimizer.lr, get_lr()) for epochs 0..T_max."""
    base_lr, t_max, eta_min = rng.uniform(0.1, 1.0), int(rng.integers(3, 12)), rng.uniform(0, 0.05)
    return {
        f"{name} rates": _rates(
            name,
            lambda o: optim.CosineAnnealingLR(o, T_max=t_max, eta_min=eta_min),
            base_lr,
            t_max + 1,
        )
        for name in ("SGD", "Adam")
    }


PROBES = [
    Probe(
        "SGD",
        tests_of("SGD", OPTIMIZER_TESTS)
        + "|"
        + test_named(
            "test_sgd_follows_its_update_rule_step_by_step",
            "test_a_single_tensor_instead_of_a_list_is_a_clear_error",
        ),
        _optimizer_probe("SGD", SGD_CASES),
    ),
    Probe("Adam", tests_of("Adam", OPTIMIZER_TESTS), _optimizer_probe("Adam", ADAM_CASES)),
    Probe("AdamW", tests_of("AdamW", OPTIMIZER_TESTS), _optimizer_probe("AdamW", ADAMW_CASES)),
    Probe(
        "StepLR",
        tests_of("StepLR", SCHEDULE_TESTS)
        + "|"
        + test_named(
            "test_step_lr_follows_its_closed_form_every_epoch",
            "test_scheduled_learning_rate_is_used_by_the_next_step",
        ),
        step_lr,
    ),
    Probe(
        "CosineAnnealingLR",
        tests_of("Cosine(AnnealingLR)?", SCHEDULE_TESTS)
        + "|"
        + test_named("test_cosine_annealing_follows_its_closed_form_every_epoch"),
        cosine_annealing_lr,
    ),
]
