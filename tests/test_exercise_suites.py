"""The meta-suite: every exercise suite passes on the reference and fails, test by test, on
the stubs (with the earlier exercises on the reference, so each failure is the stub's own)."""

from __future__ import annotations

import pytest

from core.catalog import exercises
from core.selection import REFERENCE, STUDENT
from plugins.suite_runner import PASSED, run_suite, selection_with_prerequisites

EXERCISES = [pytest.param(exercise, id=exercise.id) for exercise in exercises()]
STUB_MESSAGE = "is not implemented yet"


def test_there_are_exercises_to_check():
    assert EXERCISES, "no exercises found under exercises/"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_suite_passes_on_the_reference(exercise):
    result = run_suite(exercise, REFERENCE)
    assert result.outcomes, f"{exercise}: no test ran\n{result.output[-3000:]}"
    not_passed = [name for name, r in result.outcomes.items() if r.outcome != PASSED]
    assert not not_passed, (
        f"{exercise}: {len(not_passed)} tests do not pass on the reference:\n  "
        + "\n  ".join(not_passed)
        + "\n"
        + result.output[-3000:]
    )


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_test_fails_on_the_stubs(exercise):
    selection = selection_with_prerequisites(exercise, [e.id for e in exercises()], STUDENT)
    result = run_suite(exercise, selection)
    assert result.outcomes, f"{exercise}: no test ran\n{result.output[-3000:]}"
    passing = result.named(PASSED)
    assert not passing, (
        f"{exercise}: these tests pass on the stubs, so they prove nothing:\n  "
        + "\n  ".join(passing)
    )
    not_from_stub = [name for name, r in result.outcomes.items() if STUB_MESSAGE not in r.message]
    assert not not_from_stub, (
        f"{exercise}: these tests fail on the stubs for another reason than a stub:\n  "
        + "\n  ".join(not_from_stub[:20])
    )
