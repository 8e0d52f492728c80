"""Exercise 06 — binary MLP & trainer: a classifier of two classes and the loop that trains it.

You build two things on top of ex03-ex05, using them only through the public API
(``nn.Linear``, ``nn.ReLU``, ``nn.Sequential``, ``nn.BCEWithLogitsLoss``, ``optim.SGD``,
``data.DataLoader``, ...):

- ``BinaryMLPClassifier``: Linear -> activation -> ... -> Linear(last, 1), giving one logit per
  sample; ``predict`` and ``predict_proba`` turn logits into classes and probabilities.
- ``Trainer``: ``train_step`` (one optimisation step on one batch), ``validate`` (the mean loss
  per sample and the accuracy over a whole loader, without a graph) and ``fit`` (epochs of
  training with a per-epoch ``History`` and callbacks). ``count_correct`` decides which
  predictions are right, for binary and for multiclass outputs.

Rules (the tests check them):

- float32 stays float32: logits, probabilities and parameters.
- ``validate``'s loss is the true mean over samples: weight each batch's mean loss by the
  batch's size. The mean of the batch means is wrong when the last batch is smaller.
- ``predict``, ``predict_proba`` and ``validate`` build no graph (``with no_grad():``).
- Bad arguments raise ``ValueError`` naming the class or function, the value and the fix.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex06``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad  # noqa: F401 - yours to use below
from core.training import Callback, History
from exercises.stub import todo

ACTIVATIONS = ("relu", "tanh", "sigmoid")


class BinaryMLPClassifier(Module):
    """A multilayer perceptron that maps each sample to one logit, the score of class 1.

    Layers, for ``hidden_sizes = [h1, h2]``::

        Linear(in_features, h1) -> act -> Linear(h1, h2) -> act -> Linear(h2, 1)

    with ``act`` = ``nn.ReLU()``, ``nn.Tanh()`` or ``nn.Sigmoid()`` as ``activation`` says (a
    new module after each hidden Linear). ``hidden_sizes = []`` gives logistic regression,
    ``Linear(in_features, 1)``. Keep the layers in one ``nn.Sequential`` stored as
    ``self.layers``, so that ``parameters()`` finds every weight.

    Args:
        in_features: D, the number of features per sample (positive int).
        hidden_sizes: widths of the hidden layers, each a positive int; may be empty.
        activation: "relu", "tanh" or "sigmoid".

    Raises:
        ValueError: a size that is not a positive integer, or an unknown activation; the
            message names BinaryMLPClassifier, the value got and what is allowed.

    Example:
        model = BinaryMLPClassifier(2, [16, 16])
        model(Tensor(np.zeros((5, 2), np.float32))).shape   # (5,)
        len(list(model.parameters()))                       # 6: three weights, three biases
    """

    def __init__(
        self, in_features: int, hidden_sizes: Sequence[int], activation: str = "relu"
    ) -> None:
        """Check the arguments, then build the layers as one nn.Sequential in self.layers.

        Call ``super().__init__()`` first: a Module registers its parameters and submodules
        only after that.
        """
        raise todo()

    def forward(self, x: Tensor) -> Tensor:
        """The logit of class 1 for every sample: x (B, D) -> logits (B,).

        The last Linear gives (B, 1); drop that axis with ``reshape`` so that the logits have
        the labels' shape (B,), as ``nn.BCEWithLogitsLoss`` requires.

        Args:
            x: (B, D) float32 tensor.

        Returns:
            (B,) float32 tensor of logits (any real number; > 0 means class 1 is more likely).
        """
        raise todo()

    def predict_proba(self, x: Tensor | np.ndarray) -> np.ndarray:
        """The probability of class 1 for every sample: sigmoid(logit), float32 (B,).

        Computed under ``no_grad()``: no graph is recorded. ``x`` may be a Tensor or an array.

        Example:
            logits [0., 2., -2.]  ->  [0.5, 0.880797, 0.119203]
        """
        raise todo()

    def predict(self, x: Tensor | np.ndarray) -> np.ndarray:
        """The predicted class of every sample: 1 where the logit is > 0, else 0; int64 (B,).

        logit > 0 is the same as probability > 0.5, without computing the sigmoid. Computed
        under ``no_grad()``. ``x`` may be a Tensor or an array.

        Example:
            logits [0., 2., -2.]  ->  [0, 1, 0]
        """
        raise todo()


def count_correct(outputs: Tensor | np.ndarray, targets: Tensor | np.ndarray) -> int:
    """How many samples of a batch are classified correctly, for binary or multiclass outputs.

    Three cases, chosen by the shapes:

    - binary: outputs are logits (B,) and targets are labels (B,), 0 or 1 (int or float). A
      sample is right when (logit > 0) equals (label == 1); test the label as ``label > 0.5``.
    - multiclass with class indices: outputs (B, C), targets (B,) ints: right when
      argmax over C of the outputs equals the label.
    - multiclass with one-hot (or probability) targets: outputs (B, C), targets (B, C): right
      when the two argmaxes over C agree.

    Args:
        outputs: logits, a Tensor or an array.
        targets: labels, a Tensor or an array.

    Returns:
        A Python int between 0 and B.

    Raises:
        ValueError: any other combination of shapes; name count_correct and both shapes.

    Example:
        count_correct([2.0, -1.0, 0.5], [1, 1, 0])              # 1 (only the first is right)
        count_correct([[0., 3.], [1., 0.]], [1, 1])             # 1
        count_correct([[0., 3.], [1., 0.]], [[0., 1.], [1., 0.]])  # 2
    """
    raise todo()


class Trainer:
    """Trains a model: one batch (``train_step``), a whole loader (``validate``), epochs (``fit``).

    Keep the three arguments as the attributes ``self.model``, ``self.loss_fn`` and
    ``self.optimizer``. A loader is anything that yields ``(x, y)`` batches of Tensors and has a
    ``len()`` (a ``data.DataLoader``, or a list of pairs).

    Args:
        model: a Module mapping x (B, D) to outputs (logits).
        loss_fn: called as ``loss_fn(outputs, y)``, returning the batch's mean loss (a
            one-element Tensor), e.g. ``nn.BCEWithLogitsLoss()``.
        optimizer: has ``zero_grad()`` and ``step()``, e.g. ``optim.SGD(model.parameters(),
            lr=0.1)``.
    """

    def __init__(self, model: Module, loss_fn: Callable[..., Tensor], optimizer: Any) -> None:
        """Keep model, loss_fn and optimizer as attributes of the same names."""
        raise todo()

    def train_step(self, x: Tensor, y: Tensor) -> float:
        """One optimisation step on one batch; returns the batch's loss as a Python float.

        In this order: ``optimizer.zero_grad()`` (or the gradients of earlier batches pile
        up), forward ``model(x)``, ``loss = loss_fn(outputs, y)``, ``loss.backward()``,
        ``optimizer.step()``. The value returned is the loss computed before the step.

        Args:
            x: (B, D) float32 tensor.
            y: the batch's targets, as the loss expects them.

        Returns:
            ``loss.item()``, a float.
        """
        raise todo()

    def validate(self, loader: Iterable) -> dict[str, float]:
        """The mean loss per sample and the accuracy of the model over a whole loader.

        Under ``no_grad()``, for every batch (x, y): outputs = model(x), the batch's mean loss
        ``loss_fn(outputs, y).item()`` and ``count_correct(outputs, y)``. Then::

            loss     = Σ_batches (batch mean loss · batch size) / number of samples
            accuracy = Σ_batches correct / number of samples

        Put the model in eval mode while validating (``model.eval()``) and restore the mode it
        had afterwards (``model.train(was_training)``).

        Args:
            loader: yields (x, y) batches.

        Returns:
            ``{"loss": float, "accuracy": float}``.

        Raises:
            ValueError: the loader gave no batch (name Trainer.validate).

        Example:
            batches of 4 and 2 samples with mean losses 1.0 and 4.0:
            loss = (1.0 · 4 + 4.0 · 2) / 6 = 2.0 (not (1.0 + 4.0) / 2 = 2.5)
        """
        raise todo()

    def fit(
        self,
        train_loader: Iterable,
        epochs: int,
        val_loader: Iterable | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> History:
        """Train for ``epochs`` epochs; return the metrics of every epoch as a ``History``.

        Per epoch (numbered 0, 1, ...; batches numbered 0, 1, ... within each epoch):
        ``model.train()``; every batch of ``train_loader`` goes through the same steps as
        ``train_step``; then the epoch's metrics are::

            train_loss      the batch losses weighted by batch size / samples (as in validate)
            train_accuracy  correct / samples, from the outputs of those same forwards
            val_loss        validate(val_loader)["loss"]      (only if val_loader is given)
            val_accuracy    validate(val_loader)["accuracy"]  (only if val_loader is given)
            seconds         wall-clock time of the epoch (time.perf_counter())

        ``history.append(metrics)`` adds them. Each callback's hooks are called in this order
        (for several callbacks: each event goes to all of them, in the order given)::

            on_fit_start(self, epochs)
            per epoch:  on_epoch_start(epoch, len(train_loader))
                        on_batch_end(batch_index, batch_size, loss)   after every step
                        on_epoch_end(epoch, metrics)                  the dict just appended
            on_fit_end(history)                                       the History returned

        Args:
            train_loader: yields (x, y) training batches; has ``len()``.
            epochs: a positive int.
            val_loader: optional loader evaluated with ``validate`` after each epoch.
            callbacks: ``core.training.Callback`` objects.

        Returns:
            The ``History``: ``history["train_loss"]`` is one float per epoch.

        Raises:
            ValueError: ``epochs`` < 1 or not an int (name Trainer.fit and the value); a
                training loader that gives no batch (name Trainer.fit).
        """
        raise todo()


@hookimpl
def gradkit_register_models(register: Callable[..., None]) -> None:
    register("BinaryMLPClassifier", BinaryMLPClassifier)


@hookimpl
def gradkit_register_training(register: Callable[..., None]) -> None:
    register("Trainer", Trainer)
    register("count_correct", count_correct)
