"""ex12 study: does augmenting a small training set teach a classifier what it never saw?

scikit-learn's digits are centred and size-normalised, so on the clean test split a model
trained on a few images per class already does well, and augmentation has little to add. The
study therefore tests every model on three copies of the test split: clean, shifted (each image
by its own random whole-pixel offset in {-1, 0, 1}²) and rotated (each by its own angle in
±30°). With your transforms it

1. shows what each transform and the full pipeline do to a few training digits;
2. trains an MLP on 10, 20 and 30 images per class, plain, shift-augmented and
   rotation-augmented, over several seeds, and reports each model's accuracy on the three test
   copies (mean ± standard deviation over the seeds);
3. sweeps the augmentation strength (whole-pixel and sub-pixel shifts of 0 to 2 pixels, rotations
   of 0° to 30°) at the smallest training size;
4. checks the two targets: shift training raises shifted-test accuracy by at least 0.30, and
   rotation training raises rotated-test accuracy by at least 0.08, at the smallest size.

Run it with ``tox -e report -- ex12`` (``--quick`` for a smoke run, ``--dataset mnist-5k`` for
28x28 MNIST digits). Every random choice follows ``--seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from core import data, models, nn, optim, training
from core import random as gradkit_random
from exercises.studies import data as study_data
from exercises.studies import figures
from exercises.studies import training as study_training

TITLE = "Augmentation: shifts, rotations and noise for a digit classifier trained on a few images"

HIDDEN_SIZES = (128,)
LEARNING_RATE, BATCH_SIZE = 3e-3, 32
# Every model takes the same number of optimizer steps, whatever the training-set size, so
# that a larger set is not also a longer training run.
STEPS, QUICK_STEPS = 600, 100
SIZES, QUICK_SIZES = (10, 20, 30), (10, 20)  # training images per class
SEEDS, QUICK_SEEDS = 3, 1
SHIFT, ROTATION = 1, 30.0  # the training augmentations, and the perturbed test copies
P_AUGMENT = 1.0  # the probability with which each training image is augmented
SHIFT_STRENGTHS, QUICK_SHIFT_STRENGTHS = (0, 1, 2), (0, 1)
SUBPIXEL_STRENGTHS, QUICK_SUBPIXEL_STRENGTHS = (0.0, 0.5, 1.0, 1.5, 2.0), (0.0, 1.0)
ROTATION_STRENGTHS, QUICK_ROTATION_STRENGTHS = (0.0, 10.0, 20.0, 30.0), (0.0, 30.0)
TESTS = ("clean", "shifted", "rotated")
CONDITIONS = ("plain", "shift", "rotation")
# (condition, test copy, least gain over plain), at the smallest training size
TARGETS = (("shift", "shifted", 0.30), ("rotation", "rotated", 0.08))
EXAMPLES = 6


@dataclass(frozen=True)
class Accuracy:
    """Test accuracies of one setting over the seeds: ``runs[test]`` is one value per seed."""

    runs: dict[str, list[float]]

    def mean(self, test: str) -> float:
        return float(np.mean(self.runs[test]))

    def std(self, test: str) -> float:
        return float(np.std(self.runs[test]))


def run(report) -> None:
    images = study_data.images(
        report.dataset, seed=report.seed, quick=report.quick, data_dir=report.data_dir
    )
    tests = perturbed_test_sets(report, images)
    augmented_samples(report, images)
    results = accuracy_against_training_size(report, images, tests)
    sweeps = accuracy_against_strength(report, images, tests, results)
    check_the_targets(report, results)
    report.result("strength_sweep", sweeps)
    report.findings(
        [
            "On the clean test split, does augmentation help, hurt or change nothing? Explain "
            "it from how scikit-learn's digits were prepared (centred, size-normalised).",
            "A plain model loses most of its accuracy when test digits move by one pixel. Why "
            "is an MLP, which sees 64 unrelated inputs, so sensitive to a shift, and what would "
            "a convolutional network change?",
            "Shift training recovers the shifted test set, but does it also help on rotated "
            "digits, and rotation training on shifted ones? What does that say about which "
            "invariances augmentation can teach?",
            "How does the gain from augmentation change from 10 to 30 images per class? "
            "Is augmentation worth more when data is scarce, and how large are the seed-to-seed "
            "spreads next to the gains?",
            "In the strength sweeps, where does more augmentation stop helping, and what does "
            "too much of it cost on the clean test set?",
            "Look at the grid of augmented samples: which transforms could turn one digit into "
            "another (a rotated 6 and 9, an erased 8 and 0)? When is an augmentation no longer "
            "label-preserving?",
            "What would change on 28x28 MNIST (--dataset mnist-5k), where one pixel is a much "
            "smaller part of a stroke? Predict it, then run it.",
        ]
    )


# ----- the test copies and the samples -------------------------------------------------------


def perturbed_test_sets(report, images: study_data.Images) -> dict[str, np.ndarray]:
    """The test split, clean, shifted and rotated: each image its own random offset or angle."""
    shape = images.shape
    tests = {
        "clean": images.x_test,
        "shifted": data.RandomShift(SHIFT, shape, seed=report.seed + 100)(images.x_test),
        "rotated": data.RandomRotation(ROTATION, shape, seed=report.seed + 101)(images.x_test),
    }
    report.heading("The data")
    report.text(
        f"{images.name}: {len(images.x_train)} training and {len(images.x_test)} test images. "
        f"Each model trains on a few images per class drawn from the training split (another "
        f"draw per seed), and is tested on three copies of the whole test split: **clean**; "
        f"**shifted**, every image by its own random offset in {{-{SHIFT}, 0, {SHIFT}}}² pixels "
        f"(so one image in nine is not moved); **rotated**, every image by its own angle drawn "
        f"uniformly from ±{ROTATION:g}°."
    )
    shown = np.concatenate([tests[name][:8] for name in TESTS])
    titles = [f"{name} #{i}" for name in TESTS for i in range(8)]
    figure = figures.image_grid(
        shown, shape, titles, columns=8, title="The three test copies (one row each)"
    )
    figure.colorbar(figure.axes[0].images[0], ax=figure.axes, shrink=0.6, label="pixel intensity")
    report.figure(figure, "test_copies", "The first eight test digits: clean, shifted, rotated")
    return tests


def augmented_samples(report, images: study_data.Images) -> None:
    """A grid: training digits (rows) under each transform and the full pipeline (columns)."""
    shape, seed = images.shape, report.seed
    transforms = {
        "original": None,
        f"shift ±{SHIFT} px": data.RandomShift(SHIFT, shape, seed=seed),
        "sub-pixel ±1.5 px": data.RandomShift(1.5, shape, subpixel=True, seed=seed + 1),
        f"rotation ±{ROTATION:g}°": data.RandomRotation(ROTATION, shape, seed=seed + 2),
        "noise σ=0.15": data.GaussianNoise(0.15, seed=seed + 3),
        "erasing": data.RandomErasing(shape, p=1.0, scale=(0.1, 0.25), seed=seed + 4),
        "pipeline": data.Augment(
            [
                (data.RandomShift(SHIFT, shape, seed=seed + 5), 0.5),
                (data.RandomRotation(ROTATION, shape, seed=seed + 6), 0.5),
                (data.GaussianNoise(0.1, seed=seed + 7), 0.5),
                (data.RandomErasing(shape, p=1.0, scale=(0.05, 0.15), seed=seed + 8), 0.3),
            ],
            seed=seed + 9,
        ),
    }
    digits = images.x_train[:EXAMPLES]
    figure, axes = figures.grid(
        EXAMPLES, len(transforms), cell=1.3, title="Augmented training digits (one row per digit)"
    )
    for column, (name, transform) in enumerate(transforms.items()):
        changed = digits if transform is None else transform(digits)
        for row in range(EXAMPLES):
            axis = axes[row, column]
            shown = axis.imshow(changed[row].reshape(shape), cmap="gray", vmin=0, vmax=1)
            figures.frame_only(axis)
            if row == 0:
                axis.set_title(name, fontsize=8)
    figure.colorbar(shown, ax=axes, shrink=0.6, label="pixel intensity")
    report.heading("Augmented samples")
    report.text(
        "Each column applies one transform to the same training digits, each digit with its own "
        "random draw; the last column is a pipeline (`data.Augment`) that applies shift, "
        "rotation, noise and erasing each with its own probability, so some digits get several "
        "and some none."
    )
    report.figure(figure, "augmented_samples", "Training digits under each transform")


# ----- training ------------------------------------------------------------------------------


def per_class_subset(
    images: study_data.Images, per_class: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``per_class`` training images of every class, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    chosen = [
        rng.permutation(np.flatnonzero(images.y_train == c))[:per_class]
        for c in range(images.classes)
    ]
    chosen = np.concatenate(chosen)
    return images.x_train[chosen], images.y_train[chosen]


def augmentation(
    condition: str, strength: float, shape: tuple[int, int], seed: int, subpixel: bool = False
):
    """The training transform of ``condition`` at ``strength``, or None for plain training."""
    if condition == "plain" or strength == 0:
        return None
    if condition == "shift":
        transform = data.RandomShift(strength, shape, subpixel=subpixel, seed=seed)
    else:
        transform = data.RandomRotation(strength, shape, seed=seed)
    return data.Augment([(transform, P_AUGMENT)], seed=seed + 1)


def train(report, images, per_class: int, transform_of, seed: int) -> models.MLPClassifier:
    """An MLP trained on ``per_class`` images per class; ``transform_of(seed)`` augments the
    training batches (ArrayDataset's transform), the test sets stay as they are."""
    x, y = per_class_subset(images, per_class, seed)
    gradkit_random.manual_seed(seed)
    model = models.MLPClassifier(images.features, list(HIDDEN_SIZES), images.classes)
    trainer = training.Trainer(
        model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=LEARNING_RATE)
    )
    loader = data.DataLoader(
        data.ArrayDataset(x, y, transform=transform_of(seed)),
        batch_size=BATCH_SIZE,
        shuffle=True,
        seed=seed,
    )
    steps = QUICK_STEPS if report.quick else STEPS
    trainer.fit(loader, max(1, -(-steps // len(loader))))
    return model


def evaluate(
    report, images, tests, per_class: int, condition: str, strength: float, subpixel=False
) -> Accuracy:
    """Accuracy on every test copy, for one seed after another."""
    runs = {test: [] for test in TESTS}
    for index in range(QUICK_SEEDS if report.quick else SEEDS):
        seed = report.seed * 1000 + index
        model = train(
            report,
            images,
            per_class,
            lambda s: augmentation(condition, strength, images.shape, s + 500, subpixel),
            seed,
        )
        for test in TESTS:
            runs[test].append(study_training.accuracy(model, tests[test], images.y_test))
    return Accuracy(runs)


def accuracy_against_training_size(report, images, tests) -> dict[int, dict[str, Accuracy]]:
    """Plain, shift- and rotation-trained models at every training size."""
    sizes = QUICK_SIZES if report.quick else SIZES
    strengths = {"plain": 0.0, "shift": float(SHIFT), "rotation": ROTATION}
    settings = [(size, condition) for size in sizes for condition in CONDITIONS]
    results: dict[int, dict[str, Accuracy]] = {size: {} for size in sizes}
    for size, condition in report.progress(settings, "training-set sizes x augmentations"):
        results[size][condition] = evaluate(
            report, images, tests, size, condition, strengths[condition]
        )
    seeds = QUICK_SEEDS if report.quick else SEEDS
    steps = QUICK_STEPS if report.quick else STEPS
    report.heading("Accuracy against training-set size")
    report.text(
        f"`MLPClassifier({images.features}, {list(HIDDEN_SIZES)}, {images.classes})`, Adam "
        f"(lr {LEARNING_RATE}), batches of {BATCH_SIZE}, {steps} steps whatever the size; "
        f"{seeds} seed(s) per setting (each seed draws its own training images, initial weights "
        f"and augmentations). **shift**: every training image moved by a random offset in "
        f"{{-{SHIFT}, 0, {SHIFT}}}²; **rotation**: turned by a random angle in ±{ROTATION:g}°; "
        f"each with probability {P_AUGMENT}. Mean ± standard deviation over the seeds."
    )
    rows = [
        [f"{size} per class", condition]
        + [f"{accuracy.mean(test):.3f} ± {accuracy.std(test):.3f}" for test in TESTS]
        for size in results
        for condition, accuracy in results[size].items()
    ]
    report.table(["training set", "augmentation", *TESTS], rows)
    small, large = min(results), max(results)
    plain, shifted, turned = (results[small][c] for c in CONDITIONS)
    report.text(
        f"At {small} per class the plain model scores {plain.mean('clean'):.3f} on clean digits "
        f"but {plain.mean('shifted'):.3f} on shifted and {plain.mean('rotated'):.3f} on rotated "
        f"ones. Shift training brings the shifted copy to {shifted.mean('shifted'):.3f} "
        f"({shifted.mean('clean') - plain.mean('clean'):+.3f} on clean); rotation training "
        f"brings the rotated copy to {turned.mean('rotated'):.3f} "
        f"({turned.mean('clean') - plain.mean('clean'):+.3f} on clean). Across perturbations: "
        f"the shift-trained model scores {shifted.mean('rotated'):.3f} on the rotated copy and "
        f"the rotation-trained one {turned.mean('shifted'):.3f} on the shifted copy (plain: "
        f"{plain.mean('rotated'):.3f} and {plain.mean('shifted'):.3f}). At {large} per class "
        f"the plain model scores {results[large]['plain'].mean('shifted'):.3f} on the shifted "
        f"copy."
    )
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True, constrained_layout=True)
    for axis, test in zip(axes, TESTS, strict=True):
        for condition in CONDITIONS:
            means = [results[size][condition].mean(test) for size in results]
            spreads = [results[size][condition].std(test) for size in results]
            axis.errorbar(
                list(results), means, yerr=spreads, marker="o", capsize=3, label=condition
            )
        axis.set_title(f"{test} test images")
        axis.set_xlabel("training images per class")
        axis.set_xticks(list(results))
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("test accuracy (mean ± std over seeds)")
    axes[0].legend(title="training")
    figure.suptitle("Accuracy against training-set size, plain and augmented")
    report.figure(
        figure, "accuracy_vs_training_size", "Test accuracy on each test copy, by training size"
    )
    report.result(
        "test_accuracy",
        {
            f"{size} per class": {
                condition: {test: accuracy.mean(test) for test in TESTS}
                for condition, accuracy in results[size].items()
            }
            for size in results
        },
    )
    report.result(
        "test_accuracy_std",
        {
            f"{size} per class": {
                condition: {test: accuracy.std(test) for test in TESTS}
                for condition, accuracy in results[size].items()
            }
            for size in results
        },
    )
    return results


def accuracy_against_strength(report, images, tests, results) -> dict:
    """Shift (whole-pixel and sub-pixel) and rotation strength, at the smallest training size."""
    size = min(results)
    quick = report.quick
    # line label -> (condition, strengths, sub-pixel shifts, the perturbed test copy)
    lines = {
        "whole-pixel shift": (
            "shift",
            QUICK_SHIFT_STRENGTHS if quick else SHIFT_STRENGTHS,
            False,
            "shifted",
        ),
        "sub-pixel shift": (
            "shift",
            QUICK_SUBPIXEL_STRENGTHS if quick else SUBPIXEL_STRENGTHS,
            True,
            "shifted",
        ),
        "rotation": (
            "rotation",
            QUICK_ROTATION_STRENGTHS if quick else ROTATION_STRENGTHS,
            False,
            "rotated",
        ),
    }
    known = {
        ("shift", float(SHIFT), False): results[size]["shift"],
        ("rotation", ROTATION, False): results[size]["rotation"],
    }
    settings = [
        (condition, float(strength), subpixel)
        for condition, strengths, subpixel, _ in lines.values()
        for strength in strengths
    ]
    measured: dict[tuple[str, float, bool], Accuracy] = {}
    for setting in report.progress(settings, "augmentation strengths"):
        condition, strength, subpixel = setting
        if strength == 0:
            measured[setting] = results[size]["plain"]
        elif setting in known:
            measured[setting] = known[setting]
        else:
            measured[setting] = evaluate(report, images, tests, size, condition, strength, subpixel)
    report.heading("Accuracy against augmentation strength")
    report.text(
        f"At {size} images per class. A whole-pixel shift of strength s draws each offset from "
        f"the whole numbers -s..s; a sub-pixel shift draws it uniformly from [-s, s] and "
        f"interpolates bilinearly; a rotation of strength d draws each angle from [-d, d]. "
        f"Strength 0 is plain training. The test copies are those above (whole-pixel "
        f"±{SHIFT} px, ±{ROTATION:g}°)."
    )
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True, constrained_layout=True)
    panels = {"shift": (axes[0], "max shift (pixels)"), "rotation": (axes[1], "max rotation (°)")}
    summary: dict[str, dict] = {}
    for label, (condition, strengths, subpixel, perturbed) in lines.items():
        axis, xlabel = panels[condition]
        style = "--" if subpixel else "-"
        summary[label] = {}
        for test, colour in (("clean", "tab:blue"), (perturbed, "tab:orange")):
            found = [measured[condition, float(s), subpixel] for s in strengths]
            means = [accuracy.mean(test) for accuracy in found]
            axis.errorbar(
                strengths,
                means,
                yerr=[accuracy.std(test) for accuracy in found],
                marker="s" if subpixel else "o",
                capsize=3,
                linestyle=style,
                color=colour,
                label=f"{label}, {test} test",
            )
            summary[label][test] = dict(zip(map(str, strengths), means, strict=True))
        axis.set_xlabel(xlabel)
        axis.set_title(f"{condition} augmentation")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    axes[0].set_ylabel("test accuracy (mean ± std over seeds)")
    figure.suptitle(f"Accuracy against augmentation strength ({size} images per class)")
    report.figure(figure, "accuracy_vs_strength", "Test accuracy against augmentation strength")
    report.table(
        ["augmentation", "strength", *TESTS],
        [
            [label, f"{strength:g}"]
            + [measured[condition, float(strength), subpixel].mean(t) for t in TESTS]
            for label, (condition, strengths, subpixel, _) in lines.items()
            for strength in strengths
        ],
    )
    return summary


def check_the_targets(report, results) -> None:
    """The issue's targets, at the smallest training size."""
    size = min(results)
    rows, gains, met = [], {}, {}
    for condition, test, least in TARGETS:
        before = results[size]["plain"].mean(test)
        after = results[size][condition].mean(test)
        gain = after - before
        key = f"{condition} on {test}"
        gains[key], met[key] = gain, bool(gain >= least)
        rows.append([key, before, after, gain, f">= {least}", "yes" if met[key] else "no"])
    report.heading("Targets")
    report.text(
        f"At {size} images per class, the gain in mean accuracy on the perturbed test copy from "
        "training with the matching augmentation."
        + (
            " This is a quick run: too few steps and seeds for the targets to apply."
            if report.quick
            else ""
        )
    )
    report.table(["augmentation on test copy", "plain", "augmented", "gain", "target", "met"], rows)
    report.result("gain_at_smallest_size", gains)
    report.result("targets_met", met)
