"""Spot checks: small computations that confirm a suite's verdict from outside the suite.

The grader runs every probe of an exercise twice, each time in a process of its own: once on the
student's code and once on the reference. A probe draws its inputs from a generator the grader
seeds at run time, computes through the kit's public API (so through whichever implementation
is loaded) and returns named arrays; only those arrays leave the process. The grader compares
them in a process that never imports student code: ``|student - reference| <= atol + rtol *
|reference|`` elementwise, same shapes. The tests whose node id matches ``covers`` are the ones
the probe confirms: a suite that says they passed while the probe's values differ (or the
probe raised) is not believed.

Each exercise lists its probes as ``PROBES`` in ``tests/spot_checks.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MODULE = "spot_checks"  # tests/<MODULE>.py of each exercise


@dataclass(frozen=True)
class Probe:
    """One computation: ``compute(rng) -> {name: array}``; the tests ``covers`` (a regular
    expression searched in node ids) are those it confirms."""

    name: str
    covers: str
    compute: Callable[[np.random.Generator], Mapping[str, ArrayLike]]
    rtol: float = 1e-3
    atol: float = 1e-4


def parameter_id(name: str) -> str:
    """``covers`` for the tests parametrized by ``name``: node ids ``test_x[name]`` and
    ``test_x[name-...]``."""
    return rf"\[{re.escape(name)}[\]-]"


def test_named(*names: str) -> str:
    """``covers`` for the test functions ``names`` (each with any parameters)."""
    return "|".join(rf"::{re.escape(name)}(\[|$)" for name in names)
