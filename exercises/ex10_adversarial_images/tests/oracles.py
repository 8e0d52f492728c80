"""float64 NumPy oracles for the ex10 suite: the input gradient of an MLPClassifier's summed
cross-entropy, written out by hand from the model's own parameters, and FGSM and iterative FGSM
as their formulas."""

from __future__ import annotations

import numpy as np

from exercises.ex06_binary_mlp_and_trainer.tests.classifiers import linear_layers
from exercises.ex07_multiclass.tests.oracles import numpy_softmax, one_hot

DEFAULT_STEP_SIZE_FACTOR = 2.5  # the README's default step: 2.5 ε / steps


def numpy_input_gradient(model, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """d/dx Σ_i cross-entropy(logits_i, labels_i): (N, D), for an MLPClassifier (Linear layers
    with ReLU between them). Backward by the chain rule: dL/dlogits = softmax − one-hot, then
    through each Linear (· W) and each ReLU (· [pre-activation > 0])."""
    weights = [
        (layer.weight.data.astype(np.float64), layer.bias.data.astype(np.float64))
        for layer in linear_layers(model)
    ]
    activation = np.asarray(x, np.float64)
    pre_activations = []
    for weight, bias in weights[:-1]:
        pre_activations.append(activation @ weight.T + bias)
        activation = np.maximum(pre_activations[-1], 0)
    last_weight, last_bias = weights[-1]
    logits = activation @ last_weight.T + last_bias
    grad = (numpy_softmax(logits, axis=1) - one_hot(labels, logits.shape[1])) @ last_weight
    for (weight, _), pre_activation in zip(reversed(weights[:-1]), reversed(pre_activations)):
        grad = (grad * (pre_activation > 0)) @ weight
    return grad


def numpy_sign_step(model, x, labels, size: float, targeted: bool) -> np.ndarray:
    """x + size · sign(g) (untargeted) or x − size · sign(g) (targeted), not clipped."""
    direction = -1.0 if targeted else 1.0
    return x + direction * size * np.sign(numpy_input_gradient(model, x, labels))


def numpy_fgsm(model, x, labels, epsilon: float, targeted: bool) -> np.ndarray:
    return np.clip(numpy_sign_step(model, x, labels, epsilon, targeted), 0, 1)


def numpy_iterative_fgsm(
    model, x, labels, epsilon: float, steps: int, step_size: float | None, targeted: bool
) -> np.ndarray:
    if step_size is None:
        step_size = DEFAULT_STEP_SIZE_FACTOR * epsilon / steps
    original = np.asarray(x, np.float64)
    adversarial = original
    for _ in range(steps):
        stepped = numpy_sign_step(model, adversarial, labels, step_size, targeted)
        adversarial = np.clip(np.clip(stepped, original - epsilon, original + epsilon), 0, 1)
    return adversarial
