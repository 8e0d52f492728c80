"""A submission that makes its own suite lie scores nothing: the grader's spot check, computed in
processes whose values the suite never sees, withdraws every pass it contradicts.

Each attack below is a few lines added to the stub of ex01 in the miniature kit; without the
spot check each of them scores most or all of ex01's points.
"""

from __future__ import annotations

import importlib
import sys
from importlib.util import spec_from_file_location
from pathlib import Path

import pytest

from plugins.suite_runs.forked import FORK, run_forked
from tests.test_grading import POINTS_PER_EXERCISE, grades_of

pytestmark = pytest.mark.heavy  # see tests/conftest.py

FORGES_THE_RECORDER = """
from plugins.suite_runs import recorder as _recorder

_write = _recorder.ResultStream._write


def _forged(self, event):
    if event.get("event") == "test":
        event = {**event, "outcome": "passed", "message": ""}
    _write(self, event)


_recorder.ResultStream._write = _forged
"""

SKIPS_EVERY_TEST_BODY = """
import _pytest.python

_pytest.python.Function.runtest = lambda self: None
"""

WRITES_PASSES_AND_EXITS = """
import gc
import json
import os

_objects = gc.get_objects()
_stream = next(o for o in _objects if type(o).__name__ == "ResultStream")
_session = next(o for o in _objects if type(o).__name__ == "Session")
for _item in _session.items:
    _event = {"event": "test", "nodeid": _item.nodeid, "outcome": "passed", "seconds": 0.0}
    _stream.file.write(json.dumps({**_event, "message": ""}) + "\\n")
_stream.file.write(json.dumps({"event": "finished", "exitstatus": 0}) + "\\n")
_stream.file.flush()
os._exit(0)
"""

# Which exercise's stub carries which attack: one grading run tries all three.
ATTACKS = {
    "ex01": FORGES_THE_RECORDER,
    "ex02": SKIPS_EVERY_TEST_BODY,
    "ex03": WRITES_PASSES_AND_EXITS,
}


@pytest.mark.parametrize("isolated", [False, True], ids=["cumulative", "isolated"])
def test_a_suite_steered_from_the_plugin_scores_nothing_and_is_flagged(
    miniature_kit, isolated: bool
) -> None:
    """The recorder patched so that every result reads "passed" (ex01), every test body made a
    no-op (ex02), passed records written for every test before the process exits (ex03)."""
    kit = miniature_kit
    for exercise_id, attack in ATTACKS.items():
        kit.plugin(exercise_id).write_text(kit.plugin(exercise_id).read_text() + attack)
    out = kit.root / "grades"
    kit.gradkit("grade", *(["--isolated"] * isolated), "--out", str(out))
    for exercise_id, grade in grades_of(out).items():
        assert (grade["points"], grade["status"]) == (0, "flagged"), grade
        assert grade["spot_check"] == "0 of 1 probes agree", grade
        withdrawn = [flag for flag in grade["flags"] if flag.startswith("spot check: the suite")]
        assert withdrawn, f"{exercise_id}: its passes were withdrawn by the spot check"


def test_an_honest_solution_is_confirmed_and_keeps_every_point(miniature_kit) -> None:
    kit = miniature_kit
    kit.solve("ex01")
    out = kit.root / "grades"
    kit.gradkit("grade", "--exercise", "ex01", "--exercise", "ex02", "--out", str(out))
    grades = grades_of(out)
    solved, stub = grades["ex01"], grades["ex02"]
    assert (solved["points"], solved["status"], solved["flags"]) == (
        POINTS_PER_EXERCISE,
        "graded",
        [],
    ), solved
    assert solved["spot_check"] == "1 of 1 probes agree"
    assert (stub["points"], stub["status"], stub["spot_check"]) == (
        0,
        "graded",
        "not needed: no test passed",
    )


class EditableInstallFinder:
    """What an editable install of the kit adds to ``sys.meta_path``: a finder that maps the
    kit's packages to the installed folder, whatever ``sys.path`` says."""

    def __init__(self, installed: Path) -> None:
        self.installed = installed

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname.split(".")[0] != "reference_solutions":
            return None
        base = self.installed.joinpath(*fullname.split("."))
        if base.is_dir():
            return spec_from_file_location(
                fullname, base / "__init__.py", submodule_search_locations=[str(base)]
            )
        return (
            spec_from_file_location(fullname, f"{base}.py")
            if Path(f"{base}.py").is_file()
            else None
        )


def main(arguments: list[str]) -> int:
    """A forked run's entry for the test below: 0 if the reference could be imported."""
    try:
        importlib.import_module("reference_solutions.ex01_hidden")
    except ImportError:
        return 1
    return 0


def test_an_editable_install_does_not_bring_back_the_hidden_reference(tmp_path: Path) -> None:
    """The graded exercise's reference is left out of the copy its suite runs in; the finder
    of an editable install would still find it in the installed kit, so runs drop it."""
    installed, copy = tmp_path / "installed", tmp_path / "copy"
    for root in (installed, copy):
        (root / "reference_solutions").mkdir(parents=True)
        (root / "reference_solutions" / "__init__.py").write_text("")
    (installed / "reference_solutions" / "ex01_hidden.py").write_text("ANSWER = 42\n")
    finder = EditableInstallFinder(installed)
    sys.meta_path.append(finder)
    try:
        code, _ = run_forked([], {}, copy, tmp_path / "output.txt", 60, FORK, entry=__name__)
    finally:
        sys.meta_path.remove(finder)
    assert code == 1, "the forked run imported the reference from the installed kit"
