"""The student's commands: ``gradkit test exNN`` (gated) and ``gradkit progress``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from core import catalog, plugin_manager
from core.selection import STUDENT
from plugins.ladder.cache import CachedResult
from plugins.ladder.standing import Ladder, lock_message, next_step
from plugins.suite_runs.runner import SuiteRun, read_events
from plugins.table import format_table

# pytest options that change only how results are shown: a run with these is a whole-suite run.
_DISPLAY_OPTIONS = (
    "-v",
    "-q",
    "-s",
    "-l",
    "-r",
    "--tb",
    "--traceback",
    "--color",
    "--no-header",
    "--durations",
    "--showlocals",
    "--capture",
)


def _whole_suite(pytest_args: Sequence[str]) -> bool:
    return all(arg.startswith(_DISPLAY_OPTIONS) for arg in pytest_args)


def take_impl(impl: str | None, pytest_args: list[str]) -> tuple[str | None, list[str]]:
    """``--impl X`` may also follow the exercise id: take it out of pytest's options."""
    rest = []
    arguments = iter(pytest_args)
    for argument in arguments:
        if argument == "--impl":
            impl = next(arguments, impl)
        elif argument.startswith("--impl="):
            impl = argument.partition("=")[2]
        else:
            rest.append(argument)
    return impl, rest


def run_test(args: argparse.Namespace) -> int:
    import pytest

    exercise = catalog.exercise(args.exercise)
    args.impl, args.pytest_args = take_impl(args.impl, args.pytest_args)
    ladder = Ladder(args.impl or plugin_manager.active_selection())
    blocker = ladder.first_unfinished_before(exercise)
    if blocker is not None:
        print(lock_message(exercise, blocker), file=sys.stderr)
        return 1
    ladder.discard_bytecode(exercise)
    key, selection = ladder.key(exercise), ladder.selection_upto(exercise)
    with tempfile.TemporaryDirectory() as scratch:
        events = Path(scratch) / "results.jsonl"
        style = "--tb=long" if "--traceback" in args.pytest_args else "--tb=short"
        options = [str(exercise.tests_path), style, f"--gradkit-results={events}"]
        code = int(pytest.main([*options, *args.pytest_args, f"--gradkit-impl={selection}"]))
        run = SuiteRun(exercise, selection, code, 0.0, "")
        read_events(events, run)
    if run.complete and _whole_suite(args.pytest_args) and ladder.chosen[exercise.id] == STUDENT:
        ladder.remember(exercise, key, CachedResult(run.passed, len(run.collected)))
    return code


def show_progress(args: argparse.Namespace) -> int:
    ladder = Ladder(
        args.impl or plugin_manager.active_selection(),
        announce=lambda message: print(message, file=sys.stderr, flush=True),
    )
    standings = ladder.standings()
    rows = []
    for standing in standings:
        if standing.on_reference:
            score = "reference"
        else:
            score = f"{'-' if standing.passed is None else standing.passed}/{standing.total}"
        rows.append([standing.exercise.id, standing.exercise.title, score, standing.status])
    print(format_table(["exercise", "title", "passed", "status"], rows, right="2"))
    print(f"\n{next_step(standings)}")
    return 0
