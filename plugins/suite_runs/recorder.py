"""A pytest plugin that streams every test's result to a JSON-lines file as it happens.

Enabled by ``--gradkit-results FILE``. One line per event, flushed at once, so a run that is
killed (a hang, a crash) still leaves the results of every test that finished:

- ``{"event": "collected", "tests": [{"nodeid", "exercise", "points"}, ...], "deselected"}``
  (how many tests ``-k``, ``-m`` or a plugin deselected)
- ``{"event": "collect_error", "nodeid", "message"}``
- ``{"event": "loaded", "failures": [...]}``: after collection (unless only collecting), the
  implementations are loaded; each plugin that failed to load or register is listed
- ``{"event": "test", "nodeid", "outcome", "seconds", "message"}``; outcome is ``passed``,
  ``failed`` (the test's call failed), ``error`` (its set-up or tear-down failed) or ``skipped``
- ``{"event": "variant", "name"}``: the events that follow (``loaded`` and ``test``) belong to
  this variant of the run (see ``plugins.suite_runs.variants``), until
  ``{"event": "variant_end", "name"}``
- ``{"event": "finished", "exitstatus"}``

Points come from ``@pytest.mark.points(n)`` (default 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import pytest

from core import plugin_manager
from plugins.pytest_gradkit import exercise_of

MESSAGE_LIMIT = 4000
DEFAULT_POINTS = 1.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradkit").addoption(
        "--gradkit-results",
        metavar="FILE",
        default=None,
        help="stream each test's result to FILE as JSON lines (used by gradkit's grading)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): the test's points when graded (default 1)")
    path = config.getoption("--gradkit-results")
    if path:
        config.pluginmanager.register(ResultStream(Path(path)), "gradkit-results")


def points_of(item: pytest.Item) -> float:
    """The test's ``@pytest.mark.points(n)``, or 1."""
    marker = item.get_closest_marker("points")
    if marker is None:
        return DEFAULT_POINTS
    value = marker.args[0] if marker.args else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise pytest.UsageError(
            f"{item.nodeid}: @pytest.mark.points needs one positive number, e.g. points(2); "
            f"got {marker.args!r}"
        )
    return float(value)


def _shorten(text: str) -> str:
    if len(text) <= MESSAGE_LIMIT:
        return text
    return (
        text[: MESSAGE_LIMIT // 2] + "\n[... output shortened ...]\n" + text[-MESSAGE_LIMIT // 2 :]
    )


class ResultStream:
    """Writes the events above to ``path``; one test's phases become one ``test`` event."""

    def __init__(self, path: Path) -> None:
        self.file: IO[str] = path.open("w", encoding="utf-8")
        self.pending: dict[str, dict[str, Any]] = {}
        self.deselected = 0

    def _write(self, event: dict[str, Any]) -> None:
        self.file.write(json.dumps(event) + "\n")
        self.file.flush()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            message = _shorten(report.longreprtext)
            self._write({"event": "collect_error", "nodeid": report.nodeid, "message": message})

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += len(items)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        tests = []
        for item in session.items:
            owner = exercise_of(item)
            tests.append({"nodeid": item.nodeid, "exercise": owner, "points": points_of(item)})
        self._write({"event": "collected", "tests": tests, "deselected": self.deselected})
        if tests and not session.config.option.collectonly:
            self._write_loaded()

    def _write_loaded(self) -> None:
        failures = [str(failure) for failure in plugin_manager.failures()]
        self._write({"event": "loaded", "failures": failures})

    def begin_variant(self, name: str) -> None:
        """The tests that run from now on are those of variant ``name``, on what is loaded."""
        self._write({"event": "variant", "name": name})
        self._write_loaded()

    def end_variant(self, name: str) -> None:
        self._write({"event": "variant_end", "name": name})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        state = self.pending.setdefault(
            report.nodeid, {"outcome": "passed", "seconds": 0.0, "message": ""}
        )
        state["seconds"] += report.duration
        if state["outcome"] != "passed":
            return
        if report.failed:
            state["outcome"] = "failed" if report.when == "call" else "error"
            state["message"] = _shorten(report.longreprtext)
        elif report.skipped:
            state["outcome"] = "skipped"
            state["message"] = _shorten(str(report.longrepr[-1]) if report.longrepr else "")

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        state = self.pending.pop(nodeid, None)
        if state is not None:
            self._write({"event": "test", "nodeid": nodeid, **state})

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        self._write({"event": "finished", "exitstatus": int(exitstatus)})

    def pytest_unconfigure(self) -> None:
        self.file.close()
