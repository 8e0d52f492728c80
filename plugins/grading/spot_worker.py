"""The process that evaluates spot-check probes:
``main([seed, seconds, values_path, meta_path, ids...])``.

It runs with whatever implementation the selection in its environment loads: the reference (the
grader's trusted values) or the student's code (the values to confirm). Each probe's generator
is seeded by ``(seed, probe index)``; its arrays go to ``values_path`` (``np.savez``, no
pickles), keyed ``"<exercise>|<probe>|<name>"``, and a probe that raises is recorded as
``"<exercise>|<probe>|!raised"`` with the error's first line; a probe still running after
``seconds`` is stopped and recorded so. ``meta_path`` (JSON, written only
when given) lists each probe's name, ``covers`` and tolerances, for a grader that imports no
exercise code.
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
from collections.abc import Sequence

import numpy as np

from core import catalog

RAISED = "!raised"
SEPARATOR = "|"


class ProbeTimeout(Exception):
    """A probe ran longer than it may."""


def _stop(signum, frame) -> None:
    raise ProbeTimeout("the probe did not finish in time (an endless loop?)")


def evaluate(
    exercise_ids: Sequence[str], seed: int, seconds: float = 0
) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Every probe of ``exercise_ids``: the arrays by key, and each probe's description;
    ``seconds`` (if not 0) is the time each probe may take."""
    if seconds:
        signal.signal(signal.SIGALRM, _stop)
    values: dict[str, np.ndarray] = {}
    described = []
    for exercise_id in exercise_ids:
        module_name = catalog.exercise(exercise_id).spot_check_module
        if module_name is None:
            continue
        for index, probe in enumerate(importlib.import_module(module_name).PROBES):
            prefix = f"{exercise_id}{SEPARATOR}{probe.name}{SEPARATOR}"
            described.append(
                {
                    "exercise": exercise_id,
                    "name": probe.name,
                    "covers": probe.covers,
                    "rtol": probe.rtol,
                    "atol": probe.atol,
                }
            )
            try:
                signal.setitimer(signal.ITIMER_REAL, seconds)
                computed = probe.compute(np.random.default_rng([seed, index]))
                signal.setitimer(signal.ITIMER_REAL, 0)
                arrays = {
                    name: np.asarray(value, dtype=np.float64) for name, value in computed.items()
                }
            except Exception as error:  # the student's error is a result, not the worker's end
                signal.setitimer(signal.ITIMER_REAL, 0)
                first_line = (str(error).splitlines() or [""])[0][:200]
                values[prefix + RAISED] = np.array(f"{type(error).__name__}: {first_line}")
                continue
            values.update({prefix + name: array for name, array in arrays.items()})
    return values, described


def main(arguments: Sequence[str]) -> int:
    seed, seconds, values_path, meta_path, *exercise_ids = arguments
    values, described = evaluate(exercise_ids, int(seed), float(seconds))
    with open(values_path, "wb") as out:
        np.savez(out, **values)
    if meta_path:
        with open(meta_path, "w", encoding="utf-8") as out:
            json.dump(described, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
