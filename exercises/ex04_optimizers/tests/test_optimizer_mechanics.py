"""ex04: what every optimizer does besides its formula: zero_grad, skipping parameters,
float32 kept, in-place updates, parameters given as a generator, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from core import Parameter, Tensor, optim

OPTIMIZERS = [
    pytest.param("SGD", {"lr": 0.1}, id="SGD"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, id="SGD-nesterov"),
    pytest.param("Adam", {"lr": 0.1, "weight_decay": 0.1}, id="Adam"),
    pytest.param("AdamW", {"lr": 0.1}, id="AdamW"),
]


def _parameter(seed: int = 0, shape=(3, 2)) -> Parameter:
    return Parameter(np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32))


def _gradient(p: Parameter, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, p.shape).astype(np.float32)


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_zero_grad_sets_every_gradient_to_none(name, options):
    params = [_parameter(0), _parameter(1, (4,))]
    optimizer = getattr(optim, name)(params, **options)
    for p in params:
        p.grad = _gradient(p)
    optimizer.zero_grad()
    grads = [p.grad for p in params]
    assert all(g is None for g in grads), (
        f"after {name}.zero_grad() the gradients are {grads}; set p.grad = None for every "
        "parameter (None, not zeros: step() then skips parameters that got no new gradient)"
    )


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_step_skips_parameters_without_a_gradient(name, options):
    with_grad, without = _parameter(0), _parameter(1)
    before = without.data.copy()
    optimizer = getattr(optim, name)([with_grad, without], **options)
    with_grad.grad = _gradient(with_grad)
    optimizer.step()
    assert np.array_equal(without.data, before), (
        f"{name}.step() changed a parameter whose grad is None (weight decay must not apply "
        "either); skip it"
    )


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_step_skips_parameters_that_do_not_require_grad(name, options):
    frozen = Parameter(_parameter(0).data, requires_grad=False)
    before = frozen.data.copy()
    trained = _parameter(1)
    optimizer = getattr(optim, name)([frozen, trained], **options)
    frozen.grad = _gradient(frozen)
    trained.grad = _gradient(trained)
    optimizer.step()
    assert np.array_equal(frozen.data, before), (
        f"{name}.step() changed a parameter with requires_grad=False (a frozen layer); skip it"
    )
    assert not np.array_equal(trained.data, _parameter(1).data), (
        f"{name}.step() did not update the trainable parameter next to the frozen one"
    )


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_step_keeps_parameters_float32_and_in_place(name, options):
    p = _parameter()
    array = p.data
    optimizer = getattr(optim, name)([p], **options)
    for seed in range(3):
        p.grad = _gradient(p, seed)
        optimizer.step()
    assert p.data.dtype == np.float32, (
        f"{name}.step() turned the parameter into {p.data.dtype}; keep the state arrays float32 "
        "(np.zeros_like(p.data)) and update with p.data -= ..."
    )
    assert p.data is array, (
        f"{name}.step() replaced p.data by a new array; update it in place (p.data -= ...), so "
        "that everything holding the parameter's array sees the new values"
    )


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_parameters_given_as_a_generator_are_all_updated_at_every_step(name, options):
    params = [_parameter(0), _parameter(1)]
    optimizer = getattr(optim, name)((p for p in params), **options)
    for step in range(2):
        before = [p.data.copy() for p in params]
        for p in params:
            p.grad = _gradient(p, step)
        optimizer.step()
        unchanged = [i for i, (p, b) in enumerate(zip(params, before)) if np.array_equal(p.data, b)]
        assert not unchanged, (
            f"{name}: at step {step + 1} parameters {unchanged} did not move; params may be a "
            "generator (model.parameters()): turn it into a list once, in __init__"
        )


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_lr_is_a_plain_attribute_that_step_reads(name):
    p = Parameter(np.zeros(3, np.float32))
    optimizer = getattr(optim, name)([p], lr=0.1)
    assert optimizer.lr == 0.1, f"{name}(lr=0.1).lr is {optimizer.lr!r}"
    optimizer.lr = 0.0
    p.grad = np.ones(3, np.float32)
    optimizer.step()
    assert np.array_equal(p.data, np.zeros(3, np.float32)), (
        f"after setting {name}.lr = 0, step() still moved the parameter to {p.data}; read "
        "self.lr in step(), since schedules change it between epochs"
    )


# ----- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
@pytest.mark.parametrize("lr", [-0.1, float("nan"), float("inf")])
def test_bad_learning_rate_is_a_clear_error(name, lr):
    with pytest.raises(ValueError, match=rf"{name}.*lr"):
        getattr(optim, name)([_parameter()], lr=lr)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
@pytest.mark.parametrize("params", [[], iter([])], ids=["empty-list", "empty-generator"])
def test_empty_parameter_list_is_a_clear_error(name, params):
    with pytest.raises(ValueError, match=rf"{name}.*empty"):
        getattr(optim, name)(params, lr=0.1)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_a_parameter_that_is_not_a_tensor_is_a_clear_error(name):
    with pytest.raises(TypeError, match=name):
        getattr(optim, name)([np.zeros(3, np.float32)], lr=0.1)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.999), (0.9, 1.5), (0.9,)])
def test_betas_outside_zero_one_are_a_clear_error(name, betas):
    with pytest.raises(ValueError, match=rf"{name}.*betas"):
        getattr(optim, name)([_parameter()], lr=0.1, betas=betas)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        pytest.param("SGD", {"momentum": -0.5}, id="SGD-momentum"),
        pytest.param("SGD", {"weight_decay": -0.1}, id="SGD-weight_decay"),
        pytest.param("SGD", {"nesterov": True}, id="SGD-nesterov-without-momentum"),
        pytest.param("Adam", {"eps": -1e-8}, id="Adam-eps"),
        pytest.param("Adam", {"weight_decay": -0.1}, id="Adam-weight_decay"),
        pytest.param("AdamW", {"weight_decay": -0.1}, id="AdamW-weight_decay"),
    ],
)
def test_bad_hyperparameter_is_a_clear_error(name, options):
    argument = "momentum" if "nesterov" in options else next(iter(options))
    with pytest.raises(ValueError, match=rf"{name}.*{argument}"):
        getattr(optim, name)([_parameter()], lr=0.1, **options)


def test_a_single_tensor_instead_of_a_list_is_a_clear_error():
    with pytest.raises(TypeError, match="SGD"):
        optim.SGD(Tensor(np.zeros(3, np.float32)), lr=0.1)
