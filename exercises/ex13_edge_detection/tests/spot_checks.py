"""ex13's spot checks: EdgeMLP's logits and masks with drawn parameters, PixelwiseLoss's values and
gradients on drawn logits, and both scores on drawn masks (see exercises/testing/probes)."""

from __future__ import annotations

import numpy as np

from core import Tensor, analysis, models, nn
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex13_edge_detection.tests.edges import random_masks
from exercises.ex13_edge_detection.tests.test_edge_mlp import numpy_forward
from exercises.testing.probes import Probe, test_named

ARCHITECTURES = {
    "linear": (16, []),
    "one hidden layer": (20, [10]),
    "two hidden layers": (25, [12, 7]),
}
THRESHOLDS = (0.01, 0.3, 0.5, 0.7, 0.99)
TRAINED = r"test_trained_digits\.py::test_trained_edge_mlp_"
INSIDE = test_named("test_thresholds_just_inside_0_and_1_are_accepted")


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def edge_mlp(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """EdgeMLP(D, hidden) for three architectures with drawn parameters (times 3, so that the
    probabilities spread over (0, 1)): the logits of 5 drawn images, the number of parameter
    values, predict_proba; for (25, [12, 7]), predict at 0.01, 0.3, 0.5, 0.7, 0.99 and by default —
    as 0/1, and 0.5 where the float64 probability lies within 1e-3 of the threshold, where
    rounding may decide — and whether the probabilities are float32 and the masks bool."""
    values, kinds = {}, []
    for title, (pixels, hidden) in ARCHITECTURES.items():
        model = models.EdgeMLP(pixels, hidden)
        randomize_parameters(model, rng)
        for parameter in model.parameters():
            parameter.data *= np.float32(3)
        x = rng.uniform(size=(5, pixels)).astype(np.float32)
        values[f"{title} logits"] = model(Tensor(x)).data
        values[f"{title} parameters"] = np.array(
            float(sum(p.data.size for p in model.parameters()))
        )
        values[f"{title} predict_proba"] = model.predict_proba(x)
        kinds.append(values[f"{title} predict_proba"].dtype == np.float32)
    exact = 1 / (1 + np.exp(-numpy_forward(model, x)))
    for threshold in (*THRESHOLDS, None):
        mask = model.predict(x) if threshold is None else model.predict(x, threshold=threshold)
        kinds.append(mask.dtype == np.bool_)
        near = np.abs(exact - (threshold or 0.5)) < 1e-3
        values[f"predict at {threshold or 'the default'}"] = np.where(near, 0.5, mask)
    values["float32 and bool"] = flag(all(kinds))
    return values


def pixelwise_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """PixelwiseLoss("bce") and ("mse"): the loss and the logits' gradient on drawn logits
    N(0, 3²) against drawn masks, (1, 4) and (6, 64), and on logits (2, 3) with ±1e4 among them;
    the default kind's loss; the worked example; whether bool masks give the same loss and loss
    and gradient stay float32."""
    values, float32 = {}, []
    extreme = np.array([[1e4, -1e4, 0.5], [-1e4, 1e4, -2.0]], np.float32)
    for kind in ("bce", "mse"):
        cases = {
            shape: (
                rng.normal(0, 3, shape).astype(np.float32),
                random_masks(shape, 0.3, _seed(rng)),
            )
            for shape in [(1, 4), (6, 64)]
        }
        cases["±1e4"] = (extreme, np.array([[1, 1, 0], [0, 1, 1]], bool))
        for title, (z, masks) in cases.items():
            logits = Tensor(z, requires_grad=True)
            loss = nn.PixelwiseLoss(kind)(logits, masks.astype(np.float32))
            loss.backward()
            values[f"{kind} {title} loss"] = loss.data
            values[f"{kind} {title} gradient"] = logits.grad
            same = nn.PixelwiseLoss(kind)(Tensor(z), masks).item() == loss.item()
            float32.append(same and loss.data.dtype == logits.grad.dtype == np.float32)
        example = nn.PixelwiseLoss(kind)(Tensor([[0.0, 2.0]]), np.array([[1.0, 0.0]]))
        values[f"{kind} worked example"] = example.data
    z, masks = cases[(6, 64)]
    values["default kind"] = nn.PixelwiseLoss()(Tensor(z), masks).data
    values["bool masks and float32"] = flag(all(float32))
    return values


def edge_scores(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """edge_scores (precision, recall, F1, IoU) of drawn masks (7, 36) for pairs of densities —
    random, few or many predicted, nothing predicted, no true edge, both empty, all ones; of
    drawn probabilities (5, 30), some exactly at the threshold, at 0.01, 0.2, 0.5, 0.8 and 0.99;
    of the worked example and of masks where a mean over images differs from the count; whether
    the scores are Python floats."""
    densities = {
        "both random": (0.3, 0.3),
        "few predicted": (0.05, 0.6),
        "many predicted": (0.9, 0.1),
        "nothing predicted": (0.0, 0.3),
        "no true edge": (0.3, 0.0),
        "both empty": (0.0, 0.0),
        "all ones": (1.0, 0.3),
    }
    calls = {
        title: (random_masks((7, 36), p, _seed(rng)), random_masks((7, 36), t, _seed(rng)))
        for title, (p, t) in densities.items()
    }
    masks = random_masks((5, 30), 0.4, _seed(rng))
    for threshold in (0.01, 0.2, 0.5, 0.8, 0.99):
        probabilities = rng.uniform(size=(5, 30)).astype(np.float32)
        probabilities[0, :3] = threshold
        calls[f"threshold {threshold}"] = (probabilities, masks, threshold)
    calls["worked example"] = (np.array([[0.9, 0.8, 0.1, 0.2]]), np.array([[1, 0, 1, 0]]))
    calls["counted, not averaged"] = (
        np.array([[1, 0, 0, 0], [0, 0, 0, 0]], bool),
        np.array([[1, 0, 0, 0], [1, 1, 1, 0]], bool),
    )
    values, floats = {}, []
    for title, arguments in calls.items():
        scores = analysis.edge_scores(*arguments)
        values[title] = np.array([scores[name] for name in ("precision", "recall", "f1", "iou")])
        floats.append(all(type(score) is float for score in scores.values()))
    values["floats"] = flag(all(floats))
    return values


def _one_pixel_each(shape: tuple[int, int], predicted: tuple, true: tuple) -> tuple:
    """A predicted and a true mask (1, H*W), each with one edge pixel."""
    edges, masks = np.zeros((2, 1, *shape), bool)
    edges[(0, *predicted)] = masks[(0, *true)] = True
    return edges.reshape(1, -1), masks.reshape(1, -1)


def tolerant_f1(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """tolerant_f1 of drawn masks (4, 25) as 5×5 images at tolerance 0, 1 and 2, and of drawn
    probabilities at a drawn threshold; of one predicted and one true pixel at a drawn offset
    of up to 3 rows and columns, at tolerance 1 and 2; of a predicted line and a true pixel
    beside it (precision and recall each forgiving); of the same pixel in two images; of empty
    masks."""
    predicted = random_masks((4, 25), 0.3, _seed(rng))
    masks = random_masks((4, 25), 0.3, _seed(rng))
    values = {
        f"tolerance {t}": analysis.tolerant_f1(predicted, masks, (5, 5), tolerance=t)
        for t in (0, 1, 2)
    }
    probabilities = rng.uniform(size=(4, 25)).astype(np.float32)
    threshold = float(rng.uniform(0.2, 0.8))
    values["drawn threshold"] = analysis.tolerant_f1(probabilities, masks, (5, 5), threshold)
    dy, dx = (int(d) for d in rng.integers(-3, 4, size=2))
    pair = _one_pixel_each((7, 7), (3, 3), (3 + dy, 3 + dx))
    for t in (1, 2):
        values[f"one pixel off, tolerance {t}"] = analysis.tolerant_f1(*pair, (7, 7), tolerance=t)
    line = np.zeros((1, 6, 6), bool)
    line[0, 1, 1:4] = line[0, 5, 5] = True
    beside = np.zeros((1, 6, 6), bool)
    beside[0, 2, 2] = True
    values["each way"] = analysis.tolerant_f1(line.reshape(1, -1), beside.reshape(1, -1), (6, 6))
    apart = np.zeros((2, 2, 3, 3), bool)
    apart[0, 0, 1, 1] = apart[1, 1, 1, 1] = True  # predicted in image 0, true in image 1
    values["edges in two images"] = analysis.tolerant_f1(*apart.reshape(2, 2, -1), (3, 3))
    empty = np.zeros((2, 16), bool)
    values["nothing predicted"] = analysis.tolerant_f1(empty, masks[:2, :16], (4, 4))
    values["both empty"] = analysis.tolerant_f1(empty, empty, (4, 4))
    return {title: np.array(value) for title, value in values.items()}


PROBES = [
    Probe(
        "EdgeMLP",
        r"test_edge_mlp\.py::|\[EdgeMLP[:.]|" + INSIDE + "|" + TRAINED,
        edge_mlp,
    ),
    Probe("PixelwiseLoss", r"::test_pixelwise_|\[PixelwiseLoss:|" + TRAINED, pixelwise_loss),
    Probe(
        "edge_scores",
        r"::test_edge_scores_|\[edge_scores:|"
        + INSIDE
        + "|"
        + TRAINED
        + "|"
        + test_named("test_an_all_ones_mask_scores_f1_near_0_37"),
        edge_scores,
    ),
    Probe("tolerant_f1", r"::test_tolerant_f1_|\[tolerant_f1:", tolerant_f1),
]
