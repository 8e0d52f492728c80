"""``ProgressBar``: a live bar per epoch and a one-line summary after it, for any trainer.

The bar (on stderr, cleared when the epoch ends) shows the batches done, the running mean
training loss and samples per second; the summary line shows the epoch's metrics::

    epoch  3/40  train_loss 0.2211  train_accuracy 0.9240  val_loss 0.2305  val_accuracy 0.9180
                 12,480 samples/s  0.08 s
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from tqdm import tqdm

from core.training import Callback, History

# Metrics shown first, in this order; any others follow in the order the trainer gives them.
_FIRST = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")


def format_metrics(metrics: dict[str, float]) -> str:
    """``"train_loss 0.2211  val_accuracy 0.9180"``: the losses and accuracies of an epoch."""
    names = [name for name in _FIRST if name in metrics]
    names += [name for name in metrics if name not in _FIRST and name != "seconds"]
    return "  ".join(f"{name} {metrics[name]:.4f}" for name in names)


class ProgressBar(Callback):
    """Shows training progress on ``file`` (default: stderr).

    Args:
        file: where the bar and the summaries go.
        summary_every: print the summary line every this many epochs (and after the last);
            0 prints none, leaving only the live bar.
        label: text before each line, e.g. the run's name.
        delay: seconds an epoch must run before its bar appears (no flicker for fast epochs).
    """

    def __init__(
        self,
        file: TextIO | None = None,
        summary_every: int = 1,
        label: str = "",
        delay: float = 0.2,
    ) -> None:
        self.file = file
        self.delay = delay
        self.summary_every = summary_every
        self.label = f"{label} " if label else ""
        self.epochs = 0
        self.epoch = 0
        self.samples = 0
        self.loss_sum = 0.0
        self.started = 0.0
        self.training_seconds = 0.0
        self.bar: tqdm | None = None

    def on_fit_start(self, trainer: Any, epochs: int) -> None:
        self.epochs = epochs
        self.epoch = 0

    def on_epoch_start(self, epoch: int, num_batches: int) -> None:
        # Count epochs here rather than trust the trainer's numbering (0- or 1-based).
        self.epoch += 1
        self.samples = 0
        self.loss_sum = 0.0
        self.started = time.perf_counter()
        self.training_seconds = 0.0
        self.close()
        file = self.file or sys.stderr
        terminal = hasattr(file, "isatty") and file.isatty()
        self.bar = tqdm(
            total=num_batches,
            desc=f"{self.label}epoch {self.epoch}/{self.epochs}",
            unit="batch",
            leave=False,
            file=file,
            dynamic_ncols=True,
            delay=self.delay,
            # A log file keeps every redraw, so redraw rarely there.
            mininterval=0.1 if terminal else 5.0,
        )

    def on_batch_end(self, batch_index: int, batch_size: int, loss: float) -> None:
        self.samples += batch_size
        self.loss_sum += loss * batch_size
        self.training_seconds = time.perf_counter() - self.started
        if self.bar is not None:
            self.bar.set_postfix_str(
                f"loss {self.loss_sum / self.samples:.4f}, {self.rate():,.0f} samples/s",
                refresh=False,
            )
            self.bar.update(1)

    def on_epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        self.close()
        last = self.epoch == self.epochs
        if self.summary_every and (self.epoch % self.summary_every == 0 or last):
            seconds = metrics.get("seconds", time.perf_counter() - self.started)
            width = len(str(self.epochs))
            tqdm.write(
                f"{self.label}epoch {self.epoch:>{width}}/{self.epochs}  "
                f"{format_metrics(metrics)}  {self.rate():,.0f} samples/s  {seconds:.2f} s",
                file=self.file or sys.stderr,
            )

    def on_fit_end(self, history: History) -> None:
        self.close()

    def rate(self) -> float:
        """Training samples per second in the current epoch so far (validation not counted)."""
        return self.samples / self.training_seconds if self.training_seconds > 0 else 0.0

    def close(self) -> None:
        """Remove the live bar (also after an error interrupted the epoch)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
