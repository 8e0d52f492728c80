"""Named, seeded training recipes with sensible defaults, each returning a :class:`RunResult`.

- ``toy``: blobs, moons or circles (1,000 training and 1,000 validation points, standardised)
  -> ``BinaryMLPClassifier(2, (16, 16))``; BCE with logits, Adam lr 0.02, batch 64, 40 epochs.
- ``digits``: ``load_dataset("digits-split")`` (8x8 scans as 64 values in [0, 1], fixed test
  split) -> ``MLPClassifier(64, (128,), 10)``; cross-entropy, Adam lr 0.003, batch 32, 20 epochs.
- ``mnist``: an MNIST-family set from IDX files (28x28 as 784 values in [0, 1], the official
  test split) -> ``MLPClassifier(784, (256, 128), C)``; cross-entropy, Adam lr 0.001, batch 128,
  10 epochs.

Every recipe uses the library only through its public API (``nn``, ``optim``, ``data``,
``models``, ``training``), so it runs on whichever implementation is selected: a student's
unfinished exercise shows up as the ``NotImplementedError`` of its stub. Runs are seeded
(``core.random.manual_seed`` for the initial weights, the loader's ``seed`` for the shuffle), so
the same command gives the same numbers; everything stays float32. Figures go to ``out_dir``
(default ``gradkit-output/<run name>/``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from core import MissingImplementationError, data, models, nn, optim, training
from core import random as gradkit_random
from core.training import Callback, History
from plugins.training import MNIST_DATASETS, SHIPPED_DATASETS, TOY_DATASETS, plots
from plugins.training.progress import ProgressBar

OUTPUT_ROOT = Path("gradkit-output")
EVAL_BATCH_SIZE = 1024


@dataclass(frozen=True)
class Settings:
    """What a recipe trains with; ``DEFAULTS`` holds each recipe's."""

    epochs: int
    lr: float
    batch_size: int
    hidden_sizes: tuple[int, ...]
    seed: int = 0


DEFAULTS = {
    "toy": Settings(epochs=40, lr=0.02, batch_size=64, hidden_sizes=(16, 16)),
    "digits": Settings(epochs=20, lr=0.003, batch_size=32, hidden_sizes=(128,)),
    "mnist": Settings(epochs=10, lr=0.001, batch_size=128, hidden_sizes=(256, 128)),
}


@dataclass
class RunResult:
    """The outcome of one run: the trained model, final accuracies (from a full pass over each
    set after training), the wall time of training, the per-epoch history, the figures."""

    name: str
    dataset: str
    model: nn.Module
    model_name: str  # e.g. "BinaryMLPClassifier 2-16-16-1"
    settings: Settings
    train_accuracy: float
    val_accuracy: float
    val_split: str  # what val_accuracy was measured on: "val" or "test"
    seconds: float
    history: History
    figures: dict[str, Path] = field(default_factory=dict)


def settings_for(recipe: str, **overrides: Any) -> Settings:
    """``DEFAULTS[recipe]`` with the given fields replaced; ``None`` keeps the default."""
    if recipe not in DEFAULTS:
        raise KeyError(f"there is no recipe {recipe!r}; known recipes: {', '.join(DEFAULTS)}")
    chosen = {name: value for name, value in overrides.items() if value is not None}
    settings = replace(DEFAULTS[recipe], **chosen)
    if settings.epochs < 1 or settings.batch_size < 1 or settings.lr <= 0:
        raise ValueError(
            f"recipe {recipe!r}: epochs and batch size must be >= 1 and lr > 0; got "
            f"epochs={settings.epochs}, batch_size={settings.batch_size}, lr={settings.lr}"
        )
    return settings


def load(name: str, **options: Any) -> Any:
    """``data.load_dataset`` with a hint when no dataset plugin is registered at all."""
    try:
        return data.load_dataset(name, **options)
    except MissingImplementationError as error:
        raise MissingImplementationError(
            f"{error}\nThe dataset plugins are registered as entry points when gradkit is "
            "installed: run `pip install -e .` in the repository once."
        ) from error


def describe(model_name: str, sizes: Sequence[int]) -> str:
    """``"BinaryMLPClassifier 2-16-16-1"``."""
    return f"{model_name} {'-'.join(str(size) for size in sizes)}"


def _fit(
    name: str,
    model: nn.Module,
    loss_fn: nn.Module,
    settings: Settings,
    train_set: Any,
    val_set: Any,
    callbacks: Sequence[Callback] | None,
) -> tuple[Any, History, float, float, float]:
    """Train with ``training.Trainer``; return (trainer, history, seconds, train and val
    accuracy measured by a full pass over each set after training)."""
    optimizer = optim.Adam(model.parameters(), lr=settings.lr)
    trainer = training.Trainer(model, loss_fn, optimizer)
    train_loader = data.DataLoader(
        train_set, batch_size=settings.batch_size, shuffle=True, seed=settings.seed
    )
    if callbacks is None:
        callbacks = (ProgressBar(label=name),)
    start = time.perf_counter()
    try:
        history = trainer.fit(
            train_loader,
            settings.epochs,
            val_loader=data.DataLoader(val_set, batch_size=EVAL_BATCH_SIZE),
            callbacks=callbacks,
        )
    finally:
        for callback in callbacks:
            if isinstance(callback, ProgressBar):
                callback.close()
    seconds = time.perf_counter() - start
    train_accuracy, val_accuracy = (
        trainer.validate(data.DataLoader(dataset, batch_size=EVAL_BATCH_SIZE))["accuracy"]
        for dataset in (train_set, val_set)
    )
    return trainer, history, seconds, float(train_accuracy), float(val_accuracy)


def _predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class indices for the rows of ``x`` (argmax of the logits), without a graph."""
    return plots.predict_grid(model, x)[1]


def toy(
    dataset: str = "moons",
    *,
    epochs: int | None = None,
    lr: float | None = None,
    batch_size: int | None = None,
    hidden_sizes: tuple[int, ...] | None = None,
    seed: int = 0,
    points: int = 1000,
    out_dir: str | Path | None = None,
    callbacks: Sequence[Callback] | None = None,
) -> RunResult:
    """A binary MLP on a toy 2-D set; figures: learning curves and the decision boundary.

    Training and validation sets are ``points`` points each, the two halves of one seeded
    draw; inputs are standardised with the training set's mean and std.
    ``callbacks=None`` shows a :class:`ProgressBar`; pass ``()`` for none.
    """
    if dataset not in TOY_DATASETS:
        raise ValueError(f"toy: dataset must be one of {', '.join(TOY_DATASETS)}; got {dataset!r}")
    settings = settings_for(
        "toy", epochs=epochs, lr=lr, batch_size=batch_size, hidden_sizes=hidden_sizes, seed=seed
    )
    name = f"toy-{dataset}"
    out = Path(out_dir) if out_dir is not None else OUTPUT_ROOT / name
    # One draw split in two, so that both halves come from the same distribution (a new seed
    # for make_blobs would also move the blobs).
    x_all, y_all = load(dataset, n=2 * points, seed=seed)
    order = np.random.default_rng(seed).permutation(2 * points)
    x_all, y_all = np.asarray(x_all, np.float32)[order], np.asarray(y_all)[order]
    x_train, y_train, x_val, y_val = x_all[:points], y_all[:points], x_all[points:], y_all[points:]
    standardise = data.Normalize.from_data(x_train)
    # BCE compares float logits with float targets: labels 0/1 as float32.
    train_set = data.ArrayDataset(standardise(x_train), np.asarray(y_train, np.float32))
    val_set = data.ArrayDataset(standardise(x_val), np.asarray(y_val, np.float32))

    gradkit_random.manual_seed(seed)
    model = models.BinaryMLPClassifier(2, settings.hidden_sizes)
    _, history, seconds, train_accuracy, val_accuracy = _fit(
        name, model, nn.BCEWithLogitsLoss(), settings, train_set, val_set, callbacks
    )
    title = f"{dataset}: validation accuracy {val_accuracy:.1%}"
    figures = {
        "curves": plots.plot_history(history, out / "curves.png", title=title),
        "boundary": plots.plot_decision_boundary(
            model, x_val, y_val, out / "boundary.png", transform=standardise, title=title
        ),
    }
    return RunResult(
        name=name,
        dataset=dataset,
        model=model,
        model_name=describe("BinaryMLPClassifier", (2, *settings.hidden_sizes, 1)),
        settings=settings,
        train_accuracy=train_accuracy,
        val_accuracy=val_accuracy,
        val_split="val",
        seconds=seconds,
        history=history,
        figures=figures,
    )


def _train_test(loaded: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_test, y_test)`` from a split loader's result:
    ``((x_train, y_train), (x_test, y_test))`` or the four arrays in that order."""
    if isinstance(loaded, dict):
        loaded = (loaded["train"], loaded["test"])
    if len(loaded) == 2:
        (x_train, y_train), (x_test, y_test) = loaded
    else:
        x_train, y_train, x_test, y_test = loaded
    return x_train, y_train, x_test, y_test


def _classifier(
    name: str,
    dataset: str,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    num_classes: int,
    settings: Settings,
    out: Path,
    callbacks: Sequence[Callback] | None,
) -> RunResult:
    """A multiclass MLP on flat float32 inputs; figures: learning curves, test predictions."""
    x_train, y_train, x_test, y_test = arrays
    in_features = x_train.shape[1]
    gradkit_random.manual_seed(settings.seed)
    model = models.MLPClassifier(in_features, settings.hidden_sizes, num_classes)
    _, history, seconds, train_accuracy, test_accuracy = _fit(
        name,
        model,
        nn.CrossEntropyLoss(),
        settings,
        data.ArrayDataset(x_train, y_train),
        data.ArrayDataset(x_test, y_test),
        callbacks,
    )
    title = f"{dataset}: test accuracy {test_accuracy:.1%}"
    predicted = _predict(model, x_test)
    truth = y_test.argmax(axis=1) if y_test.ndim == 2 else y_test
    # Up to 8 mistakes first, then correct ones: 16 test images in all.
    wrong = np.flatnonzero(predicted != truth)[:8]
    shown = np.concatenate([wrong, np.flatnonzero(predicted == truth)[: 16 - len(wrong)]])
    figures = {
        "curves": plots.plot_history(history, out / "curves.png", title=title),
        "predictions": plots.plot_predictions(
            x_test[shown],
            truth[shown],
            predicted[shown],
            out / "predictions.png",
            title=f"{title}; predicted (true), mistakes in red",
        ),
    }
    return RunResult(
        name=name,
        dataset=dataset,
        model=model,
        model_name=describe("MLPClassifier", (in_features, *settings.hidden_sizes, num_classes)),
        settings=settings,
        train_accuracy=train_accuracy,
        val_accuracy=test_accuracy,
        val_split="test",
        seconds=seconds,
        history=history,
        figures=figures,
    )


def digits(
    *,
    epochs: int | None = None,
    lr: float | None = None,
    batch_size: int | None = None,
    hidden_sizes: tuple[int, ...] | None = None,
    seed: int = 0,
    out_dir: str | Path | None = None,
    callbacks: Sequence[Callback] | None = None,
) -> RunResult:
    """A multiclass MLP on scikit-learn's 8x8 digits (the fixed "digits-split" split)."""
    settings = settings_for(
        "digits", epochs=epochs, lr=lr, batch_size=batch_size, hidden_sizes=hidden_sizes, seed=seed
    )
    x_train, y_train, x_test, y_test = _train_test(load("digits-split"))
    arrays = (
        np.asarray(x_train, np.float32),
        np.asarray(y_train),
        np.asarray(x_test, np.float32),
        np.asarray(y_test),
    )
    num_classes = y_train.shape[1] if np.ndim(y_train) == 2 else int(y_train.max()) + 1
    out = Path(out_dir) if out_dir is not None else OUTPUT_ROOT / "digits"
    return _classifier("digits", "digits", arrays, num_classes, settings, out, callbacks)


def mnist(
    data_dir: str | Path | None = None,
    dataset: str = "mnist",
    *,
    epochs: int | None = None,
    lr: float | None = None,
    batch_size: int | None = None,
    hidden_sizes: tuple[int, ...] | None = None,
    seed: int = 0,
    out_dir: str | Path | None = None,
    callbacks: Sequence[Callback] | None = None,
    **options: Any,
) -> RunResult:
    """A multiclass MLP on an MNIST-family set read from IDX files in ``data_dir`` (or on
    ``mnist-5k``, which needs none).

    Images ``(N, 28, 28)`` uint8 become ``(N, 784)`` float32 in [0, 1]; the model is trained on
    the "train" split and measured on the "test" split. ``options`` go to the loader (e.g.
    ``subset="balanced"`` for EMNIST).
    """
    if dataset not in MNIST_DATASETS:
        raise ValueError(
            f"mnist: dataset must be one of {', '.join(MNIST_DATASETS)}; got {dataset!r}"
        )
    settings = settings_for(
        "mnist", epochs=epochs, lr=lr, batch_size=batch_size, hidden_sizes=hidden_sizes, seed=seed
    )
    if dataset not in SHIPPED_DATASETS:
        options["data_dir"] = data_dir
    splits = {}
    for split in ("train", "test"):
        images, labels = load(dataset, split=split, **options)
        images = np.asarray(images)
        flat = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
        splits[split] = (flat, np.asarray(labels, np.int64))
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    out = Path(out_dir) if out_dir is not None else OUTPUT_ROOT / dataset
    return _classifier(
        dataset, dataset, (x_train, y_train, x_test, y_test), num_classes, settings, out, callbacks
    )


RECIPES = {"toy": toy, "digits": digits, "mnist": mnist}
