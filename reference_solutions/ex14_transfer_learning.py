"""Reference solution of ex14 (transfer learning): a bottleneck auto-encoder trained on per-pixel
BCE, freezing, the trainable parameters of a partly frozen model, a classifier that puts a new
head on a (frozen) encoder, and the BCE floor of grey targets."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import xlogy

from core import Module, Tensor, data, hookimpl, nn, no_grad, optim, training
from core import functional as F


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_size(owner: str, name: str, value: Any, fix: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive integer, got {value!r}; {fix}")
    return int(value)


def _check_pixels(owner: str, x: Any, width: int) -> np.ndarray:
    """x as a (N, width) float array with values in [0, 1]."""
    array = np.asarray(x.data if isinstance(x, Tensor) else x)
    if array.ndim != 2 or array.shape[1] != width:
        raise ValueError(
            f"{owner}: expected images (N, {width}), one flattened image per row, got shape "
            f"{array.shape}; reshape to (N, {width}) or build the model for this width"
        )
    if array.size and (np.isnan(array).any() or array.min() < 0 or array.max() > 1):
        raise ValueError(
            f"{owner}: pixels must be in [0, 1], got values in [{array.min()}, {array.max()}]; "
            "divide by the largest pixel value (16 for the digits, 255 for MNIST)"
        )
    return array


class AutoEncoder(Module):
    """encoder: Linear(in, hidden) -> ReLU -> Linear(hidden, bottleneck); decoder: the mirror,
    ending in pixel logits (N, in)."""

    def __init__(self, in_features: int, hidden: int, bottleneck: int) -> None:
        super().__init__()
        self.in_features = _check_size(
            "AutoEncoder", "in_features", in_features, "use the number of pixels, e.g. 64"
        )
        self.hidden = _check_size("AutoEncoder", "hidden", hidden, "use e.g. hidden=64")
        self.bottleneck = _check_size(
            "AutoEncoder",
            "bottleneck",
            bottleneck,
            "the code needs at least one number per image, e.g. bottleneck=16",
        )
        self.encoder = nn.Sequential(
            nn.Linear(self.in_features, self.hidden), nn.ReLU(), nn.Linear(self.hidden, bottleneck)
        )
        self.decoder = nn.Sequential(
            nn.Linear(self.bottleneck, self.hidden), nn.ReLU(), nn.Linear(self.hidden, in_features)
        )

    def _input(self, x: Any) -> Tensor:
        if isinstance(x, Tensor):
            _check_pixels("AutoEncoder", x, self.in_features)
            return x
        return Tensor(_check_pixels("AutoEncoder", x, self.in_features))

    def encode(self, x: Tensor | np.ndarray) -> Tensor:
        """The code of every image: (N, in) -> (N, bottleneck)."""
        return self.encoder(self._input(x))

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        """Reconstruction logits: decoder(encoder(x)), (N, in)."""
        return self.decoder(self.encode(x))

    def reconstruct(self, x: Tensor | np.ndarray) -> np.ndarray:
        """sigmoid of the reconstruction logits, float32 (N, in) in [0, 1], without a graph."""
        with no_grad():
            return F.sigmoid(self(x)).data


def freeze(module: Module) -> Module:
    """requires_grad False and no gradient for every parameter; returns the module."""
    module.requires_grad_(False)
    for parameter in module.parameters():
        parameter.grad = None
    return module


def unfreeze(module: Module) -> Module:
    """requires_grad True for every parameter; returns the module."""
    return module.requires_grad_(True)


def trainable_parameters(module: Module) -> list:
    """The parameters with requires_grad, in order; an error when there is none."""
    found = [p for p in module.parameters() if p.requires_grad]
    if not found:
        total = len(list(module.parameters()))
        raise ValueError(
            f"trainable_parameters: all {total} parameters of {type(module).__name__} are "
            "frozen, so there is nothing to train; unfreeze the part you want to train, e.g. "
            "unfreeze(model.head), or give the optimizer another model"
        )
    return found


class TransferClassifier(Module):
    """logits = head(encoder(x)); head: Linear(features, hidden) -> ReLU -> Linear(hidden, C);
    the encoder is frozen unless freeze_encoder=False."""

    def __init__(
        self, encoder: Module, classes: int, hidden: int = 32, freeze_encoder: bool = True
    ) -> None:
        super().__init__()
        if not isinstance(encoder, Module):
            raise ValueError(
                f"TransferClassifier: encoder must be a Module, got {type(encoder).__name__}; "
                "pass an auto-encoder's encoder, e.g. autoencoder.encoder"
            )
        linears = [m for m in encoder.modules() if isinstance(m, nn.Linear)]
        if not linears:
            raise ValueError(
                "TransferClassifier: the encoder has no nn.Linear layer, so its output width "
                "is unknown; pass an auto-encoder's encoder, e.g. autoencoder.encoder"
            )
        if isinstance(classes, (bool, np.bool_)) or not isinstance(classes, (int, np.integer)):
            raise ValueError(f"TransferClassifier: classes must be an integer, got {classes!r}")
        if classes < 2:
            raise ValueError(f"TransferClassifier: classes must be at least 2, got {classes}")
        hidden = _check_size("TransferClassifier", "hidden", hidden, "use e.g. hidden=32")
        self.features = linears[-1].out_features
        self.encoder = freeze(encoder) if freeze_encoder else encoder
        self.head = nn.Sequential(
            nn.Linear(self.features, hidden), nn.ReLU(), nn.Linear(hidden, int(classes))
        )

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        """(N, in) -> logits (N, classes)."""
        return self.head(self.encoder(_as_tensor(x)))

    def predict_proba(self, x: Tensor | np.ndarray) -> np.ndarray:
        """softmax of the logits, float32 (N, classes), without a graph."""
        with no_grad():
            return F.softmax(self(x), axis=-1).data

    def predict(self, x: Tensor | np.ndarray) -> np.ndarray:
        """argmax of the logits, int64 (N,)."""
        with no_grad():
            return self(x).data.argmax(axis=-1).astype(np.int64)


def train_autoencoder(
    autoencoder: AutoEncoder,
    x: np.ndarray,
    *,
    epochs: int,
    lr: float = 3e-3,
    batch_size: int = 64,
    seed: int = 0,
) -> list[float]:
    """Adam on the trainable parameters, BCE-with-logits of the reconstruction against x;
    the mean loss per pixel of every epoch."""
    x = _check_pixels("train_autoencoder", x, autoencoder.in_features).astype(np.float32)
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)):
        raise ValueError(f"train_autoencoder: epochs must be a positive integer, got {epochs!r}")
    if epochs < 1:
        raise ValueError(f"train_autoencoder: epochs must be a positive integer, got {epochs!r}")
    trainer = training.Trainer(
        autoencoder,
        nn.BCEWithLogitsLoss(),
        optim.Adam(trainable_parameters(autoencoder), lr=lr),
    )
    loader = data.DataLoader(
        data.ArrayDataset(x, x), batch_size=batch_size, shuffle=True, seed=seed
    )
    return trainer.fit(loader, epochs)["train_loss"]


def bce_floor(x: np.ndarray) -> float:
    """The least mean BCE of any reconstruction of x: the mean of -t log t - (1-t) log(1-t)."""
    t = _floor_targets(x)
    # xlogy(t, t) = t log t with 0 log 0 = 0: a black or white pixel costs nothing.
    return float(-(xlogy(t, t) + xlogy(1 - t, 1 - t)).mean())


def _floor_targets(x: Any) -> np.ndarray:
    """bce_floor's targets as float64, checked to be pixels in [0, 1]."""
    t = np.asarray(x, dtype=np.float64)
    if t.size == 0:
        raise ValueError("bce_floor: got no pixels; pass images (N, D) with N ≥ 1")
    if np.isnan(t).any() or t.min() < 0 or t.max() > 1:
        raise ValueError(
            f"bce_floor: targets must be in [0, 1], got values in [{t.min()}, {t.max()}]; "
            "scale the pixels to [0, 1] first"
        )
    return t


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
