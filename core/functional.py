"""Functions on tensors, PyTorch-style: ``from core import functional as F``.

The ops below are fixed parts of the API. Composite functions that exercises add later
(``softmax``, ``log_softmax``, ...) are looked up in the ``functions`` registry by name, so
``F.softmax`` works as soon as a loaded plugin registers it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.plugin_manager import lookup
from core.tensor import Tensor, apply_op


def _tensor(x: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return like._lift(x) if like is not None else Tensor(x)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise ``max(a, b)`` with broadcasting; at ties the gradient is split in half."""
    a = _tensor(a, b if isinstance(b, Tensor) else None)
    return apply_op("maximum", (a, _tensor(b, a)), {})


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise ``min(a, b)`` with broadcasting; at ties the gradient is split in half."""
    a = _tensor(a, b if isinstance(b, Tensor) else None)
    return apply_op("minimum", (a, _tensor(b, a)), {})


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` is true, else ``b`` (all three broadcast together)."""
    condition = np.asarray(getattr(condition, "data", condition), dtype=bool)
    a = _tensor(a, b if isinstance(b, Tensor) else None)
    return apply_op("where", (a, _tensor(b, a)), {"condition": condition})


def exp(x: Tensor) -> Tensor:
    return _tensor(x).exp()


def log(x: Tensor) -> Tensor:
    return _tensor(x).log()


def relu(x: Tensor) -> Tensor:
    return _tensor(x).relu()


def sigmoid(x: Tensor) -> Tensor:
    return _tensor(x).sigmoid()


def tanh(x: Tensor) -> Tensor:
    return _tensor(x).tanh()


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "functions")
