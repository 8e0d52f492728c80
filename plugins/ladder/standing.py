"""Where a student stands on each exercise: done, in progress or locked.

An exercise is *done* when its whole suite passes on the student's code (with the student's own
earlier exercises), *in progress* when the exercises before it are done, and *locked* otherwise.
A standing comes, cheapest first, from the saved result of a run on the same content, from the
release manifest (an exercise whose ``plugin.py`` is byte-identical to the shipped stub fails
every test: ``gradkit verify`` proves it), or from a fresh run of the suite.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core import catalog, plugin_manager
from core.catalog import Exercise
from core.selection import NONE, REFERENCE, format_selection, parse_selection
from plugins.grading import manifest as manifest_file
from plugins.ladder.cache import CachedResult, ResultCache, content_key, run_depends_on
from plugins.repository import repository_files
from plugins.suite_runs.runner import FORK, collect_tests, run_suite

DONE, IN_PROGRESS, LOCKED = "done", "in progress", "locked"
GATE_TEST_TIMEOUT = 60


def say(text: str, end: str = "\n") -> None:
    """Print to the terminal at once (the gate's lines must appear as it works)."""
    print(text, end=end, file=sys.stderr, flush=True)


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
    """The exercises in order, under one selection (``"student"`` unless told otherwise).

    ``announce`` receives a line for each suite the ladder runs as it starts and ends it;
    ``verbose`` also announces each exercise known without a run.
    """

    def __init__(
        self,
        selection: str,
        *,
        announce: Callable[..., None] = say,
        verbose: bool = False,
    ) -> None:
        self.exercises = list(catalog.exercises())
        self.chosen = parse_selection(selection, [e.id for e in self.exercises])
        self.root = catalog.root()
        self.cache = ResultCache(self.root)
        self.announce = announce
        self.verbose = verbose
        self.files = repository_files(self.root)
        self.digests: dict[str, bytes] = {}
        self.manifest = _manifest_at(self.root)
        on_reference = sorted(e for e, chosen in self.chosen.items() if chosen == REFERENCE)
        if self.manifest is not None and on_reference:
            # A release ships no reference: a reference_solutions/ folder in one is not the
            # course's, and must not count as finished exercises.
            raise ValueError(
                f"this is a student release: it has no reference solutions, so "
                f"{', '.join(on_reference)} cannot run on the reference (selection "
                f"{selection!r}). Leave out --impl (or GRADKIT_IMPL) to run your own code"
            )

    def prerequisites(self, exercise: Exercise) -> list[Exercise]:
        """The exercises that must be done before ``exercise`` (see ``core.catalog``)."""
        return list(catalog.prerequisites(exercise))

    def selection_upto(self, exercise: Exercise) -> str:
        """The selection of ``exercise`` and its prerequisites, the rest not loaded: what a run
        of its suite depends on (``"none,ex01=student,ex02=student"``)."""
        needed = [*self.prerequisites(exercise), exercise]
        return format_selection(NONE, {e.id: self.chosen[e.id] for e in needed})

    def key(self, exercise: Exercise) -> str:
        """The content key of a run of ``exercise``'s suite (each file hashed once per Ladder)."""
        folders = {e.folder for e in [*self.prerequisites(exercise), exercise]}
        files = [path for path in self.files if run_depends_on(path, folders)]
        return content_key(self.selection_upto(exercise), ((p, self._digest(p)) for p in files))

    def _digest(self, path: str) -> bytes:
        if path not in self.digests:
            self.digests[path] = hashlib.sha256((self.root / path).read_bytes()).digest()
        return self.digests[path]

    def untouched(self, exercise: Exercise) -> bool:
        """The exercise's ``plugin.py`` is the stub the release shipped."""
        plugin = f"exercises/{exercise.folder}/plugin.py"
        digest = self._digest(plugin).hex() if plugin in self.files else None
        return manifest_file.is_shipped_stub(self.manifest, exercise.id, digest)

    def total(self, exercise: Exercise) -> int | None:
        """How many tests the exercise is graded on, from the manifest (None without one)."""
        tests = (self.manifest or {}).get("tests", {})
        return len(tests[exercise.id]) if exercise.id in tests else None

    def result(self, exercise: Exercise) -> CachedResult:
        """The suite's result: saved if nothing changed, none passing for an untouched stub,
        else run now (and saved)."""
        key = self.key(exercise)
        cached = self.cache.get(exercise.id, key)
        if cached is not None:
            if self.verbose:
                self.announce(f"{exercise}: {_score(cached)} (saved: nothing changed since)")
            return cached
        total = self.total(exercise)
        if total is not None and self.untouched(exercise):
            if self.verbose:
                self.announce(f"{exercise}: not started (its plugin.py is the shipped stub)")
            return CachedResult(0, total)
        self.announce(f"checking {exercise}: running its suite on your code ...", end="")
        self.discard_bytecode(exercise)
        started = time.perf_counter()
        run = run_suite(
            exercise, self.selection_upto(exercise), test_timeout=GATE_TEST_TIMEOUT, start=FORK
        )
        result = CachedResult(run.passed, len(run.collected))
        self.announce(f" {_score(result)} ({time.perf_counter() - started:.1f} s)")
        if run.complete:
            self.cache.put(exercise.id, key, result)
        return result

    def discard_bytecode(self, exercise: Exercise) -> None:
        """Delete the compiled plugins of ``exercise`` and its prerequisites. Python reuses a
        ``.pyc`` while the source keeps its size and modification second, so an edit made within
        a second of the last run could otherwise be tested as the old code and saved as the
        new."""
        for needed in [*self.prerequisites(exercise), exercise]:
            shutil.rmtree(needed.path / "__pycache__", ignore_errors=True)

    def remember(self, exercise: Exercise, key: str, result: CachedResult) -> None:
        """Store the result of a whole-suite run made elsewhere (``gradkit test``) on the content
        with ``key``, taken before the run began."""
        self.cache.put(exercise.id, key, result)

    def first_unfinished(self, exercises: Sequence[Exercise]) -> Standing | None:
        """The first of ``exercises`` that is not done (running suites as needed), or None."""
        for exercise in exercises:
            if self.chosen[exercise.id] == REFERENCE:
                continue
            result = self.result(exercise)
            if not result.done:
                return Standing(exercise, IN_PROGRESS, result.passed, result.total)
        return None

    def first_unfinished_before(self, exercise: Exercise) -> Standing | None:
        """The first prerequisite of ``exercise`` that is not done, or None."""
        return self.first_unfinished(self.prerequisites(exercise))

    def next_after(self, exercise: Exercise) -> list[Exercise]:
        """The exercises that build directly on ``exercise``: the next core exercise, or the
        electives that the last core exercise opens."""
        return [e for e in self.exercises if exercise.id in e.requires]

    def standings(self) -> list[Standing]:
        """Every exercise's standing; a suite runs only once its prerequisites are done."""
        known: dict[str, Standing] = {}
        locked: list[Exercise] = []
        for exercise in self.exercises:
            done = [
                e.id in known and known[e.id].status == DONE for e in self.prerequisites(exercise)
            ]
            if not all(done):
                locked.append(exercise)
            elif self.chosen[exercise.id] == REFERENCE:
                known[exercise.id] = Standing(exercise, DONE, None, 0, on_reference=True)
            else:
                result = self.result(exercise)
                status = DONE if result.done else IN_PROGRESS
                known[exercise.id] = Standing(exercise, status, result.passed, result.total)
        totals = self._totals(locked)
        for exercise in locked:
            known[exercise.id] = Standing(exercise, LOCKED, None, totals[exercise.id])
        return [known[e.id] for e in self.exercises]

    def _totals(self, exercises: Sequence[Exercise]) -> dict[str, int]:
        """Test counts from the manifest; else collected (once per content of the tests)."""
        known = {e.id: self.total(e) for e in exercises}
        unknown = [e for e in exercises if known[e.id] is None]
        keys = {e.id: self._tests_key(e) for e in unknown}
        for exercise in unknown:
            saved = self.cache.get(f"{exercise.id}-tests", keys[exercise.id])
            known[exercise.id] = None if saved is None else saved.total
        missing = [e for e in unknown if known[e.id] is None]
        if missing:
            for exercise_id, tests in collect_tests(missing, start=FORK).items():
                known[exercise_id] = len(tests)
                counted = CachedResult(0, len(tests))
                self.cache.put(f"{exercise_id}-tests", keys[exercise_id], counted)
        return known

    def _tests_key(self, exercise: Exercise) -> str:
        """The content key of collecting ``exercise``'s tests: the kit and its tests."""
        tests = f"exercises/{exercise.folder}/tests/"
        files = [p for p in self.files if p.startswith(tests) or run_depends_on(p, set())]
        return content_key("collect", ((p, self._digest(p)) for p in files))


def _manifest_at(root) -> dict | None:
    path = root / manifest_file.MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        return manifest_file.read(path)
    except ValueError:
        return None


def _score(result: CachedResult) -> str:
    if result.total == 0:
        return "no test ran"
    if result.done:
        return f"done, all {result.total} tests pass"
    return f"{result.passed} of {result.total} tests pass"


def what_to_finish(command: str, needed: Exercise, error: NotImplementedError) -> str:
    """Why ``gradkit COMMAND`` cannot run yet: the first exercise it needs (``needed`` and its
    prerequisites) that is not done. The stub that raised may belong to a later one."""
    ladder = Ladder(plugin_manager.active_selection())
    blocker = ladder.first_unfinished([*ladder.prerequisites(needed), needed])
    lines = [f"gradkit {command}: cannot run yet: it needs {needed} and what it builds on."]
    if blocker is not None:
        lines.append(
            f"Finish {blocker.exercise} first - {failing_text(blocker)}. Read "
            f"exercises/{blocker.exercise.folder}/README.md, then run: tox -e {blocker.exercise.id}"
        )
    lines.append(f"  (it stopped at: {str(error).splitlines()[0]})")
    return "\n".join(lines)


def failing_text(blocker: Standing) -> str:
    """``none of its 194 tests pass yet`` / ``12 of its 170 tests still fail``."""
    if blocker.total == 0:
        return (
            "its suite ran no test (a conftest.py or pytest.ini may deselect them all; "
            "restore the shipped files)"
        )
    if blocker.passed in (None, 0):
        return f"none of its {blocker.total} tests pass yet"
    return f"{blocker.failing} of its {blocker.total} tests still fail"


def lock_message(exercise: Exercise, blocker: Standing) -> str:
    """``ex03 is locked: finish ex02 (tensor backward) first - 12 of its 170 tests still
    fail.``"""
    return (
        f"{exercise.id} is locked: finish {blocker.exercise} first - {failing_text(blocker)}.\n"
        f"  Read exercises/{blocker.exercise.folder}/README.md, then run: tox -e "
        f"{blocker.exercise.id}"
    )


def next_step(standings: Sequence[Standing]) -> str:
    """One sentence: what to do now. The next core step comes first; then an elective already
    begun; then the electives to choose from."""
    core = [s for s in standings if not s.exercise.elective]
    electives = [s for s in standings if s.exercise.elective]
    begun = [s for s in electives if s.status == IN_PROGRESS and s.passed]
    for standing in [*core, *begun]:
        if standing.status == IN_PROGRESS:
            exercise = standing.exercise
            return (
                f"Next: {exercise} - {failing_text(standing)}. "
                f"Read exercises/{exercise.folder}/README.md, then run: tox -e {exercise.id}"
            )
    open_electives = [s.exercise for s in electives if s.status == IN_PROGRESS]
    with_study = [s.exercise for s in electives if s.status == DONE and s.exercise.study_module]
    if open_electives and with_study:
        return (
            f"{after_an_elective(with_study[0])} More research electives, if you like: "
            + ", ".join(map(str, open_electives))
        )
    if open_electives:
        return choose_an_elective(open_electives)
    studies = f"Run a study (tox -e report -- {with_study[0].id}) or t" if with_study else "T"
    return (
        f"Every exercise is done. {studies}rain on real data: tox -e train -- digits "
        "(or tox -e train -- mnist --data-dir DIR)"
    )


def after_an_elective(exercise: Exercise) -> str:
    """What a green research elective leads to: its study, whose report is the presentation."""
    return (
        f"Next: run the study of {exercise}: tox -e report -- {exercise.id}. It writes figures, "
        f"report.md and results.json to gradkit-output/report-{exercise.id}/; answer the "
        "Findings in report.md: they are your presentation."
    )


def choose_an_elective(electives: Sequence[Exercise]) -> str:
    """``Next: the core is done; pick a research elective ...: ex08 (confidence maps), ...``"""
    first = electives[0]
    study = f"; its study: tox -e report -- {first.id}" if first.study_module else ""
    return (
        "Next: the core is done; pick a research elective (one is enough): "
        + ", ".join(str(e) for e in electives)
        + f". Read its README (exercises/{first.folder}/README.md), then run: "
        f"tox -e {first.id}{study}"
    )


def following(exercises: Sequence[Exercise]) -> str:
    """What to do after a suite went green: the next core exercise it opens (and the
    research electives it opens besides), or the electives to choose from."""
    core = [e for e in exercises if not e.elective]
    electives = [e for e in exercises if e.elective]
    if not core:
        return choose_an_elective(electives)
    nxt = core[0]
    also = f" Open now too: {', '.join(map(str, electives))}." if electives else ""
    return f"Next: {nxt}. Read exercises/{nxt.folder}/README.md, then run: tox -e {nxt.id}.{also}"
