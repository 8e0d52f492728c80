"""Figures the studies share: grids of small axes, images shown with their scale.

Every figure a study writes has a title, labelled axes (or, for images, a title per image) and a
colour bar wherever colour stands for a value; :func:`image_grid` does that for rows of images.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only; must come before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np

SIGNED = "RdBu_r"  # for values around 0 (perturbations, gradients, weights): red +, blue -


def grid(
    rows: int, columns: int, cell: float = 2.2, title: str = ""
) -> tuple[plt.Figure, np.ndarray]:
    """A ``rows`` x ``columns`` grid of axes (always a 2-D array), ``cell`` inches each."""
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(cell * columns, cell * rows + (0.4 if title else 0)),
        squeeze=False,
        constrained_layout=True,
    )
    if title:
        figure.suptitle(title)
    return figure, axes


def frame_only(axis: plt.Axes) -> None:
    """No ticks, tick labels or axis labels on ``axis``, only its frame: for an image. (Hiding
    the axes, rather than emptying their ticks, also leaves them out of the layout, which then
    takes a third less time to compute for a grid of images.)"""
    axis.xaxis.set_visible(False)
    axis.yaxis.set_visible(False)


def image_grid(
    images: np.ndarray,
    shape: tuple[int, int],
    titles: Sequence[str],
    *,
    columns: int = 8,
    title: str = "",
    signed: bool = False,
    colorbar_label: str = "",
) -> plt.Figure:
    """Rows of images, each titled; ``images`` (N, H*W). Pixel intensities are shown in grey
    on [0, 1]; ``signed`` values (a gradient, a perturbation) in red and blue around 0 on one
    symmetric scale, with a colour bar labelled ``colorbar_label``."""
    count = len(images)
    rows = max(1, -(-count // columns))
    figure, axes = grid(rows, min(columns, count), title=title)
    if signed:
        limit = float(np.abs(images).max()) or 1.0
        style = {"cmap": SIGNED, "vmin": -limit, "vmax": limit}
    else:
        style = {"cmap": "gray", "vmin": 0.0, "vmax": 1.0}
    shown = None
    for index, axis in enumerate(axes.flat):
        frame_only(axis)
        if index >= count:
            axis.set_visible(False)
            continue
        shown = axis.imshow(np.reshape(images[index], shape), **style)
        axis.set_title(titles[index], fontsize=8)
    if signed and shown is not None:
        figure.colorbar(shown, ax=axes, shrink=0.8, label=colorbar_label)
    return figure
