"""ex03: nn.Linear — initialisation bounds (both ends), reproducibility, forward values and
gradients against NumPy, shapes, float32, parameter registration and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Parameter, Tensor, nn
from core.random import manual_seed
from exercises.ex03_modules_and_losses.tests.oracles import numpy_linear
from exercises.testing.checks import assert_values

FORWARD_HINT = "y = x @ weight.T + bias: weight is stored (out, in), so transpose it"
# Wide layers: 200,000 weights reach within 0.1% of both bounds (with a fixed seed).
WIDE = [pytest.param(400, 500, id="400->500"), pytest.param(500, 400, id="500->400")]


@pytest.fixture(autouse=True)
def _seeded():
    manual_seed(0)


def _values(layer, name: str) -> np.ndarray:
    return getattr(layer, name).data


@pytest.mark.parametrize(("in_features", "out_features"), [(3, 2), (1, 5), (4, 4)])
def test_parameters_have_pytorch_shapes(in_features, out_features):
    layer = nn.Linear(in_features, out_features)
    got = (layer.weight.shape, layer.bias.shape)
    assert got == ((out_features, in_features), (out_features,)), (
        f"Linear({in_features}, {out_features}): weight and bias have shapes {got}; expected "
        f"weight (out_features, in_features) = {(out_features, in_features)} and bias "
        f"(out_features,) = {(out_features,)}"
    )


def test_parameters_are_float32_parameters_that_require_grad():
    layer = nn.Linear(3, 2)
    for name in ("weight", "bias"):
        value = getattr(layer, name)
        assert isinstance(value, Parameter), f"Linear.{name} is a {type(value).__name__}"
        assert value.requires_grad, f"Linear.{name} must require grad"
        assert value.dtype == np.float32, (
            f"Linear.{name} is {value.dtype}; rng.uniform gives float64: .astype(np.float32)"
        )


@pytest.mark.parametrize("name", ["weight", "bias"])
@pytest.mark.parametrize(("in_features", "out_features"), WIDE)
def test_init_never_leaves_the_bound_one_over_sqrt_in_features(name, in_features, out_features):
    bound = 1.0 / np.sqrt(in_features)
    values = _values(nn.Linear(in_features, out_features), name)
    assert np.abs(values).max() <= bound * (1 + 1e-6), (
        f"Linear({in_features}, {out_features}).{name} has |value| up to "
        f"{np.abs(values).max():.5f} but must stay within 1/sqrt(in_features) = {bound:.5f}; "
        "draw uniform(-bound, bound), not a normal distribution"
    )


@pytest.mark.parametrize("name", ["weight", "bias"])
@pytest.mark.parametrize(("in_features", "out_features"), WIDE)
def test_init_reaches_both_ends_of_the_bound(name, in_features, out_features):
    bound = 1.0 / np.sqrt(in_features)
    values = _values(nn.Linear(in_features, out_features), name)
    # 200,000 weights come within 0.1% of both ends; 400 biases within 5%.
    slack = 0.001 if name == "weight" else 0.05
    low, high = float(values.min()), float(values.max())
    assert low <= -bound * (1 - slack) and high >= bound * (1 - slack), (
        f"Linear({in_features}, {out_features}).{name} ranges over [{low:.5f}, {high:.5f}]; "
        f"uniform(-1/sqrt(in_features), 1/sqrt(in_features)) fills [{-bound:.5f}, {bound:.5f}]."
        " Is the bound 1/sqrt(in_features) (not 1/in_features, not out_features), and are both "
        "signs drawn?"
    )


@pytest.mark.parametrize(("in_features", "out_features"), WIDE)
def test_init_weights_are_spread_uniformly(in_features, out_features):
    bound = 1.0 / np.sqrt(in_features)
    weight = _values(nn.Linear(in_features, out_features), "weight")
    counts, _ = np.histogram(weight, bins=10, range=(-bound, bound))
    fractions = counts / weight.size
    assert np.all(np.abs(fractions - 0.1) < 0.01), (
        f"the weights of Linear({in_features}, {out_features}) are not uniform: the fractions "
        f"in 10 equal bins over [-bound, bound] are {np.round(fractions, 3)}, expected 0.1 each"
    )


def test_init_is_reproducible_with_manual_seed():
    manual_seed(7)
    first = nn.Linear(5, 4)
    manual_seed(7)
    second = nn.Linear(5, 4)
    for name in ("weight", "bias"):
        assert np.array_equal(_values(first, name), _values(second, name)), (
            f"after the same manual_seed(7), two Linear(5, 4) got different {name}s; draw "
            "from the shared generator core.random.generator(), not a new one"
        )


def test_two_layers_get_different_weights():
    first, second = nn.Linear(5, 4), nn.Linear(5, 4)
    assert not np.array_equal(first.weight.data, second.weight.data), (
        "two Linear(5, 4) created one after the other have identical weights; use the shared "
        "generator core.random.generator() (a fresh default_rng(0) restarts every time)"
    )


@given(
    batch=st.integers(1, 6),
    in_features=st.integers(1, 6),
    out_features=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_forward_matches_numpy_on_random_shapes(batch, in_features, out_features, seed):
    layer = nn.Linear(in_features, out_features)
    x = np.random.default_rng(seed).uniform(-2, 2, (batch, in_features)).astype(np.float32)
    got = layer(Tensor(x))
    expected = numpy_linear(x, layer.weight.data, layer.bias.data)
    assert_values(
        f"Linear({in_features}, {out_features}) on x {x.shape} is wrong",
        expected,
        got.data,
        FORWARD_HINT,
    )


def test_forward_uses_the_transposed_weight_on_a_square_layer():
    layer = nn.Linear(3, 3)
    layer.weight.data = np.array([[1, 0, 2], [0, 1, -1], [3, 0, 0]], np.float32)
    layer.bias.data = np.array([0.5, -0.5, 0.0], np.float32)
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], np.float32)
    assert_values(
        "Linear(3, 3) with weight [[1, 0, 2], [0, 1, -1], [3, 0, 0]] is wrong",
        numpy_linear(x, layer.weight.data, layer.bias.data),
        layer(Tensor(x)).data,
        FORWARD_HINT + "; x @ weight has the right shape on a square layer but the wrong values",
    )


def test_forward_of_one_sample_without_batch_axis_gives_a_vector():
    layer = nn.Linear(4, 3)
    x = np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    assert_values(
        "Linear(4, 3) on x of shape (4,) is wrong",
        numpy_linear(x, layer.weight.data, layer.bias.data),
        layer(Tensor(x)).data,
        "x: (in,) gives (out,): x @ weight.T + bias works for 1-D x too",
    )


def test_forward_accepts_a_numpy_array():
    layer = nn.Linear(2, 3)
    x = np.array([[1.0, 2.0]], np.float32)
    got = layer(x)
    assert isinstance(got, Tensor), f"Linear on an array returned {type(got).__name__}"
    assert_values(
        "Linear(2, 3) on an array is wrong",
        numpy_linear(x, layer.weight.data, layer.bias.data),
        got.data,
        "wrap an array input in a Tensor first",
    )


def test_forward_without_bias_is_x_times_weight_transposed():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None, f"Linear(3, 2, bias=False).bias is {layer.bias!r}, not None"
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    assert_values(
        "Linear(3, 2, bias=False) is wrong",
        numpy_linear(x, layer.weight.data, None),
        layer(Tensor(x)).data,
        "without a bias the layer is x @ weight.T",
    )


def test_forward_keeps_float32():
    layer = nn.Linear(3, 2)
    got = layer(Tensor(np.ones((4, 3), np.float32)))
    assert got.dtype == np.float32, f"Linear turned float32 input into {got.dtype}"


def test_gradients_match_the_matrix_formulas():
    rng = np.random.default_rng(1)
    layer = nn.Linear(4, 3)
    x = Tensor(rng.uniform(-1, 1, (5, 4)).astype(np.float32), requires_grad=True)
    upstream = rng.uniform(-1, 1, (5, 3)).astype(np.float32)
    layer(x).backward(upstream)
    g, xs, w = (np.asarray(a, np.float64) for a in (upstream, x.data, layer.weight.data))
    for title, expected, got in [
        ("dL/dweight = Gᵀ @ x", g.T @ xs, layer.weight.grad),
        ("dL/dbias = G summed over the batch", g.sum(axis=0), layer.bias.grad),
        ("dL/dx = G @ weight", g @ w, x.grad),
    ]:
        assert got is not None, f"{title}: no gradient arrived; build the output from tensor ops"
        assert_values(
            f"Linear(4, 3) gradient is wrong: {title}",
            expected,
            got,
            "compute the forward with tensor ops (x @ self.weight.T + self.bias) so that "
            "autograd sends the gradient to the parameters",
        )


def test_gradients_stay_float32():
    layer = nn.Linear(3, 2)
    layer(Tensor(np.ones((4, 3), np.float32))).sum().backward()
    dtypes = (layer.weight.grad.dtype, layer.bias.grad.dtype)
    assert dtypes == (np.float32, np.float32), f"gradients are {dtypes}, expected float32"


def test_named_parameters_are_weight_and_bias():
    names = [name for name, _ in nn.Linear(3, 2).named_parameters()]
    assert names == ["weight", "bias"], (
        f"named_parameters() gave {names}; assign self.weight = Parameter(...) and then "
        "self.bias = Parameter(...) after super().__init__()"
    )


def test_named_parameters_without_bias_is_weight_only():
    names = [name for name, _ in nn.Linear(3, 2, bias=False).named_parameters()]
    assert names == ["weight"], f"named_parameters() of Linear(3, 2, bias=False) gave {names}"


def test_repr_shows_the_sizes_like_pytorch():
    assert repr(nn.Linear(3, 2)) == "Linear(in_features=3, out_features=2, bias=True)"
    assert repr(nn.Linear(3, 2, bias=False)) == "Linear(in_features=3, out_features=2, bias=False)"


@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 3, 2)])
def test_input_with_the_wrong_last_dimension_is_a_clear_error(shape):
    layer = nn.Linear(3, 2)
    with pytest.raises(ValueError, match=r"Linear") as error:
        layer(Tensor(np.zeros(shape, np.float32)))
    message = str(error.value)
    assert "3" in message and str(shape) in message, (
        f"the error should name in_features=3 and the shape got {shape}; it says: {message}"
    )


@pytest.mark.parametrize(("in_features", "out_features"), [(0, 2), (3, -1), (2.5, 3), (2, "3")])
def test_sizes_that_are_not_positive_integers_are_rejected(in_features, out_features):
    with pytest.raises(ValueError, match="Linear"):
        nn.Linear(in_features, out_features)
