"""Tools for looking inside a trained network: ``from core import analysis``.

The research electives add them — confidence maps, layer activations and embeddings,
adversarial images, saliency — through the ``analysis`` registry, so ``analysis.fgsm`` works as
soon as a loaded plugin registers it, and a study calls the same name whichever implementation
is selected.
"""

from __future__ import annotations

from typing import Any

from core.plugin_manager import lookup


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return lookup(name, "analysis")
