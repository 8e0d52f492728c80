"""ex11: ``first_layer_weight_images`` shows row k of the first Linear's weight (H_out, D) as
neuron k's image — for a model with hidden layers and for one without (the class templates) —
picks neurons on request and returns a copy; ``mean_weight_image`` is the signed mean of all
of them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import analysis, nn
from exercises.ex11_saliency_and_weights.tests.subjects import (
    CLASSES,
    FEATURES,
    IMAGE_SHAPE,
    linear_model,
    mlp,
)

MODELS = {
    "one hidden layer": lambda: mlp([10]),
    "two hidden layers": lambda: mlp([7, 5]),
    "no hidden layer": linear_model,
    "a bare Sequential": lambda: nn.Sequential(nn.Linear(FEATURES, 6), nn.ReLU()),
}
MODEL_PARAMS = [pytest.param(make, id=name.replace(" ", "-")) for name, make in MODELS.items()]


def first_weight(model) -> np.ndarray:
    """The first Linear's weight (H_out, D), found by the test itself."""
    return next(m for m in model.modules() if isinstance(m, nn.Linear)).weight.data


@pytest.mark.parametrize("make", MODEL_PARAMS)
def test_weight_image_k_is_row_k_of_the_first_weight_reshaped(make):
    model = make()
    weight = first_weight(model)
    got = analysis.first_layer_weight_images(model, IMAGE_SHAPE)
    expected = weight.reshape(len(weight), *IMAGE_SHAPE)
    assert isinstance(got, np.ndarray) and got.shape == expected.shape, (
        f"first_layer_weight_images gave shape {np.shape(got)}; expected {expected.shape}: one "
        f"{IMAGE_SHAPE} image per first-layer neuron (the weight is (H_out, D) = {weight.shape})"
    )
    assert got.dtype == np.float32 and np.array_equal(got, expected), (
        "image k must be row k of the first Linear's weight, weight[k].reshape(image_shape) — "
        "the weight is (out, in), so do not transpose it; got other values "
        f"(dtype {got.dtype})"
    )


@settings(max_examples=30, deadline=None)
@given(height=st.integers(1, 6), width=st.integers(1, 6), neurons=st.integers(1, 9))
def test_weight_images_are_the_weight_rows_for_random_image_shapes(height, width, neurons):
    layer = nn.Linear(height * width, neurons)
    got = analysis.first_layer_weight_images(layer, (height, width))
    expected = layer.weight.data.reshape(neurons, height, width)
    assert np.shape(got) == expected.shape and np.array_equal(got, expected), (
        f"for Linear({height * width}, {neurons}) and image_shape ({height}, {width}) the "
        f"images must be weight[k].reshape({height}, {width}), shape {expected.shape}; got "
        f"shape {np.shape(got)}"
    )


def test_a_linear_model_has_one_weight_image_per_class():
    got = analysis.first_layer_weight_images(linear_model(), IMAGE_SHAPE)
    assert len(got) == CLASSES, (
        f"MLPClassifier({FEATURES}, [], {CLASSES}) has no hidden layer: its first layer is its "
        f"output layer, whose {CLASSES} rows are the class templates; got {len(got)} images"
    )


@pytest.mark.parametrize("neurons", [[3], [0, 9, 4], []], ids=["one", "three-in-order", "none"])
def test_neurons_picks_those_rows_in_the_order_given(neurons):
    model = mlp([10])
    weight = first_weight(model)
    got = analysis.first_layer_weight_images(model, IMAGE_SHAPE, neurons=neurons)
    expected = weight[np.asarray(neurons, np.int64)].reshape(len(neurons), *IMAGE_SHAPE)
    assert got.shape == expected.shape and np.array_equal(got, expected), (
        f"first_layer_weight_images(..., neurons={neurons}) must be the images of those "
        f"neurons in that order, shape {expected.shape}; got shape {got.shape}"
    )


def test_writing_into_the_weight_images_does_not_change_the_model():
    model = mlp()
    before = first_weight(model).copy()
    images = analysis.first_layer_weight_images(model, IMAGE_SHAPE)
    images[...] = 0
    assert np.array_equal(first_weight(model), before), (
        "zeroing the returned weight images zeroed the model's weights: return a copy "
        "(weight.reshape(...) is a view of the same memory)"
    )


@pytest.mark.parametrize("make", MODEL_PARAMS)
def test_mean_weight_image_is_the_signed_mean_over_neurons(make):
    model = make()
    weight = first_weight(model).astype(np.float64)
    got = analysis.mean_weight_image(model, IMAGE_SHAPE)
    expected = weight.mean(axis=0).reshape(IMAGE_SHAPE)
    assert np.shape(got) == IMAGE_SHAPE, (
        f"mean_weight_image gave shape {np.shape(got)}; expected one image, {IMAGE_SHAPE}"
    )
    np.testing.assert_allclose(
        got,
        expected,
        rtol=1e-5,
        atol=1e-6,
        err_msg="mean_weight_image is the mean over neurons (axis 0 of the (H_out, D) weight) "
        "of the signed weights, reshaped to image_shape — not the mean of |weight|",
    )
