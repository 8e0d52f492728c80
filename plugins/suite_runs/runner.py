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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from core.catalog import Exercise
from core.plugin_manager import EXTRA_PLUGINS_VARIABLE
from core.selection import ENVIRONMENT_VARIABLE, NONE
from plugins.suite_runs.forked import FORK, FORK_SERVER, run_forked
from plugins.suite_runs.sandbox import SandboxUser, hand_over

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"
SUBPROCESS = "subprocess"
START_METHODS = (SUBPROCESS, FORK, FORK_SERVER)
# The plugins the kit's root conftest.py loads; a suite run names them itself.
KIT_PLUGINS = ("plugins.pytest_gradkit", "plugins.failure_report", "plugins.suite_runs.recorder")
PYTEST_STEERING = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")
CONFIG_FILES = ("pytest.ini", "pyproject.toml")  # the first the kit's root holds is its own
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
    variants: dict[str, SuiteRun] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Variant:
    """One more way to run a collected suite (``plugins.suite_runs.variants``): on ``selection``
    with the extra ``plugins``; ``first_failure`` stops it at its first failing test."""

    name: str
    selection: str
    plugins: tuple[str, ...] = ()
    first_failure: bool = False


def read_events(path: Path, run: SuiteRun) -> None:
    """Fill ``run`` from the recorder's JSON lines (a last line cut short by a kill is ignored);
    the results of each variant go to ``run.variants[name]``, finished once the variant ran to
    its end."""
    if not path.exists():
        return
    target = run
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
            target.load_failures = event["failures"]
        elif kind == "collect_error":
            run.collect_errors[event["nodeid"]] = event["message"]
        elif kind == "variant":
            target = replace(run, selection=event["name"], records={}, variants={})
            run.variants[event["name"]] = target
        elif kind == "variant_end":
            target.finished = True
        elif kind == "test":
            target.records[event["nodeid"]] = TestRecord(
                event["nodeid"], event["outcome"], event["seconds"], event["message"]
            )
        elif kind == "finished":
            run.finished = True


def _tail(path: Path) -> str:
    if not path.is_file():
        return ""
    size = path.stat().st_size
    with path.open("rb") as output:
        output.seek(max(0, size - OUTPUT_TAIL))
        text = output.read().decode("utf-8", errors="replace")
    return ("[... earlier output left out ...]\n" if size > OUTPUT_TAIL else "") + text


def pinned_configuration(root: Path) -> list[str]:
    """pytest options that fix its configuration to the kit's own: its configuration file and root,
    no conftest.py (the kit's plugins, which the root conftest.py names, are loaded by name), so
    that no file a student adds next to a suite (a pytest.ini, a conftest.py) changes a run."""
    config = next((root / name for name in CONFIG_FILES if (root / name).is_file()), None)
    return [
        *(["-c", str(config)] if config else []),
        "--rootdir",
        str(root),
        "--noconftest",
        *[option for plugin in KIT_PLUGINS for option in ("-p", plugin)],
    ]


def unsteered_environment() -> dict[str, str]:
    """This process's environment without the variables that add pytest options or plugins."""
    return {name: value for name, value in os.environ.items() if name not in PYTEST_STEERING}


def run_suite(
    exercise: Exercise,
    selection: str,
    *,
    test_timeout: float | None = None,
    suite_timeout: float = 600,
    extra_plugins: Sequence[str] = (),
    pytest_args: Sequence[str] = (),
    start: str = SUBPROCESS,
    coverage_of: tuple[Path, Path] | None = None,
    variants: Sequence[Variant] = (),
    order: Sequence[str] = (),
    user: SandboxUser | None = None,
) -> SuiteRun:
    """Run ``exercise``'s tests with ``selection`` (e.g. ``"reference"``) in a process of its own.

    ``extra_plugins`` are loaded after the implementations (``GRADKIT_PLUGINS``). ``start`` is
    how the process starts: a fresh interpreter (``subprocess``), or forked, which saves a
    second (``fork`` or ``forkserver``: see :mod:`plugins.suite_runs.forked`). ``coverage_of``
    (forked only) is ``(data file, source file)``: the lines of that file the run executes.
    ``variants`` runs the collected suite once per variant instead (``selection`` is then what
    collection loads), the tests in ``order`` first; their results are in ``run.variants``.
    ``user`` (forked only): the run is that unprivileged user (:mod:`plugins.suite_runs.sandbox`).
    """
    if start not in START_METHODS:
        raise ValueError(f"run_suite: start must be one of {START_METHODS}, got {start!r}")
    if user is not None and start == SUBPROCESS:
        raise ValueError("run_suite: a run as another user must be forked")
    root = exercise.path.parent.parent
    with tempfile.TemporaryDirectory() as scratch:
        if user is not None:
            hand_over(Path(scratch), user)
        events = Path(scratch) / "results.jsonl"
        output_path = Path(scratch) / "output.txt"
        arguments = [
            str(exercise.tests_path),
            *pinned_configuration(root),
            "-q",
            "-p",
            "no:cacheprovider",
            "--show-capture=no",
            f"--gradkit-results={events}",
            *([f"--timeout={test_timeout}"] if test_timeout else []),
            *pytest_args,
        ]
        if variants:
            plan = Path(scratch) / "variants.json"
            plan.write_text(
                json.dumps({"order": list(order), "variants": [asdict(v) for v in variants]}),
                encoding="utf-8",
            )
            arguments += ["-p", "plugins.suite_runs.variants", f"--gradkit-variants={plan}"]
        environment = {
            **unsteered_environment(),
            ENVIRONMENT_VARIABLE: selection,
            EXTRA_PLUGINS_VARIABLE: ",".join(extra_plugins),
        }
        started = time.perf_counter()
        returncode, timed_out = _run_pytest(
            arguments, environment, root, output_path, suite_timeout, start, coverage_of, user
        )
        run = SuiteRun(
            exercise,
            selection,
            returncode,
            time.perf_counter() - started,
            _tail(output_path),
            timed_out,
        )
        read_events(events, run)
    return run


def _run_pytest(
    arguments: list[str],
    environment: dict,
    cwd: Path,
    output_path: Path,
    timeout: float,
    start: str,
    coverage_of: tuple[Path, Path] | None = None,
    user: SandboxUser | None = None,
) -> tuple[int | None, bool]:
    """``pytest ARGUMENTS`` in a process started by ``start``, output to a file. Returns the
    exit code (None if killed) and whether it timed out."""
    if start == SUBPROCESS:
        command = [sys.executable, "-m", "pytest", *arguments]
        return _run_subprocess(command, environment, cwd, output_path, timeout)
    # hypothesis may be imported before pytest could mark it for rewriting
    forked_arguments = [*arguments, "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    return run_forked(
        forked_arguments, environment, cwd, output_path, timeout, start, coverage_of, user=user
    )


def _run_subprocess(
    command: list[str], environment: dict, cwd: Path, output_path: Path, timeout: float
) -> tuple[int | None, bool]:
    """Run ``command`` in a new session, output to a file; kill its whole process group after
    ``timeout`` seconds. Returns the exit code (None if killed) and whether it timed out."""
    with output_path.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            return process.wait(timeout=timeout), False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, True


def collect_tests(
    exercises: Sequence[Exercise], *, timeout: float = 120, start: str = SUBPROCESS
) -> dict[str, dict]:
    """``{exercise_id: {nodeid: points}}`` of the kit's own test files, collected in a process
    of its own that loads no implementation (so no student code runs): what each exercise is
    graded on. ``start`` as for :func:`run_suite`: a caller that forks its runs anyway saves
    the start of an interpreter."""
    if start not in START_METHODS:
        raise ValueError(f"collect_tests: start must be one of {START_METHODS}, got {start!r}")
    if not exercises:
        return {}
    root = exercises[0].path.parent.parent
    with tempfile.TemporaryDirectory() as scratch:
        events, output = Path(scratch) / "collected.jsonl", Path(scratch) / "output.txt"
        arguments = [
            *(str(exercise.tests_path) for exercise in exercises),
            *pinned_configuration(root),
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--gradkit-results={events}",
        ]
        environment = {
            **unsteered_environment(),
            ENVIRONMENT_VARIABLE: NONE,
            EXTRA_PLUGINS_VARIABLE: "",
        }
        returncode, timed_out = _run_pytest(arguments, environment, root, output, timeout, start)
        if timed_out:
            raise RuntimeError(f"collecting the exercise suites took over {timeout} s")
        run = SuiteRun(exercises[0], "", returncode, 0.0, _tail(output))
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
