"""ex11: ``class_score_gradient`` is d logit_c / d x — exactly the weight row c for a linear
model, the finite differences of the logit for an MLP, one independent row per image, for the
true class and for any other."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import Tensor, analysis
from exercises.ex11_saliency_and_weights.tests.subjects import (
    BATCH,
    CLASSES,
    finite_difference_gradient,
    linear_model,
    mlp,
    random_images,
)

CLASS_PARAMS = [pytest.param(c, id=f"class-{c}") for c in range(CLASSES)]


def test_gradient_is_a_float32_array_of_the_images_shape():
    x = random_images()
    got = analysis.class_score_gradient(mlp(), x, 0)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, (
        f"class_score_gradient returned {type(got).__name__} {getattr(got, 'dtype', '')}; "
        "expected a float32 NumPy array (the input's .grad, not a Tensor)"
    )
    assert got.shape == x.shape, (
        f"class_score_gradient returned shape {got.shape} for x of shape {x.shape}; expected "
        "one saliency map per image, the shape of x"
    )


@pytest.mark.parametrize("c", CLASS_PARAMS)
def test_linear_model_gradient_equals_its_weight_row_exactly(c):
    model = linear_model()
    weight = model.layers[0].weight.data
    got = analysis.class_score_gradient(model, random_images(), c)
    expected = np.broadcast_to(weight[c], got.shape)
    assert np.array_equal(got, expected), (
        f"for logits z = x @ W.T + b, d z_{c} / d x is W[{c}] for every image, exactly; got "
        f"rows differing from W[{c}] by up to {float(np.abs(got - expected).max()):.3g}. Take "
        "the gradient of the logit itself (no softmax, no loss) and backward a one-hot "
        f"upstream gradient with the 1 in column {c}"
    )


@settings(max_examples=30, deadline=None)
@given(
    count=st.integers(1, 6),
    features=st.integers(1, 20),
    classes=st.integers(2, 7),
    seed=st.integers(0, 2**16),
)
def test_linear_model_gradient_is_each_rows_weight_row_on_random_sizes(
    count, features, classes, seed
):
    model = linear_model(features, classes, seed)
    weight = model.layers[0].weight.data
    chosen = np.random.default_rng(seed).integers(0, classes, count)
    got = analysis.class_score_gradient(model, random_images(count, features, seed), chosen)
    assert np.array_equal(got, weight[chosen]), (
        f"MLPClassifier({features}, [], {classes}) with classes {chosen.tolist()}: row i of "
        "the gradient must be W[c_i], row c_i of the weight (C, D), exactly; got other values "
        f"(shape {np.shape(got)}, expected {weight[chosen].shape})"
    )


def test_linear_model_gradient_does_not_depend_on_the_image():
    model = linear_model()
    first = analysis.class_score_gradient(model, random_images(seed=1), 2)
    second = analysis.class_score_gradient(model, random_images(seed=2) * 0.1, 2)
    assert np.array_equal(first, second), (
        "for a linear model the gradient with respect to the input is the weight row, the "
        "same whatever the image; yours changes with x — is it the gradient with respect to "
        "the weights (which is x) instead of the input?"
    )


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("hidden_sizes", [[10], [8, 6]], ids=["one-hidden", "two-hidden"])
def test_mlp_gradient_matches_finite_differences_of_the_logit(hidden_sizes, activation):
    model = mlp(hidden_sizes, activation)
    x = random_images()
    classes = np.arange(BATCH) % CLASSES
    got = analysis.class_score_gradient(model, x, classes)
    expected = finite_difference_gradient(model, x, classes, activation)
    error = float(np.abs(got - expected).max())
    assert error <= 1e-4 * (1 + float(np.abs(expected).max())), (
        f"the gradient of MLPClassifier(12, {hidden_sizes}, 4, {activation!r}) differs from "
        f"central finite differences of logit z_(i, c_i) by up to {error:.3g}. Differentiate "
        "the logit (before any softmax) of row i's class c_i, with respect to x_i"
    )


@pytest.mark.parametrize("c", CLASS_PARAMS)
def test_one_class_for_all_rows_equals_that_class_given_per_row(c):
    model, x = mlp(), random_images()
    shared = analysis.class_score_gradient(model, x, c)
    per_row = analysis.class_score_gradient(model, x, np.full(BATCH, c))
    assert np.array_equal(shared, per_row), (
        f"class_score_gradient(model, x, {c}) differs from passing [{c}] * N; an int means "
        "the same class for every row"
    )


def test_each_row_is_the_gradient_of_its_own_image_alone():
    model, x = mlp(), random_images()
    classes = np.array([0, 1, 2, 3, 1])
    batch = analysis.class_score_gradient(model, x, classes)
    alone = np.concatenate(
        [
            analysis.class_score_gradient(model, x[i : i + 1], classes[i : i + 1])
            for i in range(BATCH)
        ]
    )
    np.testing.assert_allclose(
        batch,
        alone,
        rtol=1e-5,
        atol=1e-6,
        err_msg="row i of a batch must be d z_(i, c_i) / d x_i, as if image i were alone; "
        "backward a one-hot upstream gradient (N, C), one 1 per row, not a sum over classes",
    )


def test_true_and_other_classes_give_different_maps():
    model, x = mlp(), random_images()
    maps = [analysis.class_score_gradient(model, x, c) for c in range(CLASSES)]
    same = [c for c in range(1, CLASSES) if np.allclose(maps[c], maps[0])]
    assert not same, (
        f"the maps of classes {same} equal that of class 0: each class's logit has its own "
        "gradient; put the 1 of the one-hot upstream gradient in the chosen class's column"
    )


def test_a_tensor_input_gives_the_same_gradient_as_an_array():
    model, x = mlp(), random_images()
    from_tensor = analysis.class_score_gradient(model, Tensor(x), 1)
    from_array = analysis.class_score_gradient(model, x, 1)
    assert np.array_equal(from_tensor, from_array), (
        "class_score_gradient(model, Tensor(x), c) must equal class_score_gradient(model, x, c):"
        " take x.data when x is a Tensor"
    )
