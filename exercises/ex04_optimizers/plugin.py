"""Exercise 04 — optimizers: the rules that turn gradients into better parameters.

You write PyTorch's optimizers and two learning-rate schedules:

- ``Optimizer``: the base: keeps the parameters and the learning rate, and ``zero_grad``;
- ``SGD``: plain, with momentum, Nesterov momentum and weight decay;
- ``Adam`` (L2 weight decay added to the gradient) and ``AdamW`` (decoupled weight decay);
- ``LRScheduler``, ``StepLR``, ``CosineAnnealingLR``: change ``optimizer.lr`` once per epoch.

Rules (the tests check them):

- ``step()`` updates every parameter that has ``requires_grad=True`` and a gradient
  (``p.grad is not None``); the others are skipped and keep their state.
- Update ``p.data`` in place (``p.data -= ...``) under ``no_grad()``; parameters, gradients and
  your state arrays stay float32 (``np.zeros_like(p.data)``).
- Never modify ``p.grad``: it belongs to the caller (it may be read after the step).
- Keep per-parameter state (momentum buffers, Adam's moments and step count) in
  ``self.state``, one dict per parameter, as PyTorch does.
- ``optimizer.lr`` is a plain attribute: the schedules assign it and ``step()`` reads it.
- Bad arguments raise ``ValueError`` (or ``TypeError`` for the wrong kind of thing) naming the
  class, the argument, the value got and what is allowed.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex04``.
"""

from __future__ import annotations

import math  # noqa: F401 - yours to use below
from collections.abc import Iterable
from typing import Any

import numpy as np  # noqa: F401 - yours to use below

from core import Tensor, hookimpl, no_grad  # noqa: F401 - yours to use below
from exercises.stub import todo

# ----- optimizers ---------------------------------------------------------------------------


class Optimizer:
    """The base of every optimizer: the parameter list, the learning rate, per-parameter state.

    Attributes:
        params: list of the parameters (Tensors), in the order given.
        lr: the learning rate, a float >= 0 (schedules change it between epochs).
        state: list of one dict per parameter (``self.state[i]`` belongs to ``params[i]``),
            empty at first, for the subclass's buffers.
    """

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        """Store params as a list, lr as a float and one empty state dict per parameter.

        ``params`` may be any iterable, often the generator ``model.parameters()``: turn it
        into a list once (a generator can be iterated only once, and a second pass in
        ``step()`` would find nothing).

        Raises:
            ValueError: no parameters at all ("got an empty parameter list"), or lr negative,
                NaN or infinite; the message names the class (``type(self).__name__``, so a
                subclass shows "SGD: ...") and the value.
            TypeError: ``params`` is one Tensor (pass ``[p]``) or holds something that is not
                a Tensor, naming the class and the type got.

        Example:
            opt = SGD(model.parameters(), lr=0.1)
            opt.params   # [weight, bias, ...]   opt.lr   # 0.1   opt.state   # [{}, {}, ...]
        """
        raise todo()

    def zero_grad(self) -> None:
        """Forget every parameter's gradient: set ``p.grad = None`` for each parameter.

        Gradients accumulate across ``backward()`` calls; call this before each new one.
        None (not zeros) also tells ``step()`` to skip a parameter that got no new gradient.
        """
        raise todo()


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay.

    For each parameter p with gradient g, in this order (PyTorch's rules, dampening 0)::

        g = g + weight_decay · p                  (if weight_decay != 0)
        b = g                 on this parameter's first step with momentum   (a copy of g)
        b = momentum · b + g  afterwards                                     (if momentum != 0)
        g = g + momentum · b  if nesterov, else g = b                        (if momentum != 0)
        p = p - lr · g

    Example (lr 0.1, momentum 0.9, the same g = 1 twice, p = 0):
        step 1: b = 1,               p = 0 - 0.1 · 1 = -0.1
        step 2: b = 0.9 · 1 + 1 = 1.9,  p = -0.1 - 0.1 · 1.9 = -0.29
        with nesterov: step 1 uses g + 0.9 · b = 1.9 -> p = -0.19; step 2 uses 1 + 0.9 · 1.9.
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        """Check and store the hyperparameters (after ``super().__init__(params, lr)``).

        Raises:
            ValueError: momentum or weight_decay negative (or not finite), or nesterov=True
                with momentum 0 (Nesterov needs a momentum); naming SGD and the value.
        """
        raise todo()

    def step(self) -> None:
        """Update every parameter that has a gradient by the rules in the class docstring.

        The momentum buffer b is per parameter (keep it in ``self.state[i]``). On the first
        step it is a copy of g (``g.copy()``): a buffer that is the gradient array itself would
        change whenever the caller changes ``p.grad``.
        """
        raise todo()


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, with bias correction.

    For each parameter p with gradient g, at its step t = 1, 2, ... (counted per parameter)::

        g = g + weight_decay · p                      (L2 penalty, if weight_decay != 0)
        m = β1 · m + (1 - β1) · g                     (m, v start at 0)
        v = β2 · v + (1 - β2) · g²
        m̂ = m / (1 - β1^t)                            (bias correction: m, v start biased
        v̂ = v / (1 - β2^t)                             towards 0)
        p = p - lr · m̂ / (√v̂ + eps)

    Example (lr 0.1, β = (0.9, 0.999), g = 2 on the first step, p = 1):
        m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, p = 1 - 0.1 · 2 / (2 + 1e-8) ≈ 0.9
        (the first step moves every element by about lr, whatever the gradient's size).
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        """Check and store the hyperparameters (after ``super().__init__(params, lr)``).

        Raises:
            ValueError: betas not a pair of numbers in [0, 1); eps or weight_decay negative;
                naming the class, the argument and the value.
        """
        raise todo()

    def step(self) -> None:
        """Update every parameter that has a gradient by the rules in the class docstring.

        m, v and t are per parameter (in ``self.state[i]``): a parameter skipped at a step does
        not advance its t.
        """
        raise todo()


class AdamW(Adam):
    """Adam with decoupled weight decay: shrink p directly, then an Adam step on the raw g.

    For each parameter p with gradient g::

        p = p · (1 - lr · weight_decay)          first, and g is NOT changed
        m, v, m̂, v̂ as in Adam, from g
        p = p - lr · m̂ / (√v̂ + eps)

    In Adam the decay term goes through m / √v and is rescaled with the gradient; here it is
    not, so every weight shrinks by the same fraction per step. Default weight_decay is 1e-2.
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        """Check and store the hyperparameters, as Adam does (you may call Adam's __init__)."""
        raise todo()

    def step(self) -> None:
        """Update every parameter that has a gradient by the rules in the class docstring."""
        raise todo()


# ----- learning-rate schedules --------------------------------------------------------------


class LRScheduler:
    """The base of the schedules: sets ``optimizer.lr = self.get_lr()`` once per epoch.

    Attributes:
        optimizer: the optimizer whose ``lr`` it sets.
        base_lr: ``optimizer.lr`` when the schedule was created.
        last_epoch: epochs completed, 0 at first; ``step()`` adds 1.

    Use: ``for epoch in range(n): train_one_epoch(); scheduler.step()``. A subclass defines
    ``get_lr()``, the learning rate of epoch ``last_epoch``.
    """

    def __init__(self, optimizer: Any) -> None:
        """Store the optimizer, base_lr = optimizer.lr and last_epoch = 0; set lr = get_lr().

        A subclass stores its own settings first, then calls ``super().__init__(optimizer)``.

        Raises:
            TypeError: ``optimizer`` has no ``lr`` attribute, naming the class and the type got.
        """
        raise todo()

    def step(self) -> None:
        """End an epoch: last_epoch += 1, then optimizer.lr = get_lr()."""
        raise todo()


class StepLR(LRScheduler):
    """Multiply the learning rate by gamma every step_size epochs.

    lr(epoch) = base_lr · gamma^(epoch // step_size)

    Example (base_lr 1, step_size 2, gamma 0.5): epochs 0, 1, 2, 3, 4 -> 1, 1, 0.5, 0.5, 0.25.
    """

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        """Store step_size and gamma, then ``super().__init__(optimizer)``.

        Raises:
            ValueError: step_size not a positive integer, or gamma negative; naming StepLR.
        """
        raise todo()

    def get_lr(self) -> float:
        """base_lr · gamma^(last_epoch // step_size)."""
        raise todo()


class CosineAnnealingLR(LRScheduler):
    """Anneal the learning rate from base_lr to eta_min along half a cosine over T_max epochs.

    lr(epoch) = eta_min + (base_lr - eta_min) · (1 + cos(π · epoch / T_max)) / 2

    Example (base_lr 1, eta_min 0, T_max 4): epochs 0..4 -> 1, 0.853553, 0.5, 0.146447, 0.
    """

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0) -> None:
        """Store T_max and eta_min, then ``super().__init__(optimizer)``.

        Raises:
            ValueError: T_max not a positive integer, or eta_min negative; naming
                CosineAnnealingLR.
        """
        raise todo()

    def get_lr(self) -> float:
        """eta_min + (base_lr - eta_min) · (1 + cos(π · last_epoch / T_max)) / 2."""
        raise todo()


@hookimpl
def gradkit_register_optimizers(register):
    register("Optimizer", Optimizer)
    register("SGD", SGD)
    register("Adam", Adam)
    register("AdamW", AdamW)
    register("LRScheduler", LRScheduler)
    register("StepLR", StepLR)
    register("CosineAnnealingLR", CosineAnnealingLR)
