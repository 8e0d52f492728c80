"""Optimizers: ``from core import optim``; ``optim.SGD`` etc. come from the ``optimizers``
registry, filled by the optimizer exercise (or its reference)."""

from __future__ import annotations

from typing import Any

from core.plugin_manager import lookup


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "optimizers")
