"""Short failure reports for exercise tests: what failed and why, without pytest's traceback.

A failing exercise test shows the error's message (the checks in ``exercises/testing`` put the
op, the inputs, expected, got and a hint there), hypothesis's reproduce notes, and the line of
the student's plugin where the error was raised. ``--traceback`` brings back the full traceback;
the kit's own tests (``tests/``) always keep it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.catalog import EXERCISE_FOLDER
from plugins.pytest_gradkit import KIT, exercise_of


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradkit").addoption(
        "--traceback",
        action="store_true",
        help="show the full traceback of failing exercise tests instead of the short report",
    )


def _frame_in_student_code(excinfo: pytest.ExceptionInfo) -> str:
    """``exercises/ex01_tensor_forward/plugin.py:42 in add_forward`` for the deepest frame in an
    exercise's own code (not its tests), or ``""``."""
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        parts = path.parts
        if "tests" in parts or len(parts) < 2 or not EXERCISE_FOLDER.match(parts[-2]):
            continue
        where = Path(*parts[-3:]).as_posix()
        return f"{where}:{entry.lineno + 1} in {entry.name}"
    return ""


def short_report(excinfo: pytest.ExceptionInfo) -> str:
    """The error's type and message, its notes (hypothesis's reproduce line), and where in the
    student's plugin it was raised."""
    error = excinfo.value
    message = str(error).strip()
    lines = [f"{type(error).__name__}: {message}" if message else type(error).__name__]
    lines += [str(note) for note in getattr(error, "__notes__", ())]
    where = _frame_in_student_code(excinfo)
    if where:
        lines.append(f"raised at {where}")
    lines.append("(the full traceback: add --traceback)")
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    short = (
        report.failed
        and call.excinfo is not None
        and exercise_of(item) not in (None, KIT)
        and not item.config.getoption("--traceback")
    )
    if short:
        report.longrepr = short_report(call.excinfo)
    return report
