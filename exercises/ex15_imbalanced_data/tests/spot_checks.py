"""ex15's spot checks: thinning and splitting drawn labelled rows, the weights from class counts,
the weighted sampler, the weighted and focal losses on drawn logits (also at ±1e4) and the
metrics of drawn predictions (see exercises/testing/probes).

Which rows are kept and which indices are drawn are each implementation's own draws, so for
make_imbalanced, imbalanced_split and the sampler only what every correct one agrees on is
compared: the class counts, order and pairing of the rows kept, the split's test part, the
frequencies drawn, and whether the draws repeat where they must and differ where they must.
"""

from __future__ import annotations

import numpy as np

from core import Module, Tensor, analysis, data, nn
from exercises.ex03_modules_and_losses.tests.spot_checks import flag
from exercises.ex15_imbalanced_data.tests.test_losses import EXTREME, EXTREME_LABELS, value_and_grad
from exercises.ex15_imbalanced_data.tests.test_metrics import labels as predictions
from exercises.testing.probes import Probe, test_named

REDUCTIONS = ("mean", "sum", "none")


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def _rows(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Labels of 4 classes with drawn counts from 20 to 60, in blocks, and rows (N, 2) whose
    first column is twice the row's index (so a row names itself)."""
    counts = rng.integers(20, 61, size=4)
    y = np.repeat(np.arange(4), counts)
    return np.arange(2 * len(y), dtype=np.float32).reshape(-1, 2), y


def make_imbalanced(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """make_imbalanced of drawn rows (see _rows) with two drawn minority classes, at a drawn
    ratio in [0.1, 0.6] and at 1: the class counts kept; whether the rows keep their order and
    their labels; whether the same seed keeps the same rows and another seed others."""
    x, y = _rows(rng)
    minority = [int(c) for c in rng.choice(4, size=2, replace=False)]
    ratio, seed = float(rng.uniform(0.1, 0.6)), _seed(rng)
    kept, labels = analysis.make_imbalanced(x, y, ratio, minority, seed=seed)
    index = (kept[:, 0] // 2).astype(int)
    again = analysis.make_imbalanced(x, y, ratio, minority, seed=seed)[0]
    other = analysis.make_imbalanced(x, y, ratio, minority, seed=seed + 1)[0]
    return {
        "counts": np.bincount(labels, minlength=4).astype(float),
        "counts at ratio 1": np.bincount(
            analysis.make_imbalanced(x, y, 1.0, minority, seed=seed)[1], minlength=4
        ).astype(float),
        "order and labels kept": flag(
            np.all(np.diff(index) > 0) and np.array_equal(y[index], labels)
        ),
        "same seed, same rows": flag(np.array_equal(kept, again)),
        "another seed, other rows": flag(not np.array_equal(kept, other)),
    }


def imbalanced_split(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """imbalanced_split of drawn normal rows (N, 3) with the labels of _rows, one drawn minority
    class at a drawn ratio in [0.05, 0.3], test fraction 0.5: the class counts of the test and
    the training part; whether the test part has no duplicated row and shares none with the
    training part."""
    _, y = _rows(rng)
    x = rng.normal(size=(len(y), 3))
    minority = [int(rng.integers(4))]
    (x_train, y_train), (x_test, y_test) = analysis.imbalanced_split(
        x, y, float(rng.uniform(0.05, 0.3)), minority, test_fraction=0.5, seed=_seed(rng)
    )
    test_rows = {tuple(r) for r in x_test}
    return {
        "test counts": np.bincount(y_test, minlength=4).astype(float),
        "training counts": np.bincount(y_train, minlength=4).astype(float),
        "apart": flag(
            len(test_rows) == len(x_test) and not test_rows & {tuple(r) for r in x_train}
        ),
    }


def _class_labels(rng: np.random.Generator) -> np.ndarray:
    """40 drawn labels of 5 classes, each class present, with unequal counts."""
    return rng.permutation(
        np.concatenate([np.arange(5), rng.choice(5, 35, p=[0.5, 0.2, 0.15, 0.1, 0.05])])
    )


def sample_weights(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """sample_weights of drawn labels (see _class_labels), with 5 and with 7 classes."""
    y = _class_labels(rng)
    return {f"{c} classes": analysis.sample_weights(y, c) for c in (5, 7)}


def class_weights(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """class_weights of drawn labels (see _class_labels) and whether they are float32."""
    weights = analysis.class_weights(_class_labels(rng), 5)
    return {"weights": weights, "float32": flag(weights.dtype == np.float32)}


def weighted_random_sampler(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """WeightedRandomSampler: whether 20,000 draws with drawn per-sample weights give class
    frequencies within 4 binomial standard deviations of the weights' shares; whether a sampler
    of 30 of 50 has length 30, yields Python ints in range, draws afresh each iteration and
    repeats with its seed; the sorted draws without replacement of 4 of weights [1, 1, 1, 5,
    0]; whether a DataLoader with it draws a rare class about half of the time."""
    y = np.repeat(np.arange(3), [600, 300, 100])
    weights = rng.uniform(0.5, 10, 3)[y]
    drawn = np.fromiter(data.WeightedRandomSampler(weights, 20000, seed=_seed(rng)), np.int64)
    share = np.bincount(y, weights=weights) / weights.sum()
    counts = np.bincount(y[drawn], minlength=3)
    sd = np.sqrt(20000 * share * (1 - share))
    seed = _seed(rng)
    sampler = data.WeightedRandomSampler(np.ones(50), 30, seed=seed)
    first, second = list(sampler), list(sampler)
    repeated = list(data.WeightedRandomSampler(np.ones(50), 30, seed=seed))
    rare = np.repeat([0, 1], [95, 5])
    balanced = data.WeightedRandomSampler(analysis.sample_weights(rare, 2), 2000, seed=seed)
    loader = data.DataLoader(
        data.ArrayDataset(rare[:, None].astype(np.float32), rare), batch_size=100, sampler=balanced
    )
    seen = np.concatenate([labels.data for _, labels in loader])
    without = data.WeightedRandomSampler([1, 1, 1, 5, 0], 4, replacement=False, seed=seed)
    return {
        "frequencies": flag(np.all(np.abs(counts - 20000 * share) < 4 * sd)),
        "length and ints": flag(
            len(sampler) == len(first) == 30
            and all(isinstance(i, int) and 0 <= i < 50 for i in first)
        ),
        "afresh each iteration": flag(first != second),
        "seeded": flag(repeated == first),
        "without replacement": np.array(sorted(without), float),
        "balanced batches": flag(len(seen) == 2000 and 0.45 < seen.mean() < 0.55),
    }


def _values(losses: dict[str, Module], logits: np.ndarray, target: np.ndarray) -> dict:
    """Each loss and its logits' gradient (of the sum for "none")."""
    values = {}
    for title, loss in losses.items():
        values[f"{title} value"], values[f"{title} gradient"] = value_and_grad(loss, logits, target)
    return values


def _logits(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Drawn logits N(0, 2²) (7, 4) and class labels."""
    return rng.normal(0, 2, (7, 4)).astype(np.float32), rng.integers(0, 4, 7)


def weighted_cross_entropy_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """WeightedCrossEntropyLoss with drawn class weights for every reduction, and with equal
    weights, on drawn logits (see _logits): values and gradients; at the logits ±1e4 with
    weights [1, 2, 3]; of the worked example."""
    logits, labels = _logits(rng)
    weights = rng.uniform(0.2, 5, 4).astype(np.float32)
    losses = {r: nn.WeightedCrossEntropyLoss(weights, r) for r in REDUCTIONS}
    losses["equal weights"] = nn.WeightedCrossEntropyLoss(np.full(4, float(rng.uniform(0.5, 3))))
    values = _values(losses, logits, labels)
    values.update(
        _values({"±1e4": nn.WeightedCrossEntropyLoss([1, 2, 3])}, EXTREME, EXTREME_LABELS)
    )
    example = nn.WeightedCrossEntropyLoss([1, 3])(Tensor(np.zeros((2, 2))), np.array([0, 1]))
    values["worked example"] = example.data
    return values


def focal_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """FocalLoss on drawn logits (see _logits): γ = 0 without α for every reduction; a drawn γ
    without α, with a drawn α and with drawn per-class α; values and gradients; at the logits
    ±1e4 for γ = 2, and for γ = 0.5 with α [0.2, 0.3, 0.5]."""
    logits, labels = _logits(rng)
    gamma, alpha = float(rng.uniform(0.3, 3)), float(rng.uniform(0.1, 0.9))
    losses = {f"gamma 0 {r}": nn.FocalLoss(0.0, None, r) for r in REDUCTIONS}
    per_class = rng.uniform(0.1, 0.9, 4).tolist()
    for title, a in [("no alpha", None), ("alpha", alpha), ("per-class alpha", per_class)]:
        losses.update({f"{title} {r}": nn.FocalLoss(gamma, a, r) for r in REDUCTIONS})
    values = _values(losses, logits, labels)
    extreme = {"±1e4 gamma 2": nn.FocalLoss(2.0), "±1e4 alpha": nn.FocalLoss(0.5, [0.2, 0.3, 0.5])}
    values.update(_values(extreme, EXTREME, EXTREME_LABELS))
    return values


def binary_focal_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """BinaryFocalLoss on drawn logits N(0, 3²) (8,) against drawn 0/1 targets, for γ = 0 and a
    drawn γ, each without α and with a drawn α, for every reduction: values and gradients; at
    the logits [1e4, -1e4, 1e4, -1e4] against [1, 0, 0, 1], for γ 2 with α 0.25, γ 0.5
    without α and γ 0 with α 0.75."""
    logits = rng.normal(0, 3, 8).astype(np.float32)
    targets = (rng.uniform(size=8) < 0.5).astype(np.float32)
    gamma, alpha = float(rng.uniform(0.3, 3)), float(rng.uniform(0.1, 0.9))
    losses = {
        f"{g_title}, {a_title}, {r}": nn.BinaryFocalLoss(g, a, r)
        for g_title, g in [("gamma 0", 0.0), ("drawn gamma", gamma)]
        for a_title, a in [("no alpha", None), ("drawn alpha", alpha)]
        for r in REDUCTIONS
    }
    values = _values(losses, logits, targets)
    extreme = {
        f"±1e4 {g} {a}": nn.BinaryFocalLoss(g, a, "none")
        for g, a in [(2.0, 0.25), (0.5, None), (0.0, 0.75)]
    }
    values.update(
        _values(
            extreme, np.array([1e4, -1e4, 1e4, -1e4], np.float32), np.array([1.0, 0.0, 0.0, 1.0])
        )
    )
    return values


SMALL_CASES = [
    (np.repeat([0, 1, 2], [90, 5, 5]), np.zeros(100, np.int64), 3),  # always the majority
    (np.array([0, 0, 1, 1]), np.array([0, 0, 1, 2]), 4),  # classes without true samples
]


def _metric(name: str):
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        """analysis.<name> of 200 drawn true labels and predictions (60% right, the last class
        never predicted) for 2 and for 5 classes, and of the suite's small cases."""
        cases = [(*predictions(_seed(rng), c), c) for c in (2, 5)] + SMALL_CASES
        values = {}
        for i, case in enumerate(cases):
            result = getattr(analysis, name)(*case)
            for key, value in result.items() if isinstance(result, dict) else [("", result)]:
                values[f"case {i} {key}".strip()] = np.asarray(value, float)
        return values

    return compute


LOSS_ERRORS = "test_multiclass_losses_reject_labels_out_of_range"
PROBES = [
    Probe("make_imbalanced", r"::test_make_imbalanced_", make_imbalanced),
    Probe("imbalanced_split", r"::test_imbalanced_split_", imbalanced_split),
    Probe(
        "sample_weights",
        test_named("test_sample_weights_are_one_over_the_count_of_the_class")
        + r"|test_frequency_weights_reject_labels_out_of_range\[sample_weights\]",
        sample_weights,
    ),
    Probe(
        "class_weights",
        r"::test_class_weights_(equal|reject)"
        + r"|test_frequency_weights_reject_labels_out_of_range\[class_weights\]",
        class_weights,
    ),
    Probe(
        "WeightedRandomSampler",
        r"::test_the_sampler_|::test_the_dataloader_accepts_the_sampler",
        weighted_random_sampler,
    ),
    Probe(
        "WeightedCrossEntropyLoss",
        r"::test_weighted_cross_entropy_|::test_class_weights_scale_|::test_equal_class_weights_"
        + rf"|{LOSS_ERRORS}\[WeightedCrossEntropyLoss|stay_finite_at_logits_of_1e4\[weighted-ce\]",
        weighted_cross_entropy_loss,
    ),
    Probe(
        "FocalLoss",
        r"::test_focal_loss_|-FocalLoss\]|stay_finite_at_logits_of_1e4\[focal-"
        + rf"|{LOSS_ERRORS}\[FocalLoss",
        focal_loss,
    ),
    Probe(
        "BinaryFocalLoss",
        r"::test_binary_focal_loss_|-BinaryFocalLoss\]",
        binary_focal_loss,
    ),
    *(
        Probe(name, rf"::test_{tests}_|{name}\]", _metric(name))
        for name, tests in [
            ("confusion_matrix", "confusion_matrix"),
            ("per_class_metrics", "per_class_metrics"),
            ("balanced_accuracy", "balanced_accuracy"),
            ("macro_f1", "balanced_accuracy_and_macro_f1"),
        ]
    ),
]
