"""ex11: bad arguments are a ValueError that names the function and the value it got — images
of the wrong shape for the model, a class out of range (or not one int per image), and, for the
weight images, a model whose first layer is not a Linear, an image shape of the wrong size, or a
neuron index out of range."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis, nn
from exercises.ex11_saliency_and_weights.tests.subjects import (
    BATCH,
    CLASSES,
    FEATURES,
    IMAGE_SHAPE,
    mlp,
    random_images,
)

# (what is wrong, the arguments changed, a text the message must show)
GRADIENT_MISTAKES = [
    ("images 3-D", {"x": lambda x: x.reshape(BATCH, 3, 4)}, "(5, 3, 4)"),
    ("one image 1-D", {"x": lambda x: x[0]}, "(12,)"),
    ("images too narrow for the model", {"x": lambda x: x[:, :10]}, "(5, 10)"),
    ("class C", {"classes": CLASSES}, f"[0, {CLASSES})"),
    ("class -1", {"classes": -1}, "-1"),
    ("one class per row, one too big", {"classes": np.array([0, 1, 2, 3, 4])}, "4"),
    ("one class too few", {"classes": np.zeros(BATCH - 1, np.int64)}, "(4,)"),
    ("float class", {"classes": 1.5}, "1.5"),
    ("one-hot classes", {"classes": np.eye(CLASSES, dtype=np.int64)[[0, 1, 2, 3, 0]]}, "(5, 4)"),
]
WEIGHT_MISTAKES = [
    ("first layer not a Linear", {"model": lambda m: nn.Sequential(nn.ReLU(), m)}, "ReLU"),
    ("image shape of the wrong size", {"image_shape": (8, 8)}, "(8, 8)"),
]
NEURON_MISTAKES = [
    ("neuron H_out", {"neurons": [10]}, "10"),
    ("neuron -1", {"neurons": [0, -1]}, "-1"),
    ("float neurons", {"neurons": [0.5]}, "0.5"),
]
CASES = (
    [
        pytest.param("class_score_gradient", what, changes, shows, id=f"gradient-{what}")
        for what, changes, shows in GRADIENT_MISTAKES
    ]
    + [
        pytest.param(name, what, changes, shows, id=f"{name}-{what}")
        for name in ("first_layer_weight_images", "mean_weight_image")
        for what, changes, shows in WEIGHT_MISTAKES
    ]
    + [
        pytest.param("first_layer_weight_images", what, changes, shows, id=f"images-{what}")
        for what, changes, shows in NEURON_MISTAKES
    ]
)


def arguments(name: str, changes: dict) -> dict:
    """A good call of ``name`` on a small MLPClassifier(12, [10], 4), with ``changes`` applied
    (a function changes the value it is given)."""
    call = {"model": mlp([10])}
    if name == "class_score_gradient":
        call.update(x=random_images(), classes=np.arange(BATCH) % CLASSES)
    else:
        call["image_shape"] = IMAGE_SHAPE
    for key, change in changes.items():
        call[key] = change(call[key]) if callable(change) else change
    return call


@pytest.mark.parametrize(("name", "what", "changes", "shows"), CASES)
def test_bad_argument_raises_value_error_naming_the_function_and_the_value(
    name, what, changes, shows
):
    call = arguments(name, changes)
    with pytest.raises(ValueError) as error:
        getattr(analysis, name)(**call)
    message = str(error.value)
    assert name in message and shows in message, (
        f"{name} with {what} raised ValueError({message!r}); the message should name {name} "
        f"and show {shows!r}, and say how to call it instead"
    )


def test_a_model_of_one_linear_layer_is_its_own_first_layer():
    layer = nn.Linear(FEATURES, 3)
    got = analysis.first_layer_weight_images(layer, IMAGE_SHAPE)
    assert got.shape == (3, *IMAGE_SHAPE), (
        "a bare nn.Linear has no submodules: it is itself the first layer; expected "
        f"(3, {IMAGE_SHAPE}) images, got shape {got.shape}"
    )
