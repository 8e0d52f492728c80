"""Training: the ``History`` of a run and the ``Callback`` hooks a training loop calls (given),
plus ``training.Trainer`` from the ``training`` registry (the trainer exercise).

A trainer's ``fit`` calls, for each callback::

    on_fit_start(trainer, epochs)
    for each epoch:  on_epoch_start(epoch, num_batches)
                     on_batch_end(batch_index, batch_size, loss)   # after every train step
                     on_epoch_end(epoch, metrics)                  # metrics: dict of floats
    on_fit_end(history)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.plugin_manager import lookup


@dataclass
class History:
    """Per-epoch metrics of a training run: ``history["val_accuracy"]`` is one float per epoch."""

    epochs: list[dict[str, float]] = field(default_factory=list)

    def append(self, metrics: dict[str, float]) -> None:
        self.epochs.append({key: float(value) for key, value in metrics.items()})

    def __getitem__(self, key: str) -> list[float]:
        missing = [i for i, epoch in enumerate(self.epochs) if key not in epoch]
        if missing:
            known = sorted({k for epoch in self.epochs for k in epoch})
            raise KeyError(f"History has no metric {key!r} in epochs {missing}; known: {known}")
        return [epoch[key] for epoch in self.epochs]

    def __len__(self) -> int:
        return len(self.epochs)

    def last(self) -> dict[str, float]:
        """The final epoch's metrics."""
        if not self.epochs:
            raise IndexError("History is empty: no epoch has finished")
        return self.epochs[-1]


class Callback:
    """Base class for training hooks; override what you need (all default to doing nothing)."""

    def on_fit_start(self, trainer: Any, epochs: int) -> None:
        pass

    def on_epoch_start(self, epoch: int, num_batches: int) -> None:
        pass

    def on_batch_end(self, batch_index: int, batch_size: int, loss: float) -> None:
        pass

    def on_epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        pass

    def on_fit_end(self, history: History) -> None:
        pass


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "training")
