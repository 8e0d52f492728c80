"""ex11 study: what do a linear model and an MLP look at when they read a digit?

Three classifiers learn the same images: a linear model (no hidden layer), an MLP with a small
first layer and an MLP with a large one. The study then shows

1. saliency maps: d logit_c / d x of the large MLP for one test image of each class and every
   class c, and gradient × input for the true class;
2. that the linear model's saliency map of class c is its weight template c, for every image;
3. first-layer weight images: the class templates of the linear model, the neurons of the small
   and of the large first layer, and their means;
4. a deletion check: zero the k pixels of each test image ranked first by gradient × input, by
   |gradient| or at random, and measure the MLP's test accuracy again.

Run it with ``tox -e report -- ex11`` (``--quick`` for a smoke run, ``--dataset mnist-5k`` for
28x28 MNIST digits). Every random choice follows ``--seed``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from core import analysis
from exercises.studies import data, figures, training

TITLE = "Saliency maps and first-layer weight images"

# name -> (hidden sizes, epochs of a full run, epochs of a quick run)
MODELS = {
    "linear": ((), 50, 10),
    "small first layer": ((16,), 50, 10),
    "large first layer": ((256,), 20, 5),
}
MLP = "large first layer"  # the model of the saliency maps and of the deletion check
NEURONS_SHOWN = 32  # a first layer with more neurons shows the weight images of its first 32
QUICK_NEURONS_SHOWN = 16
DELETED = 8  # pixels zeroed per image in the headline deletion numbers
DELETION_COUNTS = (0, 1, 2, 4, 8, 16, 32)
RANDOM_DRAWS = 5  # random rankings averaged (seeds report.seed, report.seed + 1, ...)
# key in results.json -> label in the tables and figures
RANKINGS = {
    "gradient_x_input": "gradient × input",
    "abs_gradient": "|gradient|",
    "random": "random",
}
GRADIENT_LABEL = "d logit / d pixel"
GAP = 1  # blank pixels between the tiles of a mosaic


def run(report) -> None:
    images = data.images(
        report.dataset, seed=report.seed, quick=report.quick, data_dir=report.data_dir
    )
    models = train_models(report, images)
    examples = one_test_image_per_class(images)
    saliency_maps(report, images, models[MLP], examples)
    linear_saliency_is_the_template(report, images, models["linear"])
    weight_images(report, images, models)
    deletion_check(report, images, models[MLP], examples)
    report.findings(
        [
            "In the saliency grid, follow one digit across the class columns. Which pixels "
            "raise its true class's logit, which lower it, and how do the other classes' maps "
            "differ?",
            "The linear model's saliency map of class c is its weight template c, for every "
            "image. Why? What does the MLP's saliency map depend on that the linear model's "
            "does not?",
            "Down one column of the saliency grid the MLP's maps of different digits look "
            "much alike. Measure how alike (say, the correlation between two rows' maps) and "
            "explain it: what does a ReLU network's input gradient depend on, and how much of "
            "that changes from one image to the next?",
            "Compare the linear model's templates with the weight images of the small and of "
            "the large first layer. Which look like digits or strokes, which like noise? What "
            "do the mean images say about the pixels at the border?",
            f"Give the accuracies after zeroing {DELETED} pixels per image by each ranking. "
            "Why does ranking by |gradient| remove so much less evidence than gradient × "
            "input? (What is gradient × input for a pixel that is already 0?)",
            "What can a saliency map not tell you? It is a first-order measurement around one "
            "image: how well does it predict what zeroing a whole pixel does?",
        ]
    )


# ----- the models ------------------------------------------------------------------------------


def train_models(report, images: data.Images) -> dict:
    """Each model of ``MODELS`` trained on the training images, with a table of accuracies."""
    report.heading("The models")
    models, accuracies, rows = {}, {}, []
    for name, (hidden_sizes, full_epochs, quick_epochs) in report.progress(
        MODELS.items(), "training", total=len(MODELS)
    ):
        epochs = quick_epochs if report.quick else full_epochs
        models[name] = training.classifier(
            images.x_train,
            images.y_train,
            hidden_sizes,
            classes=images.classes,
            epochs=epochs,
            seed=report.seed,
        )
        accuracies[name] = training.accuracy(models[name], images.x_test, images.y_test)
        layers = f"MLPClassifier({images.features}, {list(hidden_sizes)}, {images.classes})"
        rows.append([name, layers, epochs, accuracies[name]])
    report.text(
        f"{images.name}: {len(images.x_train)} training and {len(images.x_test)} test images, "
        f"{images.classes} classes, pixels in [0, 1]. Each model is trained with cross-entropy "
        f"and Adam (learning rate 0.003, batches of 64). The saliency maps and the deletion "
        f"check use the MLP with the {MLP}."
    )
    report.table(["model", "layers", "epochs", "test accuracy"], rows)
    report.result("linear_model_accuracy", accuracies["linear"])
    report.result("mlp_accuracy", accuracies[MLP])
    return models


def one_test_image_per_class(images: data.Images) -> np.ndarray:
    """The index of the first test image of each class: (C,)."""
    return np.array([np.flatnonzero(images.y_test == c)[0] for c in range(images.classes)])


# ----- saliency maps ---------------------------------------------------------------------------


def mosaic(tiles: np.ndarray, row_gap: int = GAP) -> np.ndarray:
    """Tiles (rows, columns, H, W) as one image, with gaps of NaN (drawn blank) between them,
    ``row_gap`` pixels between rows: one image on one axes draws far faster than an axes per
    tile."""
    rows, columns, height, width = tiles.shape
    padded = np.pad(
        tiles.astype(np.float64),
        [(0, 0), (0, 0), (0, row_gap), (0, GAP)],
        constant_values=np.nan,
    )
    whole = padded.transpose(0, 2, 1, 3).reshape(rows * (height + row_gap), columns * (width + GAP))
    return whole[: whole.shape[0] - row_gap, :-GAP]


def tile_centres(count: int, size: int) -> np.ndarray:
    """Where the centres of ``count`` tiles of ``size`` pixels lie in a mosaic, along one axis."""
    return np.arange(count) * (size + GAP) + (size - 1) / 2


def saliency_maps(report, images: data.Images, model, examples: np.ndarray) -> None:
    """For each example image, d logit_c / d x of every class c, in one grid."""
    report.heading("Saliency maps of the MLP")
    x = images.x_test[examples]
    labels = images.y_test[examples]
    # maps[i, c] = d logit_c / d x of example i, as an image: (examples, C, H, W)
    maps = np.stack(
        [analysis.class_score_gradient(model, x, c) for c in range(images.classes)], axis=1
    ).reshape(len(x), images.classes, *images.shape)
    # gradient × input of each example's true class: (examples, 1, H, W)
    attribution = (maps[np.arange(len(x)), labels] * x.reshape(len(x), *images.shape))[:, None]
    predicted = training.predict(model, x)
    height, width = images.shape
    figure, (left, right, last) = plt.subplots(
        1,
        3,
        figsize=(3.5 + 0.75 * images.classes, 0.8 * len(x)),
        width_ratios=[1, images.classes, 1],
        constrained_layout=True,
    )
    left.imshow(mosaic(x.reshape(len(x), 1, height, width)), cmap="gray", vmin=0, vmax=1)
    left.set_xticks([])
    left.set_yticks(
        tile_centres(len(x), height),
        [f"label {y}, predicted {p}" for y, p in zip(labels, predicted)],
    )
    left.set_title("test image")
    limit = float(np.abs(maps).max())
    shown = right.imshow(mosaic(maps), cmap=figures.SIGNED, vmin=-limit, vmax=limit)
    right.set_xticks(tile_centres(images.classes, width), range(images.classes))
    right.set_yticks([])
    right.set_xlabel("class c of the logit")
    right.set_title(f"saliency d logit_c / d x, MLP ({MLP})\nframed: the true class")
    for row, label in enumerate(labels):
        right.add_patch(
            Rectangle(
                (label * (width + GAP) - 1, row * (height + GAP) - 1),
                width + 1,
                height + 1,
                fill=False,
                edgecolor="black",
                linewidth=1.5,
            )
        )
    figure.colorbar(shown, ax=right, shrink=0.6, label=GRADIENT_LABEL)
    product_limit = float(np.abs(attribution).max()) or 1.0
    product = last.imshow(
        mosaic(attribution), cmap=figures.SIGNED, vmin=-product_limit, vmax=product_limit
    )
    last.set_xticks([])
    last.set_yticks([])
    last.set_title("gradient × input,\ntrue class")
    figure.colorbar(product, ax=last, shrink=0.6, label="d logit / d pixel × pixel")
    report.figure(
        figure,
        "saliency_per_class",
        "Row: the first test image of a class; column c: the gradient of the MLP's logit of "
        "class c with respect to the pixels (red: brightening the pixel raises the logit, "
        "blue: lowers it). Right: the true class's gradient times the image, a pixel's "
        "first-order share of the logit (0 wherever the pixel is 0).",
    )
    report.text(
        f"All maps share one colour scale, ±{limit:.3g}: a pixel's value is how fast the logit "
        "changes per unit of brightness added to that pixel, for this image."
    )


def linear_saliency_is_the_template(report, images: data.Images, linear) -> None:
    """The linear model's saliency map of class c is its weight row c, whatever the image."""
    report.heading("The linear model: saliency map = weight template")
    templates = analysis.first_layer_weight_images(linear, images.shape)
    largest = max(
        float(
            np.abs(analysis.class_score_gradient(linear, images.x_test, c) - template.ravel()).max()
        )
        for c, template in enumerate(templates)
    )
    report.text(
        "For logits z = x Wᵀ + b, d z_c / d x = W[c] for every image x. Over the "
        f"{len(images.x_test)} test images and {images.classes} classes, the largest "
        f"difference between the saliency map and the weight template is {largest:.3g}."
    )


# ----- weight images ---------------------------------------------------------------------------


def weight_images(report, images: data.Images, models: dict) -> None:
    """Each model's first-layer weight images, then their means, side by side."""
    report.heading("First-layer weight images")
    report.text(
        "Row k of a first Linear layer's weight (H_out, D), reshaped to the image shape: the "
        "pixels that raise (red) or lower (blue) neuron k's input. For the linear model the "
        "neurons are the classes and the images are its class templates."
    )
    most = QUICK_NEURONS_SHOWN if report.quick else NEURONS_SHOWN
    for name, model in models.items():
        count = len(analysis.first_layer_weight_images(model, images.shape))
        shown = analysis.first_layer_weight_images(
            model, images.shape, neurons=range(min(most, count))
        )
        what = "class" if name == "linear" else "neuron"
        plural = "classes" if name == "linear" else "neurons"
        title = f"{name} ({count} {plural}): first-layer weight images"
        if len(shown) < count:
            title += f", the first {len(shown)}"
        report.figure(
            labelled_tiles(
                shown,
                [f"{what} {k}" for k in range(len(shown))],
                columns=5 if name == "linear" else 8,
                title=title,
                colorbar_label="weight",
            ),
            f"weights_{name.replace(' ', '_')}",
            title,
        )
    mean_images(report, images, models)


def labelled_tiles(
    tiles: np.ndarray, labels: list[str], *, columns: int, title: str, colorbar_label: str
) -> plt.Figure:
    """Signed images (K, H, W) in rows of ``columns``, each titled by its label, on one
    symmetric colour scale with a colour bar."""
    count, height, width = tiles.shape
    rows = -(-count // columns)
    columns = min(columns, count)
    blank = np.full((rows * columns - count, height, width), np.nan)
    grid = np.concatenate([tiles, blank]).reshape(rows, columns, height, width)
    row_gap = max(3, height // 3)  # room for the labels above each row
    whole = np.pad(mosaic(grid, row_gap), [(row_gap, 0), (0, 0)], constant_values=np.nan)
    figure, axis = plt.subplots(
        figsize=(1.1 * columns + 1.3, 1.25 * rows + 0.5), constrained_layout=True
    )
    limit = float(np.nanmax(np.abs(tiles))) or 1.0
    shown = axis.imshow(whole, cmap=figures.SIGNED, vmin=-limit, vmax=limit)
    for k, label in enumerate(labels):
        row, column = divmod(k, columns)
        top = row_gap + row * (height + row_gap)  # the tile's first pixel row in the mosaic
        axis.add_patch(
            Rectangle(
                (column * (width + GAP) - 0.5, top - 0.5),
                width,
                height,
                fill=False,
                edgecolor="0.6",
                linewidth=0.6,
            )
        )
        axis.text(
            column * (width + GAP) + (width - 1) / 2,
            (row + 1) * (height + row_gap) - height - 0.8,
            label,
            ha="center",
            va="bottom",
            fontsize=8,
        )
    axis.set_axis_off()
    axis.set_title(title)
    figure.colorbar(shown, ax=axis, shrink=0.8, label=colorbar_label)
    return figure


def mean_images(report, images: data.Images, models: dict) -> None:
    """Per model, the signed mean of its weight images and the mean of their absolute values."""
    figure, axes = figures.grid(
        2, len(models), cell=3.2, title="Means over the first layer's neurons"
    )
    for column, (name, model) in enumerate(models.items()):
        weights = analysis.first_layer_weight_images(model, images.shape)
        panels = [
            ("mean weight", analysis.mean_weight_image(model, images.shape), figures.SIGNED),
            ("mean |weight|", np.abs(weights).mean(axis=0), "viridis"),
        ]
        for row, (label, image, colours) in enumerate(panels):
            axis = axes[row, column]
            limit = float(np.abs(image).max())
            low = -limit if colours == figures.SIGNED else 0.0
            shown = axis.imshow(image, cmap=colours, vmin=low, vmax=limit)
            axis.set_title(f"{name}\n{label}", fontsize=9)
            figures.frame_only(axis)
            figure.colorbar(shown, ax=axis, shrink=0.8, label=label.removeprefix("mean "))
    report.figure(
        figure,
        "mean_weight_images",
        "Top: the mean of the first layer's weight images (signs cancel); bottom: the mean "
        "of their absolute values (how strongly the layer weighs each pixel). Each panel has "
        "its own scale.",
    )


# ----- the deletion check ----------------------------------------------------------------------


def pixel_rankings(model, images: data.Images, seed: int) -> dict[str, list[np.ndarray]]:
    """Per ranking, each test image's pixel indices, first to zero first: a list of (N, D)
    orders — one for the gradient rankings, RANDOM_DRAWS for the random one.

    The gradient is that of each image's true-class logit. Zeroing pixel j changes the logit by
    about -gradient_j · x_j, so gradient × input ranks first the pixels whose loss should lower
    the logit most; |gradient| ranks by sensitivity alone, pixels that are already 0 included.
    """
    gradient = analysis.class_score_gradient(model, images.x_test, images.y_test)
    scores = {
        "gradient_x_input": [gradient * images.x_test],
        "abs_gradient": [np.abs(gradient)],
        "random": [
            np.random.default_rng(seed + draw).random(gradient.shape)
            for draw in range(RANDOM_DRAWS)
        ],
    }
    return {
        key: [np.argsort(-score, axis=1, kind="stable") for score in draws]
        for key, draws in scores.items()
    }


def zero_pixels(x: np.ndarray, order: np.ndarray, count: int) -> np.ndarray:
    """A copy of ``x`` (N, D) with the first ``count`` pixels of each row's ``order`` set to 0."""
    zeroed = x.copy()
    np.put_along_axis(zeroed, order[:, :count], 0.0, axis=1)
    return zeroed


def deletion_check(report, images: data.Images, model, examples: np.ndarray) -> None:
    """The MLP's test accuracy after zeroing the k first pixels of each ranking."""
    report.heading("Deletion check")
    counts = [k for k in DELETION_COUNTS if k <= images.features]
    orders = pixel_rankings(model, images, report.seed)
    # accuracy[key][i]: the mean over the ranking's draws after zeroing counts[i] pixels
    accuracy = {
        key: [
            float(
                np.mean(
                    [
                        training.accuracy(
                            model, zero_pixels(images.x_test, order, k), images.y_test
                        )
                        for order in draws
                    ]
                )
            )
            for k in counts
        ]
        for key, draws in report.progress(orders.items(), "deletion", total=len(orders))
    }
    report.text(
        f"Each test image loses k of its {images.features} pixels (set to 0, the background), "
        "chosen by the ranking; the gradient is that of the image's true-class logit. The "
        f"random column is the mean over {RANDOM_DRAWS} draws (seeds {report.seed} to "
        f"{report.seed + RANDOM_DRAWS - 1})."
    )
    report.table(
        ["pixels zeroed", *(label.replace("|", "\\|") for label in RANKINGS.values())],
        [[k, *(accuracy[key][i] for key in RANKINGS)] for i, k in enumerate(counts)],
        caption="Test accuracy of the MLP after zeroing k pixels per image.",
    )
    headline = {key: accuracy[key][counts.index(DELETED)] for key in RANKINGS}
    report.result("deletion_accuracy", headline)
    untouched = training.accuracy(model, images.x_test, images.y_test)
    # the share of the pixels each gradient ranking zeroes first that are 0 already
    already_zero = {
        key: float(
            np.mean(np.take_along_axis(images.x_test, orders[key][0][:, :DELETED], axis=1) == 0)
        )
        for key in ("gradient_x_input", "abs_gradient")
    }
    report.text(deletion_summary(headline, untouched, already_zero))
    figure, axes = figures.grid(1, 1, cell=4.5)
    axis = axes[0, 0]
    for key, label in RANKINGS.items():
        axis.plot(counts, accuracy[key], marker="o", label=label)
    axis.axhline(1 / images.classes, color="grey", linestyle="--", label="chance")
    axis.set_xscale("symlog", linthresh=1)
    axis.set_xlim(0, counts[-1] * 1.1)
    axis.set_xticks(counts, [str(k) for k in counts])
    axis.set_xlabel(f"pixels zeroed per image (of {images.features})")
    axis.set_ylabel("test accuracy")
    axis.set_ylim(0, 1.02)
    axis.set_title(f"Deletion check: the MLP ({MLP})")
    axis.legend(title="pixels ranked by")
    report.figure(figure, "deletion_accuracy", "Test accuracy against the pixels zeroed.")
    deleted_examples(report, images, orders, examples)


def deletion_summary(
    headline: dict[str, float], untouched: float, already_zero: dict[str, float]
) -> str:
    """What the headline deletion numbers say, in words that follow the numbers."""
    product, size, chance = (headline[key] for key in RANKINGS)
    text = (
        f"With {DELETED} pixels zeroed per image, the accuracy falls from {untouched:.3f} to "
        f"{product:.3f} when gradient × input picks them, to {size:.3f} when |gradient| does, "
        f"and to {chance:.3f} for random pixels. "
    )
    if abs(size - chance) < abs(size - product):
        text += (
            "Ranking by |gradient| alone is much closer to random than to gradient × input: "
            "the gradient says how sensitive the logit is to a pixel, not how much of the "
            "evidence that pixel carries. "
        )
    else:
        text += "Here |gradient| alone comes closer to gradient × input than to random. "
    text += (
        f"Of the {DELETED} pixels |gradient| zeroes first, {already_zero['abs_gradient']:.0%} "
        f"are already 0 (zeroing them changes nothing); for gradient × input, "
        f"{already_zero['gradient_x_input']:.0%}. "
    )
    return text + (
        "This is one model, one data split and one seed: the gap between the rankings is "
        "large, but the exact numbers will move with each."
    )


def deleted_examples(report, images: data.Images, orders: dict, examples: np.ndarray) -> None:
    """The example images with the pixels each ranking zeroes first marked."""
    height, width = images.shape
    x = images.x_test[examples].reshape(len(examples), 1, height, width)
    figure, axis = plt.subplots(
        figsize=(1.4 * len(RANKINGS) + 2.5, 0.8 * len(examples)), constrained_layout=True
    )
    axis.imshow(mosaic(np.repeat(x, len(RANKINGS), axis=1)), cmap="gray", vmin=0, vmax=1)
    for column, key in enumerate(RANKINGS):
        pixels = orders[key][0][examples, :DELETED]  # (examples, DELETED) flat indices
        rows = np.arange(len(examples))[:, None] * (height + GAP) + pixels // width
        columns = column * (width + GAP) + pixels % width
        axis.scatter(
            columns.ravel(),
            rows.ravel(),
            marker="x",
            color="red",
            s=12,
            label="zeroed first" if column == 0 else None,
        )
    axis.set_xticks(
        tile_centres(len(RANKINGS), width),
        [label.replace(" × ", "\n× ") for label in RANKINGS.values()],
    )
    axis.set_yticks(
        tile_centres(len(examples), height), [f"label {y}" for y in images.y_test[examples]]
    )
    axis.set_xlabel("pixels ranked by")
    axis.set_title(f"The {DELETED} pixels each ranking zeroes first")
    axis.legend(loc="upper left", bbox_to_anchor=(1, 1))
    report.figure(
        figure,
        "deleted_pixels",
        f"The first test image of each class, with the {DELETED} pixels each ranking zeroes "
        "first marked by a red x (for random: the first of the draws).",
    )
