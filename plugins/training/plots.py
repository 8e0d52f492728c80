"""Figures of a training run, written as PNG files (matplotlib's Agg backend: no display needed).

- :func:`plot_history`: loss and accuracy per epoch, training and validation;
- :func:`plot_decision_boundary`: what a classifier of 2-D points predicts over a grid, with
  the points coloured by their class;
- :func:`plot_predictions`: a grid of images with the predicted and the true class.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # files only; must come before pyplot is imported

import matplotlib.pyplot as plt

from core import Module, Tensor, no_grad
from core.training import History

Transform = Callable[[np.ndarray], np.ndarray]


def _save(figure: plt.Figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def plot_history(history: History, path: str | Path, title: str = "") -> Path:
    """Loss (left) and accuracy (right) per epoch; validation curves where the history has them.

    Args:
        history: per-epoch metrics with ``train_loss`` and optionally ``train_accuracy``,
            ``val_loss``, ``val_accuracy``.
        path: the PNG file to write (folders are created).
        title: the figure's title.

    Returns:
        The path written.
    """
    if not len(history):
        raise ValueError("plot_history: the history is empty; train at least one epoch first")
    names = {name for epoch in history.epochs for name in epoch}
    epochs = np.arange(1, len(history) + 1)
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for axis, metric in zip(axes, ("loss", "accuracy")):
        for split, style in (("train", "-"), ("val", "--")):
            name = f"{split}_{metric}"
            if name in names:
                axis.plot(epochs, history[name], style, marker=".", label=split)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.grid(alpha=0.3)
        if axis.lines:
            axis.legend()
    if title:
        figure.suptitle(title)
    return _save(figure, path)


def predict_grid(model: Module, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, classes)`` of ``model`` at ``points: (N, 2)``, computed without a graph.

    A binary classifier's logits ``(N,)`` give ``scores`` = P(class 1) = sigmoid(logit) and
    ``classes`` = logit > 0; a multiclass classifier's logits ``(N, C)`` give ``classes`` = argmax
    and ``scores`` = the predicted class.
    """
    with no_grad():
        logits = np.asarray(model(Tensor(points.astype(np.float32))).numpy(), dtype=np.float64)
    if logits.ndim == 2 and logits.shape[1] == 1:
        logits = logits[:, 0]
    if logits.ndim == 1:
        scores = np.exp(-np.logaddexp(0.0, -logits))  # sigmoid, without overflow
        return scores, (logits > 0).astype(np.int64)
    classes = logits.argmax(axis=1)
    return classes.astype(np.float64), classes


def plot_decision_boundary(
    model: Module,
    x: np.ndarray,
    y: np.ndarray,
    path: str | Path,
    transform: Transform | None = None,
    title: str = "",
    resolution: int = 200,
) -> Path:
    """What ``model`` predicts over the plane around the points, with the points on top.

    Args:
        model: a classifier of 2-D points: logits ``(N,)`` (binary) or ``(N, C)``.
        x: the points ``(N, 2)`` in the original units (the plot's axes).
        y: their classes ``(N,)`` (or one-hot ``(N, C)``), used for the colours.
        path: the PNG file to write.
        transform: what the model expects instead of raw points, e.g. the standardisation
            used in training; applied to the grid.
        title: the figure's title.
        resolution: grid points per axis.

    Returns:
        The path written.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary: points must have shape (N, 2); got {x.shape}. "
            "A decision boundary is drawn for 2-D inputs only."
        )
    classes = np.asarray(y)
    if classes.ndim == 2:
        classes = classes.argmax(axis=1)
    margin = 0.1 * (x.max(axis=0) - x.min(axis=0)) + 1e-3
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    u, v = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    grid = np.column_stack([u.ravel(), v.ravel()]).astype(np.float32)
    scores, _ = predict_grid(model, transform(grid) if transform else grid)
    scores = scores.reshape(u.shape)

    figure, axis = plt.subplots(figsize=(6, 5), constrained_layout=True)
    binary = classes.max(initial=0) <= 1
    if binary:
        field = axis.contourf(u, v, scores, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
        axis.contour(u, v, scores, levels=[0.5], colors="k", linewidths=1)
        figure.colorbar(field, ax=axis, label="P(class 1)")
    else:
        axis.contourf(u, v, scores, levels=np.arange(classes.max() + 2) - 0.5, cmap="tab10")
    scatter = axis.scatter(
        x[:, 0], x[:, 1], c=classes, cmap="bwr" if binary else "tab10", s=12, edgecolors="k"
    )
    axis.legend(*scatter.legend_elements(), title="class", loc="best")
    axis.set_xlabel("x1")
    axis.set_ylabel("x2")
    if title:
        axis.set_title(title)
    return _save(figure, path)


def plot_predictions(
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray,
    path: str | Path,
    title: str = "",
    count: int = 16,
) -> Path:
    """The first ``count`` images with "predicted (true)" above each; mistakes in red.

    Args:
        images: ``(N, H, W)``, or ``(N, D)`` with ``D`` a square number (e.g. 64 or 784).
        labels: true classes ``(N,)`` (or one-hot ``(N, C)``).
        predictions: predicted classes ``(N,)``.
        path: the PNG file to write.
        title: the figure's title.
        count: how many images to show.

    Returns:
        The path written.
    """
    images = np.asarray(images)[:count]
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(
                f"plot_predictions: flat images need a square number of pixels; "
                f"got {images.shape[1]}. Pass images of shape (N, H, W)."
            )
        images = images.reshape(-1, side, side)
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    columns = min(8, len(images))
    rows = math.ceil(len(images) / columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(1.3 * columns, 1.5 * rows), squeeze=False, constrained_layout=True
    )
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < len(images):
            axis.imshow(images[index], cmap="gray_r")
            right = predictions[index] == labels[index]
            axis.set_title(
                f"{predictions[index]} ({labels[index]})",
                color="black" if right else "red",
                fontsize=9,
            )
    if title:
        figure.suptitle(title)
    return _save(figure, path)
