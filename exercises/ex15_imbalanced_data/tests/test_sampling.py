"""ex15 data: the imbalance maker, the split that comes before any resampling, the weights
from class frequencies, and the sampler whose class frequencies follow its weights."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from core import analysis, data

LABELS = np.repeat(np.arange(4), [50, 40, 30, 20])
X = np.arange(len(LABELS) * 2, dtype=np.float32).reshape(-1, 2)


@pytest.mark.parametrize("ratio", [0.05, 0.25, 1.0])
def test_make_imbalanced_keeps_a_ratio_share_of_each_minority_class(ratio) -> None:
    x, y = analysis.make_imbalanced(X, LABELS, ratio, [1, 3], seed=0)
    counts = np.bincount(y, minlength=4)
    expected = [50, round(ratio * 40), 30, round(ratio * 20)]
    assert counts.tolist() == expected, f"class counts {counts.tolist()}, expected {expected}"
    assert np.array_equal(x[:, 0] // 2, np.sort(x[:, 0] // 2)), "rows keep their order"
    np.testing.assert_array_equal(LABELS[(x[:, 0] // 2).astype(int)], y, "rows stay paired")


def test_make_imbalanced_is_seeded() -> None:
    a = analysis.make_imbalanced(X, LABELS, 0.2, [0], seed=3)[0]
    b = analysis.make_imbalanced(X, LABELS, 0.2, [0], seed=3)[0]
    c = analysis.make_imbalanced(X, LABELS, 0.2, [0], seed=4)[0]
    assert np.array_equal(a, b) and not np.array_equal(a, c), "same seed same rows, else not"


def test_imbalanced_split_splits_before_it_thins_the_training_part() -> None:
    x = np.random.default_rng(0).normal(size=(len(LABELS), 3))
    (x_train, y_train), (x_test, y_test) = analysis.imbalanced_split(
        x, LABELS, 0.1, [3], test_fraction=0.5, seed=0
    )
    assert np.bincount(y_test).tolist() == [25, 20, 15, 10], "test part keeps natural shares"
    assert np.bincount(y_train).tolist() == [25, 20, 15, 1], "training part is thinned"
    rows = {tuple(r) for r in x_test}
    assert len(rows) == len(x_test), "the test part has duplicated rows: resampled too early"
    assert not rows & {tuple(r) for r in x_train}, "a test row is also in the training part"


def test_sample_weights_are_one_over_the_count_of_the_class() -> None:
    w = analysis.sample_weights(LABELS, 4)
    np.testing.assert_allclose(w, 1 / np.bincount(LABELS)[LABELS])
    np.testing.assert_allclose(np.bincount(LABELS, weights=w), np.ones(4), err_msg="per class 1")


def test_class_weights_equal_scikit_learns_balanced_weights() -> None:
    expected = compute_class_weight("balanced", classes=np.arange(4), y=LABELS)
    np.testing.assert_allclose(analysis.class_weights(LABELS, 4), expected, rtol=1e-6)


def test_the_sampler_draws_class_frequencies_that_match_its_weights() -> None:
    labels = np.repeat(np.arange(3), [600, 300, 100])
    weights = np.array([1.0, 2.0, 9.0])[labels]  # per-sample weights, not per-class
    draws = 20000
    indices = np.fromiter(data.WeightedRandomSampler(weights, draws, seed=0), np.int64)
    share = np.bincount(labels, weights=weights) / weights.sum()
    counts = np.bincount(labels[indices], minlength=3)
    sd = np.sqrt(draws * share * (1 - share))
    assert (np.abs(counts - draws * share) < 4 * sd).all(), (
        f"class counts {counts.tolist()} vs expected {np.round(draws * share).tolist()} "
        f"(4 binomial sd = {np.round(4 * sd).tolist()})"
    )


def test_the_sampler_has_num_samples_and_draws_afresh_each_iteration() -> None:
    sampler = data.WeightedRandomSampler(np.ones(50), 30, seed=1)
    first, second = list(sampler), list(sampler)
    assert len(sampler) == 30 and len(first) == 30
    assert all(isinstance(i, int) and 0 <= i < 50 for i in first)
    assert first != second, "every iteration (epoch) must draw again"
    assert list(data.WeightedRandomSampler(np.ones(50), 30, seed=1)) == first, "seeded"


def test_the_sampler_without_replacement_draws_distinct_indices() -> None:
    drawn = list(data.WeightedRandomSampler([1, 1, 1, 5, 0], 4, replacement=False, seed=0))
    assert sorted(drawn) == [0, 1, 2, 3], f"4 distinct indices of positive weight; got {drawn}"


def test_the_dataloader_accepts_the_sampler_and_balances_the_batches() -> None:
    labels = np.repeat([0, 1], [95, 5])
    sampler = data.WeightedRandomSampler(analysis.sample_weights(labels, 2), 2000, seed=0)
    loader = data.DataLoader(
        data.ArrayDataset(labels[:, None].astype(np.float32), labels),
        batch_size=100,
        sampler=sampler,
    )
    seen = np.concatenate([y.data for _, y in loader])
    assert len(loader) == 20 and len(seen) == 2000
    assert 0.45 < seen.mean() < 0.55, f"share of the rare class drawn: {seen.mean():.3f}"
