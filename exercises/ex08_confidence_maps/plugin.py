"""Exercise 8 — confidence maps: where is a 2-D classifier sure, and where does it hesitate?

What you write, and how it reaches the library:

- ``grid_over`` becomes ``analysis.grid_over`` (``from core import analysis``): a regular grid
  of points over the bounding box of the data, widened by a margin.
- ``confidence_map`` becomes ``analysis.confidence_map``: the model's probability of class 1 at
  every grid point, computed in batches under ``no_grad``.
- ``plot_confidence_map`` becomes ``analysis.plot_confidence_map``: that field as filled
  contours on [0, 1], the 0.5 level (the decision boundary) as a line, and the data points
  coloured by class.

Rules (the tests check them):

- Grids follow ``np.meshgrid``'s "xy" convention: ``xx`` and ``yy`` are (ny, nx), row j is one
  y, column i one x; a map ``p`` has the same shape and ``p[j, i]`` belongs to
  ``(xx[j, i], yy[j, i])``.
- The grid covers every point; batching never changes a value; no graph is built.
- Nothing you are given changes: not the points, the labels, the grid or the model.
- Bad arguments raise ``ValueError`` naming the function, the value got and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex08``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from core import Module, Tensor, functional, hookimpl, no_grad  # noqa: F401 - yours to use
from exercises.stub import todo

if TYPE_CHECKING:  # for the type hints only: importing matplotlib.axes takes a third of a second
    from matplotlib.axes import Axes
    from matplotlib.contour import QuadContourSet


def grid_over(
    points: np.ndarray, resolution: int | tuple[int, int] = (150, 120), margin: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """The np.meshgrid ("xy") grid over the points' bounding box widened by a margin.

    With the box [x_lo, x_hi] × [y_lo, y_hi] of the points and its sides
    w = x_hi − x_lo, h = y_hi − y_lo, the grid spans (the margin is a *fraction* of each side,
    added on both ends)::

        x from x_lo − margin · w  to  x_hi + margin · w     in nx evenly spaced values
        y from y_lo − margin · h  to  y_hi + margin · h     in ny evenly spaced values

    both ends included (``np.linspace``), and ``xx, yy = np.meshgrid(xs, ys)``. A side of
    length 0 (a single point, or points on one vertical or horizontal line) is first made a
    side of length 1 centred on the points, so that the grid is still a rectangle.

    Args:
        points: (N, 2) float, N ≥ 1, finite: one (x, y) point per row. Not modified.
        resolution: nx = ny = resolution for a whole number, or a pair (nx, ny): the number of
            grid values along x and along y, each ≥ 2.
        margin: ≥ 0, the fraction of each side added on each end (0.1 adds 10%).

    Returns:
        (xx, yy), each (ny, nx) float64: xx[j, i] = xs[i], yy[j, i] = ys[j].

    Raises:
        ValueError: points not a non-empty (N, 2) array, or not finite; a resolution (or one of
            its pair) that is not a whole number ≥ 2, such as 0 or −5; a negative or non-finite
            margin. Name grid_over, the value got and the fix.

    Example:
        points [[0, 0], [2, 1]], resolution (3, 2), margin 0.5: the box is [0, 2] × [0, 1],
        widened to [−1, 3] × [−0.5, 1.5], so xs = [−1, 1, 3], ys = [−0.5, 1.5] and
        xx = [[−1, 1, 3], [−1, 1, 3]], yy = [[−0.5, −0.5, −0.5], [1.5, 1.5, 1.5]].
    """
    raise todo()


def confidence_map(
    model: Module, xx: np.ndarray, yy: np.ndarray, batch_size: int = 4096
) -> np.ndarray:
    """The model's probability of class 1 at every grid point, in batches, under no_grad.

    The grid points, in row-major order, are the rows of ``P = [xx.ravel(), yy.ravel()]ᵀ``
    (nx·ny, 2) float32. Take them ``batch_size`` rows at a time (the last batch may be
    shorter) and, inside ``with no_grad():``, compute the logits z = model(Tensor(batch)):

        logits (B,)     (a BinaryMLPClassifier):  p = sigmoid(z)
        logits (B, 2)   (a two-class MLPClassifier): p = softmax(z, axis=1)[:, 1]

    Concatenate the batches and reshape to the grid's shape: p[j, i] is the probability at
    (xx[j, i], yy[j, i]), the value ``model.predict_proba`` gives for that point.

    Args:
        model: a classifier of 2-D points. Not modified; no parameter gets a gradient.
        xx, yy: (ny, nx) arrays of one shape, as ``grid_over`` returns them.
        batch_size: a whole number ≥ 1 of points per forward pass.

    Returns:
        (ny, nx) float32 in [0, 1].

    Raises:
        ValueError: xx and yy not 2-D of one non-empty shape; batch_size not a whole number
            ≥ 1; a model that does not take points (B, 2) (its ValueError, wrapped); a model
            whose logits are neither (B,) nor (B, 2). Name confidence_map, the value got and
            the fix.

    Example:
        ``BinaryMLPClassifier(2, [])`` (one Linear(2, 1)) with weight [[1, −1]] and bias 0
        has the logit z = x − y. On xx = [[0, 1]], yy = [[0, 0]] the points are (0, 0) and
        (1, 0), z = [0, 1], so the map is [[0.5, 0.7310586]], with batch_size 1 or 4096.
    """
    raise todo()


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
    """Draw the map as filled contours, the 0.5 level as a line, and the points by class.

    On ``axis``, in this order:

    1. ``axis.contourf(xx, yy, probabilities, levels=np.linspace(0, 1, levels),
       cmap="RdBu_r", vmin=0, vmax=1)``: fixed levels from 0 to 1, so that every map has the
       same colours and one colour bar serves them all (blue: class 0, red: class 1);
    2. ``axis.contour(xx, yy, probabilities, levels=[0.5], colors="black")``: the decision
       boundary;
    3. if points are given, one ``axis.scatter`` per class, class 0 first, with
       ``label="class 0"`` and ``label="class 1"`` (points of class 0 blue, of class 1 red),
       and, if ``legend``, ``axis.legend()``;
    4. the axis limits set to the grid: x from xx.min() to xx.max(), y from yy.min() to
       yy.max().

    Args:
        axis: a matplotlib Axes to draw on.
        xx, yy: (ny, nx), as ``grid_over`` returns them.
        probabilities: (ny, nx) values in [0, 1], as ``confidence_map`` returns them.
        points: (N, 2) points to show, or None.
        labels: (N,) class labels 0 or 1 of the points; given exactly when points are.
        levels: the number of contour levels, odd and ≥ 3 (so that 0.5 is one of them).
        legend: draw the legend of the two classes (only when points are given).

    Returns:
        The filled contour set of step 1: pass it to ``figure.colorbar``.

    Raises:
        ValueError: xx and yy not 2-D of one shape; probabilities not of that shape, or outside
            [0, 1] (logits, say); levels not an odd whole number ≥ 3; points without labels or
            labels without points; points not (N, 2); labels not N values 0 or 1. Name
            plot_confidence_map, the value got and the fix.

    Example:
        ``filled = plot_confidence_map(axis, xx, yy, p, x_val, y_val)`` then
        ``figure.colorbar(filled, ax=axis, label="P(class 1)")``: ``filled.levels`` is
        [0, 0.1, ..., 1] and the colour bar runs from 0 to 1 whatever p holds.
    """
    raise todo()


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("grid_over", grid_over)
    register("confidence_map", confidence_map)
    register("plot_confidence_map", plot_confidence_map)
