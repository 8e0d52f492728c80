"""Known ex15 mistakes: weighted and focal losses, the sampler and the split, each right on
some inputs and wrong where the suite looks."""

from __future__ import annotations

import numpy as np

from core import Tensor
from core import functional as F
from reference_solutions import ex15_imbalanced_data as reference
from reference_solutions.mistakes import mistake


@mistake("losses", "WeightedCrossEntropyLoss", "'mean' divides by the batch size B, not by Σ w")
class WeightedMeanOverTheBatch(reference.WeightedCrossEntropyLoss):
    def forward(self, logits, target):
        logits, labels = reference._logits_and_labels("WeightedCrossEntropyLoss", logits, target)
        w = Tensor(self.weight[labels].astype(logits.dtype))
        losses = -reference._picked_log_probabilities(logits, labels) * w
        return reference._reduce(losses, self.reduction)


@mistake("losses", "FocalLoss", "weighs each sample by p_t^γ instead of (1 - p_t)^γ")
class FocalWithTheWrongFactor(reference.FocalLoss):
    def forward(self, logits, target):
        logits, labels = reference._logits_and_labels("FocalLoss", logits, target)
        log_p = reference._picked_log_probabilities(logits, labels)
        losses = -log_p * (log_p * self.gamma).exp()
        if self.alpha is not None:
            alpha = self.alpha[labels] if self.alpha.ndim == 1 else np.full(len(labels), self.alpha)
            losses = losses * Tensor(alpha.astype(logits.dtype))
        return reference._reduce(losses, self.reduction)


class _BinaryFocal(reference.BinaryFocalLoss):
    """The reference's forward with a replaceable log p_t and α_t."""

    def log_p(self, margin):
        return reference._log_sigmoid(margin)

    def alpha_t(self, y):
        return np.where(y == 1, self.alpha, 1 - self.alpha)

    def forward(self, logits, target):
        y = np.asarray(getattr(target, "data", target))
        margin = reference._as_tensor(logits) * Tensor((2 * y - 1).astype(np.float32))
        losses = -self.log_p(margin)
        if self.gamma > 0:
            losses = losses * (1.0 - self.log_p(margin).exp()) ** self.gamma
        if self.alpha is not None:
            losses = losses * Tensor(self.alpha_t(y).astype(np.float32))
        return reference._reduce(losses, self.reduction)


@mistake("losses", "BinaryFocalLoss", "takes log(sigmoid(u)): at a logit of -1e4 it is log(0)")
class BinaryFocalWithLogOfSigmoid(_BinaryFocal):
    def log_p(self, margin):
        return F.sigmoid(margin).log()


@mistake("losses", "BinaryFocalLoss", "α weighs the negative class and 1 - α the positive one")
class BinaryFocalWithSwappedAlpha(_BinaryFocal):
    def alpha_t(self, y):
        return np.where(y == 1, 1 - self.alpha, self.alpha)


@mistake("data", "WeightedRandomSampler", "draws once in __init__ and replays it every epoch")
class SamplerThatNeverRedraws(reference.WeightedRandomSampler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._drawn = list(super().__iter__())

    def __iter__(self):
        return iter(self._drawn)


@mistake("analysis", "imbalanced_split", "thins the whole set first, then splits it")
def imbalance_then_split(x, y, ratio, minority_classes, test_fraction=0.25, seed=0):
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise ValueError(f"imbalanced_split: test_fraction must be in (0, 1); got {test_fraction}")
    x, y = reference.make_imbalanced(x, y, ratio, minority_classes, seed)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    return (x_train, y_train), (x_test, y_test)


@mistake("analysis", "sample_weights", "gives the per-class weights 1 / n_c, one per class")
def per_class_weights_for_the_sampler(labels, num_classes):
    labels, counts = reference._counts("sample_weights", labels, num_classes)
    return 1.0 / counts
