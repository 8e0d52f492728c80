"""Known ex07 mistakes: softmax, cross-entropy and the digits split, right on tame inputs."""

from __future__ import annotations

import numpy as np

from core import functional as F
from core import no_grad
from reference_solutions import ex07_multiclass as reference
from reference_solutions.mistakes import mistake


@mistake("functions", "softmax", "does not subtract the max: e^x overflows to inf, then NaN")
def softmax_without_the_max(x, axis=-1):
    e = reference._as_tensor(x).exp()
    return e / e.sum(axis=axis, keepdims=True)


@mistake("functions", "log_softmax", "computes log(softmax(x)): a probability of 0 gives -inf")
def log_softmax_as_log_of_softmax(x, axis=-1):
    return reference.softmax(x, axis=axis).log()


@mistake("gradients", "cross_entropy", "for reduction 'mean' the backward forgets to divide by B")
def cross_entropy_backward_without_batch_mean(ctx, grad):
    logits, target = ctx.inputs
    reduction = ctx.params.get("reduction", "mean")
    scale = grad[:, None] if reduction == "none" else grad
    return (np.exp(reference._log_probabilities(logits)) - target) * scale, None


@mistake("gradients", "cross_entropy", "the backward's softmax is e^x / sum e^x, without the max")
def cross_entropy_backward_with_unstable_softmax(ctx, grad):
    logits, target = ctx.inputs
    scale = reference._per_sample_scale(grad, ctx.params.get("reduction", "mean"), len(logits))
    e = np.exp(logits)
    return (e / e.sum(axis=1, keepdims=True) - target) * scale, None


@mistake("models", "MLPClassifier", "predict_proba takes the softmax over axis 0, the batch")
class SoftmaxOverTheBatch(reference.MLPClassifier):
    def predict_proba(self, x):
        with no_grad():
            return F.softmax(self(reference._as_tensor(x)), axis=0).data


@mistake("datasets", "digits-split", "splits without stratify=labels, so class shares drift")
def digits_split_not_stratified(test_fraction=0.25, seed=0):
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise ValueError(f"load_digits_split: test_fraction must be in (0, 1); got {test_fraction}")
    images, labels = reference.gk_data.load_dataset("digits")
    x = (reference.gk_data.Flatten()(images) / 16).astype(np.float32)
    y = reference.gk_data.OneHot(10)(labels)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)
