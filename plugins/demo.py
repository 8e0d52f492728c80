"""The quick demo: the reference engine fits a linear model by gradient descent.

Data: ``X: (256, 3)`` standard normal, ``y = X @ w_true + b_true + noise``. Model: ``X @ w + b``
with ``w: (3,)`` and ``b: ()`` parameters; loss: mean squared error; update:
``p <- p - lr * dL/dp``. The printed loss falls as the engine's gradients steer the fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import Parameter, Tensor, no_grad, use_implementation

TRUE_WEIGHTS = np.array([2.0, -3.0, 0.5])
TRUE_BIAS = 1.25


@dataclass(frozen=True)
class FitResult:
    losses: list[float]
    weights: np.ndarray
    bias: float


def fit_linear_model(
    steps: int = 100, lr: float = 0.1, seed: int = 0, report_every: int = 10
) -> FitResult:
    """Fit ``X @ w + b`` to noisy linear data with the reference ops; print the loss."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((256, 3)).astype(np.float32)
    targets = features @ TRUE_WEIGHTS + TRUE_BIAS + 0.1 * rng.standard_normal(256)
    x, y = Tensor(features), Tensor(targets.astype(np.float32))
    w, b = Parameter(np.zeros(3, np.float32)), Parameter(np.zeros((), np.float32))
    losses = []
    with use_implementation("reference"):
        for step in range(1, steps + 1):
            loss = ((x @ w + b - y) ** 2).mean()
            w.grad = b.grad = None
            loss.backward()
            with no_grad():
                for p in (w, b):
                    p.data -= lr * p.grad
            losses.append(loss.item())
            if step == 1 or step % report_every == 0:
                print(f"  step {step:4d}   loss {losses[-1]:.5f}")
    return FitResult(losses, w.data.copy(), float(b.data))


def run() -> int:
    print("gradkit demo: fitting y = X @ w + b by gradient descent with the reference engine")
    result = fit_linear_model()
    print(f"loss fell from {result.losses[0]:.3f} to {result.losses[-1]:.5f}")
    print(
        f"learned w = {np.round(result.weights, 3)}, b = {result.bias:.3f} "
        f"(true w = {TRUE_WEIGHTS}, b = {TRUE_BIAS})"
    )
    return 0 if result.losses[-1] < 0.1 * result.losses[0] else 1
