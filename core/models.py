"""Ready-made models: ``from core import models``; ``models.BinaryMLPClassifier`` and friends
come from the ``models`` registry, filled by the exercises that build them."""

from __future__ import annotations

from typing import Any

from core.plugin_manager import lookup


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "models")
