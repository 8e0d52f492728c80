"""ex13: ``models.EdgeMLP`` gives one logit per pixel, computed as its own layers say;
``predict_proba`` is their sigmoid and ``predict`` the mask at a threshold."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core import Tensor, models
from core import random as gradkit_random

ARCHITECTURES = [
    pytest.param(16, [], id="linear"),
    pytest.param(64, [32], id="one-hidden-layer"),
    pytest.param(25, [12, 7], id="two-hidden-layers"),
]


def numpy_forward(model, x: np.ndarray) -> np.ndarray:
    """Logits from the model's own parameters: Linear, ReLU, ..., Linear."""
    params = [p.data.astype(np.float64) for p in model.parameters()]
    h = x.astype(np.float64)
    pairs = list(zip(params[::2], params[1::2], strict=True))
    for i, (weight, bias) in enumerate(pairs):
        h = h @ weight.T + bias  # nn.Linear's weight is (out, in)
        if i < len(pairs) - 1:
            h = np.maximum(h, 0)
    return h


def make_model(in_features, hidden, seed=0):
    gradkit_random.manual_seed(seed)
    return models.EdgeMLP(in_features, hidden)


def images(n, d, seed=1):
    return np.random.default_rng(seed).uniform(size=(n, d)).astype(np.float32)


@pytest.mark.parametrize(("in_features", "hidden"), ARCHITECTURES)
def test_edge_mlp_gives_one_logit_per_pixel_from_its_layers(in_features, hidden):
    model = make_model(in_features, hidden)
    x = images(5, in_features)
    logits = model(Tensor(x))
    assert logits.shape == (5, in_features), (
        f"EdgeMLP({in_features}, {hidden}) gave logits {logits.shape} for 5 images; one per "
        f"pixel is (5, {in_features})"
    )
    np.testing.assert_allclose(
        logits.data,
        numpy_forward(model, x),
        rtol=1e-4,
        atol=1e-5,
        err_msg="EdgeMLP logits differ from Linear -> ReLU -> ... -> Linear(last, in_features) "
        "on the model's own parameters",
    )


@pytest.mark.parametrize(("in_features", "hidden"), ARCHITECTURES)
def test_edge_mlp_has_a_weight_and_bias_per_linear_layer(in_features, hidden):
    model = make_model(in_features, hidden)
    sizes = [in_features, *hidden, in_features]
    expected = sum(a * b + b for a, b in itertools.pairwise(sizes))
    got = sum(p.data.size for p in model.parameters())
    assert got == expected, (
        f"EdgeMLP({in_features}, {hidden}) has {got} parameters; layers of sizes {sizes} "
        f"have {expected}: is the last layer Linear({sizes[-2]}, {in_features})?"
    )


def test_edge_mlp_predict_proba_is_the_sigmoid_of_the_logits():
    model = make_model(16, [8])
    x = images(4, 16)
    expected = 1 / (1 + np.exp(-model(Tensor(x)).data.astype(np.float64)))
    got = model.predict_proba(x)
    assert got.dtype == np.float32 and got.shape == (4, 16), (
        f"predict_proba gave {got.dtype} {got.shape}; expected float32 (4, 16)"
    )
    np.testing.assert_allclose(got, expected, rtol=1e-5, err_msg="predict_proba = sigmoid(logits)")


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_edge_mlp_predict_is_the_mask_at_the_threshold(threshold):
    model = make_model(16, [8])
    x = images(6, 16)
    probabilities = model.predict_proba(x)
    got = model.predict(x, threshold=threshold)
    assert got.dtype == np.bool_, f"predict gave {got.dtype}; a mask is bool"
    np.testing.assert_array_equal(
        got, probabilities >= threshold, err_msg=f"predict(x, {threshold}) = proba >= {threshold}"
    )


def test_edge_mlp_predict_thresholds_at_one_half_by_default():
    model = make_model(16, [8])
    x = images(6, 16)
    np.testing.assert_array_equal(model.predict(x), model.predict_proba(x) >= 0.5)
