"""ex09 study: how does a network's representation of the digits change from layer to layer?

Two MLPs learn the same images, one with a single hidden layer of 128 units and one with two
hidden layers of 256 and 64. For held-out test images the study then takes every
representation there is — the raw pixels, and in each model every hidden layer before and after
its ReLU and the logits, trained and (the same weights before training) untrained — and

1. scores how well the true digits form separate groups in it: the silhouette, computed in the
   representation's own space (64 or 784 pixels, or the layer's width);
2. draws PCA and t-SNE maps of a few of them, coloured by digit, and scores each map by its
   trustworthiness (does it invent neighbours?) and by the silhouette of the 2-D map itself.

Run it with ``tox -e report -- ex09`` (``--quick`` for a smoke run, ``--dataset mnist-5k`` for
28x28 MNIST digits). Every random choice follows ``--seed``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from core import analysis, models, nn
from core import random as gradkit_random
from exercises.studies import data, figures, training

TITLE = "Embedding space: how a network's layers regroup the digits"

# name -> hidden sizes
ARCHITECTURES = {"mlp[128]": (128,), "mlp[256,64]": (256, 64)}
EPOCHS, QUICK_EPOCHS = 20, 3
# test images scored and mapped (a silhouette needs all N x N distances; t-SNE is slow)
POINTS, QUICK_POINTS = 1000, 200
PERPLEXITY = 30.0
TSNE_ITERATIONS, QUICK_TSNE_ITERATIONS = 1000, 300
NEIGHBOURS = 5  # of trustworthiness
PIXELS = "pixels"
STATES = ("trained", "untrained")
# the representations drawn as maps (t-SNE is the slow part of the study)
MAPPED = (
    PIXELS,
    "mlp[128]/trained/h1-post",
    "mlp[256,64]/trained/h2-post",
    "mlp[256,64]/untrained/h2-post",
)
DIGIT_COLOURS = plt.get_cmap("tab10")


def run(report) -> None:
    images = data.images(
        report.dataset, seed=report.seed, quick=report.quick, data_dir=report.data_dir
    )
    x, y = evaluation_points(report, images)
    # On arrays this small, BLAS and t-SNE's OpenMP threads mostly wait for each other: one
    # thread is several times faster, and far more so on a busy machine.
    with threadpool_limits(limits=1):
        trained = train_models(report, images)
        representations = representations_of(report, images, trained, x)
        silhouettes(report, representations, y)
        maps(report, representations, y)
    report.findings(
        [
            "Give the silhouette of the raw pixels and of each trained hidden layer. Where in "
            "the network do the digits become separate groups, and how much does each layer "
            "add? Is the last hidden layer of the deeper model better than the single layer?",
            "The untrained layers score about as well as the pixels or worse, and worse the "
            "deeper they are. Why does a random linear map followed by a ReLU not group the "
            "digits, and what does that say about where the trained layers' grouping comes from?",
            "Compare each layer before and after its ReLU (pre- and post-activation). Which "
            "scores higher, by how much, and what does the ReLU do to distances between points?",
            "The silhouette of the logits: is it higher or lower than that of the last hidden "
            "layer? The logits are what the loss sees; what does the loss ask of them?",
            "Look at the t-SNE maps. Which digits stay mixed even in the trained layers, and "
            "are those the pairs the classifier confuses? Check with the images.",
            "Compare the silhouette of each t-SNE map with that of the space it came from, and "
            "the trustworthiness of the PCA and the t-SNE maps. What does a 2-D map keep and "
            "what does it throw away? Why compare representations by scores in their own space?",
            "How would you show that the clusters in a t-SNE map are real rather than made by "
            "t-SNE? (Try another seed and another perplexity.)",
        ]
    )


# ----- data and models -------------------------------------------------------------------------


def evaluation_points(report, images: data.Images) -> tuple[np.ndarray, np.ndarray]:
    """At most ``POINTS`` test images (seeded choice, in their original order) and labels."""
    count = min(QUICK_POINTS if report.quick else POINTS, len(images.x_test))
    rng = np.random.default_rng(report.seed)
    chosen = np.sort(rng.choice(len(images.x_test), size=count, replace=False))
    return images.x_test[chosen], images.y_test[chosen]


def train_models(report, images: data.Images) -> dict[str, models.MLPClassifier]:
    """Each architecture of ``ARCHITECTURES`` trained on the training images, with a table."""
    report.heading("The models")
    epochs = QUICK_EPOCHS if report.quick else EPOCHS
    trained, rows = {}, []
    for name, hidden_sizes in report.progress(
        ARCHITECTURES.items(), "training", total=len(ARCHITECTURES)
    ):
        trained[name] = training.classifier(
            images.x_train,
            images.y_train,
            hidden_sizes,
            classes=images.classes,
            epochs=epochs,
            seed=report.seed,
        )
        accuracy = training.accuracy(trained[name], images.x_test, images.y_test)
        layers = f"MLPClassifier({images.features}, {list(hidden_sizes)}, {images.classes})"
        rows.append([name, layers, epochs, accuracy])
        report.result(f"accuracy_{name}", accuracy)
    report.text(
        f"{images.name}: {len(images.x_train)} training and {len(images.x_test)} test images, "
        f"{images.classes} classes, pixels in [0, 1]. Each model is trained with cross-entropy "
        "and Adam (learning rate 0.003, batches of 64). Its *untrained* twin is the same "
        "architecture with the initial weights the training started from (same seed)."
    )
    report.table(["model", "layers", "epochs", "test accuracy"], rows)
    return trained


def untrained_twin(model_name: str, images: data.Images, seed: int) -> models.MLPClassifier:
    """The architecture ``model_name`` with the weights ``training.classifier`` starts from."""
    gradkit_random.manual_seed(seed)
    return models.MLPClassifier(images.features, list(ARCHITECTURES[model_name]), images.classes)


def layer_labels(model: models.MLPClassifier) -> dict[str, str]:
    """``{"h1-pre": "layers.0", "h1-post": "layers.1", ..., "logits": "layers.4"}``: each
    Linear's output is the pre-activation of a hidden layer (the last one gives the logits),
    each activation module's output its post-activation."""
    labels, hidden = {}, 0
    for name, module in model.named_modules():
        if not name.startswith("layers.") or name.count(".") != 1:
            continue
        if isinstance(module, nn.Linear):
            hidden += 1
            labels[f"h{hidden}-pre"] = name
        else:
            labels[f"h{hidden}-post"] = name
    labels["logits"] = labels.pop(f"h{hidden}-pre")
    return labels


def representations_of(
    report, images: data.Images, trained: dict, x: np.ndarray
) -> dict[str, tuple[str, np.ndarray]]:
    """Every representation of the points ``x``: ``{"pixels": ("", x), "mlp[128]/trained/
    h1-pre": ("layers.0", (N, 128)), ...}``, the module name and the activations."""
    found = {PIXELS: ("", x)}
    jobs = [(name, state) for name in ARCHITECTURES for state in STATES]
    for name, state in report.progress(jobs, "activations"):
        model = trained[name] if state == "trained" else untrained_twin(name, images, report.seed)
        for label, module_name in layer_labels(model).items():
            activations = analysis.layer_activations(model, module_name, x)
            found[f"{name}/{state}/{label}"] = (module_name, activations)
    return found


# ----- silhouettes -----------------------------------------------------------------------------


def silhouettes(report, representations: dict, y: np.ndarray) -> None:
    """The silhouette of every representation in its own space: a table, a figure, results."""
    scores = {
        key: analysis.silhouette(features, y)
        for key, (_, features) in report.progress(representations.items(), "silhouettes")
    }
    pixels = scores[PIXELS]
    report.heading("How well each representation groups the digits")
    report.text(
        f"The silhouette of {len(y)} test images with their true digit as the group, computed in "
        "each representation's own space (all of its dimensions, Euclidean distances): 1 means "
        "tight, well-separated digit groups, 0 overlapping ones. *pre* is a hidden layer's "
        "Linear output, *post* the output of the ReLU after it."
    )
    rows = [[PIXELS, "(input)", representations[PIXELS][1].shape[1], pixels, "no weights"]]
    for name in ARCHITECTURES:
        for label, module_name in layer_labels_of(representations, name).items():
            trained_key, untrained_key = f"{name}/trained/{label}", f"{name}/untrained/{label}"
            width = representations[trained_key][1].shape[1]
            rows.append(
                [f"{name} {label}", module_name, width, scores[trained_key], scores[untrained_key]]
            )
    report.table(["representation", "module", "width", "trained", "untrained"], rows)
    best = max((key for key in scores if "/trained/" in key), key=scores.get)
    best_untrained = max(scores[key] for key in scores if "/untrained/" in key)
    report.text(
        f"Raw pixels score {pixels:.3f}. The best trained representation is `{best}` at "
        f"{scores[best]:.3f} ({scores[best] - pixels:+.3f} over the pixels); the best untrained "
        f"one scores {best_untrained:.3f} ({best_untrained - pixels:+.3f}). One run, one seed: "
        "differences of a few hundredths between layers may change with the seed."
    )
    report.figure(
        silhouette_figure(scores, representations),
        "silhouettes",
        "Silhouette of every layer, trained and untrained; the dashed line is the raw pixels'",
    )
    report.result("silhouette", scores)


def layer_labels_of(representations: dict, model_name: str) -> dict[str, str]:
    """``{label: module name}`` of the trained ``model_name``'s representations, in order."""
    prefix = f"{model_name}/trained/"
    return {
        key.removeprefix(prefix): module
        for key, (module, _) in representations.items()
        if key.startswith(prefix)
    }


def silhouette_figure(scores: dict, representations: dict) -> plt.Figure:
    """Horizontal bars: each layer of each model, trained and untrained; a line at the pixels."""
    labels = [
        (name, label) for name in ARCHITECTURES for label in layer_labels_of(representations, name)
    ]
    figure, axis = plt.subplots(figsize=(7.5, 0.42 * len(labels) + 1.6), constrained_layout=True)
    positions = np.arange(len(labels))[::-1]
    height = 0.38
    for offset, state, colour in (
        (height / 2, "trained", "tab:blue"),
        (-height / 2, "untrained", "tab:grey"),
    ):
        values = [scores[f"{name}/{state}/{label}"] for name, label in labels]
        axis.barh(positions + offset, values, height=height, color=colour, label=state)
    axis.axvline(scores[PIXELS], color="tab:red", linestyle="--", label="raw pixels")
    axis.set_yticks(positions, [f"{name} {label}" for name, label in labels])
    axis.set_xlabel("silhouette with the true digits (in the representation's own space)")
    axis.set_title("How well each layer groups the test digits")
    axis.axvline(0, color="black", linewidth=0.8)
    axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure


# ----- maps ------------------------------------------------------------------------------------


def maps(report, representations: dict, y: np.ndarray) -> None:
    """PCA and t-SNE maps of the ``MAPPED`` representations, their scores and a scatter grid."""
    iterations = QUICK_TSNE_ITERATIONS if report.quick else TSNE_ITERATIONS
    projected = {"PCA": {}, "t-SNE": {}}
    for key in report.progress(MAPPED, "maps"):
        features = representations[key][1]
        projected["PCA"][key] = analysis.pca(features, 2)
        projected["t-SNE"][key] = analysis.tsne(
            features, perplexity=PERPLEXITY, seed=report.seed, max_iter=iterations
        )
    trust = {
        method: {
            key: analysis.trustworthiness(representations[key][1], m, NEIGHBOURS)
            for key, m in maps_of.items()
        }
        for method, maps_of in projected.items()
    }
    map_silhouette = {key: analysis.silhouette(m, y) for key, m in projected["t-SNE"].items()}
    own_silhouette = {key: analysis.silhouette(representations[key][1], y) for key in MAPPED}
    report.heading("Maps of four representations")
    report.text(
        f"PCA (the first two principal directions) and t-SNE (perplexity {PERPLEXITY:g}, "
        f"{iterations} iterations, PCA initialisation, seed {report.seed}) of the same "
        f"{len(y)} test images. Trustworthiness ({NEIGHBOURS} neighbours) is 1 when no point "
        "gets neighbours in the map that it does not have in the representation. The last two "
        "columns compare the silhouette of the t-SNE map with that of the space it maps."
    )
    report.table(
        [
            "representation",
            "trustworthiness PCA",
            "trustworthiness t-SNE",
            "silhouette own space",
            "silhouette t-SNE map",
        ],
        [
            [key, trust["PCA"][key], trust["t-SNE"][key], own_silhouette[key], map_silhouette[key]]
            for key in MAPPED
        ],
    )
    higher = sum(map_silhouette[key] > own_silhouette[key] for key in MAPPED)
    report.text(
        f"The t-SNE map scores a higher silhouette than the space it maps for {higher} of the "
        f"{len(MAPPED)} representations. t-SNE pulls each point towards its neighbours, so a "
        "map's silhouette is a property of the map, not of the layer: the layer comparison "
        "above uses the layers' own spaces."
    )
    report.figure(scatter_grid(projected, y), "maps", "PCA and t-SNE maps coloured by digit")
    report.result("trustworthiness", {"pca": trust["PCA"], "tsne": trust["t-SNE"]})
    report.result("silhouette_tsne_map", map_silhouette)


def scatter_grid(projected: dict, y: np.ndarray) -> plt.Figure:
    """One row per method, one column per representation; one colour per digit, one legend."""
    columns = len(MAPPED)
    figure, axes = figures.grid(
        len(projected), columns, cell=3.0, title="Test digits in 2-D, coloured by their class"
    )
    classes = np.unique(y)
    for row, (method, maps_of) in enumerate(projected.items()):
        for column, key in enumerate(MAPPED):
            axis = axes[row, column]
            points = maps_of[key]
            for digit in classes:
                chosen = y == digit
                axis.scatter(
                    points[chosen, 0],
                    points[chosen, 1],
                    s=5,
                    color=DIGIT_COLOURS(int(digit) % 10),
                    label=str(digit),
                )
            axis.set_title(f"{method}: {key}", fontsize=8)
            axis.set_xlabel(f"{method} 1", fontsize=8)
            axis.set_ylabel(f"{method} 2", fontsize=8)
            axis.tick_params(labelsize=6)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    figure.legend(
        handles, labels, title="digit", loc="outside right center", markerscale=3, fontsize=8
    )
    return figure
