"""ex08 grid_over: the np.meshgrid ("xy") grid over the points' bounding box, widened on each
side by a fraction of that side: shapes (ny, nx), every point inside, even spacing, the box
of the docstring's example, degenerate boxes."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from exercises.ex08_confidence_maps.tests.classifiers import NX, NY, points

RESOLUTIONS = [
    pytest.param((NX, NY), (NY, NX), id="pair-wider"),
    pytest.param((NY, NX), (NX, NY), id="pair-taller"),
    pytest.param(6, (6, 6), id="one-number"),
    pytest.param(np.int64(3), (3, 3), id="numpy-integer"),
]


@pytest.mark.parametrize(("resolution", "shape"), RESOLUTIONS)
def test_grid_has_the_meshgrid_xy_shape_ny_by_nx(resolution, shape):
    xx, yy = analysis.grid_over(points(), resolution)
    assert xx.shape == yy.shape == shape, (
        f"grid_over(points, resolution={resolution!r}) gave shapes {xx.shape} and {yy.shape}; "
        f"expected {shape} for both: (ny, nx), one row per y value, as np.meshgrid(xs, ys) "
        "gives (indexing='xy', not 'ij')"
    )


def test_default_grid_is_150_by_120_points():
    xx, yy = analysis.grid_over(points())
    assert xx.shape == yy.shape == (120, 150), (
        f"the default resolution should be (nx, ny) = (150, 120), shape (120, 150); got {xx.shape}"
    )


def test_grid_rows_share_one_y_and_columns_share_one_x():
    xx, yy = analysis.grid_over(points(), (NX, NY))
    assert np.all(xx == xx[:1, :]), "every row of xx should be the same x values xs"
    assert np.all(yy == yy[:, :1]), "every column of yy should be the same y values ys"
    assert np.all(np.diff(xx[0]) > 0) and np.all(np.diff(yy[:, 0]) > 0), (
        "xs and ys should increase: x along a row of xx, y down a column of yy"
    )


@pytest.mark.parametrize("margin", [0.0, 0.1, 0.5, 2])
def test_grid_spans_the_box_widened_by_margin_times_each_side(margin):
    # the box is [-3, 1] × [0.5, 2.5]: sides 4 and 2, so an absolute margin gives other ends
    corners = np.array([[-3.0, 0.5], [1.0, 2.5], [0.0, 1.0]], np.float32)
    xx, yy = analysis.grid_over(corners, (NX, NY), margin=margin)
    expected_x = np.linspace(-3 - 4 * margin, 1 + 4 * margin, NX)
    expected_y = np.linspace(0.5 - 2 * margin, 2.5 + 2 * margin, NY)
    np.testing.assert_allclose(
        xx[0],
        expected_x,
        rtol=1e-6,
        err_msg=f"xs with margin={margin}: the box [-3, 1] "
        f"widened by {margin} × its width 4 on each side, in {NX} evenly spaced values",
    )
    np.testing.assert_allclose(
        yy[:, 0],
        expected_y,
        rtol=1e-6,
        err_msg=f"ys with margin={margin}: the box [0.5, 2.5] "
        f"widened by {margin} × its height 2 on each side, in {NY} evenly spaced values",
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("margin", [0.0, 0.1])
def test_grid_bounds_include_every_point(seed, margin):
    cloud = points(n=30, seed=seed) * np.float32(seed + 1)
    xx, yy = analysis.grid_over(cloud, (NX, NY), margin=margin)
    inside = (
        (xx.min() <= cloud[:, 0])
        & (cloud[:, 0] <= xx.max())
        & (yy.min() <= cloud[:, 1])
        & (cloud[:, 1] <= yy.max())
    )
    assert inside.all(), (
        f"{np.count_nonzero(~inside)} of {len(cloud)} points lie outside the grid "
        f"[{xx.min()}, {xx.max()}] × [{yy.min()}, {yy.max()}] (margin {margin}); the grid must "
        "span at least the bounding box of the points"
    )


def test_grid_of_the_docstring_example():
    xx, yy = analysis.grid_over(np.array([[0.0, 0.0], [2.0, 1.0]]), (3, 2), margin=0.5)
    np.testing.assert_allclose(xx, [[-1, 1, 3], [-1, 1, 3]], err_msg="xx of the example")
    np.testing.assert_allclose(
        yy, [[-0.5, -0.5, -0.5], [1.5, 1.5, 1.5]], err_msg="yy of the example"
    )


@pytest.mark.parametrize(
    ("cloud", "x_ends", "y_ends"),
    [
        pytest.param([[2.0, 3.0]], (1.5, 2.5), (2.5, 3.5), id="one-point"),
        pytest.param([[1.0, 0.0], [1.0, 4.0]], (0.5, 1.5), (0.0, 4.0), id="vertical-line"),
    ],
)
def test_a_side_of_length_zero_becomes_a_side_of_length_one(cloud, x_ends, y_ends):
    xx, yy = analysis.grid_over(np.array(cloud), (NX, NY), margin=0.0)
    got = (xx.min(), xx.max()), (yy.min(), yy.max())
    np.testing.assert_allclose(
        got,
        (x_ends, y_ends),
        err_msg=f"grid_over({cloud}, margin=0): a side of length 0 "
        "should become a side of length 1 centred on the points",
    )


def test_grid_over_does_not_modify_the_points():
    cloud = points()
    before = cloud.copy()
    analysis.grid_over(cloud, (NX, NY), margin=0.3)
    np.testing.assert_array_equal(cloud, before, err_msg="grid_over changed the points")
