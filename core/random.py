"""One seeded random generator for everything that draws random numbers by default
(weight initialisation, shuffling without an explicit seed), as ``torch.manual_seed`` does.

>>> from core import random
>>> random.manual_seed(0)
>>> first = random.generator().uniform()
>>> random.manual_seed(0)
>>> random.generator().uniform() == first   # the same draws on every run after manual_seed(0)
True
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> None:
    """Reset the shared generator, making every later default draw reproducible."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The shared generator (seeded with 0 until ``manual_seed`` is called)."""
    return _generator
