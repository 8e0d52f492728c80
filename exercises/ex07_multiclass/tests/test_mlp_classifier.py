"""ex07: MLPClassifier — logits (B, C) against a NumPy forward of its own parameters, predict
and predict_proba, errors, and a training step that stays float32 end to end."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor, models, nn, optim
from exercises.ex06_binary_mlp_and_trainer.tests.classifiers import (
    assert_float32_array,
    assert_predictions,
    assert_rejects_arguments,
    numpy_mlp,
    sample,
)
from exercises.ex07_multiclass.tests.oracles import numpy_softmax
from exercises.testing.checks import assert_values


@given(
    batch=st.integers(1, 6),
    in_features=st.integers(1, 5),
    hidden_sizes=st.lists(st.integers(1, 5), max_size=2),
    classes=st.integers(2, 6),
)
def test_logits_match_numpy_mlp_of_its_own_parameters(batch, in_features, hidden_sizes, classes):
    model = models.MLPClassifier(in_features, hidden_sizes, classes)
    x = sample((batch, in_features))
    assert_values(
        f"MLPClassifier({in_features}, {hidden_sizes}, {classes}) logits are wrong",
        numpy_mlp(model, x),
        model(Tensor(x)).data,
        "Linear -> ReLU for each hidden size, then Linear(last, num_classes): logits (B, C)",
    )


def test_parameters_have_the_layer_shapes_in_order():
    model = models.MLPClassifier(64, [32, 16], 10)
    got = [tuple(p.shape) for p in model.parameters()]
    expected = [(32, 64), (32,), (16, 32), (16,), (10, 16), (10,)]
    assert got == expected, f"parameter shapes {got}; expected {expected}"


def test_predict_proba_is_the_float32_softmax_of_the_logits():
    model = models.MLPClassifier(4, [8], 3)
    x = sample((6, 4), seed=1)
    got = model.predict_proba(Tensor(x))
    assert_float32_array(got, "predict_proba")
    assert_values(
        "predict_proba is wrong",
        numpy_softmax(numpy_mlp(model, x), axis=1),
        got,
        "F.softmax of the logits over the classes (axis 1); rows sum to 1",
    )


@pytest.mark.parametrize("as_tensor", [True, False], ids=["tensor", "array"])
def test_predict_is_the_int64_argmax_of_the_logits(as_tensor):
    model = models.MLPClassifier(4, [8], 5)
    x = sample((30, 4), seed=2)
    got = model.predict(Tensor(x) if as_tensor else x)
    expected = numpy_mlp(model, x).argmax(axis=1)
    assert_predictions(got, expected, "the argmax of the logits over the classes")


@pytest.mark.parametrize(
    ("arguments", "mentions"),
    [
        ((4, [8], 1), "1"),
        ((4, [0], 3), "0"),
        ((0, [], 3), "0"),
        ((4, [8], 3, "gelu"), "gelu"),
    ],
    ids=["one-class", "zero-width", "zero-inputs", "unknown-activation"],
)
def test_bad_arguments_raise_value_error_naming_the_class(arguments, mentions):
    assert_rejects_arguments("MLPClassifier", arguments, mentions)


def test_a_training_step_stays_float32_end_to_end():
    model = models.MLPClassifier(8, [16, 12], 4)
    x = Tensor(sample((10, 8), seed=3))
    # int64 labels: a one-hot built from them with np.eye(C) would be float64 and upcast
    labels = np.random.default_rng(3).integers(0, 4, 10)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    dtypes = {}
    h = x
    for index, layer in enumerate(model.layers):
        h = layer(h)
        dtypes[f"activation after layer {index}"] = h.dtype
    dtypes["logits"] = model(x).dtype
    loss = nn.CrossEntropyLoss()(model(x), labels)
    dtypes["loss"] = loss.dtype
    loss.backward()
    optimizer.step()
    for name, parameter in model.named_parameters():
        dtypes[f"gradient of {name}"] = parameter.grad.dtype
        dtypes[f"parameter {name}"] = parameter.dtype
    upcast = {name: str(dtype) for name, dtype in dtypes.items() if dtype != np.float32}
    assert not upcast, f"these left float32 during a training step: {upcast}"
