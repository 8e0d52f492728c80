"""Neural-network building blocks: ``from core import nn``.

``Module`` and ``Parameter`` are given. Layers and losses (``nn.Linear``, ``nn.MSELoss``, ...)
come from the ``layers`` and ``losses`` registries, so they appear as exercises are loaded.
"""

from __future__ import annotations

from typing import Any

from core.module import Module, Parameter
from core.plugin_manager import lookup

__all__ = ["Module", "Parameter"]


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "layers", "losses")
