"""Exercise 15 — imbalanced data: make a data set lopsided on purpose, then fight back with
oversampling, class weights and focal loss, and measure with metrics that see every class.

What you write, and how it reaches the library:

- ``make_imbalanced`` and ``imbalanced_split`` (``analysis.make_imbalanced``,
  ``analysis.imbalanced_split``): keep every sample of the majority classes and a seeded share
  of each minority class; the split helper splits first and imbalances only the training part.
- ``sample_weights`` and ``class_weights`` (``analysis.sample_weights``,
  ``analysis.class_weights``): weights from class frequencies, one per sample (for the sampler)
  and one per class (for the loss).
- ``WeightedRandomSampler`` (``data.WeightedRandomSampler``): PyTorch's sampler. Give it to
  ``data.DataLoader(dataset, batch_size, sampler=sampler)``; every epoch it draws anew.
- ``WeightedCrossEntropyLoss``, ``FocalLoss`` and ``BinaryFocalLoss`` (``nn.<Name>``): losses
  composed from ``F.log_softmax`` and tensor ops, so autograd gives their gradients — no new op.
- ``confusion_matrix``, ``per_class_metrics``, ``balanced_accuracy`` and ``macro_f1``
  (``analysis.<name>``): NumPy metrics, equal to scikit-learn's.

Rules (the tests check them):

- Stable: finite losses and gradients at logits of ±1e4, no RuntimeWarning (warnings are
  errors in the tests). Never take ``log`` of a probability; use ``F.log_softmax`` or a
  log-sigmoid built so its exponent is never positive.
- Weights go where PyTorch puts them: per-sample weights to the sampler, per-class weights to
  the loss; "mean" of the weighted loss divides by Σ w_{y_i}, not by B.
- The split happens before any resampling: a test sample never also sits in the training set.
- Bad arguments raise ``ValueError`` naming the function (or class), the value got and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex15``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl
from core import functional as F  # noqa: F401 - F.log_softmax, F.maximum, F.minimum
from core import random as gk_random  # noqa: F401 - the shared generator, for seed=None
from exercises.stub import todo

REDUCTIONS = ("mean", "sum", "none")

# ----- making data imbalanced ---------------------------------------------------------------


def make_imbalanced(
    x: np.ndarray, y: np.ndarray, ratio: float, minority_classes: Sequence[int], seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Keep every sample of the other classes and a seeded ``ratio`` share of each minority class.

    For each class c in ``minority_classes``, with n_c its samples: keep
    k_c = round(ratio · n_c) of them, chosen without replacement by
    ``np.random.default_rng(seed)`` (one generator for all minority classes, drawn in the
    order given). Every sample of every other class stays. The kept rows keep their original
    order (use a boolean mask over the rows, not a concatenation).

    For a binary toy set, ``minority_classes=[1]`` gives the rare positive class and the larger
    negative class the course asks for.

    Args:
        x: (N, ...) the samples (any dtype; only rows are selected).
        y: (N,) int class labels.
        ratio: the share of each minority class kept, in (0, 1]; 1 keeps everything.
        minority_classes: the classes to thin out (at least one).
        seed: fixes which samples are kept.

    Returns:
        (x_kept (M, ...), y_kept (M,) int64), rows in their original order.

    Raises:
        ValueError: ratio ≤ 0 or > 1 (name make_imbalanced and the ratio); no minority class;
            x and y of different lengths; labels that are not integers; a ratio that keeps no
            sample of a class, k_c = 0 (name the class and the smallest ratio that works).

    Example:
        x = np.arange(20)[:, None]; y = np.repeat([0, 1], 10)
        make_imbalanced(x, y, 0.2, [1])   # all ten 0s and two of the 1s: y = [0]*10 + [1, 1]
    """
    raise todo()


def imbalanced_split(
    x: np.ndarray,
    y: np.ndarray,
    ratio: float,
    minority_classes: Sequence[int],
    test_fraction: float = 0.25,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Split first, then make only the training part imbalanced: ((x_tr, y_tr), (x_te, y_te)).

    1. ``sklearn.model_selection.train_test_split(x, y, test_size=test_fraction,
       random_state=seed, stratify=y)`` (import it inside the function).
    2. ``make_imbalanced`` on the training part, with the same ratio, classes and seed.
    3. The test part is returned as split: every class at its natural share, so each class's
       recall is measured on all its test samples. No sample is copied anywhere.

    Splitting first is the point: oversample (or duplicate) before the split and copies of the
    same minority sample land on both sides; the test then grades memorisation.

    Args:
        x: (N, ...) samples; y: (N,) int labels.
        ratio, minority_classes: as for ``make_imbalanced``.
        test_fraction: the share of samples in the test part, in (0, 1).
        seed: fixes the split and the thinning.

    Returns:
        ((x_train, y_train), (x_test, y_test)); y as int64.

    Raises:
        ValueError: test_fraction outside (0, 1) (name imbalanced_split and the value), and
            every error of ``make_imbalanced``.

    Example:
        (xtr, ytr), (xte, yte) = imbalanced_split(x, y, 0.1, [1], test_fraction=0.5)
        # yte has as many 1s as 0s; ytr has about a tenth as many 1s as 0s
    """
    raise todo()


# ----- weights from class frequencies -------------------------------------------------------


def sample_weights(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """One weight per sample, 1 / (count of the sample's class): for ``WeightedRandomSampler``.

    w_i = 1 / n_{y_i} with n_c = the number of labels equal to c (``np.bincount``). The weights
    of each class sum to 1, so a sampler drawing with them picks every class equally often.

    Args:
        labels: (N,) int class labels in [0, num_classes).
        num_classes: C, a positive int.

    Returns:
        (N,) float64.

    Raises:
        ValueError: labels not 1-D integers, a label outside [0, C) (name sample_weights, the
            label and C), or a bad num_classes.

    Example:
        sample_weights(np.array([0, 0, 0, 1]), 2) = [1/3, 1/3, 1/3, 1.]
    """
    raise todo()


def class_weights(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """One weight per class, N / (C · n_c): scikit-learn's ``"balanced"``, for the loss.

    A rare class gets a large weight and the weights average to 1 over the samples
    (Σ_i w_{y_i} = N), so the loss keeps its usual scale.

    Args:
        labels: (N,) int class labels in [0, num_classes).
        num_classes: C, a positive int.

    Returns:
        (C,) float32.

    Raises:
        ValueError: as for ``sample_weights`` (name class_weights), and a class with no sample
            (its weight would be infinite; name the class).

    Example:
        class_weights(np.array([0, 0, 0, 1]), 2) = [4 / (2·3), 4 / (2·1)] = [0.666667, 2.]
    """
    raise todo()


# ----- the sampler --------------------------------------------------------------------------


class WeightedRandomSampler:
    """Sample indices drawn with probability proportional to per-sample weights, PyTorch-style.

    ``data.DataLoader(dataset, batch_size=64, sampler=WeightedRandomSampler(w, len(w)))``:
    each epoch the loader iterates the sampler, which draws ``num_samples`` indices i with
    P(i) = w_i / Σ_j w_j — with replacement by default, so a rare sample can come several
    times. The weights are **per sample** (length N, e.g. ``sample_weights(labels, C)``), not
    per class.

    Args:
        weights: (N,) finite, non-negative, with a positive sum.
        num_samples: how many indices one iteration yields (a positive int); ``len(sampler)``.
        replacement: draw with replacement (True) or without (False; then num_samples may not
            exceed the number of positive weights).
        seed: seeds the sampler's own generator, ``np.random.default_rng(seed)``, made once in
            ``__init__``; None uses ``gk_random.generator()``, the shared one.

    Raises:
        ValueError: weights not 1-D, empty, negative, not finite or summing to 0 (name
            WeightedRandomSampler and the value); num_samples not a positive int; without
            replacement, more samples than positive weights.

    Example:
        sampler = WeightedRandomSampler([1., 1., 2.], num_samples=4, seed=0)
        len(sampler)     # 4
        list(sampler)    # e.g. [2, 0, 2, 1]; index 2 half of the time on average
        list(sampler)    # another draw: each iteration is new
    """

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        seed: int | None = None,
    ) -> None:
        """Check the arguments; keep the weights (float64), num_samples, replacement and a
        generator."""
        raise todo()

    def __len__(self) -> int:
        """num_samples: the number of indices one iteration yields."""
        raise todo()

    def __iter__(self) -> Iterator[int]:
        """A fresh draw of num_samples indices: ``rng.choice(N, size, replace, p=w / Σ w)``,
        as an iterator of Python ints. Draw from the generator kept in ``__init__``, so two
        iterations (two epochs) differ."""
        raise todo()


# ----- losses -------------------------------------------------------------------------------


class WeightedCrossEntropyLoss(Module):
    """Cross-entropy in which each class counts w_c times: PyTorch's ``CrossEntropyLoss(weight)``.

    For logits z (B, C) and labels y (B,)::

        loss_i = −w_{y_i} · log softmax(z_i)_{y_i}
        "mean": Σ_i loss_i / Σ_i w_{y_i}     (a weighted mean: NOT divided by B)
        "sum":  Σ_i loss_i                   "none": (loss_i), shape (B,)

    Build it from ``F.log_softmax`` and tensor ops (pick each row's entry with a float one-hot
    mask in the logits' dtype, multiply by the sample weights as a constant Tensor); autograd
    then gives dL/dz_i = w_{y_i} / Σ_j w_{y_j} · (softmax(z_i) − onehot(y_i)) for "mean".
    With all weights equal it is exactly ``nn.CrossEntropyLoss``.

    Args:
        weight: (C,) one finite, non-negative weight per class, positive sum
            (e.g. ``class_weights(labels, C)``).
        reduction: "mean" (default), "sum" or "none".

    Raises:
        ValueError: in ``__init__``, a weight vector not 1-D, negative, not finite or summing
            to 0, or another reduction; in ``forward``, logits not (B, C), labels not (B,)
            integers in [0, C), or a weight vector whose length is not C (name
            WeightedCrossEntropyLoss, both lengths and the fix).

    Example:
        loss = WeightedCrossEntropyLoss([1., 3.])
        loss(Tensor([[0., 0.], [0., 0.]]), np.array([0, 1]))
        # losses [log 2, 3 log 2], mean (1 + 3) log 2 / (1 + 3) = log 2 = 0.693147
    """

    def __init__(self, weight: Sequence[float], reduction: str = "mean") -> None:
        """Call super().__init__(); check and keep self.weight (float32 (C,)) and
        self.reduction."""
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The weighted cross-entropy of logits (B, C) with int labels (B,), then the
        reduction."""
        raise todo()


class FocalLoss(Module):
    """Multiclass focal loss: cross-entropy that fades out for samples already classified well.

    With p_t = softmax(z_i)_{y_i} and log p_t from ``F.log_softmax``::

        loss_i = −α_t · (1 − p_t)^γ · log p_t
        "mean": mean over B   "sum": Σ_i   "none": (B,)

    α_t is 1 for ``alpha=None``, the number α for a scalar (it scales every class alike), or
    α[y_i] for a per-class vector. γ = 0 and α = None give exactly ``nn.CrossEntropyLoss``; for
    γ = 0 leave the factor out altogether (0 · log 0 would be NaN). For γ > 0 take the power of
    ``F.maximum(1 − p_t, 1e-30)``: float32 rounds p_t to 1 at a large margin, and the power's
    gradient at 0 would be infinite for γ < 1.

    Args:
        gamma: γ ≥ 0, finite (2 is the usual choice).
        alpha: None, a number in [0, 1], or one number in [0, 1] per class (C,).
        reduction: "mean" (default), "sum" or "none".

    Raises:
        ValueError: γ < 0 or not finite; α outside [0, 1]; another reduction (in
            ``__init__``, naming FocalLoss and the value); in ``forward`` bad logits or labels,
            and a per-class α whose length is not C.

    Example:
        FocalLoss(gamma=2.0)(Tensor([[0., 0.]]), np.array([0]))
        # p_t = 0.5: −(0.5)² · log 0.5 = 0.173287
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float | Sequence[float] | None = None,
        reduction: str = "mean",
    ) -> None:
        """Call super().__init__(); check and keep self.gamma (float), self.alpha (None or a
        float32 array, 0-d or (C,)) and self.reduction."""
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The focal loss of logits (B, C) with int labels (B,), then the reduction."""
        raise todo()


class BinaryFocalLoss(Module):
    """Binary focal loss on logits, for a one-logit classifier (``BinaryMLPClassifier``).

    For logits z (B,) and targets y (B,) in {0, 1}, let u = z for y = 1 and u = −z for y = 0,
    so p_t = sigmoid(u) and 1 − p_t = sigmoid(−u)::

        loss_i = −α_t · (1 − p_t)^γ · log p_t
               = −α_t · e^(γ · logsigmoid(−u)) · logsigmoid(u)
        α_t = α for y = 1, 1 − α for y = 0 (1 for alpha=None)

    ``logsigmoid(u) = min(u, 0) − log(1 + e^(−|u|))`` (``F.minimum``, ``F.maximum(u, -u)``):
    the exponent is never positive and the log's argument is at least 1, so at z = ±1e4 the
    loss and its gradient stay finite. Never ``log(sigmoid(z))``: sigmoid(−1e4) is 0.

    Note what α means: it weights the **positive** class. The popular α = 0.25 gives the
    positives *less* weight than the negatives, which hurts a rare positive class.

    Args:
        gamma: γ ≥ 0, finite.
        alpha: None or one number in [0, 1].
        reduction: "mean" (default), "sum" or "none".

    Raises:
        ValueError: γ < 0; α outside [0, 1] or not one number; another reduction; in
            ``forward`` logits and targets not both (B,), or a target other than 0 or 1.

    Example:
        BinaryFocalLoss(gamma=2.0, alpha=0.25)(Tensor([0., 0.]), np.array([1., 0.]))
        # p_t = 0.5 for both: losses [0.25, 0.75] · 0.25 · log 2, mean 0.086643
    """

    def __init__(
        self, gamma: float = 2.0, alpha: float | None = None, reduction: str = "mean"
    ) -> None:
        """Call super().__init__(); check and keep self.gamma, self.alpha (None or a 0-d
        float32 array) and self.reduction."""
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """The binary focal loss of logits (B,) with 0/1 targets (B,), then the reduction."""
        raise todo()


# ----- metrics ------------------------------------------------------------------------------


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """counts[t, p] = the number of samples of true class t predicted as class p.

    Rows are the true classes, columns the predictions (scikit-learn's convention); the
    diagonal holds the correct predictions. ``np.add.at(counts, (y_true, y_pred), 1)`` counts
    repeated pairs correctly (``counts[y_true, y_pred] += 1`` does not).

    Args:
        y_true, y_pred: (N,) int labels in [0, num_classes), the same length.
        num_classes: C, a positive int.

    Returns:
        (C, C) int64.

    Raises:
        ValueError: labels not 1-D integers, out of [0, C) (name confusion_matrix, the label
            and C), or of different lengths.

    Example:
        confusion_matrix(np.array([0, 0, 1]), np.array([0, 1, 1]), 2) = [[1, 1], [0, 1]]
    """
    raise todo()


def per_class_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int
) -> dict[str, np.ndarray]:
    """Precision, recall, F1 and support of every class, from the confusion matrix.

    With hits_c = counts[c, c], support_c = Σ_p counts[c, p] (row), predicted_c =
    Σ_t counts[t, c] (column)::

        precision_c = hits_c / predicted_c
        recall_c    = hits_c / support_c
        f1_c        = 2 hits_c / (support_c + predicted_c)   (= 2PR / (P + R))

    A 0/0 is 0, as scikit-learn's ``precision_recall_fscore_support(..., zero_division=0)``.

    Args:
        y_true, y_pred: (N,) int labels in [0, num_classes).
        num_classes: C.

    Returns:
        {"precision": (C,) float64, "recall": (C,) float64, "f1": (C,) float64,
        "support": (C,) int64}.

    Raises:
        ValueError: as for ``confusion_matrix`` (name per_class_metrics).

    Example:
        per_class_metrics(np.array([0, 0, 1]), np.array([0, 1, 1]), 2)
        # precision [1, 0.5], recall [0.5, 1], f1 [0.666667, 0.666667], support [2, 1]
    """
    raise todo()


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> float:
    """Mean per-class accuracy: the mean recall over the classes that occur in ``y_true``.

    Plain accuracy is dominated by the big classes: predicting "majority" for everything scores
    high. Balanced accuracy gives every class the same say; a constant prediction scores 1/C.
    Classes with no true sample are left out (their recall is undefined), as in
    ``sklearn.metrics.balanced_accuracy_score``.

    Args:
        y_true, y_pred: (N,) int labels in [0, num_classes); num_classes: C.

    Returns:
        A Python float in [0, 1].

    Raises:
        ValueError: as for ``confusion_matrix`` (name balanced_accuracy).

    Example:
        balanced_accuracy(np.array([0, 0, 0, 1]), np.array([0, 0, 0, 0]), 2) = (1 + 0) / 2 = 0.5
    """
    raise todo()


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> float:
    """The unweighted mean of the C per-class F1 scores (scikit-learn's ``average="macro"``,
    ``zero_division=0``, ``labels=range(C)``).

    Args:
        y_true, y_pred: (N,) int labels in [0, num_classes); num_classes: C.

    Returns:
        A Python float in [0, 1].

    Raises:
        ValueError: as for ``confusion_matrix`` (name macro_f1).

    Example:
        macro_f1(np.array([0, 0, 1]), np.array([0, 1, 1]), 2) = 0.666667
    """
    raise todo()


@hookimpl
def gradkit_register_data(register: Callable[..., None]) -> None:
    register("WeightedRandomSampler", WeightedRandomSampler)


@hookimpl
def gradkit_register_losses(register: Callable[..., None]) -> None:
    register("WeightedCrossEntropyLoss", WeightedCrossEntropyLoss)
    register("FocalLoss", FocalLoss)
    register("BinaryFocalLoss", BinaryFocalLoss)


@hookimpl
def gradkit_register_analysis(register: Callable[..., None]) -> None:
    register("make_imbalanced", make_imbalanced)
    register("imbalanced_split", imbalanced_split)
    register("sample_weights", sample_weights)
    register("class_weights", class_weights)
    register("confusion_matrix", confusion_matrix)
    register("per_class_metrics", per_class_metrics)
    register("balanced_accuracy", balanced_accuracy)
    register("macro_f1", macro_f1)
