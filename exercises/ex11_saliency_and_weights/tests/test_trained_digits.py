"""ex11: on an MLP trained on the digits, the saliency map of the true class is a useful
measurement — it predicts how the logit moves under a small change of the image, and zeroing
the 8 pixels with the largest gradient × input lowers the true logit and the accuracy far more
than zeroing 8 random pixels."""

from __future__ import annotations

import numpy as np

from core import analysis
from exercises.ex11_saliency_and_weights.tests.subjects import logits, trained_digits

DELETED = 8


def zero_first(x: np.ndarray, scores: np.ndarray, count: int = DELETED) -> np.ndarray:
    """A copy of x (N, D) with each row's ``count`` highest-scoring pixels set to 0."""
    zeroed = x.copy()
    np.put_along_axis(zeroed, np.argsort(-scores, axis=1)[:, :count], 0.0, axis=1)
    return zeroed


def test_gradient_predicts_the_logit_change_of_a_small_step():
    digits = trained_digits()
    rows = np.arange(len(digits.x))
    gradient = analysis.class_score_gradient(digits.model, digits.x, digits.labels)
    step = 1e-2 * np.random.default_rng(0).standard_normal(digits.x.shape).astype(np.float32)
    change = (logits(digits.model, digits.x + step) - logits(digits.model, digits.x))[
        rows, digits.labels
    ]
    predicted = (gradient * step).sum(axis=1)
    correlation = float(np.corrcoef(predicted, change)[0, 1])
    assert correlation > 0.95, (
        "for a small step δ the true-class logit should change by about gradient · δ; the "
        f"correlation between the two over the test images is {correlation:.3f}. Is the "
        "gradient that of the logit of each image's own class, with respect to its pixels?"
    )


def test_zeroing_the_top_gradient_times_input_pixels_hurts_far_more_than_random_ones():
    digits = trained_digits()
    model, x, labels = digits.model, digits.x, digits.labels
    gradient = analysis.class_score_gradient(model, x, labels)
    by_saliency = zero_first(x, gradient * x)
    at_random = zero_first(x, np.random.default_rng(0).random(x.shape))
    accuracy_saliency = float(np.mean(logits(model, by_saliency).argmax(axis=1) == labels))
    accuracy_random = float(np.mean(logits(model, at_random).argmax(axis=1) == labels))
    assert accuracy_saliency < 0.5 * accuracy_random, (
        f"zeroing the {DELETED} pixels with the largest gradient × input left accuracy "
        f"{accuracy_saliency:.2f}, zeroing {DELETED} random pixels {accuracy_random:.2f} (on "
        "images the model got right); the true-class gradient should find the pixels whose "
        "loss lowers the true logit most, so it should hurt far more. Is the gradient that of "
        "each image's own class logit?"
    )
