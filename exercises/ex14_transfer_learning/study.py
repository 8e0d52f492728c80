"""ex14 study: does a code learned without labels help a classifier that has few labels?

An auto-encoder learns to squeeze every training image through a bottleneck of a few numbers and
back, from the pixels alone (no labels). Its frozen encoder then feeds a small new head, trained
on 10, 30 or all labelled images per class. Four classifiers are compared on the same labelled
images, each the mean over a few seeds:

- transfer: the trained encoder, frozen, plus a new head;
- from scratch: the same architecture, every layer trainable, from random weights;
- random encoder: a random encoder, frozen, plus the same head (what the head alone can do);
- linear: ``MLPClassifier(D, [], C)`` on the raw pixels.

It also shows reconstructions, compares the reconstruction loss with the BCE floor of grey
targets, and asks how many auto-encoder epochs the transfer needs.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from core import Tensor, analysis, data, models, nn, no_grad, optim, training
from core import random as gradkit_random
from exercises.studies import data as study_data
from exercises.studies import figures
from exercises.studies import training as study_training
from plugins.reports.report import Report

TITLE = "Transfer learning: a frozen auto-encoder's code as features"

MODELS = ("transfer", "scratch", "random_encoder", "linear")
LABELS = {
    "transfer": "transfer (trained encoder, frozen)",
    "scratch": "from scratch (all trainable)",
    "random_encoder": "random encoder, frozen",
    "linear": "linear on raw pixels",
}
ALL = "all"
TARGET_LABELS, TARGET_GAP = 10, 0.3  # with 10 labels per class, transfer - random >= 0.3
HEAD_HIDDEN = 32
SHOWN = 8  # test images in the reconstruction figure


def settings(report: Report) -> dict:
    """Sizes of the run: a quick smoke run or the full study."""
    if report.quick:
        return {
            "bottlenecks": (8,),
            "labels_per_class": (10, ALL),
            "seeds": 1,
            "ae_epochs": 15,
            "epoch_sweep": (0, 15),
            "steps": 40,
        }
    return {
        "bottlenecks": (8, 16, 32),
        "labels_per_class": (10, 30, ALL),
        "seeds": 3,
        "ae_epochs": 40,
        "epoch_sweep": (0, 1, 3, 10, 40),
        "steps": 200,
    }


def labelled_subset(y: np.ndarray, per_class, seed: int) -> np.ndarray:
    """Indices of ``per_class`` images of every class (all of them for ``"all"``), seeded."""
    if per_class == ALL:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    chosen = [rng.permutation(np.flatnonzero(y == c))[:per_class] for c in np.unique(y)]
    return np.sort(np.concatenate(chosen))


def fit_classifier(model, x: np.ndarray, y: np.ndarray, *, steps: int, seed: int):
    """Cross-entropy and Adam on the model's trainable parameters, for about ``steps`` batches
    (so a small labelled set gets as many updates as a large one)."""
    batch = min(64, len(x))
    epochs = max(1, -(-steps * batch // len(x)))
    optimizer = optim.Adam(analysis.trainable_parameters(model), lr=3e-3)
    trainer = training.Trainer(model, nn.CrossEntropyLoss(), optimizer)
    loader = data.DataLoader(data.ArrayDataset(x, y), batch_size=batch, shuffle=True, seed=seed)
    trainer.fit(loader, epochs)
    return model


def new_classifier(kind: str, images, encoder, bottleneck: int, hidden: int, seed: int):
    """One of the four classifiers, with weights drawn from ``seed``."""
    gradkit_random.manual_seed(seed)
    if kind == "linear":
        return models.MLPClassifier(images.features, [], images.classes)
    if kind == "transfer":
        return models.TransferClassifier(encoder, images.classes, hidden=HEAD_HIDDEN)
    fresh = models.AutoEncoder(images.features, hidden, bottleneck).encoder
    return models.TransferClassifier(
        fresh, images.classes, hidden=HEAD_HIDDEN, freeze_encoder=kind == "random_encoder"
    )


def test_bce(autoencoder, x: np.ndarray) -> float:
    """Mean per-pixel BCE of the reconstructions of ``x``."""
    with no_grad():
        return nn.BCEWithLogitsLoss()(autoencoder(Tensor(x)), x).item()


def run(report: Report) -> None:
    config = settings(report)
    images = study_data.images(
        report.dataset, seed=report.seed, quick=report.quick, data_dir=report.data_dir
    )
    hidden = 64 if images.features <= 64 else 256
    seeds = [report.seed * 100 + s for s in range(config["seeds"])]

    report.heading("Set-up")
    report.text(
        f"Images: {images.name}, {len(images.x_train)} for training, {len(images.x_test)} for "
        f"testing. Each auto-encoder is `AutoEncoder({images.features}, {hidden}, bottleneck)`, "
        f"trained for {config['ae_epochs']} epochs on every training image **without labels**. "
        f"Every classifier head is `Linear(bottleneck, {HEAD_HIDDEN})`, ReLU, `Linear("
        f"{HEAD_HIDDEN}, {images.classes})`, trained for about {config['steps']} batches of "
        f"Adam (lr 0.003), whatever the number of labels. Accuracies are on the test images, "
        f"the mean over {len(seeds)} seed(s) (labelled subset, weights and shuffling)."
    )

    # ----- auto-encoders, the BCE floor and reconstructions ------------------------------------
    autoencoders, curves, reconstruction = {}, {}, {}
    floor_train = analysis.bce_floor(images.x_train)
    floor_test = analysis.bce_floor(images.x_test)
    for bottleneck in report.progress(config["bottlenecks"], "auto-encoders"):
        gradkit_random.manual_seed(report.seed)
        autoencoder = models.AutoEncoder(images.features, hidden, bottleneck)
        curves[bottleneck] = training.train_autoencoder(
            autoencoder, images.x_train, epochs=config["ae_epochs"], seed=report.seed
        )
        autoencoders[bottleneck] = autoencoder
        reconstruction[f"bottleneck {bottleneck}"] = {
            "train_bce": curves[bottleneck][-1],
            "test_bce": test_bce(autoencoder, images.x_test),
            "test_floor": floor_test,
        }

    report.heading("Reconstruction loss and the BCE floor")
    report.text(
        "The targets are grey pixels in [0, 1], not 0s and 1s. The BCE of a target t is smallest "
        "when the prediction equals t, and there it is the entropy −t log t − (1−t) log(1−t), "
        "which is > 0 for every grey t. Its mean over the pixels is the **floor**: no "
        "reconstruction, however perfect, goes below it. A loss is judged by its distance to the "
        "floor, not to 0."
    )
    report.table(
        ["bottleneck", "train BCE (last epoch)", "test BCE", "floor (test)", "test − floor"],
        [
            [b, r["train_bce"], r["test_bce"], r["test_floor"], r["test_bce"] - r["test_floor"]]
            for b, r in zip(config["bottlenecks"], reconstruction.values())
        ],
        caption=f"Per-pixel BCE; the floor of the training images is {floor_train:.3f}.",
    )
    figure, axis = plt.subplots(figsize=(6.4, 4.0), constrained_layout=True)
    for bottleneck, curve in curves.items():
        axis.plot(range(1, len(curve) + 1), curve, marker=".", label=f"bottleneck {bottleneck}")
    axis.axhline(floor_train, color="black", linestyle="--", label="BCE floor (entropy)")
    axis.set_ylim(0, None)
    axis.set_xlabel("auto-encoder epoch")
    axis.set_ylabel("mean per-pixel BCE (training images)")
    axis.set_title("The reconstruction loss falls towards the floor, not towards 0")
    axis.legend()
    report.figure(figure, "reconstruction_loss", "Training BCE per epoch against the BCE floor")

    shown = images.x_test[:SHOWN]
    rows = [shown] + [autoencoders[b].reconstruct(shown) for b in config["bottlenecks"]]
    titles = [f"original ({label})" for label in images.y_test[:SHOWN]]
    for bottleneck in config["bottlenecks"]:
        titles += [f"bottleneck {bottleneck}"] * SHOWN
    report.figure(
        figures.image_grid(
            np.concatenate(rows),
            images.shape,
            titles,
            columns=SHOWN,
            title="Test images (top row) and their reconstructions, one row per bottleneck",
        ),
        "reconstructions",
        "Originals and reconstructions (grey scale 0 = black to 1 = white)",
    )

    # ----- the four classifiers across bottlenecks and labels per class ------------------------
    accuracy: dict = {}  # accuracy[per_class][bottleneck][kind] -> list over seeds
    jobs = [
        (per_class, bottleneck, kind, seed)
        for per_class in config["labels_per_class"]
        for bottleneck in config["bottlenecks"]
        for kind in MODELS
        for seed in seeds
    ]
    linear_cache: dict = {}
    for per_class, bottleneck, kind, seed in report.progress(jobs, "classifiers"):
        index = labelled_subset(images.y_train, per_class, seed)
        x, y = images.x_train[index], images.y_train[index]
        if kind == "linear" and (per_class, seed) in linear_cache:
            score = linear_cache[per_class, seed]  # the linear model has no bottleneck
        else:
            model = new_classifier(kind, images, autoencoders[bottleneck], bottleneck, hidden, seed)
            fit_classifier(model, x, y, steps=config["steps"], seed=seed)
            score = study_training.accuracy(model, images.x_test, images.y_test)
            if kind == "linear":
                linear_cache[per_class, seed] = score
        cell = accuracy.setdefault(per_class, {}).setdefault(bottleneck, {})
        cell.setdefault(kind, []).append(score)
    mean = {
        p: {b: {k: float(np.mean(v)) for k, v in cells.items()} for b, cells in by_b.items()}
        for p, by_b in accuracy.items()
    }

    report.heading("Transfer, from scratch, a frozen random encoder, and a linear model")
    rows = [
        [f"{p}" if p == ALL else f"{p} per class", b, *(mean[p][b][k] for k in MODELS)]
        for p in config["labels_per_class"]
        for b in config["bottlenecks"]
    ]
    report.table(["labels", "bottleneck", *MODELS], rows, caption="Mean test accuracy.")
    scarce = min(p for p in config["labels_per_class"] if p != ALL)
    gaps = {
        b: mean[scarce][b]["transfer"] - mean[scarce][b]["random_encoder"] for b in mean[scarce]
    }
    linear_vs = {b: mean[scarce][b]["transfer"] - mean[scarce][b]["linear"] for b in mean[scarce]}
    best = max(gaps, key=gaps.get)
    met = [b for b, gap in gaps.items() if gap >= TARGET_GAP]
    report.text(
        f"With {scarce} labels per class, transfer minus the frozen random encoder is "
        + ", ".join(f"{gaps[b]:+.3f} (bottleneck {b})" for b in gaps)
        + f". The target (≥ {TARGET_GAP} with {TARGET_LABELS} per class) is "
        + (f"met at bottleneck {', '.join(map(str, met))}." if met else "not met in this run.")
        + " The random encoder's head gets the same number of updates as the others, so the gap "
        "measures what the trained code adds over a random projection of the same width; that "
        "it shrinks as the bottleneck widens is consistent with a wider random projection "
        "keeping more of the image. Transfer minus the linear model on raw pixels is "
        + ", ".join(f"{linear_vs[b]:+.3f} (bottleneck {b})" for b in linear_vs)
        + f" with {scarce} labels per class: "
        + (
            "the linear model matches or beats transfer here. "
            if max(linear_vs.values()) <= 0.01
            else "transfer is ahead at some bottlenecks, by a few points at most. "
        )
        + "On small images the pixels themselves are already a good code, and differences of a "
        f"few points over {len(seeds)} seed(s) are not evidence that the learned code beats them."
    )
    labels_axis = list(config["labels_per_class"])
    positions = np.arange(len(labels_axis))
    figure, axes = figures.grid(
        1,
        len(config["bottlenecks"]),
        cell=3.4,
        title="Test accuracy against the number of labels per class (mean over seeds)",
    )
    for axis, bottleneck in zip(axes[0], config["bottlenecks"]):
        for kind in MODELS:
            values = [mean[p][bottleneck][kind] for p in labels_axis]
            axis.plot(positions, values, marker="o", label=LABELS[kind])
        axis.set_xticks(positions, [str(p) for p in labels_axis])
        axis.set_ylim(0, 1)
        axis.set_xlabel("labelled images per class")
        axis.set_ylabel("test accuracy")
        axis.set_title(f"bottleneck {bottleneck}")
        axis.grid(alpha=0.3)
    axes[0][0].legend(loc="lower right", fontsize=7)
    report.figure(figure, "accuracy_vs_labels", "Accuracy of the four classifiers by labels")

    # ----- how many auto-encoder epochs does the transfer need? -------------------------------
    bottleneck = 16 if 16 in config["bottlenecks"] else config["bottlenecks"][0]
    gradkit_random.manual_seed(report.seed)
    autoencoder = models.AutoEncoder(images.features, hidden, bottleneck)
    sweep, done = {}, 0
    for epochs in report.progress(config["epoch_sweep"], "auto-encoder epochs"):
        if epochs > done:  # continue training; each call starts a fresh Adam
            analysis.unfreeze(autoencoder)
            training.train_autoencoder(
                autoencoder, images.x_train, epochs=epochs - done, seed=report.seed + done
            )
            done = epochs
        scores = []
        for seed in seeds:
            index = labelled_subset(images.y_train, scarce, seed)
            gradkit_random.manual_seed(seed)
            model = models.TransferClassifier(
                autoencoder.encoder, images.classes, hidden=HEAD_HIDDEN
            )
            fit_classifier(
                model,
                images.x_train[index],
                images.y_train[index],
                steps=config["steps"],
                seed=seed,
            )
            scores.append(study_training.accuracy(model, images.x_test, images.y_test))
        sweep[epochs] = (float(np.mean(scores)), test_bce(autoencoder, images.x_test))

    report.heading("How long must the auto-encoder train?")
    report.text(
        f"One auto-encoder with bottleneck {bottleneck} is trained in stages; after each stage "
        f"its frozen encoder gets a new head on {scarce} labels per class. Epoch 0 is the "
        "random encoder."
    )
    report.table(
        ["auto-encoder epochs", "transfer accuracy", "test BCE"],
        [[e, a, b] for e, (a, b) in sweep.items()],
    )
    figure, axis = plt.subplots(figsize=(6.4, 4.0), constrained_layout=True)
    axis.plot(list(sweep), [a for a, _ in sweep.values()], marker="o", color="C0", label="accuracy")
    axis.set_xlabel("auto-encoder epochs (0 = random encoder)")
    axis.set_ylabel(f"transfer test accuracy, {scarce} labels per class", color="C0")
    axis.set_ylim(0, 1)
    second = axis.twinx()
    second.plot(
        list(sweep), [b for _, b in sweep.values()], marker="s", color="C3", label="test BCE"
    )
    second.axhline(floor_test, color="C3", linestyle="--", linewidth=1, label="BCE floor")
    lines = axis.get_legend_handles_labels()[0] + second.get_legend_handles_labels()[0]
    axis.legend(lines, [line.get_label() for line in lines], loc="center right")
    second.set_ylabel("test BCE (dashed: the floor)", color="C3")
    axis.set_title(f"Transfer accuracy and reconstruction loss, bottleneck {bottleneck}")
    report.figure(figure, "accuracy_vs_ae_epochs", "Transfer accuracy by auto-encoder epochs")

    key = "test_accuracy"
    report.result(key, {f"bottleneck {b}": mean[scarce][b] for b in config["bottlenecks"]})
    report.result(
        "test_accuracy_by_labels_per_class",
        {
            (f"{p} per class" if p != ALL else "all labels"): {
                f"bottleneck {b}": mean[p][b] for b in config["bottlenecks"]
            }
            for p in config["labels_per_class"]
        },
    )
    report.result("labels_per_class_of_test_accuracy", scarce)
    report.result(
        "transfer_minus_random_encoder", {f"bottleneck {b}": gap for b, gap in gaps.items()}
    )
    report.result("target_gap_met_at_bottleneck", met)
    report.result("best_gap_bottleneck", best)
    report.result("reconstruction_bce", reconstruction)
    report.result("bce_floor_train", floor_train)
    report.result("transfer_accuracy_by_ae_epochs", {str(e): a for e, (a, _) in sweep.items()})
    report.findings(
        [
            "Why can the reconstruction loss not reach 0 on these images, and how far above the "
            "floor does each bottleneck end? What does the remaining gap look like in the "
            "reconstructions?",
            f"With {scarce} labels per class, how much does the trained encoder add over a frozen "
            "random one, and why does that gap change with the bottleneck size?",
            "Where does the linear model on raw pixels match or beat transfer? What does that "
            "say about 8x8 digits, and what would you expect on 28x28 images?",
            "Training from scratch uses the same architecture. When does it catch up with "
            "transfer as labels grow, and why?",
            "How many auto-encoder epochs does the transfer need before it stops improving? "
            "Does a lower reconstruction loss always mean a better code for classification?",
            "How large are the differences between seeds compared with the differences between "
            "the models? Which of your conclusions would survive more seeds?",
        ]
    )
