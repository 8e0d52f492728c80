"""Training runs for the studies, on the library's public API: ``core.models``,
``core.training.Trainer``, ``core.optim.Adam`` and ``core.data.DataLoader``, seeded."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core import Tensor, data, models, nn, no_grad, optim, training
from core import random as gradkit_random

EVAL_BATCH = 1024


def classifier(
    x: np.ndarray,
    y: np.ndarray,
    hidden_sizes: Sequence[int],
    *,
    classes: int,
    epochs: int,
    seed: int = 0,
    lr: float = 3e-3,
    batch_size: int = 64,
) -> models.MLPClassifier:
    """An ``MLPClassifier(D, hidden_sizes, classes)`` trained with cross-entropy and Adam on
    ``x`` (N, D) float32 and ``y`` (N,) int64; ``hidden_sizes=()`` is a linear model."""
    gradkit_random.manual_seed(seed)
    model = models.MLPClassifier(x.shape[1], list(hidden_sizes), classes)
    _fit(model, nn.CrossEntropyLoss(), x, y, epochs=epochs, seed=seed, lr=lr, batch=batch_size)
    return model


def binary_classifier(
    x: np.ndarray,
    y: np.ndarray,
    hidden_sizes: Sequence[int],
    *,
    activation: str = "relu",
    epochs: int,
    seed: int = 0,
    lr: float = 0.02,
    batch_size: int = 64,
) -> models.BinaryMLPClassifier:
    """A ``BinaryMLPClassifier`` trained with BCE on logits and Adam on 2-D points."""
    gradkit_random.manual_seed(seed)
    model = models.BinaryMLPClassifier(x.shape[1], list(hidden_sizes), activation)
    _fit(model, nn.BCEWithLogitsLoss(), x, y, epochs=epochs, seed=seed, lr=lr, batch=batch_size)
    return model


def _fit(model, loss, x, y, *, epochs: int, seed: int, lr: float, batch: int) -> None:
    trainer = training.Trainer(model, loss, optim.Adam(model.parameters(), lr=lr))
    targets = y.astype(np.float32) if isinstance(loss, nn.BCEWithLogitsLoss) else y
    loader = data.DataLoader(
        data.ArrayDataset(x, targets), batch_size=batch, shuffle=True, seed=seed
    )
    trainer.fit(loader, epochs)


def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class indices for the rows of ``x``, in batches, without a graph."""
    with no_grad():
        model.eval()
        parts = [model.predict(Tensor(x[i : i + EVAL_BATCH])) for i in range(0, len(x), EVAL_BATCH)]
        model.train()
    return np.concatenate(parts)


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    """The share of rows of ``x`` whose predicted class is ``y``."""
    return float(np.mean(predict(model, x) == y))
