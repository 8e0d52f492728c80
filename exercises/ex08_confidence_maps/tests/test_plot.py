"""ex08 plot_confidence_map, read back from matplotlib's objects: filled contours on fixed
levels from 0 to 1 (one colour scale for every map), the 0.5 line, the points of each class
where they are, the legend, the axis limits of the grid."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from core import analysis
from exercises.ex08_confidence_maps.tests.classifiers import field, grid, labels_of, points


def drawn(levels: int = 11, with_points: bool = True, legend: bool = True):
    """A map drawn on a fresh Agg axis: (axis, returned value, the grid, the points, labels)."""
    axis = Figure().add_subplot()
    cloud = points()
    labels = labels_of(cloud)
    xx, yy = grid()
    shown = (cloud, labels) if with_points else (None, None)
    filled = analysis.plot_confidence_map(
        axis, xx, yy, field(xx, yy), *shown, levels=levels, legend=legend
    )
    return axis, filled, (xx, yy), cloud, labels


def contour_sets(axis, filled: bool) -> list[ContourSet]:
    return [c for c in axis.collections if isinstance(c, ContourSet) and c.filled == filled]


@pytest.mark.parametrize(
    ("levels", "expected"), [(11, np.linspace(0, 1, 11)), (5, [0, 0.25, 0.5, 0.75, 1])]
)
def test_filled_contours_use_fixed_levels_from_zero_to_one(levels, expected):
    _, filled, *_ = drawn(levels)
    assert isinstance(filled, ContourSet) and filled.filled, (
        f"plot_confidence_map should return the filled contour set of axis.contourf (for the "
        f"colour bar); got {type(filled).__name__}"
    )
    np.testing.assert_allclose(
        filled.levels,
        expected,
        atol=1e-12,
        err_msg=f"levels={levels}: the filled contours should use np.linspace(0, 1, {levels}), "
        "whatever range the probabilities cover, so that maps can be compared by colour",
    )


def test_colour_scale_of_the_returned_mappable_is_zero_to_one():
    _, filled, *_ = drawn()
    scale = (filled.norm.vmin, filled.norm.vmax)
    assert scale == (0, 1), (
        f"the returned mappable's colour scale runs from {scale[0]} to {scale[1]}; pass "
        "vmin=0, vmax=1 so that every colour bar reads P(class 1) from 0 to 1"
    )
    assert filled.get_cmap().name == "RdBu_r", (
        f"the map should use the 'RdBu_r' colour map (blue 0, red 1); got {filled.get_cmap().name}"
    )


def test_the_decision_boundary_is_one_line_at_level_one_half():
    axis, *_ = drawn()
    lines = contour_sets(axis, filled=False)
    assert [list(c.levels) for c in lines] == [[0.5]], (
        f"expected one contour line set at level 0.5 (axis.contour(..., levels=[0.5])); "
        f"found line sets at levels {[list(c.levels) for c in lines]}"
    )


def test_points_of_each_class_are_scattered_where_they_are():
    axis, _, _, cloud, labels = drawn()
    scattered = {c.get_label(): c for c in axis.collections if isinstance(c, PathCollection)}
    assert sorted(scattered) == ["class 0", "class 1"], (
        f"expected one scatter per class, labelled 'class 0' and 'class 1'; got labels "
        f"{sorted(scattered)}"
    )
    for label in (0, 1):
        np.testing.assert_allclose(
            scattered[f"class {label}"].get_offsets(),
            cloud[labels == label],
            rtol=1e-6,
            err_msg=f"the scatter 'class {label}' should show exactly the points of class "
            f"{label}, as (x, y)",
        )


@pytest.mark.parametrize(
    ("with_points", "legend", "expected"),
    [(True, True, ["class 0", "class 1"]), (True, False, None), (False, True, None)],
)
def test_legend_names_the_classes_when_asked_and_points_are_shown(with_points, legend, expected):
    axis, *_ = drawn(with_points=with_points, legend=legend)
    shown = axis.get_legend()
    got = None if shown is None else [text.get_text() for text in shown.get_texts()]
    assert got == expected, (
        f"with points {'given' if with_points else 'not given'} and legend={legend}, the "
        f"legend should be {expected}; got {got}"
    )


def test_no_points_means_no_scatter():
    axis, *_ = drawn(with_points=False)
    scatters = [c for c in axis.collections if isinstance(c, PathCollection)]
    assert not scatters, f"without points nothing should be scattered; found {len(scatters)}"


def test_axis_limits_are_the_grid_bounds():
    axis, _, (xx, yy), *_ = drawn()
    np.testing.assert_allclose(
        (*axis.get_xlim(), *axis.get_ylim()),
        (xx.min(), xx.max(), yy.min(), yy.max()),
        err_msg="the axis limits should be the grid's: x from xx.min() to xx.max(), y from "
        "yy.min() to yy.max()",
    )
