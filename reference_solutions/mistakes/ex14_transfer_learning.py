"""Known ex14 mistakes: freezing, the transfer head and the auto-encoder, right on the surface."""

from __future__ import annotations

import numpy as np

from core import Module, nn, no_grad, optim
from core import functional as F
from reference_solutions import ex14_transfer_learning as reference
from reference_solutions.mistakes import mistake


@mistake("analysis", "freeze", "freezes only the module's own parameters, not its submodules'")
def freeze_without_recursion(module: Module) -> Module:
    for parameter in module._parameters.values():
        parameter.requires_grad_(False)
        parameter.grad = None
    return module


@mistake("models", "TransferClassifier", "never freezes the encoder: it trains with the head")
class TransferWithTrainableEncoder(reference.TransferClassifier):
    def __init__(self, encoder, classes, hidden=32, freeze_encoder=True):
        super().__init__(encoder, classes, hidden, freeze_encoder=False)


@mistake("models", "TransferClassifier", "freezes the whole model, head included")
class TransferWithFrozenHead(reference.TransferClassifier):
    def __init__(self, encoder, classes, hidden=32, freeze_encoder=True):
        super().__init__(encoder, classes, hidden, freeze_encoder)
        if freeze_encoder:
            reference.freeze(self)


@mistake("models", "AutoEncoder", "the decoder ends in a sigmoid, so forward gives pixels")
class AutoEncoderWithSigmoidOutput(reference.AutoEncoder):
    def forward(self, x):
        return F.sigmoid(self.decoder(self.encode(x)))


@mistake("models", "AutoEncoder", "does not check the image width: Linear fails instead")
class AutoEncoderWithoutWidthCheck(reference.AutoEncoder):
    def _input(self, x):
        return reference._as_tensor(x)


@mistake("training", "train_autoencoder", "gives Adam all parameters: a frozen model runs idle")
def train_autoencoder_with_every_parameter(
    autoencoder, x, *, epochs, lr=3e-3, batch_size=64, seed=0
):
    x = reference._check_pixels("train_autoencoder", x, autoencoder.in_features)
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"train_autoencoder: epochs must be a positive integer, got {epochs!r}")
    optimizer = optim.Adam(autoencoder.parameters(), lr=lr)
    trainer = reference.training.Trainer(autoencoder, nn.BCEWithLogitsLoss(), optimizer)
    loader = reference.data.DataLoader(
        reference.data.ArrayDataset(x, x), batch_size=batch_size, shuffle=True, seed=seed
    )
    return trainer.fit(loader, epochs)["train_loss"]


@mistake("analysis", "bce_floor", "uses t log t with np.log: 0 log 0 is NaN, not 0")
def bce_floor_with_plain_log(x):
    t = reference._floor_targets(x)
    with no_grad(), np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(-(t * np.log(t) + (1 - t) * np.log(1 - t))))
