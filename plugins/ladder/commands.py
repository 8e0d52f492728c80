"""The student's commands: ``gradkit test exNN`` (gated) and ``gradkit progress``."""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from core import catalog, plugin_manager
from core.catalog import Exercise
from core.selection import STUDENT
from plugins.grading import manifest as manifest_file
from plugins.ladder.cache import CachedResult
from plugins.ladder.load_errors import load_problems
from plugins.ladder.standing import (
    IN_PROGRESS,
    Ladder,
    after_an_elective,
    following,
    lock_message,
    next_step,
    say,
)
from plugins.suite_runs.runner import SuiteRun, read_events
from plugins.table import format_table

# pytest options that change only how results are shown: a run with only these (matched
# whole, never as a prefix: "-qkadd" is "-q -k add") is a whole-suite run, worth saving.
DISPLAY_OPTIONS = re.compile(
    r"-v+|-q+|-s|-l|-r[A-Za-z]+|--traceback|--showlocals|--no-header|--capture=\w+"
    r"|--tb=\w+|--color=\w+|--durations=\d+"
)
QUIET_OPTIONS = ["-q", "--tb=no", "-rN"]  # the summary below shows every failure once
# The gate may have imported hypothesis (to fork its checks) before pytest could rewrite it.
NO_REWRITE_WARNING = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]


def is_whole_suite(pytest_args: Sequence[str], run: SuiteRun) -> bool:
    return run.deselected == 0 and all(DISPLAY_OPTIONS.fullmatch(a) for a in pytest_args)


def take_impl(impl: str | None, pytest_args: list[str]) -> tuple[str | None, list[str]]:
    """``--impl X`` may also follow the exercise id: take it out of pytest's options (and a
    leading ``--``, as in ``gradkit test ex02 -- -q``)."""
    rest = []
    arguments = iter(pytest_args[1:] if pytest_args[:1] == ["--"] else pytest_args)
    for argument in arguments:
        if argument == "--impl":
            impl = next(arguments, impl)
        elif argument.startswith("--impl="):
            impl = argument.partition("=")[2]
        else:
            rest.append(argument)
    return impl, rest


def _warn_about_changed_kit_files(ladder: Ladder, exercise: Exercise) -> None:
    """Before the run: every shipped file this exercise's grade depends on that was changed."""
    if ladder.manifest is None:
        return
    for finding in manifest_file.check(ladder.root, ladder.manifest):
        if finding.exercise not in (None, exercise.id):
            continue
        say(
            f"warning: {finding.path} was {finding.problem}: it differs from the file the "
            f"course shipped, so grading gives 0 for the tests it touches.\n"
            f"  Restore it: {finding.restore}"
        )


def run_test(args: argparse.Namespace) -> int:
    import pytest

    exercise = catalog.exercise(args.exercise)
    args.impl, args.pytest_args = take_impl(args.impl, args.pytest_args)
    ladder = Ladder(args.impl or plugin_manager.active_selection(), verbose=True)
    _warn_about_changed_kit_files(ladder, exercise)
    blocker = ladder.first_unfinished_before(exercise)
    if blocker is not None:
        problems = load_problems(ladder.selection_upto(blocker.exercise), ladder.root)
        say("\n".join([lock_message(exercise, blocker), *problems]))
        return 1
    ladder.discard_bytecode(exercise)
    key, selection = ladder.key(exercise), ladder.selection_upto(exercise)
    problems = load_problems(selection, ladder.root)
    if problems:
        say("\n\n".join(problems) + f"\nFix it, then run: tox -e {exercise.id}")
        return 1
    traceback = "--traceback" in args.pytest_args
    with tempfile.TemporaryDirectory() as scratch:
        events = Path(scratch) / "results.jsonl"
        options = [str(exercise.tests_path), f"--gradkit-results={events}", *NO_REWRITE_WARNING]
        options += ["--tb=long"] if traceback else QUIET_OPTIONS
        say(f"{exercise}: running its suite on exercises/{exercise.folder}/plugin.py")
        code = int(pytest.main([*options, *args.pytest_args, f"--gradkit-impl={selection}"]))
        run = SuiteRun(exercise, selection, code, 0.0, "")
        read_events(events, run)
    from plugins.ladder.run_summary import render  # imports pytest's plugins: after the run

    print("\n".join(render(exercise, run, tox_env=exercise.id, detailed=not traceback)))
    # Saved only when the whole shipped suite ran: a test file deleted or ignored is not done.
    shipped = ladder.total(exercise)
    whole = run.complete and is_whole_suite(args.pytest_args, run)
    whole = whole and shipped in (None, len(run.collected))
    if whole and ladder.chosen[exercise.id] == STUDENT:
        ladder.remember(exercise, key, CachedResult(run.passed, len(run.collected)))
    opened = ladder.next_after(exercise)
    if whole and code == 0 and opened:
        print(following(opened))
    elif whole and code == 0 and exercise.elective and exercise.study_module:
        print(after_an_elective(exercise))
    return code


def show_progress(args: argparse.Namespace) -> int:
    ladder = Ladder(args.impl or plugin_manager.active_selection())
    standings = ladder.standings()
    headers = ["exercise", "title", "passed", "status"]
    core = [_row(s) for s in standings if not s.exercise.elective]
    electives = [_row(s) for s in standings if s.exercise.elective]
    table = format_table(headers, core + electives, right="2").splitlines()
    print("\n".join(table[: len(core) + 1]))
    if electives:
        print("\nresearch electives (each needs the core; pick one or more):")
        print("\n".join(table[len(core) + 1 :]))
    print(f"\n{next_step(standings)}")
    return 0


def _row(standing) -> list[str]:
    if standing.on_reference:
        score = "reference"
    else:
        score = f"{'-' if standing.passed is None else standing.passed}/{standing.total}"
    status = standing.status
    if standing.exercise.elective and status == IN_PROGRESS and not standing.passed:
        status = "open"
    return [standing.exercise.id, standing.exercise.title, score, status]
