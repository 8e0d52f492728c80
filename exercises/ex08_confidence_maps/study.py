"""ex08 study: where is a small classifier of 2-D points sure, and where does it hesitate?

A BinaryMLPClassifier learns each toy set (blobs, moons, circles); its confidence map — the
probability of class 1 over a grid around the data — shows the decision boundary (the 0.5
level) and, around it, the *uncertain band*: the part of the grid with 0.1 < p < 0.9. The
study compares

1. small multiples of the maps, rows the data set and columns the activation (ReLU, tanh,
   sigmoid), at one network size and one training length;
2. the band on the moons against the number of training epochs, for each activation;
3. the band on the moons for networks of different width and depth.

Every model is trained from scratch with BCE on logits and Adam, seeded, so a configuration
gives the same numbers on every run. Run it with ``tox -e report -- ex08`` (``--quick`` for a
smoke run, ``--seed N`` for another draw of data and weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np

from core import analysis
from exercises.studies import data, figures, training

TITLE = "Confidence maps of small classifiers on 2-D data"
USES_IMAGES = False  # toy 2-D sets: the report's --dataset does not apply

DATASETS = ("blobs", "moons", "circles")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
HIDDEN = (16, 16)  # the network of the small multiples and of the epoch sweep
ARCHITECTURES = ((4,), (16,), (64,), (16, 16), (16, 16, 16), (64, 64))
LEARNING_RATE = 0.005
BAND = (0.1, 0.9)  # a grid point is uncertain when BAND[0] < p < BAND[1]
MARGIN = 0.1  # the grid reaches 10% of the data's extent beyond it on each side
PROBABILITY_LABEL = "P(class 1)"


@dataclass(frozen=True)
class Sizes:
    """How much a run does: points per set, epochs, the epoch sweep and the grid."""

    points: int
    epochs: int
    epoch_sweep: tuple[int, ...]
    resolution: tuple[int, int]


FULL = Sizes(points=500, epochs=100, epoch_sweep=(5, 20, 50, 100, 300), resolution=(150, 120))
QUICK = Sizes(points=200, epochs=20, epoch_sweep=(2, 5, 20), resolution=(60, 48))


@dataclass(frozen=True)
class Fit:
    """One trained configuration and what the study measures on it."""

    name: str
    model: object
    val_accuracy: float
    uncertain_fraction: float
    field: np.ndarray  # (ny, nx) P(class 1) on the grid of its data set


def run(report) -> None:
    sizes = QUICK if report.quick else FULL
    sets = {name: data.toy(name, n=sizes.points, seed=report.seed) for name in DATASETS}
    grids = {
        name: analysis.grid_over(x_train, sizes.resolution, margin=MARGIN)
        for name, (x_train, *_) in sets.items()
    }
    study = Study(report, sizes, sets, grids)
    report.heading("Setup")
    report.text(
        f"Each toy set has {sizes.points} training and {sizes.points} validation points, "
        "standardised on the training part. The models are "
        f"`BinaryMLPClassifier(2, hidden_sizes, activation)`, trained with BCE on logits and "
        f"Adam (learning rate {LEARNING_RATE}, batches of 64), seeded with {report.seed}. The "
        f"grid has {sizes.resolution[0]} × {sizes.resolution[1]} points over the training "
        f"points' bounding box, widened by {MARGIN:.0%} of each side. The **uncertain "
        f"fraction** is the share of grid points with {BAND[0]} < p < {BAND[1]}: how much of "
        "the picture the model leaves undecided."
    )
    datasets_by_activations(study)
    band_against_epochs(study)
    width_and_depth(study)
    report.result("val_accuracy", {fit.name: fit.val_accuracy for fit in study.fits.values()})
    report.result(
        "uncertain_fraction", {fit.name: fit.uncertain_fraction for fit in study.fits.values()}
    )
    report.findings(
        [
            "Describe the uncertain band of the moons model after few and after many epochs. "
            "Where does it shrink first, and where does it stay wide? Relate it to where the "
            "training points are.",
            "Compare ReLU, tanh and sigmoid on the circles. What shape do the boundaries have "
            "(straight pieces, smooth curves), and why does the activation decide that?",
            "Far from the data every map is confident. Is that confidence earned? What would "
            "a point at (10, 10) get, and what does that say about reading p as 'how sure'?",
            "Validation accuracy and uncertain fraction measure different things. Find two "
            "configurations with about the same accuracy and different bands, and explain.",
            "How do width and depth change the band and the boundary on the moons? Is there a "
            "point where a bigger network stops helping?",
            "The uncertain fraction depends on choices of the measurement: the margin, the "
            "resolution, the thresholds 0.1 and 0.9. Which of them change the number most, "
            "and would they change your conclusions?",
        ]
    )


@dataclass
class Study:
    """The data, the grids and every configuration trained so far (each trained once)."""

    report: object
    sizes: Sizes
    sets: dict
    grids: dict
    fits: dict = field(default_factory=dict)

    def fit(self, dataset: str, activation: str, hidden: tuple[int, ...], epochs: int) -> Fit:
        """The trained configuration, from the cache or trained now."""
        name = f"{dataset}/{activation}/[{','.join(map(str, hidden))}]/{epochs} epochs"
        if name not in self.fits:
            x_train, y_train, x_val, y_val = self.sets[dataset]
            model = training.binary_classifier(
                x_train,
                y_train,
                hidden,
                activation=activation,
                epochs=epochs,
                seed=self.report.seed,
                lr=LEARNING_RATE,
            )
            probabilities = analysis.confidence_map(model, *self.grids[dataset])
            self.fits[name] = Fit(
                name,
                model,
                training.accuracy(model, x_val, y_val),
                uncertain_fraction(probabilities),
                probabilities,
            )
        return self.fits[name]

    def draw(self, axis, fit: Fit, dataset: str, legend: bool = False):
        """The map of ``fit`` on ``axis``, with the validation points; returns the mappable."""
        _, _, x_val, y_val = self.sets[dataset]
        return analysis.plot_confidence_map(
            axis, *self.grids[dataset], fit.field, x_val, y_val, legend=legend
        )


def uncertain_fraction(field: np.ndarray) -> float:
    """The share of grid points with BAND[0] < p < BAND[1]."""
    return float(np.mean((field > BAND[0]) & (field < BAND[1])))


def label_panel(axis, fit: Fit, title: str) -> None:
    axis.set_title(
        f"{title}\nval acc {fit.val_accuracy:.3f}, uncertain {fit.uncertain_fraction:.2f}",
        fontsize=8,
    )
    axis.tick_params(labelsize=7)
    axis.locator_params(nbins=4)  # few tick labels: a small panel needs no more


def datasets_by_activations(study: Study) -> None:
    """Small multiples: rows the data sets, columns the activations."""
    report, epochs = study.report, study.sizes.epochs
    report.heading("Data sets × activations")
    cases = [(d, a) for d in DATASETS for a in ACTIVATIONS]
    fits = {
        case: study.fit(*case, HIDDEN, epochs)
        for case in report.progress(cases, "data sets × activations")
    }
    figure, axes = figures.grid(
        len(DATASETS),
        len(ACTIVATIONS),
        cell=2.6,
        title=f"P(class 1) of BinaryMLPClassifier(2, {list(HIDDEN)}) after {epochs} epochs; "
        "black line: p = 0.5",
    )
    for row, dataset in enumerate(DATASETS):
        for column, activation in enumerate(ACTIVATIONS):
            axis, fit = axes[row, column], fits[dataset, activation]
            filled = study.draw(axis, fit, dataset, legend=row == column == 0)
            label_panel(axis, fit, f"{dataset}, {activation}")
            if column == 0:
                axis.set_ylabel("x₂ (standardised)", fontsize=8)
            if row == len(DATASETS) - 1:
                axis.set_xlabel("x₁ (standardised)", fontsize=8)
    figure.colorbar(filled, ax=axes, shrink=0.6, label=PROBABILITY_LABEL)
    report.figure(
        figure,
        "maps_by_dataset_and_activation",
        "Confidence maps: rows the data set, columns the activation. Red: class 1, blue: "
        "class 0, white: undecided; the dots are the validation points.",
    )
    report.table(
        [
            "data set",
            *[f"{a}: val acc" for a in ACTIVATIONS],
            *[f"{a}: uncertain" for a in ACTIVATIONS],
        ],
        [
            [d, *[fits[d, a].val_accuracy for a in ACTIVATIONS]]
            + [fits[d, a].uncertain_fraction for a in ACTIVATIONS]
            for d in DATASETS
        ],
        caption=f"Validation accuracy and uncertain fraction after {epochs} epochs.",
    )
    widest = max(fits.values(), key=lambda fit: fit.uncertain_fraction)
    narrowest = min(fits.values(), key=lambda fit: fit.uncertain_fraction)
    report.text(
        f"After {epochs} epochs the widest band is that of {widest.name} "
        f"({widest.uncertain_fraction:.2f} of the grid), the narrowest that of "
        f"{narrowest.name} ({narrowest.uncertain_fraction:.2f}). One seed per configuration: "
        "differences of a few hundredths may change with `--seed`."
    )


def band_against_epochs(study: Study) -> None:
    """The uncertain fraction on the moons after more and more epochs, per activation."""
    report, sweep = study.report, study.sizes.epoch_sweep
    report.heading("The uncertain band against training time (moons)")
    cases = [(a, e) for a in ACTIVATIONS for e in sweep]
    fits = {
        case: study.fit("moons", case[0], HIDDEN, case[1])
        for case in report.progress(cases, "epoch sweep")
    }
    report.table(
        [
            "epochs",
            *[f"{a}: uncertain" for a in ACTIVATIONS],
            *[f"{a}: val acc" for a in ACTIVATIONS],
        ],
        [
            [e, *[fits[a, e].uncertain_fraction for a in ACTIVATIONS]]
            + [fits[a, e].val_accuracy for a in ACTIVATIONS]
            for e in sweep
        ],
        caption=f"BinaryMLPClassifier(2, {list(HIDDEN)}) on the moons, each trained from scratch.",
    )
    figure, (band, accuracy) = plt.subplots(1, 2, figsize=(9, 3.4), constrained_layout=True)
    for activation in ACTIVATIONS:
        band.plot(
            sweep, [fits[activation, e].uncertain_fraction for e in sweep], "o-", label=activation
        )
        accuracy.plot(
            sweep, [fits[activation, e].val_accuracy for e in sweep], "o-", label=activation
        )
    band.set(
        xscale="log",
        xlabel="epochs (log scale)",
        ylabel=f"share of the grid with {BAND[0]} < p < {BAND[1]}",
        title="Uncertain band on the moons",
        ylim=(0, None),
    )
    accuracy.set(
        xscale="log",
        xlabel="epochs (log scale)",
        ylabel="validation accuracy",
        title="Validation accuracy",
    )
    for axis in (band, accuracy):
        axis.legend(title="activation")
        axis.grid(alpha=0.3)
    report.figure(
        figure,
        "uncertain_fraction_vs_epochs",
        "Left: the share of the grid the moons model leaves undecided, against the number of "
        "epochs; right: its validation accuracy.",
    )
    figure, axes = figures.grid(
        1, len(sweep), cell=2.6, title=f"moons, ReLU, {list(HIDDEN)}: the map during training"
    )
    for column, epochs in enumerate(sweep):
        filled = study.draw(axes[0, column], fits["relu", epochs], "moons", legend=column == 0)
        label_panel(axes[0, column], fits["relu", epochs], f"{epochs} epochs")
        axes[0, column].set_xlabel("x₁ (standardised)", fontsize=8)
    axes[0, 0].set_ylabel("x₂ (standardised)", fontsize=8)
    figure.colorbar(filled, ax=axes, shrink=0.8, label=PROBABILITY_LABEL)
    report.figure(
        figure,
        "moons_relu_during_training",
        "The ReLU model's confidence map on the moons after more and more epochs (each "
        "trained from scratch with the same seed).",
    )
    first, last = fits["relu", sweep[0]], fits["relu", sweep[-1]]
    band_change = first.uncertain_fraction - last.uncertain_fraction
    accuracy_change = last.val_accuracy - first.val_accuracy
    report.text(
        f"With ReLU the uncertain fraction goes from {first.uncertain_fraction:.2f} after "
        f"{sweep[0]} epochs to {last.uncertain_fraction:.2f} after {sweep[-1]} "
        f"({'narrower' if band_change > 0 else 'not narrower'}), while the validation "
        f"accuracy goes from {first.val_accuracy:.3f} to {last.val_accuracy:.3f} "
        f"({accuracy_change:+.3f}). The band measures how confident the model is around the "
        "data, not whether it is right: a model can be confident and wrong where it has seen "
        "few points."
    )


def width_and_depth(study: Study) -> None:
    """The moons with ReLU networks of several widths and depths, one training length."""
    report, epochs = study.report, study.sizes.epochs
    report.heading("Width and depth (moons, ReLU)")
    fits = [
        study.fit("moons", "relu", hidden, epochs)
        for hidden in report.progress(ARCHITECTURES, "width and depth")
    ]
    columns = 3
    figure, axes = figures.grid(
        -(-len(fits) // columns),
        columns,
        cell=2.6,
        title=f"moons, ReLU, {epochs} epochs: hidden sizes",
    )
    for axis, hidden, fit in zip(axes.flat, ARCHITECTURES, fits):
        filled = study.draw(axis, fit, "moons", legend=axis is axes[0, 0])
        label_panel(axis, fit, f"hidden {list(hidden)}")
        axis.set_xlabel("x₁ (standardised)", fontsize=8)
        axis.set_ylabel("x₂ (standardised)", fontsize=8)
    figure.colorbar(filled, ax=axes, shrink=0.6, label=PROBABILITY_LABEL)
    report.figure(
        figure,
        "moons_width_and_depth",
        "Confidence maps of ReLU networks of several widths and depths on the moons, trained "
        "for the same number of epochs.",
    )
    report.table(
        ["hidden sizes", "parameters", "val acc", "uncertain"],
        [
            [
                str(list(hidden)),
                sum(p.data.size for p in fit.model.parameters()),
                fit.val_accuracy,
                fit.uncertain_fraction,
            ]
            for hidden, fit in zip(ARCHITECTURES, fits)
        ],
        caption=f"ReLU networks on the moons after {epochs} epochs.",
    )
