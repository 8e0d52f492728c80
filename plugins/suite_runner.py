"""Run one exercise's suite in a fresh Python process and collect every test's outcome.

A separate process keeps the caller safe from the suite (a crash, a hang, a broken import
cost that run only) and lets each run load its own implementations via ``GRADKIT_IMPL``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog import Exercise
from core.selection import ENVIRONMENT_VARIABLE, REFERENCE

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"


@dataclass(frozen=True)
class TestOutcome:
    name: str
    outcome: str
    message: str = ""


@dataclass
class SuiteResult:
    """Outcomes of one run, by test name, plus the process's exit code and output."""

    exercise: Exercise
    selection: str
    returncode: int
    output: str
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)

    def named(self, outcome: str) -> list[str]:
        return [name for name, result in self.outcomes.items() if result.outcome == outcome]


def selection_with_prerequisites(
    exercise: Exercise, exercise_ids: list[str], implementation: str
) -> str:
    """Exercises before ``exercise`` on the reference, ``exercise`` on ``implementation``."""
    earlier = [e for e in exercise_ids if e < exercise.id]
    return ",".join([*(f"{e}={REFERENCE}" for e in earlier), f"{exercise.id}={implementation}"])


def _outcomes(report: Path) -> dict[str, TestOutcome]:
    results = {}
    for case in ElementTree.parse(report).iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome, message = PASSED, ""
        for tag in (FAILED, ERROR, SKIPPED):
            child = case.find("failure" if tag == FAILED else tag)
            if child is not None:
                outcome = tag
                message = (child.get("message") or "") + "\n" + (child.text or "")
                break
        results[name] = TestOutcome(name, outcome, message)
    return results


def run_suite(
    exercise: Exercise, selection: str, *, timeout: float = 600, extra_args: tuple[str, ...] = ()
) -> SuiteResult:
    """Run ``exercise``'s tests with ``selection`` (e.g. ``"reference"``) in a subprocess."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(exercise.tests_path),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *extra_args,
        ]
        environment = {**os.environ, ENVIRONMENT_VARIABLE: selection}
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            cwd=exercise.path.parent.parent,
        )
        outcomes = _outcomes(report) if report.exists() else {}
    return SuiteResult(exercise, selection, done.returncode, done.stdout + done.stderr, outcomes)
