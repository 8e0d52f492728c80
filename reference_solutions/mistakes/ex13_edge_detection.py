"""Known ex13 mistakes: per-pixel losses and mask scores that look right on tame inputs."""

from __future__ import annotations

import numpy as np

from core import functional as F
from reference_solutions import ex13_edge_detection as reference
from reference_solutions.mistakes import mistake


@mistake("losses", "PixelwiseLoss", "sums the loss over each image's pixels, then averages images")
class LossSummedOverPixels(reference.PixelwiseLoss):
    def forward(self, logits, target):
        return super().forward(logits, target) * logits.shape[1]


@mistake(
    "losses", "PixelwiseLoss", "BCE as -y log(sigmoid(z)) - (1-y) log(1-sigmoid(z)): inf at ±1e4"
)
class LossWithLogOfSigmoid(reference.PixelwiseLoss):
    def forward(self, logits, target):
        if self.kind == "mse":
            return super().forward(logits, target)
        logits, y = reference._loss_inputs(logits, target)
        s = F.sigmoid(logits)
        return (-(y * s.log()) - (1.0 - y) * (1.0 - s).log()).mean()


@mistake("losses", "PixelwiseLoss", "MSE of the logits themselves, without the sigmoid")
class MseOfLogits(reference.PixelwiseLoss):
    def forward(self, logits, target):
        if self.kind == "bce":
            return super().forward(logits, target)
        difference = logits - reference.Tensor(reference._array(target), dtype=logits.dtype)
        return (difference * difference).mean()


@mistake("analysis", "edge_scores", "a zero denominator gives 1 (zero_division=1), not 0")
def scores_with_zero_division_one(predicted, masks, threshold=0.5):
    edges, truth = reference._masks("edge_scores", predicted, masks, threshold)
    tp = int(np.count_nonzero(edges & truth))
    fp = int(np.count_nonzero(edges & ~truth))
    fn = int(np.count_nonzero(~edges & truth))

    def ratio(a, b):
        return a / b if b else 1.0

    return {
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "iou": ratio(tp, tp + fp + fn),
    }


@mistake("analysis", "edge_scores", "averages per-image scores instead of counting all pixels")
def scores_averaged_over_images(predicted, masks, threshold=0.5):
    edges, truth = reference._masks("edge_scores", predicted, masks, threshold)
    per_image = [reference.edge_scores(e[None], t[None]) for e, t in zip(edges, truth, strict=True)]
    return {name: float(np.mean([s[name] for s in per_image])) for name in reference.SCORE_NAMES}


@mistake("analysis", "tolerant_f1", "dilates with a 3x3x3 block: an edge leaks into the next image")
def tolerant_f1_across_images(predicted, masks, shape, threshold=0.5, tolerance=1):
    from scipy import ndimage

    edges, truth = reference._image_masks(predicted, masks, shape, threshold, tolerance)
    block = np.ones((3, 3, 3), bool)
    near_truth = ndimage.binary_dilation(truth, block, iterations=max(tolerance, 1))
    near_edges = ndimage.binary_dilation(edges, block, iterations=max(tolerance, 1))
    if tolerance == 0:
        near_truth, near_edges = truth, edges
    precision = reference._ratio(np.count_nonzero(edges & near_truth), np.count_nonzero(edges))
    recall = reference._ratio(np.count_nonzero(truth & near_edges), np.count_nonzero(truth))
    return reference._ratio(2 * precision * recall, precision + recall)


@mistake("analysis", "tolerant_f1", "forgives only one way: recall still needs the exact pixel")
def tolerant_f1_one_way(predicted, masks, shape, threshold=0.5, tolerance=1):
    from scipy import ndimage

    edges, truth = reference._masks("tolerant_f1", predicted, masks, threshold)
    edges, truth = edges.reshape(-1, *shape), truth.reshape(-1, *shape)
    near_truth = ndimage.binary_dilation(truth, np.ones((1, 3, 3), bool), iterations=tolerance)
    if tolerance == 0:
        near_truth = truth
    precision = reference._ratio(np.count_nonzero(edges & near_truth), np.count_nonzero(edges))
    recall = reference._ratio(np.count_nonzero(truth & edges), np.count_nonzero(truth))
    return reference._ratio(2 * precision * recall, precision + recall)
