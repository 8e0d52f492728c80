"""The spot check: a graded run's verdict confirmed where the student's code cannot reach it.

A suite runs in a process that imports the student's code, so that code can make the suite say
anything (patch the recorder, the test runner, the assertions). The spot check does not ask it.
For a seed drawn at run time, a worker that loads only the reference evaluates every probe
(:mod:`exercises.testing.probes`) once per grading run; for each exercise, a worker loads the
student's code as the suite did and evaluates the same probes on the same draws. Both send back
arrays only, and this process, which imports no exercise code at all, compares them. A test the
suite says passed but whose probe differs from the reference, raised or gave nothing is not
believed: it scores 0 and the exercise is flagged with the probe's values.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.catalog import Exercise
from core.selection import ENVIRONMENT_VARIABLE, REFERENCE, format_selection
from exercises.stub import STUB_ERROR
from plugins.grading.gradebook import FLAGGED, GRADED, ExerciseGrade, GradedTest
from plugins.suite_runs.forked import FORK_SERVER, run_forked
from plugins.suite_runs.runner import FAILED, PASSED, unsteered_environment
from plugins.suite_runs.sandbox import SandboxUser, hand_over

WORKER = "plugins.grading.spot_worker"
RAISED, SEPARATOR = "!raised", "|"  # as the worker writes them
MAX_VALUES_BYTES = 50_000_000
AGREES, DIFFERS, NO_VALUES = "agrees", "differs", "gave no values"
WAITS = "waits on an earlier exercise"  # cumulative grading: a prerequisite is still a stub


@dataclass(frozen=True)
class ProbeVerdict:
    """One probe of one exercise: whether the student's values agree with the reference's."""

    exercise: str
    name: str
    covers: str
    verdict: str
    detail: str = ""

    def confirms(self, nodeid: str) -> bool:
        return re.search(self.covers, nodeid) is not None


@dataclass
class Values:
    """What a worker sent back: arrays by ``"exercise|probe|name"`` key, or why there are none."""

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    problem: str = ""

    def of(self, exercise: str, probe: str) -> dict[str, np.ndarray]:
        prefix = f"{exercise}{SEPARATOR}{probe}{SEPARATOR}"
        return {k.removeprefix(prefix): v for k, v in self.arrays.items() if k.startswith(prefix)}


@dataclass
class Reference:
    """The trusted side of one grading run: the seed, each probe's description and values."""

    seed: int
    probes: list[dict]
    values: Values

    def of(self, exercise: str) -> list[dict]:
        return [probe for probe in self.probes if probe["exercise"] == exercise]


def _evaluate(
    root: Path,
    selection: str,
    seed: int,
    exercise_ids: Sequence[str],
    timeout: float,
    per_probe: float,
    user: SandboxUser | None = None,
    start: str = FORK_SERVER,
) -> tuple[Values, list[dict]]:
    """Run the worker in ``root`` with ``selection`` (as ``user``, if given), forked by
    ``start`` (see :mod:`plugins.suite_runs.forked`), each probe given ``per_probe`` seconds and
    all of them ``timeout``; read back its arrays (and descriptions)."""
    with tempfile.TemporaryDirectory(prefix="gradkit-spot-") as scratch:
        if user is not None:
            hand_over(Path(scratch), user)
        values_path, meta_path = Path(scratch) / "values.npz", Path(scratch) / "probes.json"
        output = Path(scratch) / "output.txt"
        environment = {**unsteered_environment(), ENVIRONMENT_VARIABLE: selection}
        arguments = [str(seed), str(per_probe), str(values_path), str(meta_path), *exercise_ids]
        code, timed_out = run_forked(
            arguments, environment, root, output, timeout, start, entry=WORKER, user=user
        )
        described = json.loads(meta_path.read_text()) if meta_path.is_file() else []
        if timed_out or code != 0 or not values_path.is_file():
            why = "timed out" if timed_out else f"ended with exit code {code}"
            tail = output.read_text(errors="replace")[-600:] if output.is_file() else ""
            return Values(problem=f"the probes' process {why}. {tail}".strip()), described
        if values_path.stat().st_size > MAX_VALUES_BYTES:
            return Values(problem="the probes' process wrote more values than it could"), described
        try:
            with np.load(values_path, allow_pickle=False) as loaded:
                arrays = {key: loaded[key] for key in loaded.files}
        except Exception as error:  # whatever the file holds, it is data to reject
            return Values(problem=f"its values could not be read: {error}"), described
    return Values(arrays), described


def reference_values(
    root: Path, exercises: Sequence[Exercise], timeout: float = 120, start: str = FORK_SERVER
) -> Reference | None:
    """The reference's values of every probe of ``exercises``, for a fresh seed, from a worker
    forked by ``start``; None when there is nothing to check (no reference here, or no
    probes)."""
    seed = secrets.randbits(63)
    ids = [exercise.id for exercise in exercises if exercise.spot_check_module]
    if not ids or not (root / "reference_solutions").is_dir():
        return None
    values, probes = _evaluate(
        root, format_selection(REFERENCE), seed, ids, timeout, 0, start=start
    )
    if values.problem:
        raise RuntimeError(f"the spot check's reference run failed: {values.problem}")
    return Reference(seed, probes, values)


def _first(values: np.ndarray) -> str:
    return np.array2string(values.ravel()[:4], precision=4)


def _compare(
    expected: dict, got: dict, rtol: float, atol: float, excused: Sequence[str]
) -> tuple[str, str]:
    if RAISED in got:
        error = str(got[RAISED])
        stub = STUB_ERROR.search(error)
        if stub is not None and stub.group(1) in excused:
            return WAITS, f"{stub.group(1)}'s {stub.group(2)}() is not written yet"
        return DIFFERS, f"raised {error}"
    if not got:
        return NO_VALUES, "the probe's values never came back"
    if set(got) != set(expected):
        extra = sorted(set(got) - set(expected))[:3]
        missing = sorted(set(expected) - set(got))[:3]
        return DIFFERS, f"values named differently (extra {extra}, missing {missing})"
    for name, want in expected.items():
        have = got.get(name)
        if have is None:
            return DIFFERS, f"{name}: no value"
        if have.shape != want.shape:
            return DIFFERS, f"{name}: shape {have.shape}, the reference gives {want.shape}"
        if not np.allclose(have, want, rtol=rtol, atol=atol, equal_nan=True):
            worst = float(np.max(np.abs(have - want)))
            return DIFFERS, (
                f"{name}: off by up to {worst:.3g} (reference {_first(want)}, got {_first(have)})"
            )
    return AGREES, ""


def check(
    reference: Reference,
    exercise: Exercise,
    selection: str,
    *,
    timeout: float,
    per_probe: float,
    excused: Sequence[str] = (),
    user: SandboxUser | None = None,
    start: str = FORK_SERVER,
) -> list[ProbeVerdict]:
    """Evaluate ``exercise``'s probes on the code ``selection`` loads from ``exercise``'s kit
    (the graded copy), in a worker forked by ``start``, and compare each with the reference. A
    probe stopped by the stub of an ``excused`` exercise (a prerequisite the student has not
    written, in cumulative grading) waits rather than differs."""
    probes = reference.of(exercise.id)
    if not probes:
        return []
    root = exercise.path.parent.parent
    got, _ = _evaluate(
        root, selection, reference.seed, [exercise.id], timeout, per_probe, user, start
    )
    verdicts = []
    for probe in probes:
        if got.problem:
            verdict, detail = NO_VALUES, got.problem
        else:
            verdict, detail = _compare(
                reference.values.of(exercise.id, probe["name"]),
                got.of(exercise.id, probe["name"]),
                probe["rtol"],
                probe["atol"],
                excused,
            )
        verdicts.append(ProbeVerdict(exercise.id, probe["name"], probe["covers"], verdict, detail))
    return verdicts


def confirm(grade: ExerciseGrade, verdicts: list[ProbeVerdict]) -> None:
    """Withdraw every pass a failing probe contradicts; flag the exercise with the probes."""
    if not verdicts:
        return
    failing = [v for v in verdicts if v.verdict not in (AGREES, WAITS)]
    contradicted, names = 0, []
    for index, test in enumerate(grade.tests):
        against = next((v for v in failing if v.confirms(test.nodeid)), None)
        if test.outcome == PASSED and against is not None:
            contradicted += 1
            names += [against.name] if against.name not in names else []
            grade.tests[index] = GradedTest(
                test.nodeid,
                FAILED,
                0,
                test.max_points,
                test.seconds,
                f"not confirmed: the suite said this test passed, but the grader's spot check "
                f"'{against.name}' {against.verdict}: {against.detail}",
                kits_own=True,
            )
    agree = sum(v.verdict == AGREES for v in verdicts)
    waiting = len(verdicts) - agree - len(failing)
    grade.spot_check = f"{agree} of {len(verdicts)} probes agree" + (
        f", {waiting} wait on an earlier exercise" if waiting else ""
    )
    if contradicted:
        grade.flags.append(
            f"spot check: the suite said {contradicted} tests passed that probes computed "
            f"outside it contradict ({', '.join(names[:5])}"
            + (", ..." if len(names) > 5 else "")
            + "): their points are withdrawn"
        )
        if grade.status in (GRADED, FLAGGED):
            grade.status = FLAGGED
            grade.note = f"{contradicted} passes not confirmed by the spot check"
