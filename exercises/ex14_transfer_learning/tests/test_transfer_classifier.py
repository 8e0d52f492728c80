"""ex14: the transfer classifier — logits of a new head on the encoder's code, the head's
shape, the encoder's width read from its last Linear layer, and predict/predict_proba as in
MLPClassifier."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, models, nn
from core import random as gradkit_random
from exercises.ex07_multiclass.tests.oracles import numpy_softmax
from exercises.ex14_transfer_learning.tests.setups import (
    linears,
    numpy_mlp,
    small_autoencoder,
    small_images,
)

SHAPES = [
    pytest.param(4, 3, 5, id="code-4-classes-3-hidden-5"),
    pytest.param(1, 10, 32, id="code-1-classes-10-hidden-32"),
]


def classifier(bottleneck: int, classes: int, hidden: int):
    gradkit_random.manual_seed(1)
    encoder = small_autoencoder(bottleneck=bottleneck).encoder
    return models.TransferClassifier(encoder, classes, hidden=hidden)


@pytest.mark.parametrize(("bottleneck", "classes", "hidden"), SHAPES)
def test_the_head_is_linear_relu_linear_on_the_encoders_width(bottleneck, classes, hidden):
    model = classifier(bottleneck, classes, hidden)
    assert model.features == bottleneck, "the width of the encoder's last Linear layer"
    assert [layer.weight.shape for layer in linears(model.head)] == [
        (hidden, bottleneck),
        (classes, hidden),
    ]
    assert sum(isinstance(m, nn.ReLU) for m in model.head.modules()) == 1


def test_the_default_head_is_32_wide():
    model = models.TransferClassifier(small_autoencoder().encoder, 3)
    assert linears(model.head)[0].weight.shape == (32, 4)


def test_the_classifier_keeps_the_encoder_it_was_given():
    encoder = small_autoencoder().encoder
    assert models.TransferClassifier(encoder, 3).encoder is encoder


@pytest.mark.parametrize(("bottleneck", "classes", "hidden"), SHAPES)
def test_logits_are_the_head_applied_to_the_code(bottleneck, classes, hidden):
    model, x = classifier(bottleneck, classes, hidden), small_images()
    code = numpy_mlp(linears(model.encoder), x)
    expected = numpy_mlp(linears(model.head), code)
    logits = model(Tensor(x))
    assert logits.shape == (len(x), classes) and logits.dtype == np.float32
    np.testing.assert_allclose(logits.data, expected, rtol=1e-5, atol=1e-5)


def test_predict_proba_is_the_float32_softmax_of_the_logits():
    model, x = classifier(4, 3, 5), small_images()
    probabilities = model.predict_proba(x)
    assert isinstance(probabilities, np.ndarray) and probabilities.dtype == np.float32
    expected = numpy_softmax(model(Tensor(x)).data.astype(np.float64), axis=1)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5, atol=1e-6)


def test_predict_is_the_int64_argmax_of_the_logits():
    model, x = classifier(4, 3, 5), small_images(20)
    predicted = model.predict(x)
    assert predicted.dtype == np.int64 and predicted.shape == (20,)
    np.testing.assert_array_equal(predicted, model(Tensor(x)).data.argmax(axis=1))
