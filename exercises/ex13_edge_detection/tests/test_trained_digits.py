"""ex13: on held-out digits, an EdgeMLP trained with your PixelwiseLoss draws Canny's edges
better than both baselines — an empty mask and the training set's per-pixel edge frequency —
and reaches the targets F1 ≥ 0.80 and IoU ≥ 0.65; and the given Canny masks cover about
a quarter of the pixels."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from exercises.ex13_edge_detection.tests.edges import (
    EPOCHS,
    HIDDEN,
    edge_digits,
    trained_edge_model,
)

TARGET_F1, TARGET_IOU = 0.80, 0.65
ALL_ONES_F1 = 0.37  # 2p / (1 + p) for the share p ≈ 0.23 of edge pixels


def baselines() -> dict[str, np.ndarray]:
    """The trivial predictions for the test digits, as probabilities."""
    digits = edge_digits()
    frequency = digits.masks_train.mean(axis=0)
    shape = digits.masks_test.shape
    return {
        "all background": np.zeros(shape, np.float32),
        "edge frequency of the training set": np.broadcast_to(frequency, shape),
    }


def test_an_all_ones_mask_scores_f1_near_0_37():
    masks = edge_digits().masks_test
    share = masks.mean()
    assert 0.15 < share < 0.3 and masks.any(axis=1).all(), (
        f"Canny edges cover {share:.3f} of the test digits' pixels; expected about 0.23, with "
        "edges in every image"
    )
    f1 = analysis.edge_scores(np.ones(masks.shape, bool), masks)["f1"]
    assert f1 == pytest.approx(ALL_ONES_F1, abs=0.02), (
        f"F1 of predicting every pixel as an edge = {f1}; expected about {ALL_ONES_F1}"
    )


@pytest.mark.parametrize("baseline", ["all background", "edge frequency of the training set"])
def test_trained_edge_mlp_beats_the_baseline_in_f1_on_held_out_digits(baseline):
    digits = edge_digits()
    model_f1 = analysis.edge_scores(
        trained_edge_model().predict_proba(digits.x_test), digits.masks_test
    )["f1"]
    baseline_f1 = analysis.edge_scores(baselines()[baseline], digits.masks_test)["f1"]
    assert model_f1 > baseline_f1 + 0.1, (
        f"EdgeMLP(64, {HIDDEN}) trained {EPOCHS} epochs with PixelwiseLoss('bce') has test F1 "
        f"{model_f1:.3f}; the baseline '{baseline}' has {baseline_f1:.3f}. Check the loss (mean "
        "over all pixels), the model's last layer (one logit per pixel) and predict_proba"
    )


def test_trained_edge_mlp_reaches_the_f1_and_iou_targets():
    digits = edge_digits()
    scores = analysis.edge_scores(
        trained_edge_model().predict_proba(digits.x_test), digits.masks_test
    )
    assert scores["f1"] >= TARGET_F1 and scores["iou"] >= TARGET_IOU, (
        f"EdgeMLP(64, {HIDDEN}) after {EPOCHS} epochs: test F1 {scores['f1']:.3f}, IoU "
        f"{scores['iou']:.3f}; the targets are F1 ≥ {TARGET_F1} and IoU ≥ {TARGET_IOU}"
    )
