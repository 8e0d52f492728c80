"""ex10: bad arguments are a ValueError that names the attack and the value it got — a bad ε,
images that are not (N, D) pixels in [0, 1] of the model's width, labels or targets that are
not one class index in [0, C) per image, and, for the iterative attack, a bad step count or step
size."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from exercises.ex10_adversarial_images.tests.victims import (
    ATTACKS,
    SMALL_BATCH,
    SMALL_CLASSES,
    small_victim,
)

# (what is wrong, the arguments changed, a text the message must show)
SHARED_MISTAKES = [
    ("negative epsilon", {"epsilon": -0.1}, "-0.1"),
    ("epsilon nan", {"epsilon": float("nan")}, "nan"),
    ("epsilon inf", {"epsilon": float("inf")}, "inf"),
    ("images 3-D", {"x": lambda x: x.reshape(SMALL_BATCH, 4, 4)}, "(6, 4, 4)"),
    ("pixels 0 to 16", {"x": lambda x: x * 16}, "[0, 1]"),
    ("images too narrow for the model", {"x": lambda x: x[:, :10]}, "(6, 10)"),
    ("one-hot labels", {"labels": lambda y: np.eye(SMALL_CLASSES)[y]}, "(6, 4)"),
    ("one label too few", {"labels": lambda y: y[:-1]}, "(5,)"),
    ("float labels", {"labels": lambda y: y.astype(np.float32)}, "float32"),
    ("label C", {"labels": lambda y: np.full_like(y, SMALL_CLASSES)}, f"[0, {SMALL_CLASSES})"),
    ("label -1", {"labels": lambda y: np.full_like(y, -1)}, "-1"),
    (
        "target class C",
        {"labels": lambda y: np.full_like(y, SMALL_CLASSES), "targeted": True},
        "target",
    ),
]
ITERATIVE_MISTAKES = [
    ("zero steps", {"steps": 0}, "0"),
    ("fractional steps", {"steps": 2.5}, "2.5"),
    ("zero step size", {"step_size": 0.0}, "0.0"),
    ("negative step size", {"step_size": -0.01}, "-0.01"),
    ("step size nan", {"step_size": float("nan")}, "nan"),
]
CASES = [
    pytest.param(name, what, changes, shows, id=f"{name}-{what.replace(' ', '-')}")
    for name in ATTACKS
    for what, changes, shows in SHARED_MISTAKES
    + (ITERATIVE_MISTAKES if name == "iterative_fgsm" else [])
]


def arguments(changes: dict) -> dict:
    """A good call on the small victim, with ``changes`` applied (a function changes the
    value it is given)."""
    victim = small_victim()
    call = {"model": victim.model, "x": victim.x, "labels": victim.labels, "epsilon": 0.1}
    for key, change in changes.items():
        call[key] = change(call[key]) if callable(change) else change
    return call


@pytest.mark.parametrize(("name", "what", "changes", "shows"), CASES)
def test_bad_argument_raises_value_error_naming_the_attack_and_the_value(
    name, what, changes, shows
):
    call = arguments(changes)
    with pytest.raises(ValueError) as error:
        getattr(analysis, name)(**call)
    message = str(error.value)
    assert name in message and shows in message, (
        f"{name} with {what} raised ValueError({message!r}); the message should name {name} "
        f"and show {shows!r}, and say how to call it instead"
    )
