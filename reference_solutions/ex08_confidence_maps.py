"""Reference solution of ex08 (confidence maps): a grid over the bounding box of 2-D points, a
binary classifier's class-1 probability at every grid point (in batches, without a graph), and
the plot of that field with the points and the 0.5 level."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from core import Module, Tensor, functional, hookimpl, no_grad

if TYPE_CHECKING:  # for the type hints only: importing matplotlib.axes takes a third of a second
    from matplotlib.axes import Axes
    from matplotlib.contour import QuadContourSet

DECISION_LEVEL = 0.5
CLASS_COLOURS = ("tab:blue", "tab:red")  # the ends of the "RdBu_r" map: blue 0, red 1


def _is_whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _checked_points(function: str, points) -> np.ndarray:
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(
            f"{function}: points must be a non-empty (N, 2) array, one (x, y) point per row; "
            f"got shape {points.shape}; for a toy data set pass x_train itself"
        )
    if not np.isfinite(points).all():
        raise ValueError(f"{function}: points must be finite; got a NaN or an infinity")
    return points


def _checked_resolution(resolution) -> tuple[int, int]:
    if _is_whole(resolution):
        pair = (resolution, resolution)
    else:
        pair = tuple(resolution) if isinstance(resolution, (tuple, list)) else ()
    if len(pair) != 2 or not all(_is_whole(n) and n >= 2 for n in pair):
        raise ValueError(
            "grid_over: resolution must be a whole number >= 2 or a pair (nx, ny) of them, the "
            f"number of grid points along x and along y; got {resolution!r}"
        )
    return int(pair[0]), int(pair[1])


def grid_over(
    points: np.ndarray, resolution: int | tuple[int, int] = (150, 120), margin: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """The ``np.meshgrid`` ("xy") grid over the points' bounding box, widened on every side by
    ``margin`` times the box's side: ``(xx, yy)``, each (ny, nx) float64."""
    points = _checked_points("grid_over", points)
    nx, ny = _checked_resolution(resolution)
    if not (isinstance(margin, numbers.Real) and math.isfinite(margin) and margin >= 0):
        raise ValueError(
            "grid_over: margin must be a finite number >= 0, a fraction of the bounding box's "
            f"side added on each side (0.1 adds 10%); got {margin!r}"
        )
    low, high = points.min(axis=0), points.max(axis=0)
    # A side of length 0 (one point, or points on one vertical line) would give a grid of
    # width 0: make it a side of length 1 around the points.
    flat = high == low
    low, high = np.where(flat, low - 0.5, low), np.where(flat, high + 0.5, high)
    side = high - low
    low, high = low - margin * side, high + margin * side
    return tuple(np.meshgrid(np.linspace(low[0], high[0], nx), np.linspace(low[1], high[1], ny)))


def _checked_grid(function: str, xx, yy) -> tuple[np.ndarray, np.ndarray]:
    xx, yy = np.asarray(xx), np.asarray(yy)
    if xx.ndim != 2 or xx.shape != yy.shape or xx.size == 0:
        raise ValueError(
            f"{function}: xx and yy must be 2-D arrays of one shape (ny, nx), as grid_over "
            f"returns them; got shapes {xx.shape} and {yy.shape}"
        )
    return xx, yy


def _class_one_probability(function: str, model: Module, batch: np.ndarray) -> np.ndarray:
    """P(class 1) for the rows of ``batch`` (B, 2): the sigmoid of logits (B,), or column 1 of
    the softmax of logits (B, 2)."""
    try:
        logits = model(Tensor(batch))
    except ValueError as error:
        raise ValueError(
            f"{function}: the model does not take 2-D points (B, 2): {error}; a confidence "
            "map needs a model with in_features=2"
        ) from error
    if logits.shape == (len(batch),):
        return logits.sigmoid().data
    if logits.shape == (len(batch), 2):
        return functional.softmax(logits, axis=1).data[:, 1]
    raise ValueError(
        f"{function}: the model must give one logit per point (B,) or two (B, 2); for {len(batch)} "
        f"points it gave shape {logits.shape}; use a binary classifier"
    )


def confidence_map(
    model: Module, xx: np.ndarray, yy: np.ndarray, batch_size: int = 4096
) -> np.ndarray:
    """P(class 1) of ``model`` at every grid point: (ny, nx) float32, ``[j, i]`` at
    ``(xx[j, i], yy[j, i])``; computed under ``no_grad`` in batches of ``batch_size`` points."""
    xx, yy = _checked_grid("confidence_map", xx, yy)
    if not _is_whole(batch_size) or batch_size < 1:
        raise ValueError(
            f"confidence_map: batch_size must be a whole number >= 1; got {batch_size!r}"
        )
    points = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    with no_grad():
        parts = [
            _class_one_probability("confidence_map", model, points[start : start + batch_size])
            for start in range(0, len(points), batch_size)
        ]
    return np.concatenate(parts).astype(np.float32).reshape(xx.shape)


def plot_confidence_map(
    axis: Axes,
    xx: np.ndarray,
    yy: np.ndarray,
    probabilities: np.ndarray,
    points: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    *,
    levels: int = 11,
    legend: bool = True,
) -> QuadContourSet:
    """Filled contours of ``probabilities`` on [0, 1] ("RdBu_r"), the 0.5 level as a black
    line, and the points coloured by class; returns the filled contour set (for a colour
    bar)."""
    xx, yy = _checked_grid("plot_confidence_map", xx, yy)
    probabilities = np.asarray(probabilities)
    if probabilities.shape != xx.shape:
        raise ValueError(
            f"plot_confidence_map: probabilities must have the grid's shape {xx.shape}; got "
            f"{probabilities.shape}; pass what confidence_map returns for this grid"
        )
    if not np.all((probabilities >= 0) & (probabilities <= 1)):
        raise ValueError(
            "plot_confidence_map: probabilities must be in [0, 1]; got values from "
            f"{probabilities.min()} to {probabilities.max()}; pass probabilities, not logits"
        )
    if not _is_whole(levels) or levels < 3 or (levels - 1) % 2:
        raise ValueError(
            "plot_confidence_map: levels must be an odd whole number >= 3 (so that 0.5 is a "
            f"level, e.g. 11 for steps of 0.1); got {levels!r}"
        )
    if (points is None) != (labels is None):
        raise ValueError(
            "plot_confidence_map: give both points and labels, or neither; got only "
            + ("points" if labels is None else "labels")
        )
    filled = axis.contourf(
        xx, yy, probabilities, levels=np.linspace(0, 1, levels), cmap="RdBu_r", vmin=0, vmax=1
    )
    axis.contour(xx, yy, probabilities, levels=[DECISION_LEVEL], colors="black", linewidths=1.5)
    if points is not None:
        points = _checked_points("plot_confidence_map", points)
        labels = np.asarray(labels)
        if labels.shape != (len(points),) or not np.isin(labels, (0, 1)).all():
            raise ValueError(
                f"plot_confidence_map: labels must be {len(points)} class labels 0 or 1, shape "
                f"({len(points)},), one per point; got {labels.dtype} of shape {labels.shape}"
            )
        for label, colour in enumerate(CLASS_COLOURS):
            chosen = points[labels == label]
            axis.scatter(
                chosen[:, 0],
                chosen[:, 1],
                s=8,
                c=colour,
                edgecolors="white",
                linewidths=0.3,
                label=f"class {label}",
            )
        if legend:
            axis.legend(loc="upper right", fontsize="small", framealpha=0.8)
    axis.set_xlim(xx.min(), xx.max())
    axis.set_ylim(yy.min(), yy.max())
    return filled


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("grid_over", grid_over)
    register("confidence_map", confidence_map)
    register("plot_confidence_map", plot_confidence_map)
