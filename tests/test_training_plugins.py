"""The training tools that are not exercises: plots, the progress bar and the recipes.

Like every kit test they run with each exercise on its reference solution (tests/conftest.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from core import data, models, nn, optim, training
from core import random as gradkit_random
from core.training import History
from plugins.training import plots, recipes
from plugins.training.progress import ProgressBar, format_metrics

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path: Path) -> None:
    assert path.is_file(), f"no figure written at {path}"
    content = path.read_bytes()
    assert content.startswith(PNG_SIGNATURE), f"{path} is not a PNG file"
    assert len(content) > 1000, f"{path} is suspiciously small ({len(content)} bytes)"


def tiny_history(with_validation: bool = True) -> History:
    history = History()
    for epoch in range(3):
        metrics = {"train_loss": 1.0 / (epoch + 1), "train_accuracy": 0.5 + 0.1 * epoch}
        if with_validation:
            metrics.update(val_loss=1.2 / (epoch + 1), val_accuracy=0.45 + 0.1 * epoch)
        history.append({**metrics, "seconds": 0.01})
    return history


def two_blobs(points: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = np.arange(points) % 2
    x = rng.normal(size=(points, 2)).astype(np.float32) + 3 * labels[:, None].astype(np.float32)
    return x, labels.astype(np.int64)


# ----- plots --------------------------------------------------------------------------------
@pytest.mark.parametrize("with_validation", [True, False], ids=["train+val", "train only"])
def test_plot_history_writes_a_png(tmp_path: Path, with_validation: bool) -> None:
    path = plots.plot_history(tiny_history(with_validation), tmp_path / "sub" / "curves.png")
    assert_png(path)


def test_plot_history_of_an_empty_history_says_train_first(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        plots.plot_history(History(), tmp_path / "curves.png")


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_plot_decision_boundary_writes_a_png_for_a_tiny_model(tmp_path: Path, kind: str) -> None:
    gradkit_random.manual_seed(0)
    if kind == "binary":
        model = models.BinaryMLPClassifier(2, (4,))
    else:
        model = models.MLPClassifier(2, (4,), 3)
    x, y = two_blobs()
    path = plots.plot_decision_boundary(
        model, x, y, tmp_path / "boundary.png", transform=lambda p: p / 2, resolution=30
    )
    assert_png(path)


def test_plot_decision_boundary_rejects_points_that_are_not_2d(tmp_path: Path) -> None:
    model = models.BinaryMLPClassifier(3, (4,))
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plots.plot_decision_boundary(model, np.zeros((5, 3)), np.zeros(5), tmp_path / "b.png")


def test_predict_grid_gives_binary_probabilities_and_classes() -> None:
    model = models.BinaryMLPClassifier(2, (4,))
    scores, classes = plots.predict_grid(model, two_blobs()[0])
    assert scores.shape == classes.shape == (40,)
    assert np.all((scores >= 0) & (scores <= 1))
    np.testing.assert_array_equal(classes, (scores > 0.5).astype(np.int64))


@pytest.mark.parametrize("shape", [(5, 64), (5, 8, 8)], ids=["flat", "images"])
def test_plot_predictions_writes_a_png(tmp_path: Path, shape: tuple[int, ...]) -> None:
    images = np.random.default_rng(0).random(shape)
    labels = np.array([0, 1, 2, 3, 4])
    path = plots.plot_predictions(images, labels, labels[::-1], tmp_path / "predictions.png")
    assert_png(path)


def test_plot_predictions_rejects_flat_images_that_are_not_square(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="square"):
        plots.plot_predictions(np.zeros((2, 10)), [0, 1], [0, 1], tmp_path / "p.png")


# ----- the progress bar ---------------------------------------------------------------------
def drive(bar: ProgressBar, epochs: int = 2, batches: int = 3) -> History:
    """Call the hooks in the order a trainer does, with made-up losses."""
    history = tiny_history()
    bar.on_fit_start(trainer=None, epochs=epochs)
    for epoch in range(epochs):
        bar.on_epoch_start(epoch, batches)
        for index in range(batches):
            bar.on_batch_end(index, 16, 0.5)
        bar.on_epoch_end(epoch, history.epochs[epoch])
    bar.on_fit_end(history)
    return history


def test_progress_bar_prints_one_summary_line_per_epoch_with_the_metrics() -> None:
    out = io.StringIO()
    history = drive(ProgressBar(file=out, delay=0, label="run"))
    summaries = [line for line in out.getvalue().splitlines() if "train_loss" in line]
    assert len(summaries) == 2, out.getvalue()
    assert summaries[-1].startswith("run epoch 2/2")
    assert format_metrics(history.epochs[1]) in summaries[-1]
    assert "samples/s" in summaries[-1]


def test_progress_bar_shows_the_running_loss_and_speed_in_the_bar() -> None:
    out = io.StringIO()
    bar = ProgressBar(file=out, delay=0)
    bar.on_fit_start(trainer=None, epochs=1)
    bar.on_epoch_start(0, 2)
    bar.on_batch_end(0, 16, 0.25)
    bar.bar.refresh()
    assert "loss 0.2500" in out.getvalue()
    assert "samples/s" in out.getvalue()
    bar.close()


def test_progress_bar_with_summary_every_zero_prints_no_summaries() -> None:
    out = io.StringIO()
    drive(ProgressBar(file=out, summary_every=0, delay=0))
    assert "train_loss" not in out.getvalue()


def test_format_metrics_puts_losses_and_accuracies_first_and_drops_seconds() -> None:
    text = format_metrics({"seconds": 1.0, "lr": 0.1, "val_loss": 0.5, "train_loss": 0.25})
    assert text == "train_loss 0.2500  val_loss 0.5000  lr 0.1000"


def test_progress_bar_runs_inside_a_real_fit() -> None:
    gradkit_random.manual_seed(0)
    x, y = two_blobs()
    loader = data.DataLoader(data.ArrayDataset(x, y.astype(np.float32)), batch_size=8)
    model = models.BinaryMLPClassifier(2, (4,))
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.Adam(model.parameters()))
    out = io.StringIO()
    history = trainer.fit(loader, 2, val_loader=loader, callbacks=[ProgressBar(file=out)])
    assert len(history) == 2
    assert "epoch 2/2" in out.getvalue()
    assert "val_accuracy" in out.getvalue()


# ----- recipes ------------------------------------------------------------------------------
def test_settings_for_keeps_defaults_where_no_override_is_given() -> None:
    settings = recipes.settings_for("toy", epochs=3, lr=None)
    assert settings.epochs == 3
    assert settings.lr == recipes.DEFAULTS["toy"].lr


@pytest.mark.parametrize(
    ("recipe", "overrides", "message"),
    [("nope", {}, "no recipe"), ("toy", {"epochs": 0}, "epochs"), ("toy", {"lr": -1.0}, "lr")],
)
def test_settings_for_rejects_unknown_recipes_and_bad_values(
    recipe: str, overrides: dict, message: str
) -> None:
    with pytest.raises((KeyError, ValueError), match=message):
        recipes.settings_for(recipe, **overrides)


def small_toy_run(tmp_path: Path, seed: int = 0) -> recipes.RunResult:
    return recipes.toy(
        "moons", epochs=2, points=200, seed=seed, out_dir=tmp_path / "toy", callbacks=()
    )


def test_toy_recipe_trains_and_writes_its_figures(tmp_path: Path) -> None:
    result = small_toy_run(tmp_path)
    assert len(result.history) == 2
    assert 0.5 < result.val_accuracy <= 1.0
    assert set(result.figures) == {"curves", "boundary"}
    for path in result.figures.values():
        assert_png(path)


def test_toy_recipe_keeps_the_model_float32(tmp_path: Path) -> None:
    result = small_toy_run(tmp_path)
    assert {p.data.dtype for p in result.model.parameters()} == {np.dtype(np.float32)}


def test_toy_recipe_gives_the_same_history_for_the_same_seed(tmp_path: Path) -> None:
    first, second = small_toy_run(tmp_path), small_toy_run(tmp_path)
    assert first.history["train_loss"] == second.history["train_loss"]


def test_toy_recipe_rejects_an_unknown_dataset() -> None:
    with pytest.raises(ValueError, match="moons"):
        recipes.toy("spirals")
