"""float64 NumPy oracles for the ex04 suite: the update rules, written out, step by step.

Each function takes the starting parameter and the list of gradients the optimizer receives,
and returns the parameter after every step; :func:`stepped` does the same with the optimizer
under test, for the suite and the spot check to compare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core import Parameter


def stepped(
    make: Callable[[list[Parameter]], Any], start: np.ndarray, grads: list[np.ndarray]
) -> np.ndarray:
    """The parameter after each step of the optimizer ``make([p])``, p starting at ``start``,
    with each gradient set by hand before its step: (steps, *start.shape)."""
    p = Parameter(start.copy())
    optimizer = make([p])
    visited = []
    for grad in grads:
        p.grad = grad.copy()
        optimizer.step()
        visited.append(p.data.copy())
    return np.stack(visited)


def sgd_trajectory(
    p0, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0
) -> list[np.ndarray]:
    """PyTorch's SGD with dampening 0: the first momentum buffer is the gradient itself."""
    p = np.asarray(p0, np.float64).copy()
    buffer = None
    trajectory = []
    for grad in grads:
        g = np.asarray(grad, np.float64) + weight_decay * p
        if momentum:
            buffer = g.copy() if buffer is None else momentum * buffer + g
            g = g + momentum * buffer if nesterov else buffer
        p = p - lr * g
        trajectory.append(p.copy())
    return trajectory


def adam_trajectory(
    p0, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False
) -> list[np.ndarray]:
    """Adam (L2 decay added to the gradient) or, with decoupled=True, AdamW."""
    beta1, beta2 = betas
    p = np.asarray(p0, np.float64).copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    trajectory = []
    for t, grad in enumerate(grads, start=1):
        g = np.asarray(grad, np.float64)
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        trajectory.append(p.copy())
    return trajectory


def step_lr(base_lr: float, epoch: int, step_size: int, gamma: float) -> float:
    return base_lr * gamma ** (epoch // step_size)


def cosine_lr(base_lr: float, epoch: int, t_max: int, eta_min: float) -> float:
    return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * epoch / t_max)) / 2
