"""Known ex08 mistakes: confidence maps that look plausible as a picture and are wrong as
numbers — a transposed grid or map, swapped coordinates, an absolute margin, a lost last
batch, a graph built for every point, colours that mean something else on every panel."""

from __future__ import annotations

import numpy as np

from reference_solutions import ex08_confidence_maps as reference
from reference_solutions.mistakes import mistake


@mistake("analysis", "grid_over", "builds the grid with indexing='ij': shapes (nx, ny)")
def grid_over_ij(points, resolution=(150, 120), margin=0.1):
    xx, yy = reference.grid_over(points, resolution, margin)
    return xx.T, yy.T


@mistake("analysis", "grid_over", "adds the margin in data units, not as a fraction of each side")
def grid_over_absolute_margin(points, resolution=(150, 120), margin=0.1):
    xx, yy = reference.grid_over(points, resolution, 0.0)
    nx, ny = xx.shape[1], xx.shape[0]
    xs = np.linspace(xx.min() - margin, xx.max() + margin, nx)
    ys = np.linspace(yy.min() - margin, yy.max() + margin, ny)
    return tuple(np.meshgrid(xs, ys))


@mistake("analysis", "confidence_map", "stacks the points as (y, x): the map of a mirrored model")
def confidence_map_swapped_coordinates(model, xx, yy, batch_size=4096):
    return reference.confidence_map(model, yy, xx, batch_size)


@mistake("analysis", "confidence_map", "reshapes to (nx, ny) and transposes: values land elsewhere")
def confidence_map_transposed(model, xx, yy, batch_size=4096):
    field = reference.confidence_map(model, xx, yy, batch_size)
    return field.reshape(field.shape[::-1]).T


@mistake("analysis", "confidence_map", "loops while start + batch_size <= N: drops the last batch")
def confidence_map_dropping_the_last_batch(model, xx, yy, batch_size=4096):
    xx, yy = reference._checked_grid("confidence_map", xx, yy)
    points = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    with reference.no_grad():
        parts = [
            reference._class_one_probability(
                "confidence_map", model, points[start : start + batch_size]
            )
            for start in range(0, len(points) - batch_size + 1, batch_size)
        ]
    field = np.full(xx.size, 0.5, np.float32)
    done = np.concatenate(parts) if parts else field[:0]
    field[: len(done)] = done
    return field.reshape(xx.shape)


@mistake("analysis", "confidence_map", "forgets no_grad: every forward pass builds a graph")
def confidence_map_with_a_graph(model, xx, yy, batch_size=4096):
    points = np.stack([np.ravel(xx), np.ravel(yy)], axis=1).astype(np.float32)
    parts = [
        reference._class_one_probability(
            "confidence_map", model, points[start : start + batch_size]
        )
        for start in range(0, len(points), batch_size)
    ]
    return np.concatenate(parts).astype(np.float32).reshape(np.shape(xx))


@mistake(
    "analysis", "plot_confidence_map", "lets contourf choose its levels: colours differ per map"
)
def plot_with_automatic_levels(axis, xx, yy, probabilities, points=None, labels=None, **options):
    filled = reference.plot_confidence_map(axis, xx, yy, probabilities, points, labels, **options)
    filled.remove()
    return axis.contourf(xx, yy, probabilities, cmap="RdBu_r")


@mistake("analysis", "plot_confidence_map", "draws no 0.5 line: the decision boundary is not shown")
def plot_without_the_boundary(axis, xx, yy, probabilities, points=None, labels=None, **options):
    filled = reference.plot_confidence_map(axis, xx, yy, probabilities, points, labels, **options)
    for lines in [c for c in axis.collections if getattr(c, "filled", True) is False]:
        lines.remove()
    return filled
