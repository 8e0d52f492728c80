"""Short failure reports for exercise tests: what failed and why, without pytest's traceback.

A failing exercise test shows the error's message (the checks in ``exercises/testing`` put the
op, the inputs, expected, got and a hint there) and the line of the student's plugin where the
error was raised. Only that report is built: pytest's own traceback, which re-reads the source
of every frame, would cost most of a failing run's time and then be thrown away.
``--traceback`` brings back the full traceback; the kit's own tests (``tests/``) always keep it.

Hypothesis's notes (the failing example's repr, its draws, the advice to decorate the test with
``@reproduce_failure``) are left out: the message already shows the exact inputs, the profile is
derandomized so a failure repeats on every run, and a student must never edit a test.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from core.catalog import EXERCISE_FOLDER
from plugins.pytest_gradkit import KIT, exercise_of

FULL_TRACEBACK_HINT = "(the full traceback: add --traceback)"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradkit").addoption(
        "--traceback",
        action="store_true",
        help="show the full traceback of failing exercise tests instead of the short report",
    )


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the errors it was raised from, outermost first (each at most once)."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def student_frame(error: BaseException) -> str:
    """``exercises/ex01_tensor_forward/plugin.py:42 in add_forward``: the deepest frame in an
    exercise's own code (not its tests), searched from the error that was raised first (an op
    error re-raised by the engine keeps the student's line in its ``__cause__``); or ``""``."""
    for cause in reversed(_chain(error)):
        # walk_tb reads no source (extract_tb would, for every frame of every failing test)
        for frame, line in reversed(list(traceback.walk_tb(cause.__traceback__))):
            parts = Path(frame.f_code.co_filename).parts
            if "tests" in parts or len(parts) < 2 or not EXERCISE_FOLDER.match(parts[-2]):
                continue
            return f"{Path(*parts[-3:]).as_posix()}:{line} in {frame.f_code.co_name}"
    return ""


def short_report(error: BaseException, *, notes: bool = True) -> str:
    """The error's type and message, its notes unless ``notes`` is False, and where in the
    student's plugin it was raised."""
    message = str(error).strip()
    lines = [f"{type(error).__name__}: {message}" if message else type(error).__name__]
    if notes:
        lines += [str(note) for note in getattr(error, "__notes__", ())]
    where = student_frame(error)
    if where:
        lines.append(f"raised at {where}")
    lines.append(FULL_TRACEBACK_HINT)
    return "\n".join(lines)


def _is_hypothesis_test(item: pytest.Item) -> bool:
    return getattr(getattr(item, "obj", None), "is_hypothesis_test", False)


@pytest.hookimpl(trylast=True)  # after pytest_gradkit has marked each test's exercise
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Exercise tests build the short report in place of pytest's traceback."""
    if config.getoption("--traceback"):
        return
    for item in items:
        if exercise_of(item) in (None, KIT):
            continue
        notes = not _is_hypothesis_test(item)
        item.repr_failure = lambda excinfo, notes=notes: short_report(excinfo.value, notes=notes)
