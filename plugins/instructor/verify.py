"""``gradkit verify``: proof, exercise by exercise, that a suite can be trusted.

1. **reference**: the suite passes with every exercise on the reference;
2. **stubs**: every test fails on the exercise's stubs (its prerequisites on the reference), each
   with the stub's message — a test that passes on a stub proves nothing and is named, and so
   is one that never ran because the run hung or crashed halfway;
3. **coverage**: the suite runs at least ``min_coverage`` of the reference plugin's lines;
4. **mistakes**: each wrong variant in ``reference_solutions/mistakes/exNN_*.py`` loads and
   makes at least one test fail, and there are at least ``MIN_MISTAKES`` of them;
5. **ladder**: the suite passes with the exercise and its prerequisites on the reference and
   every other exercise on its stubs, so it needs nothing from a later exercise (nor, for a
   research elective, from another elective).

Checks 1, 3 and 5 share one run, with coverage: a later exercise's stubs can only make a test
fail, so a suite that passes with them passes on the reference too; only when it fails does a
second run, everything on the reference, tell check 1's failures from check 5's. Every run is a
process of its own, forked from a server that imported pytest, NumPy and scikit-learn once;
runs go side by side, and each mistake's run stops at its first failing test, running the
cheapest tests first (as timed on the reference).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from core import catalog
from core.catalog import Exercise
from core.selection import NONE, REFERENCE, STUDENT, format_selection
from exercises.stub import NOT_IMPLEMENTED
from plugins.suite_runs import forked
from plugins.suite_runs.runner import (
    ERROR,
    FAILED,
    FORK_SERVER,
    PASSED,
    SuiteRun,
    Variant,
    run_suite,
)

MIN_COVERAGE = 95.0
MIN_MISTAKES = 3
MISTAKES_PACKAGE = "reference_solutions.mistakes"
STUBS = "stubs"  # the name of the variant that runs the exercise's stubs
# Imported once by the fork server rather than by each of the many runs of the training suites.


@dataclass
class MistakeResult:
    name: str
    description: str
    caught_by: str | None
    problem: str = ""


@dataclass
class Verification:
    """The five checks of one exercise; ``problems`` lists every failed check, readably."""

    exercise: Exercise
    reference: tuple[int, int] = (0, 0)
    stubs_failing: tuple[int, int] = (0, 0)
    coverage: float = 0.0
    missing_lines: str = ""
    mistakes: list[MistakeResult] = field(default_factory=list)
    ladder: tuple[int, int] = (0, 0)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _ratio(run: SuiteRun, outcome_ok) -> tuple[int, int]:
    return sum(outcome_ok(r.outcome) for r in run.records.values()), len(run.collected)


def _not_passing(run: SuiteRun) -> list[str]:
    missing = [nodeid for nodeid in run.collected if nodeid not in run.records]
    return [n for n, r in run.records.items() if r.outcome != PASSED] + missing


def _names(nodeids: Sequence[str], limit: int = 10) -> str:
    shown = "\n    ".join(nodeids[:limit])
    more = f"\n    ... and {len(nodeids) - limit} more" if len(nodeids) > limit else ""
    return f"\n    {shown}{more}"


def _check_reference_and_ladder(
    exercise: Exercise, later: list[str], min_coverage: float, result: Verification
) -> dict[str, float]:
    """Checks 1, 3 and 5; returns each test's seconds on the reference."""
    reference_file = Path(importlib.util.find_spec(exercise.reference_module).origin)
    with tempfile.TemporaryDirectory() as scratch:
        data_file = Path(scratch) / "coverage"
        laddered = format_selection(REFERENCE, {e: STUDENT for e in later})
        run = run_suite(
            exercise, laddered, start=FORK_SERVER, coverage_of=(data_file, reference_file)
        )
        result.ladder = result.reference = _ratio(run, lambda outcome: outcome == PASSED)
        failing = _not_passing(run)
        if failing or not run.collected:
            _tell_reference_from_ladder(exercise, later, run, failing, result)
        import coverage

        measured = coverage.Coverage(data_file=str(data_file))
        measured.load()
        try:
            _, statements, _, missing, missing_text = measured.analysis2(str(reference_file))
        except coverage.CoverageException as error:
            result.problems.append(f"coverage: nothing measured for {reference_file}: {error}")
            return {}
    result.coverage = 100.0 * (len(statements) - len(missing)) / max(len(statements), 1)
    result.missing_lines = missing_text
    if result.coverage < min_coverage:
        result.problems.append(
            f"coverage: the suite runs {result.coverage:.1f}% of {reference_file.name}'s lines "
            f"(at least {min_coverage:g}% needed); lines never run: {missing_text}"
        )
    return {nodeid: record.seconds for nodeid, record in run.records.items()}


def _tell_reference_from_ladder(
    exercise: Exercise, later: list[str], run: SuiteRun, failing: list[str], result: Verification
) -> None:
    """Some tests failed with the later exercises on their stubs: those that also fail with
    everything on the reference fail check 1, the others check 5."""
    everything = run_suite(exercise, REFERENCE, start=FORK_SERVER) if later else run
    result.reference = _ratio(everything, lambda outcome: outcome == PASSED)
    on_reference = _not_passing(everything)
    if on_reference or not everything.collected:
        result.problems.append(
            f"reference: {len(on_reference)} tests do not pass on the reference:"
            + _names(on_reference)
            + ("" if everything.collected else f"\n{everything.output[-2000:]}")
        )
    only_laddered = [nodeid for nodeid in failing if nodeid not in on_reference]
    if only_laddered:
        result.problems.append(
            f"ladder: with {', '.join(later)} on their stubs, {len(only_laddered)} tests fail, "
            f"so the suite depends on a later exercise:{_names(only_laddered)}"
        )


def _stub_selection(exercise: Exercise) -> str:
    """The exercise on its stubs, its prerequisites on the reference."""
    return format_selection(STUDENT, {e.id: REFERENCE for e in catalog.prerequisites(exercise)})


def _check_stubs(run: SuiteRun, result: Verification) -> None:
    """Check 2, on the run of the suite with the exercise on its stubs."""
    result.stubs_failing = _ratio(run, lambda outcome: outcome in (FAILED, ERROR))
    never_ran = [nodeid for nodeid in run.collected if nodeid not in run.records]
    if never_ran or (run.collected and not run.finished):
        result.problems.append(
            f"stubs: the run on the stubs ended before {len(never_ran)} tests ran, so they "
            f"were never seen to fail ({run.problem().splitlines()[0]}):{_names(never_ran)}"
        )
    passing = run.named(PASSED)
    if passing:
        result.problems.append(
            f"stubs: {len(passing)} tests pass on the stubs, so they prove nothing:"
            + _names(passing)
        )
    other = [
        n
        for n, r in run.records.items()
        if r.outcome != PASSED and NOT_IMPLEMENTED not in r.message
    ]
    if other:
        result.problems.append(
            f"stubs: {len(other)} tests fail on the stubs for another reason than a stub "
            f"(a broken test?):{_names(other)}"
        )
    if not run.collected:
        result.problems.append(f"stubs: no test ran\n{run.output[-2000:]}")


def catalogue_of(exercise: Exercise) -> dict:
    """The exercise's mistakes by name (empty if it has no catalogue module)."""
    from reference_solutions.mistakes import mistakes_of

    module_name = f"{MISTAKES_PACKAGE}.{exercise.folder}"
    if importlib.util.find_spec(module_name) is None:
        return {}
    return mistakes_of(importlib.import_module(module_name))


def _mistake_spec(exercise: Exercise, name: str) -> str:
    return f"{MISTAKES_PACKAGE}.{exercise.folder}:{name}"


def _check_mistake(exercise: Exercise, name: str, description: str, run: SuiteRun | None):
    """Check 4 for one mistake, on the run of the suite with it loaded (None: it never ran)."""
    if run is None:
        return MistakeResult(name, description, None, "never ran: the run ended before it")
    spec = _mistake_spec(exercise, name)
    failed_to_load = [failure for failure in run.load_failures if failure.startswith(spec)]
    if failed_to_load or not run.collected:
        why = "\n".join(failed_to_load) or run.problem()
        return MistakeResult(name, description, None, f"did not load:\n    {why}")
    caught = [n for n, r in run.records.items() if r.outcome in (FAILED, ERROR)]
    if not caught:
        return MistakeResult(name, description, None, "no test fails: the suite misses it")
    return MistakeResult(name, description, caught[0])


def _check_stubs_and_mistakes(
    exercise: Exercise, catalogue: dict, order: list[str], result: Verification
) -> list[MistakeResult]:
    """Checks 2 and 4 in one process: the suite is collected once, then run on the stubs and
    once per mistake (each stopping at its first failing test, the cheapest tests first)."""
    variants = [Variant(STUBS, _stub_selection(exercise))] + [
        Variant(name, REFERENCE, (_mistake_spec(exercise, name),), first_failure=True)
        for name in catalogue
    ]
    runs = _run_variants(exercise, variants, order)
    _check_stubs(runs[STUBS], result)
    uncollected = [nodeid for nodeid in order if nodeid not in runs[STUBS].collected]
    if uncollected:
        result.problems.append(
            f"stubs: {len(uncollected)} tests that ran on the reference were not collected with "
            "no implementation loaded, so no stub or mistake was tried on them (does a test "
            "module build a layer or call the library at import?):" + _names(uncollected)
        )
    return [
        _check_mistake(exercise, name, mistake.description, runs.get(name))
        for name, mistake in catalogue.items()
    ]


def _run_variants(exercise: Exercise, variants: list[Variant], order: list[str]) -> dict:
    """Each variant's run. One that crashes or hangs its process keeps what it recorded; the
    variants after it go on in a new process, so it costs no other check."""
    runs: dict[str, SuiteRun] = {}
    remaining = list(variants)
    while remaining:
        run = run_suite(exercise, NONE, start=FORK_SERVER, variants=remaining, order=order)
        runs.update(run.variants)
        started = [v for v in remaining if v.name in run.variants]
        if not started:  # the suite did not even collect: every variant ends here
            runs.update({v.name: run for v in remaining})
            break
        remaining = remaining[len(started) :]
    return runs


class _Pending:
    """One exercise's checks, submitted to the pool; :meth:`result` waits for them. The
    mistakes wait for the reference run, which times every test."""

    def __init__(
        self,
        exercise: Exercise,
        ids: list[str],
        pool: ThreadPoolExecutor,
        min_coverage: float,
    ) -> None:
        self.verification = Verification(exercise)
        self.catalogue = catalogue_of(exercise)
        self.pool, self.min_coverage = pool, min_coverage
        needed = {e.id for e in catalog.prerequisites(exercise)} | {exercise.id}
        self.later = [e for e in ids if e not in needed]
        self.mistakes: Future | None = None
        self.checks = [pool.submit(self._reference_then_the_rest)]

    def _reference_then_the_rest(self) -> None:
        exercise = self.verification.exercise
        seconds = _check_reference_and_ladder(
            exercise, self.later, self.min_coverage, self.verification
        )
        self.mistakes = self.pool.submit(
            _check_stubs_and_mistakes,
            exercise,
            self.catalogue,
            sorted(seconds, key=seconds.__getitem__),
            self.verification,
        )

    def result(self) -> Verification:
        result = self.verification
        for check in self.checks:
            check.result()
        result.mistakes = self.mistakes.result()
        for mistake in result.mistakes:
            if mistake.caught_by is None:
                result.problems.append(
                    f"mistakes: {mistake.name} ({mistake.description}) {mistake.problem}"
                )
        if len(self.catalogue) < MIN_MISTAKES:
            result.problems.append(
                f"mistakes: {len(self.catalogue)} in reference_solutions/mistakes/"
                f"{result.exercise.folder}.py; at least {MIN_MISTAKES} are needed"
            )
        return result


def verify(
    chosen: Sequence[Exercise], *, min_coverage: float = MIN_COVERAGE, jobs: int | None = None
) -> list[Verification]:
    """Run the five checks for ``chosen`` exercises, ``jobs`` suites at a time."""
    if not catalog.reference_available():
        raise ValueError(
            "gradkit verify checks the suites against reference_solutions/, which this "
            "repository does not have (a student release)"
        )
    ids = [e.id for e in catalog.exercises()]
    forked.preload_the_kits_choice()
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        pending = [_Pending(e, ids, pool, min_coverage) for e in chosen]
        return [exercise.result() for exercise in pending]
