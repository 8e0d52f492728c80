"""Reference solution of ex06 (binary MLP & trainer): an MLP binary classifier, the accuracy
count, and a ``Trainer`` that trains, validates (true per-sample mean loss) and fits with
callbacks and a per-epoch ``History``."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad
from core.training import Callback, History

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def _array(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _activation_class(name: str) -> type[Module]:
    if name not in ACTIVATIONS:
        raise ValueError(
            f"BinaryMLPClassifier: unknown activation {name!r}; use one of {', '.join(ACTIVATIONS)}"
        )
    return {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[name]


class BinaryMLPClassifier(Module):
    """Linear -> activation for each hidden size, then Linear(last, 1); logits (B,)."""

    def __init__(
        self, in_features: int, hidden_sizes: Sequence[int], activation: str = "relu"
    ) -> None:
        super().__init__()
        sizes = [in_features, *hidden_sizes]
        if any(not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
            raise ValueError(
                f"BinaryMLPClassifier: in_features and hidden_sizes must be positive integers; "
                f"got in_features={in_features!r}, hidden_sizes={list(hidden_sizes)!r}"
            )
        activation_class = _activation_class(activation)
        layers: list[Module] = []
        for n_in, n_out in pairwise(sizes):
            layers += [nn.Linear(n_in, n_out), activation_class()]
        layers.append(nn.Linear(sizes[-1], 1))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """(B, in_features) -> logits (B,)."""
        out = self.layers(x)
        return out.reshape(out.shape[:-1])

    def predict_proba(self, x: Any) -> np.ndarray:
        """P(class 1) = sigmoid(logit), float32 (B,), without a graph."""
        with no_grad():
            return self(_as_tensor(x)).sigmoid().data

    def predict(self, x: Any) -> np.ndarray:
        """1 where logit > 0, else 0; int64 (B,)."""
        with no_grad():
            return (self(_as_tensor(x)).data > 0).astype(np.int64)


def count_correct(outputs: Any, targets: Any) -> int:
    """Binary: (logit > 0) == label; multiclass: argmax(logits) == label or argmax(one-hot)."""
    outputs, targets = _array(outputs), _array(targets)
    if outputs.ndim == 1 and targets.shape == outputs.shape:
        return int(np.count_nonzero((outputs > 0) == (targets > 0.5)))
    if outputs.ndim == 2 and targets.shape == outputs.shape:
        return int(np.count_nonzero(outputs.argmax(axis=1) == targets.argmax(axis=1)))
    if outputs.ndim == 2 and targets.shape == outputs.shape[:1]:
        return int(np.count_nonzero(outputs.argmax(axis=1) == targets))
    raise ValueError(
        f"count_correct: outputs {outputs.shape} and targets {targets.shape} do not fit; "
        "use logits (B,) with labels (B,), or logits (B, C) with labels (B,) or one-hot (B, C)"
    )


class Trainer:
    """Trains ``model`` on ``loss_fn`` with ``optimizer``; batches are (x, y) pairs."""

    def __init__(self, model: Module, loss_fn: Module, optimizer: Any) -> None:
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer

    def _train_batch(self, x: Any, y: Any) -> tuple[float, np.ndarray]:
        self.optimizer.zero_grad()
        outputs = self.model(_as_tensor(x))
        loss = self.loss_fn(outputs, y)
        loss.backward()
        self.optimizer.step()
        return loss.item(), outputs.data

    def train_step(self, x: Tensor, y: Tensor) -> float:
        """zero_grad, forward, loss, backward, step; the batch's loss before the step."""
        return self._train_batch(x, y)[0]

    def validate(self, loader: Iterable) -> dict[str, float]:
        """Mean loss per sample (batch means weighted by batch size) and accuracy, no graph."""
        was_training = self.model.training
        self.model.eval()
        total_loss, correct, count = 0.0, 0, 0
        with no_grad():
            for x, y in loader:
                outputs = self.model(_as_tensor(x))
                size = len(outputs.data)
                total_loss += self.loss_fn(outputs, y).item() * size
                correct += count_correct(outputs, y)
                count += size
        self.model.train(was_training)
        if count == 0:
            raise ValueError("Trainer.validate: the loader gave no batch; it needs samples")
        return {"loss": total_loss / count, "accuracy": correct / count}

    def fit(
        self,
        train_loader: Iterable,
        epochs: int,
        val_loader: Iterable | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> History:
        """Train ``epochs`` epochs; running train metrics, val metrics, seconds per epoch."""
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"Trainer.fit: epochs must be a positive integer; got {epochs!r}")
        callbacks = list(callbacks)
        history = History()
        for callback in callbacks:
            callback.on_fit_start(self, epochs)
        for epoch in range(epochs):
            started = time.perf_counter()
            self.model.train()
            for callback in callbacks:
                callback.on_epoch_start(epoch, len(train_loader))
            total_loss, correct, count = 0.0, 0, 0
            for batch_index, (x, y) in enumerate(train_loader):
                loss, outputs = self._train_batch(x, y)
                size = len(outputs)
                total_loss += loss * size
                correct += count_correct(outputs, y)
                count += size
                for callback in callbacks:
                    callback.on_batch_end(batch_index, size, loss)
            if count == 0:
                raise ValueError("Trainer.fit: the training loader gave no batch")
            metrics = {"train_loss": total_loss / count, "train_accuracy": correct / count}
            if val_loader is not None:
                validation = self.validate(val_loader)
                metrics["val_loss"] = validation["loss"]
                metrics["val_accuracy"] = validation["accuracy"]
            metrics["seconds"] = time.perf_counter() - started
            history.append(metrics)
            for callback in callbacks:
                callback.on_epoch_end(epoch, dict(history.last()))
        for callback in callbacks:
            callback.on_fit_end(history)
        return history


@hookimpl
def gradkit_register_models(register):
    register("BinaryMLPClassifier", BinaryMLPClassifier)


@hookimpl
def gradkit_register_training(register):
    register("Trainer", Trainer)
    register("count_correct", count_correct)
