"""Exercise 14 — transfer learning: a bottleneck auto-encoder trained without labels, freezing,
and a classifier that puts a new head on the frozen encoder.

What you write, and how it reaches the library:

- ``AutoEncoder`` (``models.AutoEncoder``): ``encoder`` squeezes each image into a few numbers
  (the bottleneck), ``decoder`` turns them back into pixel logits; ``encode``, ``forward`` and
  ``reconstruct``.
- ``train_autoencoder`` (``training.train_autoencoder``): your ex06 ``Trainer`` with
  ``nn.BCEWithLogitsLoss`` of the reconstruction against the image itself — no labels.
- ``freeze``, ``unfreeze``, ``trainable_parameters`` and ``bce_floor`` (``analysis.freeze``,
  ... with ``from core import analysis``): switch a module's parameters off and on, list what is
  left to train, and compute the least loss any reconstruction can reach.
- ``TransferClassifier`` (``models.TransferClassifier``): an encoder (frozen by default) plus a
  new trainable head giving logits, with ``predict`` and ``predict_proba`` like MLPClassifier.

Rules (the tests check them):

- A frozen parameter has ``requires_grad`` False and gets no gradient; training the classifier
  (also with SGD momentum and weight decay, given *all* the model's parameters) leaves it
  bit-for-bit unchanged. Only the head's parameters receive gradients.
- Training lowers the reconstruction loss; it stays above ``bce_floor`` of the images.
- Bad arguments raise ``ValueError`` naming the function, the value got and the fix: a model
  with every parameter frozen (nothing to train), a bottleneck < 1, images whose width is not
  the auto-encoder's ``in_features``.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex14``.
"""

from __future__ import annotations

from typing import Any  # noqa: F401 - yours to use

import numpy as np

from core import Module, Parameter, Tensor, data, hookimpl, nn, no_grad, optim, training  # noqa: F401
from core import functional as F  # noqa: F401 - F.sigmoid, F.softmax
from exercises.stub import todo

# ----- the auto-encoder ---------------------------------------------------------------------


class AutoEncoder(Module):
    """A bottleneck auto-encoder: images (N, D) -> codes (N, K) -> pixel logits (N, D).

    Layers (D = in_features, H = hidden, K = bottleneck)::

        self.encoder = nn.Sequential(Linear(D, H), ReLU(), Linear(H, K))
        self.decoder = nn.Sequential(Linear(K, H), ReLU(), Linear(H, D))

    The decoder ends in **logits**, not pixels: the loss is ``nn.BCEWithLogitsLoss()`` of the
    logits against the image itself (pixels in [0, 1] as targets), which is stable where
    sigmoid-then-BCE is not. Keep the three sizes as ``self.in_features``, ``self.hidden`` and
    ``self.bottleneck``.

    Args:
        in_features: D, the pixels per image (64 for the 8x8 digits).
        hidden: H, the width of the hidden layer on each side.
        bottleneck: K, the length of the code.

    Raises:
        ValueError: a size that is not a positive integer, e.g. ``bottleneck=0`` (name
            AutoEncoder, the size and the value, and say what to use instead).

    Example:
        ae = AutoEncoder(64, 32, 8)
        ae.encode(np.zeros((5, 64), np.float32)).shape   # (5, 8)
        ae(np.zeros((5, 64), np.float32)).shape          # (5, 64): logits
    """

    def __init__(self, in_features: int, hidden: int, bottleneck: int) -> None:
        """Call super().__init__(), check the three sizes, build encoder and decoder."""
        raise todo()

    def encode(self, x: Tensor | np.ndarray) -> Tensor:
        """The code of every image: encoder(x), (N, in_features) -> (N, bottleneck) float32.

        Check x first (a Tensor or an array): it must be 2-D with ``in_features`` columns and
        pixels in [0, 1]. Without the check, a batch of 28x28 images given to an 8x8 model
        fails deep inside a Linear layer with a message about matrix shapes.

        Raises:
            ValueError: x not (N, in_features) — name AutoEncoder, both widths and the shape
                got, e.g. "expected images (N, 64) ... got shape (5, 784)"; pixels outside
                [0, 1] (name the range got and how to scale).

        Example:
            AutoEncoder(64, 32, 8).encode(np.zeros((5, 64), np.float32)).shape   # (5, 8)
        """
        raise todo()

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        """Reconstruction logits: decoder(encode(x)), (N, in_features) -> (N, in_features).

        sigmoid(logits) are the reconstructed pixels; keep the logits for the loss.

        Example:
            loss = nn.BCEWithLogitsLoss()(ae(x), x)   # x: (N, 64) in [0, 1]
        """
        raise todo()

    def reconstruct(self, x: Tensor | np.ndarray) -> np.ndarray:
        """The reconstructed images: sigmoid of the logits, under ``no_grad()``.

        Returns:
            np.ndarray (N, in_features) float32, every value in [0, 1].

        Example:
            ae.reconstruct(x_test[:8])   # eight images, drawable like the originals
        """
        raise todo()


def train_autoencoder(
    autoencoder: AutoEncoder,
    x: np.ndarray,
    *,
    epochs: int,
    lr: float = 3e-3,
    batch_size: int = 64,
    seed: int = 0,
) -> list[float]:
    """Train the auto-encoder to reproduce ``x``; the mean per-pixel BCE of every epoch.

    The images are their own targets: ``data.DataLoader(data.ArrayDataset(x, x),
    batch_size=batch_size, shuffle=True, seed=seed)``, loss ``nn.BCEWithLogitsLoss()``,
    optimizer ``optim.Adam(trainable_parameters(autoencoder), lr=lr)``, and your
    ``training.Trainer``. ``Trainer.fit(...)["train_loss"]`` is the list to return. Only the
    trainable parameters go to the optimizer, so a frozen part stays as it is — and a fully
    frozen auto-encoder is the error of ``trainable_parameters``.

    Args:
        autoencoder: the model, changed in place.
        x: (N, in_features) float32, pixels in [0, 1].
        epochs: a positive integer.
        lr, batch_size, seed: Adam's learning rate, the batch size, the shuffling seed.

    Returns:
        ``epochs`` floats, the mean per-pixel BCE of each epoch (falling as it learns).

    Raises:
        ValueError: x not (N, in_features) or pixels outside [0, 1] (name train_autoencoder);
            epochs not a positive integer; every parameter frozen.

    Example:
        train_autoencoder(AutoEncoder(64, 64, 16), x_train, epochs=3)   # e.g. [0.55, 0.40, 0.33]
    """
    raise todo()


def bce_floor(x: np.ndarray) -> float:
    """The least mean BCE any reconstruction of ``x`` can have: the mean binary entropy.

    For a target pixel t, BCE(p, t) = −t log p − (1−t) log(1−p) is smallest at p = t, where it
    is the entropy H(t) = −t log t − (1−t) log(1−t): 0 for t = 0 or 1 (0 log 0 = 0), log 2 ≈
    0.693 for t = 0.5, > 0 for every grey pixel. So the reconstruction loss of grey images
    cannot reach 0: return the mean of H over every pixel, computed in float64.

    Args:
        x: (N, D) (any shape) target pixels in [0, 1].

    Returns:
        A Python float ≥ 0.

    Raises:
        ValueError: no pixels, or values outside [0, 1] (name bce_floor and the range got).

    Example:
        bce_floor(np.array([[0.0, 1.0, 0.5, 0.5]]))   # (0 + 0 + 0.693147 + 0.693147) / 4 = 0.346574
    """
    raise todo()


# ----- freezing -----------------------------------------------------------------------------


def freeze(module: Module) -> Module:
    """Freeze every parameter of ``module``: ``requires_grad`` False, and no gradient kept.

    ``module.requires_grad_(False)`` switches the flags; also set each parameter's ``grad`` to
    None, so that no stale gradient of an earlier run is left for an optimizer to use. A frozen
    parameter is not a leaf autograd tracks: outputs computed from it alone need no graph.

    Args:
        module: any Module (an encoder, a whole model).

    Returns:
        The same module (so ``freeze(ae.encoder)`` can be passed on).

    Example:
        encoder = freeze(AutoEncoder(64, 32, 8).encoder)
        [p.requires_grad for p in encoder.parameters()]   # [False, False, False, False]
    """
    raise todo()


def unfreeze(module: Module) -> Module:
    """Make every parameter of ``module`` trainable again (``requires_grad`` True).

    Returns:
        The same module.

    Example:
        unfreeze(model.encoder)   # fine-tune everything from here on
    """
    raise todo()


def trainable_parameters(module: Module) -> list[Parameter]:
    """The parameters of ``module`` that still train (``requires_grad`` True), in order.

    Give these to an optimizer: ``optim.Adam(trainable_parameters(model))``. If there are none,
    the optimizer would silently do nothing, epoch after epoch — raise instead.

    Args:
        module: any Module.

    Returns:
        A list of Parameters, in the order of ``module.parameters()``.

    Raises:
        ValueError: every parameter is frozen. Name trainable_parameters, the module's class,
            that all its parameters are frozen, and the fix: ``unfreeze(...)`` the part to
            train (e.g. ``unfreeze(model.head)``).

    Example:
        model = TransferClassifier(ae.encoder, 10)
        len(trainable_parameters(model))   # 4: the head's two weights and two biases
    """
    raise todo()


# ----- the transfer classifier --------------------------------------------------------------


class TransferClassifier(Module):
    """A classifier from an encoder (frozen by default) and a new trainable head.

    ::

        logits = head(encoder(x))
        head   = nn.Sequential(Linear(F, hidden), ReLU(), Linear(hidden, classes))

    F, the encoder's output width, is the ``out_features`` of the last ``nn.Linear`` in
    ``encoder.modules()``. With ``freeze_encoder=True`` (transfer learning) call
    ``freeze(encoder)``; with False the same architecture trains end to end ("from scratch" if
    the encoder is fresh). Keep them as ``self.encoder`` and ``self.head``, and F as
    ``self.features``.

    Args:
        encoder: a Module mapping (N, D) to (N, F), e.g. ``autoencoder.encoder``.
        classes: C ≥ 2.
        hidden: the head's hidden width, a positive integer.
        freeze_encoder: freeze the encoder (default) or leave it trainable.

    Raises:
        ValueError: encoder not a Module or without any nn.Linear; classes < 2; a bad hidden
            (name TransferClassifier and the value).

    Example:
        model = TransferClassifier(AutoEncoder(64, 32, 8).encoder, 10, hidden=16)
        model(np.zeros((5, 64), np.float32)).shape   # (5, 10)
        model.features                               # 8
    """

    def __init__(
        self, encoder: Module, classes: int, hidden: int = 32, freeze_encoder: bool = True
    ) -> None:
        """Call super().__init__(), check the arguments, keep the encoder, build the head."""
        raise todo()

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        """The logits: head(encoder(x)), (N, D) -> (N, classes) float32."""
        raise todo()

    def predict_proba(self, x: Tensor | np.ndarray) -> np.ndarray:
        """Class probabilities: ``F.softmax`` of the logits, under ``no_grad()``; (N, C) float32.

        Example:
            model.predict_proba(x[:2]).sum(axis=1)   # array([1., 1.], dtype=float32)
        """
        raise todo()

    def predict(self, x: Tensor | np.ndarray) -> np.ndarray:
        """The predicted classes: argmax of the logits, under ``no_grad()``; (N,) int64.

        Example:
            model.predict(x[:3])   # e.g. array([3, 0, 7])
        """
        raise todo()


@hookimpl
def gradkit_register_models(register):
    register("AutoEncoder", AutoEncoder)
    register("TransferClassifier", TransferClassifier)


@hookimpl
def gradkit_register_training(register):
    register("train_autoencoder", train_autoencoder)


@hookimpl
def gradkit_register_analysis(register):
    register("freeze", freeze)
    register("unfreeze", unfreeze)
    register("trainable_parameters", trainable_parameters)
    register("bce_floor", bce_floor)
