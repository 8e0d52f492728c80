"""What every benchmark script shares: the reference switched on, medians, and PASS/FAIL targets.

A benchmark script imports this module after putting the repository root on ``sys.path``::

    use_reference()                      # always measure the reference solutions
    targets = Targets()
    targets.check("per-op overhead vs torch", ratio <= 1.0, f"ratio {ratio:.2f} <= 1.00")
    sys.exit(targets.report())           # one PASS/FAIL line per target; 1 if any missed

Timings on a shared two-core machine are noisy, so scripts compare medians of repeated
measurements taken in the same run, interleaved between the things compared.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from core import plugin_manager

Timed = Callable[[], object]
Key = TypeVar("Key", bound=Hashable)


def use_reference() -> None:
    """Load the reference solution of every exercise, whatever ``GRADKIT_IMPL`` says."""
    plugin_manager.activate("reference")
    problems = plugin_manager.failures()
    if problems:
        details = "\n".join(f"  - {failure}" for failure in problems)
        raise SystemExit(f"the reference implementation failed to load:\n{details}")


def loops_for(function: Timed, seconds: float) -> int:
    """How many calls of ``function`` take at least ``seconds`` (1, 2, 5, 10, 20, ...)."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            loops = number * factor
            start = time.perf_counter()
            for _ in range(loops):
                function()
            if time.perf_counter() - start >= seconds:
                return loops
        number *= 10


def interleaved_medians(
    functions: dict[Key, Timed], loops: dict[Key, int], repeat: int
) -> dict[Key, tuple[float, float]]:
    """``{name: (median, spread)}`` seconds per call of each function over ``repeat`` rounds.

    Each round times every function once (``loops[name]`` calls in a row), so a slow spell of
    the machine hits all of them alike. ``spread`` is the interquartile range over the median.
    The garbage collector is off while timing, as in ``timeit``.
    """
    samples: dict[Key, list[float]] = {name: [] for name in functions}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for name, function in functions.items():
                count = loops[name]
                start = time.perf_counter()
                for _ in range(count):
                    function()
                samples[name].append((time.perf_counter() - start) / count)
    finally:
        if was_enabled:
            gc.enable()
    return {name: (statistics.median(values), spread(values)) for name, values in samples.items()}


def with_collector(function: Timed) -> Timed:
    """``function`` with the garbage collector on while it runs, as in a real training loop.

    Graphs of Python objects trigger collections that ``timeit``-style timing leaves out.
    """

    def collected() -> object:
        gc.enable()
        try:
            return function()
        finally:
            gc.disable()

    return collected


def timed_run(
    command: list[str], cwd: object, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``command`` (output captured) and return its wall time in seconds and its result."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done


def spread(values: list[float]) -> float:
    """Interquartile range relative to the median (0.05 means the middle half lies within 5%)."""
    if len(values) < 4:
        return (max(values) - min(values)) / statistics.median(values)
    low, _, high = statistics.quantiles(values, n=4)
    return (high - low) / statistics.median(values)


@dataclass
class Targets:
    """The targets a script checks; ``report`` prints one PASS/FAIL line each."""

    results: list[tuple[str, bool | None, str]] = field(default_factory=list)

    def check(self, name: str, passed: bool, details: str) -> None:
        self.results.append((name, passed, details))

    def skip(self, name: str, reason: str) -> None:
        self.results.append((name, None, reason))

    def report(self) -> int:
        """Print the verdicts; return the exit code: 1 if a target was missed, else 0."""
        print()
        for name, passed, details in self.results:
            verdict = "SKIP" if passed is None else "PASS" if passed else "FAIL"
            print(f"{verdict}: {name}: {details}")
        return 1 if any(passed is False for _, passed, _ in self.results) else 0
