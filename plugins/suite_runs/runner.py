"""Run one exercise's suite in a fresh Python process and read back every test's result.

A separate process keeps the caller safe from the suite: an import error, a crash, a hang or
megabytes of output cost that run only. Each test has its own timeout (pytest-timeout, which
fails the test and goes on); the whole run has another, after which the process group is
killed. Results stream to a file as tests finish (``plugins.suite_runs.recorder``), so a killed
run still reports every test that finished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog import Exercise
from core.plugin_manager import EXTRA_PLUGINS_VARIABLE
from core.selection import ENVIRONMENT_VARIABLE, NONE

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"
OUTPUT_TAIL = 20_000


@dataclass(frozen=True)
class TestRecord:
    """One test's result: ``outcome`` is passed, failed, error or skipped."""

    nodeid: str
    outcome: str
    seconds: float = 0.0
    message: str = ""


@dataclass
class SuiteRun:
    """What one run of a suite gave: the collected tests (with points), each finished test's
    record, collection errors, and how the process ended."""

    exercise: Exercise
    selection: str
    returncode: int | None
    seconds: float
    output: str
    timed_out: bool = False
    collected: dict[str, float] = field(default_factory=dict)
    records: dict[str, TestRecord] = field(default_factory=dict)
    collect_errors: dict[str, str] = field(default_factory=dict)
    deselected: int = 0
    load_failures: list[str] = field(default_factory=list)
    finished: bool = False

    def named(self, outcome: str) -> list[str]:
        return [nodeid for nodeid, record in self.records.items() if record.outcome == outcome]

    @property
    def passed(self) -> int:
        return len(self.named(PASSED))

    @property
    def complete(self) -> bool:
        """The run ended normally and every collected test has a result."""
        return self.finished and bool(self.collected) and set(self.collected) <= set(self.records)

    def problem(self) -> str:
        """Why tests without a result have none: the run's end, in one paragraph."""
        if self.timed_out:
            return (
                f"{self.exercise.id}: the run was stopped after {self.seconds:.0f} s (the "
                "exercise's time limit); this test had not finished. Look for an endless loop."
            )
        if self.collect_errors:
            nodeid, message = next(iter(self.collect_errors.items()))
            return f"{self.exercise.id}: the tests could not be collected ({nodeid}):\n{message}"
        tail = self.output.strip()[-3000:]
        return (
            f"{self.exercise.id}: the test process ended (exit code {self.returncode}) before "
            f"this test ran. Its last output:\n{tail}"
        )


def read_events(path: Path, run: SuiteRun) -> None:
    """Fill ``run`` from the recorder's JSON lines (a last line cut short by a kill is ignored)."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        kind = event.get("event")
        if kind == "collected":
            run.collected = {test["nodeid"]: test["points"] for test in event["tests"]}
            run.deselected = event.get("deselected", 0)
        elif kind == "loaded":
            run.load_failures = event["failures"]
        elif kind == "collect_error":
            run.collect_errors[event["nodeid"]] = event["message"]
        elif kind == "test":
            run.records[event["nodeid"]] = TestRecord(
                event["nodeid"], event["outcome"], event["seconds"], event["message"]
            )
        elif kind == "finished":
            run.finished = True


def _tail(path: Path) -> str:
    size = path.stat().st_size
    with path.open("rb") as output:
        output.seek(max(0, size - OUTPUT_TAIL))
        text = output.read().decode("utf-8", errors="replace")
    return ("[... earlier output left out ...]\n" if size > OUTPUT_TAIL else "") + text


def run_suite(
    exercise: Exercise,
    selection: str,
    *,
    test_timeout: float | None = None,
    suite_timeout: float = 600,
    extra_plugins: Sequence[str] = (),
    launcher: Sequence[str] = ("-m", "pytest"),
    pytest_args: Sequence[str] = (),
) -> SuiteRun:
    """Run ``exercise``'s tests with ``selection`` (e.g. ``"reference"``) in a subprocess.

    ``extra_plugins`` are loaded after the implementations (``GRADKIT_PLUGINS``); ``launcher``
    starts pytest (e.g. ``("-m", "coverage", "run", ..., "-m", "pytest")``).
    """
    root = exercise.path.parent.parent
    with tempfile.TemporaryDirectory() as scratch:
        events = Path(scratch) / "results.jsonl"
        output_path = Path(scratch) / "output.txt"
        command = [
            sys.executable,
            *launcher,
            str(exercise.tests_path),
            "-q",
            "-p",
            "no:cacheprovider",
            "--show-capture=no",
            f"--gradkit-results={events}",
            *([f"--timeout={test_timeout}"] if test_timeout else []),
            *pytest_args,
        ]
        environment = {
            **os.environ,
            ENVIRONMENT_VARIABLE: selection,
            EXTRA_PLUGINS_VARIABLE: ",".join(extra_plugins),
        }
        started = time.perf_counter()
        timed_out = False
        with output_path.open("wb") as output:
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
                cwd=root,
                start_new_session=True,
            )
            try:
                process.wait(timeout=suite_timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        run = SuiteRun(
            exercise,
            selection,
            None if timed_out else process.returncode,
            time.perf_counter() - started,
            _tail(output_path),
            timed_out,
        )
        read_events(events, run)
    return run


def collect_tests(exercises: Sequence[Exercise], *, timeout: float = 120) -> dict[str, dict]:
    """``{exercise_id: {nodeid: points}}`` of the kit's own test files, collected in a subprocess
    that loads no implementation (so no student code runs): what each exercise is graded on."""
    if not exercises:
        return {}
    root = exercises[0].path.parent.parent
    with tempfile.TemporaryDirectory() as scratch:
        events = Path(scratch) / "collected.jsonl"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *(str(exercise.tests_path) for exercise in exercises),
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--gradkit-results={events}",
        ]
        environment = {**os.environ, ENVIRONMENT_VARIABLE: NONE, EXTRA_PLUGINS_VARIABLE: ""}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=root,
                env=environment,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(f"collecting the exercise suites took over {timeout} s") from error
        run = SuiteRun(exercises[0], "", done.returncode, 0.0, done.stdout + done.stderr)
        read_events(events, run)
    if run.collect_errors or not run.collected:
        problem = next(iter(run.collect_errors.values()), run.output[-3000:])
        raise RuntimeError(f"the exercise suites could not be collected:\n{problem}")
    by_exercise: dict[str, dict] = {exercise.id: {} for exercise in exercises}
    for exercise in exercises:
        prefix = exercise.tests_path.relative_to(root).as_posix() + "/"
        by_exercise[exercise.id] = {
            nodeid: points for nodeid, points in run.collected.items() if nodeid.startswith(prefix)
        }
    return by_exercise
