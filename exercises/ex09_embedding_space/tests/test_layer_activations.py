"""ex09: layer_activations — the output of a named layer for a data set, through a forward hook
that reads without changing anything and is gone once the function returns."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, analysis, models

from .networks import (
    IN_FEATURES,
    LAYER_WIDTHS,
    count_hook_calls,
    numpy_layer_outputs,
    rows,
    small_mlp,
)

LAYER_PARAMS = [pytest.param(name, id=name or "model") for name in LAYER_WIDTHS]


@pytest.mark.parametrize("layer_name", LAYER_PARAMS)
def test_activations_equal_a_numpy_forward_of_the_layer(layer_name):
    model, x = small_mlp(), rows(9)
    got = analysis.layer_activations(model, layer_name, x)
    expected = numpy_layer_outputs(model, x)[layer_name]
    assert np.shape(got) == expected.shape, (
        f"layer_activations(model, {layer_name!r}, x (9, {IN_FEATURES})) has shape "
        f"{np.shape(got)}; the layer's output is {expected.shape}: one row per row of x"
    )
    assert np.allclose(got, expected, atol=1e-5), (
        f"layer_activations(model, {layer_name!r}, x) differs from the layer's output computed "
        "in NumPy from the model's parameters: record the hook's `output` (not its inputs)"
    )


@given(
    count=st.integers(1, 9),
    in_features=st.integers(1, 6),
    hidden_sizes=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    batch_size=st.integers(1, 10),
)
def test_every_layer_of_any_mlp_matches_numpy(count, in_features, hidden_sizes, batch_size):
    model = models.MLPClassifier(in_features, hidden_sizes, 3)
    x = rows(count, in_features)
    for name, expected in numpy_layer_outputs(model, x).items():
        got = analysis.layer_activations(model, name, x, batch_size=batch_size)
        assert np.shape(got) == expected.shape and np.allclose(got, expected, atol=1e-5), (
            f"MLPClassifier({in_features}, {hidden_sizes}, 3), {count} rows in batches of "
            f"{batch_size}: layer {name!r} gave shape {np.shape(got)}, expected "
            f"{expected.shape}, or values that differ from a NumPy forward"
        )


@pytest.mark.parametrize("layer_name", LAYER_PARAMS)
def test_activations_are_a_float32_numpy_array(layer_name):
    got = analysis.layer_activations(small_mlp(), layer_name, rows(4))
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, (
        f"layer_activations gave {type(got).__name__} of dtype {getattr(got, 'dtype', None)}; "
        "return the stacked output.data as a float32 NumPy array"
    )


def test_pre_and_post_activation_are_different_arrays():
    model, x = small_mlp(), rows(20)
    pre = analysis.layer_activations(model, "layers.0", x)
    post = analysis.layer_activations(model, "layers.1", x)
    assert pre.min() < 0, "the Linear's output (pre-activation) should have negative entries"
    assert np.array_equal(post, np.maximum(pre, 0)), (
        "layers.1 (the ReLU) should give max(pre, 0) of layers.0 (the Linear) for the same x"
    )
    assert not np.shares_memory(pre, post), "pre- and post-activation share memory"


@pytest.mark.parametrize("batch_size", [1, 7, 20, 1024])
def test_batch_size_does_not_change_the_activations(batch_size):
    model, x = small_mlp(), rows(20)
    got = analysis.layer_activations(model, "layers.1", x, batch_size=batch_size)
    expected = numpy_layer_outputs(model, x)["layers.1"]
    assert np.shape(got) == expected.shape and np.allclose(got, expected, atol=1e-5), (
        f"with batch_size={batch_size} for 20 rows, layer_activations gave shape "
        f"{np.shape(got)} (expected {expected.shape}): keep the output of every batch, in order"
    )


def test_a_tensor_input_gives_the_same_activations_as_an_array():
    model, x = small_mlp(), rows(5)
    from_tensor = analysis.layer_activations(model, "layers.2", Tensor(x))
    assert np.allclose(from_tensor, analysis.layer_activations(model, "layers.2", x)), (
        "layer_activations(model, name, Tensor(x)) should equal layer_activations(model, name, x)"
    )


def test_the_hook_is_removed_when_the_function_returns(monkeypatch):
    model = small_mlp()
    calls = count_hook_calls(model.get_submodule("layers.1"), monkeypatch)
    analysis.layer_activations(model, "layers.1", rows(6), batch_size=2)
    assert len(calls) == 3, (
        f"the hook fired {len(calls)} times for 6 rows in batches of 2; register it with "
        "layer.register_forward_hook and run the model once per batch (3 times)"
    )
    model(Tensor(rows(4)))
    assert len(calls) == 3, (
        "the hook still fires after layer_activations returned: remove it "
        "(handle.remove(), or `with layer.register_forward_hook(hook):`)"
    )


def test_the_hook_is_removed_when_the_forward_raises(monkeypatch):
    model = small_mlp()
    calls = count_hook_calls(model.get_submodule("layers.1"), monkeypatch)

    def fail(module, inputs, output):
        raise RuntimeError("a later layer fails")

    failing = model.get_submodule("layers.2").register_forward_hook(fail)
    with failing, pytest.raises(RuntimeError, match="a later layer fails"):
        analysis.layer_activations(model, "layers.1", rows(3))
    fired = len(calls)
    model(Tensor(rows(3)))
    assert len(calls) == fired, (
        "after an error in the forward pass the hook is still registered: use "
        "`with layer.register_forward_hook(hook):` (or try/finally) so it is always removed"
    )


@pytest.mark.parametrize("layer_name", ["layers.0", "layers.1", "layers.2"])
def test_the_model_output_is_unchanged_while_the_hook_is_on(layer_name):
    model, x = small_mlp(), rows(8)
    seen = []
    with model.register_forward_hook(lambda module, inputs, output: seen.append(output)):
        analysis.layer_activations(model, layer_name, x)
    outputs = [np.asarray(getattr(output, "data", output)) for output in seen]
    expected = numpy_layer_outputs(model, x)[""]
    assert outputs and np.allclose(np.concatenate(outputs), expected, atol=1e-5), (
        f"while layer_activations(model, {layer_name!r}, x) ran, the model's logits changed: "
        "the hook must return None and must not modify output.data in place"
    )


def test_the_model_is_unchanged_after_the_call():
    model, x = small_mlp(), rows(8)
    before = model.state_dict()
    analysis.layer_activations(model, "layers.1", x)
    after = model.state_dict()
    assert all(np.array_equal(before[name], after[name]) for name in before), (
        "layer_activations changed the model's parameters"
    )
    assert np.allclose(model(Tensor(x)).data, numpy_layer_outputs(model, x)[""], atol=1e-5)


# ----- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("layer_name", ["layers.9", "hidden", "layers.0.weight"])
def test_an_unknown_layer_is_a_key_error_listing_the_layers(layer_name):
    with pytest.raises(KeyError) as caught:
        analysis.layer_activations(small_mlp(), layer_name, rows(2))
    message = str(caught.value)
    assert layer_name in message and "layers.0" in message and "layers.4" in message, (
        f"the KeyError for layer {layer_name!r} should name it and list the layers there are "
        f"(get_submodule's error does); got: {message}"
    )


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param((4, IN_FEATURES + 1), id="too-wide"),
        pytest.param((4, 3, 4), id="images-not-flattened"),
        pytest.param((IN_FEATURES,), id="one-row-1d"),
        pytest.param((0, IN_FEATURES), id="empty"),
    ],
)
def test_data_of_the_wrong_shape_is_a_value_error(shape):
    x = np.zeros(shape, np.float32)
    with pytest.raises(ValueError, match="layer_activations") as caught:
        analysis.layer_activations(small_mlp(), "layers.1", x)
    assert str(shape) in str(caught.value) and str(IN_FEATURES) in str(caught.value), (
        f"the error should name the shape got, {shape}, and the width the model takes, "
        f"{IN_FEATURES}; got: {caught.value}"
    )


@pytest.mark.parametrize("batch_size", [0, -3])
def test_a_batch_size_below_one_is_a_value_error(batch_size):
    with pytest.raises(ValueError, match=r"layer_activations.*batch_size"):
        analysis.layer_activations(small_mlp(), "layers.1", rows(3), batch_size=batch_size)
