"""ex13: bad arguments are a ValueError that names the function and the value it got — masks of
another shape than the predictions, a threshold outside (0, 1), a loss kind other than "bce" or
"mse", images whose width does not match the model — and bad sizes or tolerances."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, analysis, models, nn

PREDICTED = np.full((3, 16), 0.7, np.float32)
MASKS = np.zeros((3, 16), bool)
MASKS[:, 5] = True

# (what is wrong, the call, texts the message must show)
CASES = [
    (
        "edge_scores: masks (N, H, W) for predictions (N, H*W)",
        lambda: analysis.edge_scores(PREDICTED, MASKS.reshape(3, 4, 4)),
        ["edge_scores", "(3, 16)", "(3, 4, 4)"],
    ),
    (
        "edge_scores: one mask too few",
        lambda: analysis.edge_scores(PREDICTED, MASKS[:2]),
        ["edge_scores", "(2, 16)"],
    ),
    ("edge_scores: threshold 0", lambda: analysis.edge_scores(PREDICTED, MASKS, 0.0), ["0.0"]),
    ("edge_scores: threshold 1", lambda: analysis.edge_scores(PREDICTED, MASKS, 1.0), ["1.0"]),
    ("edge_scores: threshold 50", lambda: analysis.edge_scores(PREDICTED, MASKS, 50), ["50"]),
    (
        "edge_scores: threshold nan",
        lambda: analysis.edge_scores(PREDICTED, MASKS, float("nan")),
        ["nan"],
    ),
    (
        "tolerant_f1: masks of another shape",
        lambda: analysis.tolerant_f1(PREDICTED, MASKS[:, :8], (4, 4)),
        ["tolerant_f1", "(3, 8)"],
    ),
    (
        "tolerant_f1: threshold -0.5",
        lambda: analysis.tolerant_f1(PREDICTED, MASKS, (4, 4), threshold=-0.5),
        ["tolerant_f1", "-0.5"],
    ),
    (
        "tolerant_f1: shape that does not fit the width",
        lambda: analysis.tolerant_f1(PREDICTED, MASKS, (8, 8)),
        ["tolerant_f1", "(8, 8)"],
    ),
    (
        "tolerant_f1: negative tolerance",
        lambda: analysis.tolerant_f1(PREDICTED, MASKS, (4, 4), tolerance=-1),
        ["tolerant_f1", "-1"],
    ),
    (
        "tolerant_f1: fractional tolerance",
        lambda: analysis.tolerant_f1(PREDICTED, MASKS, (4, 4), tolerance=1.5),
        ["tolerant_f1", "1.5"],
    ),
    ("PixelwiseLoss: kind 'ce'", lambda: nn.PixelwiseLoss("ce"), ["PixelwiseLoss", "'ce'"]),
    ("PixelwiseLoss: kind 'BCE'", lambda: nn.PixelwiseLoss("BCE"), ["PixelwiseLoss", "'BCE'"]),
    (
        "PixelwiseLoss: masks (N, H, W) for logits (N, H*W)",
        lambda: nn.PixelwiseLoss()(Tensor(PREDICTED), MASKS.reshape(3, 4, 4)),
        ["PixelwiseLoss", "(3, 16)", "(3, 4, 4)"],
    ),
    (
        "EdgeMLP: 28x28 images for a model of 8x8 ones",
        lambda: models.EdgeMLP(64, [8])(Tensor(np.zeros((2, 784), np.float32))),
        ["EdgeMLP", "(2, 784)", "64"],
    ),
    (
        "EdgeMLP: images (N, H, W) not flattened",
        lambda: models.EdgeMLP(64, [8])(Tensor(np.zeros((2, 8, 8), np.float32))),
        ["EdgeMLP", "(2, 8, 8)"],
    ),
    (
        "EdgeMLP.predict: threshold 1.5",
        lambda: models.EdgeMLP(16, [4]).predict(PREDICTED, threshold=1.5),
        ["EdgeMLP.predict", "1.5"],
    ),
    ("EdgeMLP: zero pixels", lambda: models.EdgeMLP(0, [8]), ["EdgeMLP", "0"]),
    ("EdgeMLP: hidden size 0", lambda: models.EdgeMLP(16, [0]), ["EdgeMLP", "[0]"]),
    ("EdgeMLP: activation 'gelu'", lambda: models.EdgeMLP(16, [4], "gelu"), ["EdgeMLP", "gelu"]),
]


@pytest.mark.parametrize(
    ("what", "call", "shows"), [pytest.param(*case, id=case[0]) for case in CASES]
)
def test_bad_argument_raises_value_error_naming_the_function_and_the_value(what, call, shows):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    missing = [text for text in shows if text not in message]
    assert not missing, (
        f"{what}: ValueError({message!r}) should show {missing}: name the function, the value "
        "it got, and say what to pass instead"
    )


@pytest.mark.parametrize("threshold", [0.01, 0.99])
def test_thresholds_just_inside_0_and_1_are_accepted(threshold):
    analysis.edge_scores(PREDICTED, MASKS, threshold)
    models.EdgeMLP(16, [4]).predict(PREDICTED, threshold=threshold)
