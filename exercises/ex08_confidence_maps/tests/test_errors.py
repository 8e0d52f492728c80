"""ex08: bad arguments are a ValueError that names the function and the value it got — a grid
of zero or negative resolution, a negative margin, points of the wrong shape or none, a grid of
the wrong shape, points of the wrong width for the model, probabilities that are not a map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from core import analysis, models
from core import random as gradkit_random
from exercises.ex08_confidence_maps.tests.classifiers import (
    NX,
    NY,
    classifier,
    field,
    grid,
    labels_of,
    points,
)

# (what is wrong, the arguments changed, a text the message must show)
GRID_MISTAKES = [
    ("resolution 0", {"resolution": 0}, "0"),
    ("negative resolution", {"resolution": -5}, "-5"),
    ("resolution 1", {"resolution": 1}, "1"),
    ("zero in the pair", {"resolution": (10, 0)}, "(10, 0)"),
    ("negative in the pair", {"resolution": (-3, 10)}, "(-3, 10)"),
    ("fractional resolution", {"resolution": 2.5}, "2.5"),
    ("three numbers", {"resolution": (4, 4, 4)}, "(4, 4, 4)"),
    ("negative margin", {"margin": -0.1}, "-0.1"),
    ("margin nan", {"margin": float("nan")}, "nan"),
    ("points (N, 3)", {"points": lambda p: np.c_[p, p[:, :1]]}, "(40, 3)"),
    ("points 1-D", {"points": lambda p: p[:, 0]}, "(40,)"),
    ("no points", {"points": lambda p: p[:0]}, "(0, 2)"),
    ("points with nan", {"points": lambda p: np.where(p > 0, np.nan, p)}, "finite"),
]
MAP_MISTAKES = [
    ("xx and yy of two shapes", {"yy": lambda yy: yy[:-1]}, "(4, 7)"),
    ("a flat grid", {"xx": lambda xx: xx.ravel(), "yy": lambda yy: yy.ravel()}, "(35,)"),
    ("batch_size 0", {"batch_size": 0}, "0"),
    ("negative batch_size", {"batch_size": -4}, "-4"),
    ("fractional batch_size", {"batch_size": 2.5}, "2.5"),
    ("a model of 3-D points", {"model": "three-inputs"}, "(B, 2)"),
    ("a model of 3 classes", {"model": "three-classes"}, "(35, 3)"),
]
PLOT_MISTAKES = [
    ("probabilities of another shape", {"probabilities": lambda p: p.T}, "(7, 5)"),
    ("logits instead of probabilities", {"probabilities": lambda p: 10 * p - 5}, "[0, 1]"),
    ("xx and yy of two shapes", {"yy": lambda yy: yy[:, :-1]}, "(5, 6)"),
    ("even levels", {"levels": 10}, "10"),
    ("levels 1", {"levels": 1}, "1"),
    ("points without labels", {"labels": None}, "labels"),
    ("labels without points", {"points": None}, "points"),
    ("points (N, 3)", {"points": lambda p: np.c_[p, p[:, :1]]}, "(40, 3)"),
    ("labels 1 and 2", {"labels": lambda y: y + 1}, "0 or 1"),
    ("one label too few", {"labels": lambda y: y[:-1]}, "(39,)"),
]


def changed(call: dict, changes: dict) -> dict:
    """``call`` with ``changes`` applied (a function changes the value it is given)."""
    call = dict(call)
    for key, change in changes.items():
        call[key] = change(call[key]) if callable(change) else change
    return call


def other_model(kind: str):
    gradkit_random.manual_seed(0)
    if kind == "three-inputs":
        return models.BinaryMLPClassifier(3, [4])
    return models.MLPClassifier(2, [4], 3)


def check_message(function: str, what: str, call: dict, shows: str) -> None:
    with pytest.raises(ValueError) as error:
        getattr(analysis, function)(**call)
    message = str(error.value)
    assert function in message and shows in message, (
        f"{function} with {what} raised ValueError({message!r}); the message should name "
        f"{function} and show {shows!r}, and say how to call it instead"
    )


@pytest.mark.parametrize(
    ("what", "changes", "shows"), GRID_MISTAKES, ids=[m[0] for m in GRID_MISTAKES]
)
def test_bad_grid_argument_raises_value_error_naming_grid_over_and_the_value(what, changes, shows):
    call = changed({"points": points(), "resolution": (NX, NY), "margin": 0.1}, changes)
    check_message("grid_over", what, call, shows)


@pytest.mark.parametrize(
    ("what", "changes", "shows"), MAP_MISTAKES, ids=[m[0] for m in MAP_MISTAKES]
)
def test_bad_map_argument_raises_value_error_naming_confidence_map_and_the_value(
    what, changes, shows
):
    xx, yy = grid()
    call = {"model": classifier(), "xx": xx, "yy": yy, "batch_size": 100}
    if "model" in changes:
        kind = changes["model"]
        changes = {"model": lambda _: other_model(kind)}
    check_message("confidence_map", what, changed(call, changes), shows)


@pytest.mark.parametrize(
    ("what", "changes", "shows"), PLOT_MISTAKES, ids=[m[0] for m in PLOT_MISTAKES]
)
def test_bad_plot_argument_raises_value_error_naming_plot_confidence_map_and_the_value(
    what, changes, shows
):
    cloud = points()
    xx, yy = grid()
    call = {
        "axis": Figure().add_subplot(),
        "xx": xx,
        "yy": yy,
        "probabilities": field(xx, yy),
        "points": cloud,
        "labels": labels_of(cloud),
    }
    check_message("plot_confidence_map", what, changed(call, changes), shows)
