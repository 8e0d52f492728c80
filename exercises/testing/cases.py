"""A case is one concrete call of an op: its input arrays and keyword parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from exercises.testing.domains import Domain


@dataclass(frozen=True)
class Case:
    """Inputs (float64) and parameters of one op call; ``label`` names it in test ids."""

    inputs: tuple[np.ndarray, ...]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        shapes = "x".join(str(tuple(a.shape)).replace(" ", "") for a in self.inputs)
        shown = {k: v for k, v in self.params.items() if k != "condition"}
        return shapes + (f"-{shown}".replace(" ", "") if shown else "")

    def describe(self, dtype: Any = None) -> str:
        """``a: (3, 1) float32, b: (4,) float32; params {...}`` for failure messages."""
        names = "abcd" if len(self.inputs) > 1 else "x"
        parts = [
            f"{name}: {array.shape} {np.dtype(dtype or array.dtype)}"
            for name, array in zip(names, self.inputs)
        ]
        text = ", ".join(parts)
        return text + (f"; params {self.params}" if self.params else "")


Params = dict[str, Any] | Callable[[np.random.Generator, tuple[tuple[int, ...], ...]], dict]


def make_case(
    domains: Sequence[Domain], shapes: Sequence[tuple[int, ...]], params: Params, seed: int
) -> Case:
    """Fill input ``i`` (shape ``shapes[i]``) from ``domains[i]``, reproducibly by ``seed``.

    ``params`` is a dict, or a function of (rng, shapes) for parameters that depend on the
    shapes, such as an index.
    """
    rng = np.random.default_rng(seed)
    shapes = tuple(tuple(shape) for shape in shapes)
    inputs = tuple(domain(rng, shape) for domain, shape in zip(domains, shapes))
    return Case(inputs, params(rng, shapes) if callable(params) else dict(params))
