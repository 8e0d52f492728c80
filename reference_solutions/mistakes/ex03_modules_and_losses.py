"""Known ex03 mistakes: layers and losses that have the right shapes but not the right numbers."""

from __future__ import annotations

import numpy as np

from core import Module, Parameter
from core import functional as F
from core.random import generator
from reference_solutions import ex03_modules_and_losses as reference
from reference_solutions.mistakes import mistake


def _named(name):
    """Give a wrong class its public name, which repr, errors and Sequential's users show."""

    def rename(cls):
        cls.__name__ = cls.__qualname__ = name
        return cls

    return rename


@mistake(
    "layers",
    "Linear",
    "computes x @ weight, not x @ weight.T: the shapes only fit on square layers",
)
@_named("Linear")
class LinearWithoutTranspose(reference.Linear):
    def forward(self, x):
        x = reference._as_tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear: expected in_features={self.in_features}, got {x.shape}")
        out = x @ self.weight
        return out if self.bias is None else out + self.bias


@mistake(
    "layers", "Linear", "draws the init from ±1/sqrt(out_features) instead of ±1/sqrt(in_features)"
)
@_named("Linear")
class LinearInitScaledByOutFeatures(reference.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        bound = 1.0 / np.sqrt(out_features)
        rng = generator()
        weight = rng.uniform(-bound, bound, size=(out_features, in_features))
        self.weight = Parameter(weight.astype(np.float32))
        if bias:
            self.bias = Parameter(rng.uniform(-bound, bound, size=out_features).astype(np.float32))


@mistake(
    "layers",
    "Sequential",
    "keeps the layers in a plain list: no submodule, so no parameter is registered",
)
@_named("Sequential")
class SequentialInAList(Module):
    def __init__(self, *modules):
        super().__init__()
        self.layers = list(modules)

    def forward(self, x):
        for module in self.layers:
            x = module(x)
        return x

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)


@mistake(
    "losses", "MSELoss", "'mean' divides the sum by the batch size, not by the number of elements"
)
@_named("MSELoss")
class MSELossMeanOverBatch(reference.MSELoss):
    def _reduce(self, loss):
        if self.reduction == "mean":
            return loss.sum() / loss.shape[0]
        return super()._reduce(loss)


@mistake(
    "losses",
    "BCEWithLogitsLoss",
    "computes -[y log σ(z) + (1 - y) log(1 - σ(z))]: log(0) at large logits",
)
@_named("BCEWithLogitsLoss")
class BCEThroughSigmoid(reference.BCEWithLogitsLoss):
    def forward(self, logits, target):
        z, y = self._inputs(logits, target)
        s = z.sigmoid()
        return self._reduce(-(y * s.log() + (1.0 - y) * (1.0 - s).log()))


@mistake(
    "losses",
    "BCEWithLogitsLoss",
    "writes max(z, 0) as z.relu(): the gradient at z = 0 is -y, not 1/2 - y",
)
@_named("BCEWithLogitsLoss")
class BCEWithReluForMax(reference.BCEWithLogitsLoss):
    def forward(self, logits, target):
        z, y = self._inputs(logits, target)
        abs_z = F.maximum(z, -z)
        return self._reduce(z.relu() - z * y + ((-abs_z).exp() + 1.0).log())
