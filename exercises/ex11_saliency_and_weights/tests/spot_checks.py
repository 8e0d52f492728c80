"""ex11's spot checks: saliency maps of drawn images through drawn linear models and MLPs, what a
measurement must leave as it was, and the weight images of drawn first layers (see
exercises/testing/probes)."""

from __future__ import annotations

import contextlib

import numpy as np

from core import Module, Tensor, analysis, models, nn
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex11_saliency_and_weights.tests.subjects import (
    BATCH,
    CLASSES,
    FEATURES,
    IMAGE_SHAPE,
    linear_model,
    random_images,
)
from exercises.testing.probes import Probe, parameter_id, test_named

MLPS = {
    "one hidden relu": ([10], "relu"),
    "one hidden tanh": ([10], "tanh"),
    "two hidden relu": ([10, 8], "relu"),
    "two hidden tanh": ([10, 8], "tanh"),
}


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def _mlp(rng: np.random.Generator, hidden_sizes: list[int], activation: str = "relu") -> Module:
    model = models.MLPClassifier(FEATURES, hidden_sizes, CLASSES, activation=activation)
    randomize_parameters(model, rng)
    return model


def _snapshot(model: Module) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """Copies of every parameter's values and gradient (all set), and its requires_grad."""
    return [(p.data.copy(), p.grad.copy(), p.requires_grad) for p in model.parameters()]


def _untouched(model: Module, snapshot: list[tuple[np.ndarray, np.ndarray, bool]]) -> bool:
    return all(
        p.grad is not None
        and np.array_equal(p.data, data)
        and np.array_equal(p.grad, grad)
        and p.requires_grad == trains
        for p, (data, grad, trains) in zip(model.parameters(), snapshot)
    )


def class_score_gradient(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """class_score_gradient of drawn images (5, 12): through a linear MLPClassifier(12, [], 4)
    with drawn weights, for each class as one int and for drawn classes per row; through
    MLPClassifier(12, hidden, 4) for [10] and [10, 8], ReLU and tanh, with drawn parameters, for
    drawn classes per row (and as a Tensor input for the first). Whether the maps are float32,
    and whether the model — with drawn gradients on its parameters, its first layer frozen, in
    training or in eval mode — is left exactly as it was, also after a call that raised."""
    x = random_images(BATCH, FEATURES, _seed(rng))
    classes = rng.integers(0, CLASSES, BATCH)
    linear = linear_model(FEATURES, CLASSES, _seed(rng))
    values = {
        f"linear, class {c}": analysis.class_score_gradient(linear, x, c) for c in range(CLASSES)
    }
    values["linear, per row"] = analysis.class_score_gradient(linear, x, classes)
    for title, (hidden_sizes, activation) in MLPS.items():
        values[title] = analysis.class_score_gradient(
            _mlp(rng, hidden_sizes, activation), x, classes
        )
    values["Tensor input"] = analysis.class_score_gradient(_mlp(rng, [10]), Tensor(x), classes)
    values["float32"] = flag(all(v.dtype == np.float32 for v in values.values()))
    left_alone = []
    for mode in ("train", "eval"):
        model = _mlp(rng, [10])
        for parameter in model.parameters():
            parameter.grad = rng.standard_normal(parameter.shape).astype(np.float32)
        model.get_submodule("layers.0").requires_grad_(False)
        getattr(model, mode)()
        snapshot, images = _snapshot(model), x.copy()
        analysis.class_score_gradient(model, x, classes)
        with contextlib.suppress(ValueError):
            analysis.class_score_gradient(model, x, CLASSES)  # a class out of range
        same_mode = model.training == (mode == "train")
        left_alone.append(same_mode and _untouched(model, snapshot) and np.array_equal(x, images))
    values["model and images left alone"] = flag(all(left_alone))
    return values


def _first_layers(rng: np.random.Generator) -> dict[str, Module]:
    """MLPClassifiers (12, [10], 4), (12, [10, 8], 4), (12, [], 4), a bare Sequential and a bare
    Linear(12, 6), each with drawn parameters."""
    found = {
        "one hidden layer": _mlp(rng, [10]),
        "two hidden layers": _mlp(rng, [10, 8]),
        "no hidden layer": _mlp(rng, []),
        "a bare Sequential": nn.Sequential(nn.Linear(FEATURES, 5), nn.ReLU(), nn.Linear(5, 3)),
        "a bare Linear": nn.Linear(FEATURES, 6),
    }
    for model in found.values():
        randomize_parameters(model, rng)
    return found


def first_layer_weight_images(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """first_layer_weight_images of drawn first layers (see _first_layers) on the image shape
    (3, 4), of the bare Linear on (2, 6), (6, 2) and (12, 1) too, and for drawn neurons in a
    drawn order; whether writing into the images leaves the model unchanged."""
    layers = _first_layers(rng)
    values = {
        title: analysis.first_layer_weight_images(model, IMAGE_SHAPE)
        for title, model in layers.items()
    }
    linear = layers["a bare Linear"]
    for shape in [(2, 6), (6, 2), (12, 1)]:
        values[f"a bare Linear on {shape}"] = analysis.first_layer_weight_images(linear, shape)
    neurons = rng.permutation(6)[: int(rng.integers(1, 6))]
    values["drawn neurons"] = analysis.first_layer_weight_images(linear, IMAGE_SHAPE, neurons)
    before = linear.weight.data.copy()
    analysis.first_layer_weight_images(linear, IMAGE_SHAPE)[...] = 0
    values["a copy"] = flag(np.array_equal(linear.weight.data, before))
    return values


def mean_weight_image(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """mean_weight_image of drawn first layers (see _first_layers) on the image shape (3, 4)."""
    return {
        title: analysis.mean_weight_image(model, IMAGE_SHAPE)
        for title, model in _first_layers(rng).items()
    }


PROBES = [
    Probe(
        "class_score_gradient",
        r"test_class_score_gradient\.py::|test_leaves_the_model_alone\.py::"
        r"|test_trained_digits\.py::|" + parameter_id("gradient"),
        class_score_gradient,
    ),
    Probe(
        "first_layer_weight_images",
        parameter_id("first_layer_weight_images")
        + "|"
        + parameter_id("images")
        + "|"
        + test_named(
            "test_a_model_of_one_linear_layer_is_its_own_first_layer",
            "test_weight_image_k_is_row_k_of_the_first_weight_reshaped",
            "test_weight_images_are_the_weight_rows_for_random_image_shapes",
            "test_a_linear_model_has_one_weight_image_per_class",
            "test_neurons_picks_those_rows_in_the_order_given",
            "test_writing_into_the_weight_images_does_not_change_the_model",
        ),
        first_layer_weight_images,
    ),
    Probe(
        "mean_weight_image",
        parameter_id("mean_weight_image")
        + "|"
        + test_named("test_mean_weight_image_is_the_signed_mean_over_neurons"),
        mean_weight_image,
    ),
]
