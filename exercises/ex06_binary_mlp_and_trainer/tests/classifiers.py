"""What the ex06 and ex07 suites check of an MLP classifier (ex07's suite imports it): a float64
NumPy forward of the model's own parameters, and the arrays predict / predict_proba return."""

from __future__ import annotations

import numpy as np
import pytest

from core import models
from exercises.ex03_modules_and_losses.tests.oracles import numpy_sigmoid

NUMPY_ACTIVATIONS = {
    "relu": lambda h: np.maximum(h, 0),
    "tanh": np.tanh,
    "sigmoid": numpy_sigmoid,
}


def sample(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Standard normal float32 inputs, reproducible by ``seed``."""
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def linear_layers(model) -> list:
    """The Linear modules of model.layers, in order."""
    return [layer for layer in model.layers if hasattr(layer, "weight")]


def numpy_mlp(model, x: np.ndarray, activation: str = "relu") -> np.ndarray:
    """The MLP's outputs (B, out) in float64 from the model's own parameters: every Linear of
    ``model.layers`` in turn, ``activation`` after each but the last."""
    h = np.asarray(x, np.float64)
    layers = linear_layers(model)
    for index, layer in enumerate(layers):
        h = h @ layer.weight.data.astype(np.float64).T + layer.bias.data.astype(np.float64)
        if index < len(layers) - 1:
            h = NUMPY_ACTIVATIONS[activation](h)
    return h


def assert_float32_array(got, method: str) -> None:
    """``got``, what ``method`` returned, is a float32 NumPy array."""
    __tracebackhide__ = True
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, (
        f"{method} returned {type(got).__name__} {getattr(got, 'dtype', '')}; "
        "expected a float32 NumPy array"
    )


def assert_predictions(got, expected: np.ndarray, rule: str) -> None:
    """``predict`` returned an int64 array equal to ``expected``; ``rule`` says how it is made."""
    __tracebackhide__ = True
    assert isinstance(got, np.ndarray) and got.dtype == np.int64 and got.shape == expected.shape, (
        f"predict returned {type(got).__name__} {getattr(got, 'dtype', '')} "
        f"{getattr(got, 'shape', '')}; expected an int64 array of shape {expected.shape}"
    )
    assert np.array_equal(got, expected), (
        f"predict is wrong at samples {np.flatnonzero(got != expected).tolist()}: {rule}"
    )


def assert_rejects_arguments(name: str, arguments: tuple, mentions: str) -> None:
    """``models.<name>(*arguments)`` raises a ValueError naming the class and ``mentions``."""
    __tracebackhide__ = True
    with pytest.raises(ValueError) as error:
        getattr(models, name)(*arguments)
    message = str(error.value)
    assert name in message and mentions in message, (
        f"{name}{arguments} raised ValueError({message!r}); the message should name {name} and "
        f"the bad value {mentions}"
    )
