"""Reference solution of ex04 (optimizers): SGD (momentum, Nesterov, weight decay), Adam, AdamW
and two learning-rate schedules, with PyTorch's update rules."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from core import Tensor, hookimpl, no_grad


def _check_number(owner: str, name: str, value: Any, low: float = 0.0) -> float:
    """A real number >= low (finite)."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
        or value < low
    ):
        raise ValueError(f"{owner}: {name} must be a finite number >= {low}, got {value!r}")
    return float(value)


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1


class Optimizer:
    """Holds the parameters and the learning rate; ``zero_grad`` sets every grad to None."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        owner = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(f"{owner}: params must be an iterable of tensors, got one Tensor")
        self.params = list(params)
        if not self.params:
            raise ValueError(
                f"{owner}: got an empty parameter list; pass model.parameters() of a model "
                "that has parameters"
            )
        for index, p in enumerate(self.params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{owner}: parameter {index} is a {type(p).__name__}, not a Tensor")
        self.lr = _check_number(owner, "lr", lr)
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def _active(self) -> Iterable[tuple[Tensor, dict[str, Any]]]:
        """Parameters that take a step now: requires_grad and a gradient."""
        for p, state in zip(self.params, self.state):
            if p.requires_grad and p.grad is not None:
                yield p, state


class SGD(Optimizer):
    """g += wd*p; buf = g (first step) else momentum*buf + g; g = g + momentum*buf (Nesterov)
    or buf; p -= lr*g."""

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_number("SGD", "momentum", momentum)
        self.weight_decay = _check_number("SGD", "weight_decay", weight_decay)
        if nesterov and self.momentum == 0:
            raise ValueError("SGD: nesterov=True needs a momentum > 0, got momentum=0")
        self.nesterov = bool(nesterov)

    def step(self) -> None:
        with no_grad():
            for p, state in self._active():
                g = p.grad
                if self.weight_decay:
                    g = g + self.weight_decay * p.data
                if self.momentum:
                    buf = state.get("momentum_buffer")
                    buf = g.copy() if buf is None else self.momentum * buf + g
                    state["momentum_buffer"] = buf
                    g = g + self.momentum * buf if self.nesterov else buf
                p.data -= self.lr * g


class Adam(Optimizer):
    """g += wd*p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)."""

    decoupled_weight_decay = False

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        owner = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{owner}: betas must be a pair (beta1, beta2), got {betas!r}")
        for index, beta in enumerate(betas):
            if _check_number(owner, f"betas[{index}]", beta) >= 1.0:
                raise ValueError(f"{owner}: betas[{index}] must be in [0, 1), got {beta!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = _check_number(owner, "eps", eps)
        self.weight_decay = _check_number(owner, "weight_decay", weight_decay)

    def step(self) -> None:
        beta1, beta2 = self.betas
        with no_grad():
            for p, state in self._active():
                g = p.grad
                if self.weight_decay:
                    if self.decoupled_weight_decay:
                        p.data *= 1.0 - self.lr * self.weight_decay
                    else:
                        g = g + self.weight_decay * p.data
                if not state:
                    state.update(t=0, m=np.zeros_like(p.data), v=np.zeros_like(p.data))
                state["t"] += 1
                m, v = state["m"], state["v"]
                m *= beta1
                m += (1.0 - beta1) * g
                v *= beta2
                v += (1.0 - beta2) * g * g
                p.data -= self.lr * self._direction(m, v, state["t"])

    def _direction(self, m: np.ndarray, v: np.ndarray, t: int) -> np.ndarray:
        """The update from the moments after t steps: m_hat / (sqrt(v_hat) + eps)."""
        beta1, beta2 = self.betas
        m_hat = m / (1.0 - beta1**t)
        v_hat = v / (1.0 - beta2**t)
        return m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: p *= 1 - lr*wd before the Adam step on the raw g."""

    decoupled_weight_decay = True

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)


class LRScheduler:
    """Sets ``optimizer.lr = get_lr()`` for epoch 0 and after every ``step()``."""

    def __init__(self, optimizer: Any) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(
                f"{type(self).__name__}: expected an optimizer with an lr attribute, "
                f"got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0
        optimizer.lr = self.get_lr()

    def step(self) -> None:
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()


class StepLR(LRScheduler):
    """lr = base_lr * gamma^(epoch // step_size)."""

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        if not _is_positive_int(step_size):
            raise ValueError(f"StepLR: step_size must be a positive integer, got {step_size!r}")
        self.step_size = int(step_size)
        self.gamma = _check_number("StepLR", "gamma", gamma)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        return self.base_lr * self.gamma ** (self.last_epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2."""

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0) -> None:
        if not _is_positive_int(T_max):
            raise ValueError(f"CosineAnnealingLR: T_max must be a positive integer, got {T_max!r}")
        self.T_max = int(T_max)
        self.eta_min = _check_number("CosineAnnealingLR", "eta_min", eta_min)
        super().__init__(optimizer)

    def get_lr(self) -> float:
        cosine = (1.0 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2.0
        return self.eta_min + (self.base_lr - self.eta_min) * cosine


@hookimpl
def gradkit_register_optimizers(register):
    register("Optimizer", Optimizer)
    register("SGD", SGD)
    register("Adam", Adam)
    register("AdamW", AdamW)
    register("LRScheduler", LRScheduler)
    register("StepLR", StepLR)
    register("CosineAnnealingLR", CosineAnnealingLR)
