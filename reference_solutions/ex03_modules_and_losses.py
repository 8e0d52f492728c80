"""Reference solution of ex03 (modules & losses): Linear, activations, Sequential, MSE and
BCE-with-logits, all built from registered ops so that autograd gives every gradient."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from core import Module, Parameter, Tensor, hookimpl
from core import functional as F
from core.random import generator

REDUCTIONS = ("mean", "sum", "none")


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_size(owner: str, name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive integer, got {value!r}")
    return int(value)


class Linear(Module):
    """y = x @ W.T + b; W: (out, in), b: (out,), both uniform(-1/sqrt(in), 1/sqrt(in))."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features = _check_size("Linear", "in_features", in_features)
        self.out_features = _check_size("Linear", "out_features", out_features)
        bound = 1.0 / np.sqrt(self.in_features)
        rng = generator()
        weight = rng.uniform(-bound, bound, size=(self.out_features, self.in_features))
        self.weight = Parameter(weight.astype(np.float32))
        self.bias = (
            Parameter(rng.uniform(-bound, bound, size=self.out_features).astype(np.float32))
            if bias
            else None
        )

    def forward(self, x: Tensor) -> Tensor:
        """(B, in) -> (B, out), or (in,) -> (out,)."""
        x = _as_tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear: expected input with last dimension in_features={self.in_features}, "
                f"got shape {x.shape}; pass x of shape (batch, {self.in_features})"
            )
        out = x @ self.weight.T
        return out if self.bias is None else out + self.bias

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x)


class Sigmoid(Module):
    """1 / (1 + e^-x), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return F.tanh(x)


class Sequential(Module):
    """Modules applied in order; registered as submodules "0", "1", ..."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(
                    f"Sequential: argument {index} is a {type(module).__name__}, not a Module; "
                    "pass layers like nn.Linear(2, 3) or nn.ReLU() (instances, not classes)"
                )
            setattr(self, str(index), module)

    def forward(self, x: Tensor) -> Tensor:
        for module in self._modules.values():
            x = module(x)
        return x

    def __len__(self) -> int:
        return len(self._modules)

    def __getitem__(self, index: int) -> Module:
        return list(self._modules.values())[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {REDUCTIONS}, got {reduction!r}"
            )
        self.reduction = reduction

    def _inputs(self, prediction: Any, target: Any) -> tuple[Tensor, Tensor]:
        prediction = _as_tensor(prediction)
        target = Tensor(getattr(target, "data", target), dtype=prediction.dtype)
        if prediction.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: prediction and target must have the same shape, got "
                f"prediction {prediction.shape} and target {target.shape}"
            )
        return prediction, target

    def _reduce(self, loss: Tensor) -> Tensor:
        if self.reduction == "mean":
            return loss.mean()
        return loss.sum() if self.reduction == "sum" else loss


class MSELoss(_Loss):
    """(prediction - target)^2, reduced."""

    def forward(self, prediction: Tensor, target: Any) -> Tensor:
        prediction, target = self._inputs(prediction, target)
        diff = prediction - target
        return self._reduce(diff * diff)


class BCEWithLogitsLoss(_Loss):
    """max(z, 0) - z*y + log(1 + e^-|z|), reduced (stable for any z)."""

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        z, y = self._inputs(logits, target)
        # F.maximum splits the gradient at ties: at z = 0 it gives 1/2 - y = sigmoid(0) - y.
        abs_z = F.maximum(z, -z)
        return self._reduce(F.maximum(z, 0.0) - z * y + ((-abs_z).exp() + 1.0).log())


@hookimpl
def gradkit_register_layers(register):
    register("Linear", Linear)
    register("ReLU", ReLU)
    register("Sigmoid", Sigmoid)
    register("Tanh", Tanh)
    register("Sequential", Sequential)


@hookimpl
def gradkit_register_losses(register):
    register("MSELoss", MSELoss)
    register("BCEWithLogitsLoss", BCEWithLogitsLoss)
