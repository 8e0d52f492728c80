"""Where a student stands on each exercise: done, in progress or locked.

An exercise is *done* when its whole suite passes on the student's code (with the student's own
earlier exercises), *in progress* when the exercises before it are done, and *locked* otherwise.
Standings come from the signed cache when nothing changed, else from a fresh run of the suite.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core import catalog
from core.catalog import Exercise
from core.selection import NONE, REFERENCE, format_selection, parse_selection
from plugins.ladder.cache import CachedResult, ResultCache, content_key, run_depends_on
from plugins.repository import repository_files
from plugins.suite_runs.runner import collect_tests, run_suite

DONE, IN_PROGRESS, LOCKED = "done", "in progress", "locked"
GATE_TEST_TIMEOUT = 60


@dataclass(frozen=True)
class Standing:
    """``passed`` of ``total`` tests (None while locked: not run); ``on_reference`` when the
    selection puts this exercise on the reference solution."""

    exercise: Exercise
    status: str
    passed: int | None
    total: int
    on_reference: bool = False

    @property
    def failing(self) -> int:
        return self.total - (self.passed or 0)


class Ladder:
    """The exercises in order, under one selection (``"student"`` unless told otherwise)."""

    def __init__(self, selection: str, *, announce: Callable[[str], None] = print) -> None:
        self.exercises = list(catalog.exercises())
        self.chosen = parse_selection(selection, [e.id for e in self.exercises])
        self.root = catalog.root()
        self.cache = ResultCache(self.root)
        self.announce = announce
        self.files = repository_files(self.root)
        self.digests: dict[str, bytes] = {}

    def selection_upto(self, exercise: Exercise) -> str:
        """The selection of the exercises up to ``exercise``, the later ones not loaded: what a
        run of its suite depends on (``"none,ex01=student,ex02=student"``)."""
        upto = {e.id: self.chosen[e.id] for e in self.exercises if e.id <= exercise.id}
        return format_selection(NONE, upto)

    def key(self, exercise: Exercise) -> str:
        """The content key of a run of ``exercise``'s suite (each file hashed once per Ladder)."""
        folders = {e.folder for e in self.exercises if e.id <= exercise.id}
        files = [path for path in self.files if run_depends_on(path, folders)]
        return content_key(self.selection_upto(exercise), ((p, self._digest(p)) for p in files))

    def _digest(self, path: str) -> bytes:
        if path not in self.digests:
            self.digests[path] = hashlib.sha256((self.root / path).read_bytes()).digest()
        return self.digests[path]

    def result(self, exercise: Exercise) -> CachedResult:
        """The suite's result: cached if nothing changed, else run now and remembered."""
        key = self.key(exercise)
        cached = self.cache.get(exercise.id, key)
        if cached is not None:
            return cached
        if exercise.id in self.cache.rejected:
            self.announce(f"the saved result of {exercise.id} was edited by hand; running again")
        self.announce(f"checking {exercise} ...")
        self.discard_bytecode(exercise)
        run = run_suite(exercise, self.selection_upto(exercise), test_timeout=GATE_TEST_TIMEOUT)
        result = CachedResult(run.passed, len(run.collected))
        if run.complete:
            self.cache.put(exercise.id, key, result)
        return result

    def discard_bytecode(self, exercise: Exercise) -> None:
        """Delete the compiled plugins up to ``exercise``. Python reuses a ``.pyc`` while the
        source keeps its size and modification second, so an edit made within a second of the
        last run could otherwise be tested as the old code and cached as the new."""
        for earlier in self.exercises:
            if earlier.id <= exercise.id:
                shutil.rmtree(earlier.path / "__pycache__", ignore_errors=True)

    def remember(self, exercise: Exercise, key: str, result: CachedResult) -> None:
        """Store the result of a whole-suite run made elsewhere (``gradkit test``) on the content
        with ``key``, taken before the run began."""
        self.cache.put(exercise.id, key, result)

    def first_unfinished_before(self, exercise: Exercise) -> Standing | None:
        """The first earlier exercise that is not done (running suites as needed), or None."""
        for earlier in self.exercises:
            if earlier.id >= exercise.id:
                return None
            if self.chosen[earlier.id] == REFERENCE:
                continue
            result = self.result(earlier)
            if not result.done:
                return Standing(earlier, IN_PROGRESS, result.passed, result.total)
        return None

    def standings(self) -> list[Standing]:
        """Every exercise's standing; suites run only up to the first unfinished exercise."""
        standings: list[Standing] = []
        locked: list[Exercise] = []
        for exercise in self.exercises:
            if locked or (standings and standings[-1].status != DONE):
                locked.append(exercise)
                continue
            if self.chosen[exercise.id] == REFERENCE:
                standings.append(Standing(exercise, DONE, None, 0, on_reference=True))
                continue
            result = self.result(exercise)
            status = DONE if result.done else IN_PROGRESS
            standings.append(Standing(exercise, status, result.passed, result.total))
        totals = collect_tests(locked) if locked else {}
        standings += [Standing(e, LOCKED, None, len(totals[e.id])) for e in locked]
        return standings


def lock_message(exercise: Exercise, blocker: Standing) -> str:
    """``ex03 is locked: finish ex02 (tensor backward) first - 12 of 170 tests fail.``"""
    return (
        f"{exercise.id} is locked: finish {blocker.exercise} first - {blocker.failing} of "
        f"{blocker.total} of its tests fail.\n"
        f"  Read exercises/{blocker.exercise.folder}/README.md, then run: tox -e "
        f"{blocker.exercise.id}"
    )


def next_step(standings: Sequence[Standing]) -> str:
    """One sentence: what to do now."""
    for standing in standings:
        if standing.status == IN_PROGRESS:
            exercise = standing.exercise
            return (
                f"Next: {exercise} - {standing.failing} of {standing.total} tests still fail. "
                f"Read exercises/{exercise.folder}/README.md, then run: tox -e {exercise.id}"
            )
    return (
        "Every exercise is done. Train on real data: gradkit train digits "
        "(or gradkit train mnist --data-dir DIR)"
    )
