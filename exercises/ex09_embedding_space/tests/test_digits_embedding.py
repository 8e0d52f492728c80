"""ex09: the goal — on the digits, a trained network's last hidden layer groups the classes
better than the raw pixels do, and an untrained one's does not. Every silhouette is computed in
the representation's own space (64 pixels, or the layer's width), not in a 2-D map."""

from __future__ import annotations

import pytest

from core import analysis

from .networks import (
    DIGITS_HIDDEN,
    DIGITS_LAST_HIDDEN,
    digits_test_images,
    trained_digits_mlp,
    untrained_digits_mlp,
)

MARGIN = 0.15  # trained last hidden layer ≥ raw pixels + 0.15 (measured: about 0.36 vs 0.16)


def pixel_silhouette() -> float:
    x, y = digits_test_images()
    return analysis.silhouette(x, y)


@pytest.mark.points(3)  # the goal of the exercise
def test_trained_last_hidden_layer_separates_digits_better_than_pixels():
    x, y = digits_test_images()
    hidden = analysis.layer_activations(trained_digits_mlp(), DIGITS_LAST_HIDDEN, x)
    trained, pixels = analysis.silhouette(hidden, y), pixel_silhouette()
    assert trained >= pixels + MARGIN, (
        f"MLPClassifier(64, {DIGITS_HIDDEN}, 10) trained on the digits: the silhouette of its "
        f"last hidden layer ({DIGITS_LAST_HIDDEN!r}, post-activation) on the 450 test digits "
        f"is {trained:.3f}, raw pixels give {pixels:.3f}; expected at least pixels + {MARGIN}. "
        "Check layer_activations (the output of that layer, for every row) and silhouette"
    )


@pytest.mark.parametrize("layer_name", ["layers.1", DIGITS_LAST_HIDDEN])
def test_untrained_hidden_layer_separates_digits_no_better_than_pixels(layer_name):
    x, y = digits_test_images()
    hidden = analysis.layer_activations(untrained_digits_mlp(), layer_name, x)
    untrained, pixels = analysis.silhouette(hidden, y), pixel_silhouette()
    assert untrained <= pixels, (
        f"an untrained MLPClassifier(64, {DIGITS_HIDDEN}, 10): the silhouette of {layer_name!r} "
        f"is {untrained:.3f}, above the raw pixels' {pixels:.3f}; random weights should not "
        "group the digits better than the pixels they start from"
    )
