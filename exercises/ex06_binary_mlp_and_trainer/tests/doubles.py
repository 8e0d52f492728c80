"""Test doubles for the ex06 suite: a one-layer model whose loss and gradient are known in
closed form, an optimizer and a callback that record what the trainer does."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from core import Module, Parameter, Tensor, is_grad_enabled
from core.training import Callback, History


class Affine(Module):
    """logits = x @ w + b: (B, D) -> (B,); its gradients are known in closed form.

    Records, for every forward, whether autograd was on and whether the model was training.
    """

    def __init__(self, weights: np.ndarray, bias: float = 0.0) -> None:
        super().__init__()
        self.w = Parameter(np.asarray(weights, np.float32))
        self.b = Parameter(np.asarray(bias, np.float32))
        self.calls: list[dict[str, bool]] = []

    def forward(self, x: Tensor) -> Tensor:
        self.calls.append({"grad_enabled": is_grad_enabled(), "training": self.training})
        return x @ self.w + self.b

    def numpy_logits(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float64) @ self.w.data.astype(np.float64) + float(self.b.data)


class ClassScores(Module):
    """logits = x @ W: (B, D) -> (B, C), for multiclass accuracy."""

    def __init__(self, weights: np.ndarray) -> None:
        super().__init__()
        self.weight = Parameter(np.asarray(weights, np.float32))

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight


def mean_square_of_outputs(outputs: Tensor, targets: Any) -> Tensor:
    """A loss that ignores the targets (for tests about accuracy only)."""
    return (outputs * outputs).mean()


class RecordingOptimizer:
    """Plain gradient descent that logs its calls and the gradients it saw at each step."""

    def __init__(self, parameters, lr: float = 0.0) -> None:
        self.parameters = list(parameters)
        self.lr = lr
        self.events: list[str] = []
        self.seen_grads: list[list[np.ndarray | None]] = []

    def zero_grad(self) -> None:
        self.events.append("zero_grad")
        for parameter in self.parameters:
            parameter.grad = None

    def step(self) -> None:
        self.events.append("step")
        self.seen_grads.append([None if p.grad is None else p.grad.copy() for p in self.parameters])
        for parameter in self.parameters:
            if parameter.grad is not None:
                parameter.data = parameter.data - self.lr * parameter.grad


class RecordingCallback(Callback):
    """Appends ``(name, hook, arguments)`` to a shared log for every hook call."""

    def __init__(self, name: str, log: list) -> None:
        self.name = name
        self.log = log

    def on_fit_start(self, trainer: Any, epochs: int) -> None:
        self.log.append((self.name, "on_fit_start", (trainer, epochs)))

    def on_epoch_start(self, epoch: int, num_batches: int) -> None:
        self.log.append((self.name, "on_epoch_start", (epoch, num_batches)))

    def on_batch_end(self, batch_index: int, batch_size: int, loss: float) -> None:
        self.log.append((self.name, "on_batch_end", (batch_index, batch_size, loss)))

    def on_epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        self.log.append((self.name, "on_epoch_end", (epoch, dict(metrics))))

    def on_fit_end(self, history: History) -> None:
        self.log.append((self.name, "on_fit_end", (history,)))


def batches(x: np.ndarray, y: np.ndarray, sizes: list[int]) -> list[tuple[Tensor, Tensor]]:
    """A loader as a plain list of (x, y) Tensor pairs with the given batch sizes."""
    bounds = np.cumsum([0, *sizes])
    return [
        (Tensor(x[start:stop], dtype=x.dtype), Tensor(y[start:stop], dtype=y.dtype))
        for start, stop in itertools.pairwise(bounds)
    ]
