"""ex03: ReLU, Sigmoid and Tanh as modules (values, gradients, float32), and nn.Sequential
(chaining, registration as "0", "1", ..., len, indexing, iteration, errors)."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, nn
from core.random import manual_seed
from exercises.ex03_modules_and_losses.tests.oracles import numpy_linear, numpy_sigmoid
from exercises.testing.checks import assert_values

ACTIVATIONS = [
    pytest.param("ReLU", lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float), id="ReLU"),
    pytest.param(
        "Sigmoid",
        numpy_sigmoid,
        lambda x: numpy_sigmoid(x) * (1 - numpy_sigmoid(x)),
        id="Sigmoid",
    ),
    pytest.param("Tanh", np.tanh, lambda x: 1 - np.tanh(x) ** 2, id="Tanh"),
]
SHAPES = [(5,), (3, 4), (2, 3, 2)]


@pytest.fixture(autouse=True)
def _seeded():
    manual_seed(0)


def _inputs(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Values away from relu's kink at 0."""
    rng = np.random.default_rng(seed)
    return (rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 3.0, shape)).astype(np.float32)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("name", "function", "derivative"), ACTIVATIONS)
def test_activation_module_matches_numpy(name, function, derivative, shape):
    x = _inputs(shape)
    got = getattr(nn, name)()(Tensor(x))
    assert_values(
        f"{name}() on x {shape} is wrong",
        function(x.astype(np.float64)),
        got.data,
        f"{name}.forward applies the elementwise op of ex01 to x",
    )


@pytest.mark.parametrize(("name", "function", "derivative"), ACTIVATIONS)
def test_activation_module_gradient_matches_the_derivative(name, function, derivative):
    x = _inputs((3, 4), seed=1)
    upstream = np.random.default_rng(2).uniform(-1, 1, (3, 4)).astype(np.float32)
    t = Tensor(x, requires_grad=True)
    getattr(nn, name)()(t).backward(upstream)
    assert t.grad is not None, f"{name}: no gradient reached the input; use the tensor op"
    assert_values(
        f"{name}() gradient is wrong",
        upstream * derivative(x.astype(np.float64)),
        t.grad,
        "call the tensor op (x.relu(), x.sigmoid(), x.tanh()) so autograd knows the derivative",
    )


@pytest.mark.parametrize(("name", "function", "derivative"), ACTIVATIONS)
def test_activation_module_keeps_float32_and_has_no_parameters(name, function, derivative):
    module = getattr(nn, name)()
    out = module(Tensor(_inputs((2, 3))))
    assert out.dtype == np.float32, f"{name} turned float32 into {out.dtype}"
    assert list(module.parameters()) == [], f"{name} should have no parameters"


def _mlp():
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))


def _numpy_mlp(model, x: np.ndarray) -> np.ndarray:
    first, _, last = model[0], model[1], model[2]
    hidden = np.tanh(numpy_linear(x, first.weight.data, first.bias.data))
    return numpy_linear(hidden, last.weight.data, last.bias.data)


def test_sequential_applies_its_modules_in_order():
    model = _mlp()
    x = _inputs((5, 3))
    assert_values(
        "Sequential(Linear(3, 4), Tanh(), Linear(4, 2)) is wrong",
        _numpy_mlp(model, x.astype(np.float64)),
        model(Tensor(x)).data,
        "forward feeds x through each module in order: x = module(x)",
    )


def test_sequential_registers_parameters_by_position():
    names = [
        name
        for name, _ in nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).named_parameters()
    ]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"], (
        f"named_parameters() gave {names}; register module i as a submodule named str(i): "
        "setattr(self, str(i), module) after super().__init__()"
    )


def test_sequential_gradients_reach_every_parameter():
    model = _mlp()
    x = _inputs((5, 3), seed=3).astype(np.float64)
    upstream = np.random.default_rng(4).uniform(-1, 1, (5, 2))
    model(Tensor(x.astype(np.float32))).backward(upstream.astype(np.float32))
    first, last = model[0], model[2]
    hidden = np.tanh(numpy_linear(x, first.weight.data, first.bias.data))
    g_hidden = (upstream @ last.weight.data.astype(np.float64)) * (1 - hidden**2)
    expected = {
        "0.weight": g_hidden.T @ x,
        "0.bias": g_hidden.sum(axis=0),
        "2.weight": upstream.T @ hidden,
        "2.bias": upstream.sum(axis=0),
    }
    for name, parameter in model.named_parameters():
        assert parameter.grad is not None, f"Sequential: no gradient reached {name}"
        assert_values(
            f"Sequential gradient of {name} is wrong",
            expected[name],
            parameter.grad,
            "backpropagation through Linear -> Tanh -> Linear, by the chain rule",
            rtol=1e-4,
            atol=1e-5,
        )


def test_sequential_len_counts_its_modules():
    assert len(_mlp()) == 3, f"len(Sequential of 3 modules) gave {len(_mlp())}"


@pytest.mark.parametrize(("index", "kind"), [(0, "Linear"), (1, "Tanh"), (-1, "Linear")])
def test_sequential_indexing_gives_the_module_at_that_position(index, kind):
    model = _mlp()
    got = model[index]
    assert got is list(model._modules.values())[index] and type(got).__name__ == kind, (
        f"Sequential[{index}] gave {got!r}, expected the {kind} at position {index}"
    )


def test_sequential_iterates_over_its_modules_in_order():
    model = _mlp()
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear"]


def test_sequential_rejects_a_class_instead_of_a_module():
    with pytest.raises(TypeError, match="Sequential"):
        nn.Sequential(nn.Linear(2, 3), nn.ReLU)
