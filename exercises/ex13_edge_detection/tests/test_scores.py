"""ex13: ``analysis.edge_scores`` equals scikit-learn's precision, recall, F1 and Jaccard
(``zero_division=0``) on random and empty masks, counted over all pixels of all images; and
``analysis.tolerant_f1`` forgives an edge that is one pixel off, and only that."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, jaccard_score, precision_score, recall_score

from core import analysis
from exercises.ex13_edge_detection.tests.edges import random_masks

SKLEARN = {
    "precision": precision_score,
    "recall": recall_score,
    "f1": f1_score,
    "iou": jaccard_score,
}
# (what, predicted density, true density): an empty mask has density 0, a full one 1
MASK_CASES = [
    pytest.param(0.3, 0.3, id="both-random"),
    pytest.param(0.05, 0.6, id="few-predicted"),
    pytest.param(0.9, 0.1, id="many-predicted"),
    pytest.param(0.0, 0.3, id="nothing-predicted"),
    pytest.param(0.3, 0.0, id="no-true-edge"),
    pytest.param(0.0, 0.0, id="both-empty"),
    pytest.param(1.0, 0.3, id="all-ones"),
]


def sklearn_scores(predicted: np.ndarray, masks: np.ndarray) -> dict[str, float]:
    """The four scores from scikit-learn on the flattened masks, zero_division=0."""
    y_pred, y_true = predicted.ravel(), masks.ravel()
    return {name: float(score(y_true, y_pred, zero_division=0)) for name, score in SKLEARN.items()}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("predicted_density", "true_density"), MASK_CASES)
def test_edge_scores_equal_scikit_learn_with_zero_division_0(predicted_density, true_density, seed):
    predicted = random_masks((7, 36), predicted_density, seed)
    masks = random_masks((7, 36), true_density, seed + 100)
    got = analysis.edge_scores(predicted, masks)
    expected = sklearn_scores(predicted, masks)
    assert set(got) == set(expected), (
        f"edge_scores returned keys {sorted(got)}; expected {sorted(expected)}"
    )
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=1e-9), (
            f"edge_scores {name} = {got[name]} on masks with {predicted.sum()} predicted and "
            f"{masks.sum()} true edge pixels; scikit-learn's {SKLEARN[name].__name__}"
            f"(zero_division=0) gives {value}. A zero denominator gives 0"
        )


def test_edge_scores_count_all_pixels_at_once_not_a_mean_over_images():
    # Image 0: 1 true edge, found. Image 1: 3 true edges, none found (nothing predicted).
    predicted = np.array([[1, 0, 0, 0], [0, 0, 0, 0]], bool)
    masks = np.array([[1, 0, 0, 0], [1, 1, 1, 0]], bool)
    recall = analysis.edge_scores(predicted, masks)["recall"]
    assert recall == pytest.approx(0.25), (
        f"recall = {recall}: 1 of the 4 true edge pixels is found, so the micro-averaged recall "
        "is 0.25; a mean of per-image recalls would give 0.5"
    )


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_edge_scores_threshold_probabilities_at_greater_or_equal(threshold):
    rng = np.random.default_rng(3)
    probabilities = rng.uniform(size=(5, 30)).astype(np.float32)
    probabilities[0, :3] = threshold  # exactly at the threshold: an edge
    masks = random_masks((5, 30), 0.4, seed=4)
    got = analysis.edge_scores(probabilities, masks, threshold=threshold)
    expected = sklearn_scores(probabilities >= threshold, masks)
    assert got == pytest.approx(expected), (
        f"edge_scores(probabilities, masks, threshold={threshold}) = {got}; the mask is "
        f"probabilities >= {threshold}, which gives {expected}"
    )


def test_edge_scores_of_the_docstring_example():
    got = analysis.edge_scores(np.array([[0.9, 0.8, 0.1, 0.2]]), np.array([[1, 0, 1, 0]]))
    assert got == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5, "iou": 1 / 3})


def test_edge_scores_return_python_floats():
    got = analysis.edge_scores(random_masks((3, 9), 0.5, 0), random_masks((3, 9), 0.5, 1))
    kinds = {name: type(value).__name__ for name, value in got.items()}
    assert all(type(value) is float for value in got.values()), (
        f"edge_scores returned {kinds}; return plain floats (float(...)), so results.json and "
        "comparisons need no NumPy"
    )


# ----- the tolerant F1 ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tolerant_f1_with_tolerance_0_is_the_strict_f1(seed):
    predicted = random_masks((4, 25), 0.3, seed)
    masks = random_masks((4, 25), 0.3, seed + 10)
    got = analysis.tolerant_f1(predicted, masks, (5, 5), tolerance=0)
    strict = f1_score(masks.ravel(), predicted.ravel(), zero_division=0)
    assert got == pytest.approx(strict), (
        f"tolerant_f1(..., tolerance=0) = {got}; with nothing dilated it is the strict F1 {strict}"
    )


@pytest.mark.parametrize(
    ("offset", "tolerance", "expected"),
    [
        pytest.param((0, 1), 1, 1.0, id="one-pixel-right-counts"),
        pytest.param((1, 1), 1, 1.0, id="one-pixel-diagonal-counts"),
        pytest.param((0, 2), 1, 0.0, id="two-pixels-off-does-not-count"),
        pytest.param((2, 2), 2, 1.0, id="two-pixels-off-counts-with-tolerance-2"),
        pytest.param((0, 3), 2, 0.0, id="three-pixels-off-does-not-count-with-tolerance-2"),
    ],
)
def test_tolerant_f1_forgives_edges_within_the_tolerance_only(offset, tolerance, expected):
    predicted = np.zeros((1, 7, 7), bool)
    masks = np.zeros((1, 7, 7), bool)
    predicted[0, 2, 2] = True
    masks[0, 2 + offset[0], 2 + offset[1]] = True
    got = analysis.tolerant_f1(
        predicted.reshape(1, -1), masks.reshape(1, -1), (7, 7), tolerance=tolerance
    )
    assert got == pytest.approx(expected), (
        f"tolerant_f1 with a predicted edge at (2, 2), the true one at "
        f"{(2 + offset[0], 2 + offset[1])} and tolerance {tolerance} = {got}; expected {expected}: "
        "dilate each mask by a 3x3 square `tolerance` times, diagonals included"
    )


def test_tolerant_f1_counts_precision_and_recall_each_way():
    # Predicted: a 3-pixel line; true: one pixel beside its middle. Every predicted pixel has
    # the true one within 1 (precision 1), and the true one is beside a predicted one (recall 1).
    # Predicted far away as well: precision 3/4, recall 1, F1 6/7.
    predicted = np.zeros((1, 6, 6), bool)
    predicted[0, 1, 1:4] = True
    predicted[0, 5, 5] = True
    masks = np.zeros((1, 6, 6), bool)
    masks[0, 2, 2] = True
    got = analysis.tolerant_f1(predicted.reshape(1, -1), masks.reshape(1, -1), (6, 6))
    assert got == pytest.approx(6 / 7), (
        f"tolerant_f1 = {got}; 3 of the 4 predicted pixels lie next to the true edge "
        "(precision 3/4) and the true edge lies next to a predicted one (recall 1): F1 = 6/7"
    )


def test_tolerant_f1_does_not_reach_into_the_next_image():
    # The last row of image 0 is predicted; the true edge is the first row of image 1.
    predicted = np.zeros((2, 4, 4), bool)
    predicted[0, 3, :] = True
    masks = np.zeros((2, 4, 4), bool)
    masks[1, 0, :] = True
    got = analysis.tolerant_f1(predicted.reshape(2, -1), masks.reshape(2, -1), (4, 4))
    assert got == 0.0, (
        f"tolerant_f1 = {got}: the predicted and true edges are in different images, so nothing "
        "matches; dilate with np.ones((1, 3, 3)) so each image stays apart"
    )


@pytest.mark.parametrize(
    ("predicted_density", "true_density"),
    [pytest.param(0.0, 0.2, id="nothing-predicted"), pytest.param(0.0, 0.0, id="both-empty")],
)
def test_tolerant_f1_of_empty_masks_is_0(predicted_density, true_density):
    got = analysis.tolerant_f1(
        random_masks((2, 16), predicted_density, 0),
        random_masks((2, 16), true_density, 1),
        (4, 4),
    )
    assert got == 0.0, f"tolerant_f1 of an empty mask = {got}; a zero denominator gives 0"


def test_tolerant_f1_is_at_least_the_strict_f1():
    predicted = random_masks((6, 64), 0.25, 5)
    masks = random_masks((6, 64), 0.25, 6)
    tolerant = analysis.tolerant_f1(predicted, masks, (8, 8))
    strict = analysis.edge_scores(predicted, masks)["f1"]
    assert strict < tolerant <= 1, (
        f"tolerant_f1 = {tolerant}, strict F1 = {strict}: forgiving one-pixel misses can only "
        "raise the score on random masks"
    )


def test_tolerant_f1_never_matches_an_edge_with_one_in_another_image():
    # Image 0 predicts its centre pixel and has no true edge; image 1 has its centre as a true
    # edge and predicts nothing. Nothing matches within an image, so the F1 is 0; a dilation
    # that reaches across the batch axis would pair the two centres and give 1.
    predicted = np.zeros((2, 3, 3), bool)
    masks = np.zeros((2, 3, 3), bool)
    predicted[0, 1, 1] = masks[1, 1, 1] = True
    got = analysis.tolerant_f1(predicted.reshape(2, -1), masks.reshape(2, -1), (3, 3))
    assert got == 0, (
        f"tolerant_f1 = {got} for edges in different images; dilate each image on its own "
        "(a (1, 3, 3) block over (N, H, W)), never along the axis of the images"
    )
