"""ex15 metrics: equal to scikit-learn's on random labels, and their meaning on small cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

from core import analysis

CASES = [(seed, classes) for seed in range(3) for classes in (2, 5)]


def labels(seed: int, classes: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y_true = rng.choice(classes, n, p=np.linspace(1, 3, classes) / np.linspace(1, 3, classes).sum())
    y_pred = np.where(rng.uniform(size=n) < 0.6, y_true, rng.integers(0, classes, n))
    y_pred[y_pred == classes - 1] = 0  # one class never predicted: precision 0/0
    return y_true, y_pred


@pytest.mark.parametrize("seed, classes", CASES)
def test_per_class_metrics_equal_scikit_learns(seed, classes) -> None:
    y_true, y_pred = labels(seed, classes)
    ours = analysis.per_class_metrics(y_true, y_pred, classes)
    p, r, f, s = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=range(classes), zero_division=0
    )
    for name, expected in (("precision", p), ("recall", r), ("f1", f), ("support", s)):
        np.testing.assert_allclose(ours[name], expected, err_msg=f"per-class {name}")


@pytest.mark.parametrize("seed, classes", CASES)
def test_balanced_accuracy_and_macro_f1_equal_scikit_learns(seed, classes) -> None:
    y_true, y_pred = labels(seed, classes)
    assert analysis.balanced_accuracy(y_true, y_pred, classes) == pytest.approx(
        metrics.balanced_accuracy_score(y_true, y_pred)
    )
    assert analysis.macro_f1(y_true, y_pred, classes) == pytest.approx(
        metrics.f1_score(y_true, y_pred, labels=range(classes), average="macro", zero_division=0)
    )


@pytest.mark.parametrize("seed, classes", CASES)
def test_confusion_matrix_equals_scikit_learns(seed, classes) -> None:
    y_true, y_pred = labels(seed, classes)
    np.testing.assert_array_equal(
        analysis.confusion_matrix(y_true, y_pred, classes),
        metrics.confusion_matrix(y_true, y_pred, labels=range(classes)),
    )


def test_balanced_accuracy_of_always_the_majority_is_one_over_the_classes() -> None:
    y_true = np.repeat([0, 1, 2], [90, 5, 5])
    assert analysis.balanced_accuracy(y_true, np.zeros(100, np.int64), 3) == pytest.approx(1 / 3)


def test_balanced_accuracy_leaves_out_classes_without_true_samples() -> None:
    y_true, y_pred = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 2])
    assert analysis.balanced_accuracy(y_true, y_pred, 4) == pytest.approx(0.75)
