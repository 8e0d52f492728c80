"""ex06: BinaryMLPClassifier — its layers, its logits against a NumPy forward of its own
parameters, predict / predict_proba, gradients reaching every parameter, and its errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, models, nn
from exercises.ex03_modules_and_losses.tests.oracles import numpy_sigmoid
from exercises.ex06_binary_mlp_and_trainer.tests.classifiers import (
    assert_float32_array,
    assert_predictions,
    assert_rejects_arguments,
    linear_layers,
    numpy_mlp,
    sample,
)
from exercises.testing.checks import assert_values


def numpy_logits(model, x: np.ndarray, activation: str = "relu") -> np.ndarray:
    """The binary MLP's logits (B,) in float64, from the model's own parameters."""
    return numpy_mlp(model, x, activation)[:, 0]


@given(
    batch=st.integers(1, 6),
    in_features=st.integers(1, 4),
    hidden_sizes=st.lists(st.integers(1, 5), max_size=2),
)
def test_forward_gives_one_float32_logit_per_sample(batch, in_features, hidden_sizes):
    model = models.BinaryMLPClassifier(in_features, hidden_sizes)
    logits = model(Tensor(sample((batch, in_features))))
    assert isinstance(logits, Tensor) and logits.shape == (batch,), (
        f"BinaryMLPClassifier({in_features}, {hidden_sizes}) on x of shape "
        f"{(batch, in_features)} gave {type(logits).__name__} of shape "
        f"{getattr(logits, 'shape', None)}; expected a Tensor of shape ({batch},): drop the "
        "last Linear's axis of size 1 with reshape"
    )
    assert logits.dtype == np.float32, f"logits are {logits.dtype}, expected float32"


@pytest.mark.parametrize(
    ("in_features", "hidden_sizes"), [(2, []), (2, [8]), (3, [5, 4]), (1, [2, 3, 2])]
)
def test_parameters_have_the_layer_shapes_in_order(in_features, hidden_sizes):
    model = models.BinaryMLPClassifier(in_features, hidden_sizes)
    sizes = [in_features, *hidden_sizes, 1]
    expected = []
    for n_in, n_out in itertools.pairwise(sizes):
        expected += [(n_out, n_in), (n_out,)]
    got = [tuple(p.shape) for p in model.parameters()]
    assert got == expected, (
        f"BinaryMLPClassifier({in_features}, {hidden_sizes}) has parameters of shapes {got}; "
        f"expected {expected}: Linear(in, out) per layer, the last one with 1 output"
    )


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_forward_matches_numpy_mlp_of_its_own_parameters(activation):
    model = models.BinaryMLPClassifier(3, [6, 4], activation=activation)
    x = sample((7, 3), seed=1)
    assert_values(
        f"BinaryMLPClassifier(3, [6, 4], activation={activation!r}) logits are wrong",
        numpy_logits(model, x, activation),
        model(Tensor(x)).data,
        f"Linear -> {activation} -> Linear -> {activation} -> Linear(4, 1); an activation after "
        "every hidden Linear and none after the last one",
    )


def test_predict_proba_is_float32_sigmoid_of_the_logits():
    model = models.BinaryMLPClassifier(2, [5])
    x = sample((9, 2), seed=2)
    got = model.predict_proba(Tensor(x))
    assert_float32_array(got, "predict_proba")
    assert_values(
        "predict_proba is wrong",
        numpy_sigmoid(numpy_logits(model, x)),
        got,
        "sigmoid of the logits, shape (B,)",
    )


def test_predict_is_int64_class_of_positive_logits():
    model = models.BinaryMLPClassifier(2, [5])
    x = sample((40, 2), seed=3)
    got = model.predict(Tensor(x))
    expected = (numpy_logits(model, x) > 0).astype(np.int64)
    assert_predictions(got, expected, "class 1 where the logit is > 0, else 0")


def test_predict_is_class_one_exactly_where_the_logit_is_positive():
    model = models.BinaryMLPClassifier(1, [])
    (layer,) = linear_layers(model)
    layer.weight.data[...] = 1.0
    layer.bias.data[...] = 0.0
    logits = np.array([-2.0, -0.3, 0.1, 0.4, 0.7, 3.0], np.float32)
    got = model.predict(Tensor(logits[:, None]))
    expected = (logits > 0).astype(np.int64)
    assert np.array_equal(got, expected), (
        f"a model whose logits are {logits.tolist()} predicted {np.asarray(got).tolist()}, "
        f"expected {expected.tolist()}: the threshold is 0 on the logits (probability 0.5), "
        "not 0.5 on the logits"
    )


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predictions_accept_arrays_as_well_as_tensors(method):
    model = models.BinaryMLPClassifier(2, [3])
    x = sample((4, 2), seed=4)
    from_tensor = getattr(model, method)(Tensor(x))
    from_array = getattr(model, method)(x)
    assert np.array_equal(np.asarray(from_tensor), np.asarray(from_array)), (
        f"{method} gives different results for an array and a Tensor of the same values; "
        "wrap an array in a Tensor first"
    )


def test_every_parameter_receives_a_float32_gradient():
    model = models.BinaryMLPClassifier(2, [4, 3])
    x = sample((6, 2), seed=5)
    y = (np.arange(6) % 2).astype(np.float32)
    nn.BCEWithLogitsLoss()(model(Tensor(x)), y).backward()
    for name, parameter in model.named_parameters():
        assert parameter.grad is not None, f"parameter {name} received no gradient"
        assert parameter.grad.dtype == np.float32 and parameter.grad.shape == parameter.shape, (
            f"gradient of {name} is {parameter.grad.shape} {parameter.grad.dtype}; "
            f"expected {parameter.shape} float32"
        )


@pytest.mark.parametrize(
    ("arguments", "mentions"),
    [
        ((2, [4], "swish"), "swish"),
        ((0, [4]), "0"),
        ((2, [4, 0]), "0"),
        ((2, [-3]), "-3"),
        ((2, [2.5]), "2.5"),
    ],
    ids=["unknown-activation", "zero-inputs", "zero-width", "negative-width", "float-width"],
)
def test_bad_arguments_raise_value_error_naming_the_class(arguments, mentions):
    assert_rejects_arguments("BinaryMLPClassifier", arguments, mentions)
