"""ex08 confidence_map: P(class 1) at every grid point — the model's own ``predict_proba`` at
(xx[j, i], yy[j, i]), on a grid with more columns than rows; float32 (ny, nx); the same values
in batches of any size; no graph and no change to the model."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis, models
from exercises.ex08_confidence_maps.tests.classifiers import (
    MODELS,
    NX,
    NY,
    class_one_probability,
    classifier,
    grid,
)

MODEL_PARAMS = [pytest.param(name, id=name) for name in MODELS]


@pytest.mark.parametrize("name", MODEL_PARAMS)
def test_map_equals_predict_proba_at_every_grid_point(name):
    model = classifier(name)
    xx, yy = grid()
    field = analysis.confidence_map(model, xx, yy)
    assert field.shape == (NY, NX), (
        f"confidence_map on a grid of shape {(NY, NX)} gave shape {field.shape}; it should "
        "have the grid's shape (ny, nx)"
    )
    expected = class_one_probability(model, np.stack([xx.ravel(), yy.ravel()], axis=1))
    expected = expected.reshape(NY, NX)
    wrong = ~np.isclose(field, expected, rtol=1e-5, atol=1e-6)
    j, i = np.argwhere(wrong)[0] if wrong.any() else (0, 0)
    assert not wrong.any(), (
        f"{np.count_nonzero(wrong)} of {wrong.size} values differ from the model's "
        f"predict_proba at the grid point; e.g. [j={j}, i={i}] at (x, y) = "
        f"({xx[j, i]:.3f}, {yy[j, i]:.3f}): expected {expected[j, i]:.6f}, got "
        f"{field[j, i]:.6f}. Is the map transposed, or are x and y swapped? The grid points "
        "are the rows of [xx.ravel(), yy.ravel()], and the map is reshaped to xx.shape"
    )


def test_map_is_float32_in_zero_to_one():
    xx, yy = grid()
    field = analysis.confidence_map(classifier(), xx, yy)
    assert field.dtype == np.float32, f"the map should be float32; got {field.dtype}"
    assert ((field >= 0) & (field <= 1)).all(), (
        f"probabilities must lie in [0, 1]; got {field.min()} to {field.max()}; take the "
        "sigmoid of the logits (B,) or the softmax column 1 of logits (B, 2)"
    )


def test_map_of_the_docstring_example():
    model = models.BinaryMLPClassifier(2, [])
    weight, bias = model.parameters()
    weight.data[...] = [[1.0, -1.0]]
    bias.data[...] = 0.0
    for batch_size in (1, 4096):
        field = analysis.confidence_map(
            model, np.array([[0.0, 1.0]]), np.array([[0.0, 0.0]]), batch_size
        )
        np.testing.assert_allclose(
            field, [[0.5, 0.7310586]], rtol=1e-6, err_msg=f"the example, batch_size={batch_size}"
        )


@pytest.mark.parametrize("batch_size", [1, 3, 7, 34, 35, 36, 1000])
def test_batching_gives_the_same_values_as_one_pass(batch_size):
    model = classifier("binary-relu-2-layers")
    xx, yy = grid()
    one_pass = analysis.confidence_map(model, xx, yy, batch_size=NX * NY)
    batched = analysis.confidence_map(model, xx, yy, batch_size=batch_size)
    assert batched.shape == one_pass.shape, (
        f"with batch_size={batch_size} the map has shape {batched.shape}, in one pass "
        f"{one_pass.shape}; the last batch may be shorter than batch_size — keep it"
    )
    np.testing.assert_allclose(
        batched,
        one_pass,
        rtol=1e-6,
        atol=1e-7,
        err_msg=f"batch_size={batch_size} changed the values of the {NX * NY}-point map",
    )


@pytest.mark.parametrize("batch_size", [1, 8, 35, 100])
def test_each_forward_pass_takes_at_most_batch_size_points_and_all_are_taken_once(batch_size):
    model = classifier()
    sizes = []
    with model.register_forward_hook(
        lambda module, inputs, output: sizes.append(len(inputs[0].data))
    ):
        analysis.confidence_map(model, *grid(), batch_size=batch_size)
    total = NX * NY
    expected = [batch_size] * (total // batch_size) + (
        [total % batch_size] if total % batch_size else []
    )
    assert sizes == expected, (
        f"on {total} grid points with batch_size={batch_size}, the model saw batches of "
        f"{sizes}; expected {expected}: full batches, then the rest"
    )


def test_map_is_computed_without_a_graph():
    model = classifier()
    graphs = []
    with model.register_forward_hook(
        lambda module, inputs, output: graphs.append(output.requires_grad)
    ):
        analysis.confidence_map(model, *grid(), batch_size=10)
    assert graphs and not any(graphs), (
        f"{sum(graphs)} of {len(graphs)} forward passes built a graph (their output has "
        "requires_grad=True); run them inside `with no_grad():` — a map of 18,000 points "
        "otherwise keeps every intermediate array alive"
    )


def test_map_changes_neither_the_model_nor_the_grid():
    model = classifier()
    state = model.state_dict()
    xx, yy = grid()
    copies = xx.copy(), yy.copy()
    analysis.confidence_map(model, xx, yy, batch_size=9)
    for name, parameter in model.named_parameters():
        np.testing.assert_array_equal(parameter.data, state[name], err_msg=f"{name} changed")
        assert parameter.grad is None, f"{name} got a gradient from confidence_map"
        assert parameter.requires_grad, f"{name} lost requires_grad in confidence_map"
    np.testing.assert_array_equal(xx, copies[0], err_msg="confidence_map changed xx")
    np.testing.assert_array_equal(yy, copies[1], err_msg="confidence_map changed yy")
