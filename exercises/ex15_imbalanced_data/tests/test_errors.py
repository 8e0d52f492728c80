"""ex15: bad arguments are a ValueError that names the function, the value got and the fix."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, analysis, data, nn

X = np.zeros((10, 2), np.float32)
Y = np.repeat([0, 1], 5)
LOGITS = Tensor(np.zeros((2, 3), np.float32))


@pytest.mark.parametrize(
    "ratio, shows",
    [(0.0, "ratio"), (-0.5, "-0.5"), (1.5, "1.5"), (0.05, "class 1")],
    ids=["zero", "negative", "above-one", "leaves-the-class-empty"],
)
def test_make_imbalanced_rejects_a_bad_ratio(ratio, shows) -> None:
    with pytest.raises(ValueError, match=rf"make_imbalanced.*{shows}"):
        analysis.make_imbalanced(X, Y, ratio, [1])


def test_imbalanced_split_rejects_a_bad_test_fraction() -> None:
    with pytest.raises(ValueError, match=r"imbalanced_split.*test_fraction.*1.0"):
        analysis.imbalanced_split(X, Y, 0.5, [1], test_fraction=1.0)


@pytest.mark.parametrize(
    "weight, shows",
    [([1.0, -1.0, 1.0], "-1.0"), ([[1.0, 1.0, 1.0]], "1-D"), ([0, 0, 0], "0")],
    ids=["negative", "2-D", "all-zero"],
)
def test_weighted_cross_entropy_rejects_bad_weights(weight, shows) -> None:
    with pytest.raises(ValueError, match=f"WeightedCrossEntropyLoss.*{shows}"):
        nn.WeightedCrossEntropyLoss(weight)


def test_weighted_cross_entropy_rejects_a_weight_vector_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match=r"WeightedCrossEntropyLoss.*2 entries.*C = 3"):
        nn.WeightedCrossEntropyLoss([1.0, 2.0])(LOGITS, np.array([0, 1]))


@pytest.mark.parametrize(
    "weights, count, shows",
    [
        ([1.0, -2.0], 2, "-2.0"),
        ([0.0, 0.0], 2, "sum to 0"),
        ([[1.0]], 1, "1-D"),
        ([1.0, 1.0], 0, "num_samples"),
    ],
    ids=["negative", "all-zero", "2-D", "zero-samples"],
)
def test_the_sampler_rejects_bad_weights(weights, count, shows) -> None:
    with pytest.raises(ValueError, match=f"WeightedRandomSampler.*{shows}"):
        data.WeightedRandomSampler(weights, count)


@pytest.mark.parametrize("loss", ["FocalLoss", "BinaryFocalLoss"])
@pytest.mark.parametrize(
    "options, shows",
    [
        ({"gamma": -1.0}, "gamma.*-1.0"),
        ({"alpha": 1.5}, "alpha.*1.5"),
        ({"alpha": -0.1}, "alpha.*-0.1"),
        ({"reduction": "avg"}, "avg"),
    ],
    ids=["negative-gamma", "alpha-above-one", "negative-alpha", "bad-reduction"],
)
def test_focal_losses_reject_bad_gamma_alpha_and_reduction(loss, options, shows) -> None:
    with pytest.raises(ValueError, match=f"{loss}.*{shows}"):
        getattr(nn, loss)(**options)


def test_focal_loss_rejects_a_per_class_alpha_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match=r"FocalLoss.*alpha.*2 entries"):
        nn.FocalLoss(2.0, [0.5, 0.5])(LOGITS, np.array([0, 1]))


@pytest.mark.parametrize(
    "name, arguments", [("FocalLoss", ()), ("WeightedCrossEntropyLoss", ([1, 1, 1],))]
)
def test_multiclass_losses_reject_labels_out_of_range(name, arguments) -> None:
    with pytest.raises(ValueError, match=rf"{name}.*label 3.*\[0, 3\)"):
        getattr(nn, name)(*arguments)(LOGITS, np.array([0, 3]))


def test_binary_focal_loss_rejects_targets_other_than_0_and_1() -> None:
    with pytest.raises(ValueError, match=r"BinaryFocalLoss.*0 or 1.*2"):
        nn.BinaryFocalLoss()(Tensor(np.zeros(2, np.float32)), np.array([0.0, 2.0]))


METRICS = ["confusion_matrix", "per_class_metrics", "balanced_accuracy", "macro_f1"]


@pytest.mark.parametrize("name", METRICS)
@pytest.mark.parametrize("bad", [-1, 3], ids=["minus-one", "C"])
def test_metrics_reject_labels_out_of_range(name, bad) -> None:
    with pytest.raises(ValueError, match=rf"{name}.*label {bad}.*\[0, 3\)"):
        getattr(analysis, name)(np.array([0, 1, bad]), np.array([0, 1, 2]), 3)


@pytest.mark.parametrize("name", METRICS)
def test_metrics_reject_predictions_of_another_length(name) -> None:
    with pytest.raises(ValueError, match=rf"{name}.*\(3,\).*\(2,\)"):
        getattr(analysis, name)(np.array([0, 1, 2]), np.array([0, 1]), 3)


@pytest.mark.parametrize("name", ["sample_weights", "class_weights"])
def test_frequency_weights_reject_labels_out_of_range(name) -> None:
    with pytest.raises(ValueError, match=rf"{name}.*label 5.*\[0, 2\)"):
        getattr(analysis, name)(np.array([0, 1, 5]), 2)


def test_class_weights_reject_a_class_without_samples() -> None:
    with pytest.raises(ValueError, match="class_weights: class 2 has no sample"):
        analysis.class_weights(np.array([0, 1, 1]), 3)
