"""``gradkit grade`` on a miniature kit: scores and points per exercise, every output format,
and survival of broken student code — an import error, a hang, a syntax error, megabytes of
output — each costing its own exercise only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from plugins.grading import manifest
from plugins.grading.formats import OUTPUT_FILES
from tests.miniature_kit import KIT_ROOT, MiniatureKit

pytestmark = pytest.mark.heavy  # see tests/conftest.py

POINTS_PER_EXERCISE = 6  # five tests, one of them worth 2 points


def grades_of(out: Path) -> dict[str, dict]:
    return {e["id"]: e for e in json.loads((out / "grades.json").read_text())["exercises"]}


@pytest.fixture(scope="session")
def graded_kit(tmp_path_factory) -> tuple[MiniatureKit, Path, str]:
    """ex01 solved, ex02 on its stub, ex03 solved; graded once."""
    kit = MiniatureKit(tmp_path_factory.mktemp("graded") / "kit")
    kit.solve("ex01")
    kit.solve("ex03")
    out = kit.root / "grades"
    result = kit.gradkit("grade", "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    return kit, out, result.stdout


def test_grade_scores_each_exercise_with_points_from_the_marker(graded_kit) -> None:
    _, out, _ = graded_kit
    grades = grades_of(out)
    scores = {e: (g["passed"], g["total"], g["points"], g["max_points"]) for e, g in grades.items()}
    assert scores == {
        "ex01": (5, 5, POINTS_PER_EXERCISE, POINTS_PER_EXERCISE),
        "ex02": (0, 5, 0, POINTS_PER_EXERCISE),
        "ex03": (5, 5, POINTS_PER_EXERCISE, POINTS_PER_EXERCISE),
    }


def test_grade_ends_with_a_plain_passed_failed_line(graded_kit) -> None:
    assert graded_kit[2].rstrip().splitlines()[-1] == "10 passed, 5 failed"


def test_grade_writes_every_output_file(graded_kit) -> None:
    _, out, _ = graded_kit
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)


def test_junit_has_a_suite_per_exercise_and_a_failure_per_failed_test(graded_kit) -> None:
    root = ElementTree.parse(graded_kit[1] / "junit.xml").getroot()
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["ex01 double", "ex02 quadruple", "ex03 negate"]
    assert [len(s.findall("testcase")) for s in suites.values()] == [5, 5, 5]
    assert len(suites["ex02 quadruple"].findall("testcase/failure")) == 5
    failure = suites["ex02 quadruple"].find("testcase/failure")
    assert "ex02: quadruple() is not implemented yet" in failure.text


def test_gradescope_results_have_a_scored_entry_per_test(graded_kit) -> None:
    results = json.loads((graded_kit[1] / "results.json").read_text())
    assert results["score"] == 2 * POINTS_PER_EXERCISE
    assert len(results["tests"]) == 15
    assert {tuple(sorted(test)) for test in results["tests"]} == {
        ("max_score", "name", "output", "score", "status", "visibility")
    }
    negative = next(
        t for t in results["tests"] if t["name"].startswith("ex02: ") and "negative" in t["name"]
    )
    assert (negative["score"], negative["max_score"], negative["status"]) == (0, 2, "failed")


def test_classroom_payload_has_the_reporter_fields(graded_kit) -> None:
    payload = json.loads((graded_kit[1] / "classroom.json").read_text())
    assert (payload["version"], payload["status"], payload["max_score"]) == (1, "fail", 18)
    assert sum(test["score"] for test in payload["tests"]) == 12
    assert {test["status"] for test in payload["tests"]} == {"pass", "fail"}


def test_cumulative_grading_says_which_earlier_exercise_blocks(miniature_kit) -> None:
    miniature_kit.solve("ex02")
    out = miniature_kit.root / "grades"
    miniature_kit.gradkit("grade", "--exercise", "ex02", "--out", str(out))
    grade = grades_of(out)["ex02"]
    assert (grade["passed"], grade["blocked_by"]) == (1, ["ex01"])
    assert grade["note"] == "needs ex01 finished first"


def test_isolated_grading_puts_the_other_exercises_on_the_reference(miniature_kit) -> None:
    miniature_kit.solve("ex02")
    out = miniature_kit.root / "grades"
    result = miniature_kit.gradkit("grade", "--isolated", "--out", str(out))
    grades = grades_of(out)
    assert [grades[e]["passed"] for e in ("ex01", "ex02", "ex03")] == [0, 5, 0], result.stdout


# Hangs that wait rather than spin: the timeouts stop either kind, and these leave the machine's
# cores to the other tests meanwhile.
HANGS_AT_IMPORT = "import time\n\ntime.sleep(3600)\n"
SYNTAX_ERROR = "def double(x)\n    return 2 * x\n"
RAISES_AT_IMPORT = "raise RuntimeError('the plugin broke at import')\n"
HANGS_IN_EVERY_CALL = "\n\ndef negate(x):\n    import time\n\n    time.sleep(3600)\n"


def grade_with_short_timeouts(kit: MiniatureKit, *options: str) -> tuple[dict, str, float]:
    out = kit.root / "grades"
    started = time.perf_counter()
    result = kit.gradkit(
        "grade", "--out", str(out), "--exercise-timeout", "3", "--test-timeout", "1", *options
    )
    seconds = time.perf_counter() - started
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)
    return grades_of(out), result.stdout, seconds


def test_a_later_hang_and_syntax_error_leave_earlier_grades_intact(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    miniature_kit.plugin("ex02").write_text(HANGS_AT_IMPORT)
    miniature_kit.plugin("ex03").write_text(SYNTAX_ERROR.replace("double", "negate"))
    grades, stdout, seconds = grade_with_short_timeouts(miniature_kit)
    assert seconds < 60, "the timeouts did not stop the hang"
    assert (grades["ex01"]["passed"], grades["ex01"]["points"]) == (5, POINTS_PER_EXERCISE)
    assert (grades["ex02"]["points"], grades["ex02"]["status"]) == (0, "timed out")
    assert grades["ex03"]["points"] == 0
    assert stdout.rstrip().endswith("5 passed, 10 failed")


def test_isolated_grading_survives_an_earlier_hang_and_syntax_error(miniature_kit) -> None:
    miniature_kit.plugin("ex01").write_text(HANGS_AT_IMPORT)
    miniature_kit.plugin("ex02").write_text(SYNTAX_ERROR)
    miniature_kit.solve("ex03")
    grades, stdout, seconds = grade_with_short_timeouts(miniature_kit, "--isolated")
    assert seconds < 60, "the timeouts did not stop the hang"
    assert (grades["ex01"]["points"], grades["ex01"]["status"]) == (0, "timed out")
    assert grades["ex02"]["points"] == 0
    assert (grades["ex03"]["passed"], grades["ex03"]["points"]) == (5, POINTS_PER_EXERCISE)
    assert stdout.rstrip().endswith("5 passed, 10 failed")


def test_a_syntax_error_is_shown_in_each_test_of_its_exercise(miniature_kit) -> None:
    miniature_kit.plugin("ex01").write_text(SYNTAX_ERROR)
    out = miniature_kit.root / "grades"
    miniature_kit.gradkit("grade", "--exercise", "ex01", "--out", str(out))
    outputs = [t["output"] for t in json.loads((out / "results.json").read_text())["tests"]]
    assert all("SyntaxError" in output for output in outputs)


def test_an_import_error_is_reported_in_each_test_of_its_exercise(miniature_kit) -> None:
    miniature_kit.plugin("ex01").write_text(RAISES_AT_IMPORT)
    out = miniature_kit.root / "grades"
    miniature_kit.gradkit("grade", "--exercise", "ex01", "--out", str(out))
    outputs = [t["output"] for t in json.loads((out / "results.json").read_text())["tests"]]
    assert len(outputs) == 5
    assert all("the plugin broke at import" in output for output in outputs)


def test_a_hanging_test_times_out_alone_and_the_suite_goes_on(miniature_kit) -> None:
    miniature_kit.solve("ex03")
    plugin = miniature_kit.plugin("ex03")
    plugin.write_text(plugin.read_text() + HANGS_IN_EVERY_CALL.replace("negate", "slow"))
    plugin.write_text(
        plugin.read_text().replace('register("negate", negate)', 'register("negate", slow)')
    )
    out = miniature_kit.root / "grades"
    miniature_kit.gradkit("grade", "--exercise", "ex03", "--out", str(out), "--test-timeout", "0.5")
    grade = grades_of(out)["ex03"]
    assert (grade["failed"], grade["status"]) == (5, "graded")
    messages = [t["output"] for t in json.loads((out / "results.json").read_text())["tests"]]
    assert all("Timeout" in message for message in messages)


def test_megabytes_of_output_cost_nothing_but_time(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    plugin = miniature_kit.plugin("ex01")
    plugin.write_text("print('x' * 5_000_000)\n" + plugin.read_text())
    out = miniature_kit.root / "grades"
    result = miniature_kit.gradkit("grade", "--exercise", "ex01", "--out", str(out))
    assert grades_of(out)["ex01"]["passed"] == 5
    assert len(result.stdout) < 100_000
    assert (out / "grades.json").stat().st_size < 100_000


def test_isolated_grading_needs_the_reference(miniature_kit, monkeypatch) -> None:
    from core import catalog
    from plugins.grading.grade import grade

    monkeypatch.setattr(catalog, "reference_available", lambda: False)
    with pytest.raises(ValueError, match="no reference_solutions/"):
        grade(list(catalog.exercises()), isolated=True)


def collected_in(kit: MiniatureKit) -> dict[str, dict[str, float]]:
    """``collect_tests`` of every exercise of the miniature kit, run in a process of its own."""
    listing = kit.root / "collected.json"
    code = (
        "import json; from core.catalog import exercises; "
        "from plugins.suite_runs.runner import collect_tests; "
        f"json.dump(collect_tests(exercises()), open({str(listing)!r}, 'w'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=kit.root,
        env={**os.environ, "PYTHONPATH": f"{kit.root}{os.pathsep}{KIT_ROOT}"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(listing.read_text())


def test_the_graded_tests_are_collected_without_running_student_code(miniature_kit) -> None:
    marker = miniature_kit.root / "plugin-was-imported"
    miniature_kit.plugin("ex01").write_text(f"open({str(marker)!r}, 'w').close()\n")
    collected = collected_in(miniature_kit)
    assert {e: sum(points.values()) for e, points in collected.items()} == {
        e: POINTS_PER_EXERCISE for e in ("ex01", "ex02", "ex03")
    }
    assert not marker.exists(), "collecting the suites imported a student plugin"


FORCE_PASS = """
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome, report.longrepr = "passed", None
"""


@pytest.mark.parametrize(
    "steer",
    ["pytest.ini in the exercise folder", "conftest.py in the exercise folder", "PYTEST_ADDOPTS"],
)
def test_a_plugin_that_forces_passes_steers_no_graded_run(miniature_kit, steer: str) -> None:
    """A helper that rewrites every report to "passed", loaded by a pytest.ini or a conftest.py
    beside the suite or by PYTEST_ADDOPTS: grading pins pytest's configuration, so the stubs
    still score 0."""
    kit = miniature_kit
    folder = kit.path("exercises/ex01_double")
    (folder / "forcepass.py").write_text(FORCE_PASS)
    env = {}
    if steer.startswith("pytest.ini"):
        (folder / "pytest.ini").write_text(
            "[pytest]\npythonpath = . ../..\naddopts = -p forcepass -p plugins.pytest_gradkit "
            "-p plugins.failure_report -p plugins.suite_runs.recorder\n"
        )
    elif steer.startswith("conftest.py"):
        (folder / "conftest.py").write_text(FORCE_PASS)
    else:
        env = {"PYTEST_ADDOPTS": "-p exercises.ex01_double.forcepass"}
    out = kit.root / "grades"
    kit.gradkit("grade", "--exercise", "ex01", "--out", str(out), **env)
    grade = grades_of(out)["ex01"]
    assert (grade["status"], grade["passed"], grade["failed"]) == ("flagged", 0, 5), grade
    assert any("imports pytest" in flag for flag in grade["flags"]), "the helper is flagged too"


@pytest.mark.parametrize(
    "plugin",
    [
        "from reference_solutions.ex02_quadruple import *  # noqa\n",
        "from pathlib import Path\n\n"
        "exec(Path('reference_solutions/ex02_quadruple.py').read_text())\n",
    ],
    ids=["imports its reference", "reads and runs its reference"],
)
def test_isolated_grading_keeps_the_graded_exercises_reference_out_of_reach(
    miniature_kit, plugin: str
) -> None:
    """The others' references are loaded, the graded one's is absent from the copy its suite
    runs in: a plugin that borrows it scores 0 (and the references of the others still work)."""
    kit = miniature_kit
    kit.plugin("ex02").write_text(plugin)
    kit.solve("ex01")
    out = kit.root / "grades"
    kit.gradkit(
        "grade", "--isolated", "--exercise", "ex02", "--exercise", "ex03", "--out", str(out)
    )
    grades = grades_of(out)
    assert (grades["ex02"]["status"], grades["ex02"]["passed"]) == ("flagged", 0), grades["ex02"]
    assert grades["ex03"]["failed"] == 5, "ex03 is on its stub, and its suite ran"
    assert kit.path("reference_solutions/ex02_quadruple.py").is_file(), "the kit keeps it"


def test_an_untouched_stub_scores_nothing_without_a_run_and_an_edited_one_is_run(
    miniature_kit,
) -> None:
    """With a manifest, a plugin.py byte-identical to its shipped stub is graded without a run
    (every test fails, saying why); one changed by a single comment runs as usual."""
    kit = miniature_kit
    manifest.write(kit.root, manifest.build(kit.root, collected_in(kit)))
    kit.plugin("ex02").write_text(kit.plugin("ex02").read_text() + "# begun\n")
    out = kit.root / "grades"
    result = kit.gradkit("grade", "--exercise", "ex01", "--exercise", "ex02", "--out", str(out))
    grades = grades_of(out)
    assert grades["ex01"]["note"].startswith("not started"), result.stdout
    assert grades["ex01"]["seconds"] == 0 and grades["ex01"]["failed"] == 5
    assert grades["ex02"]["failed"] == 5 and not grades["ex02"]["note"], result.stdout
    shown = {
        t["name"]: t["output"] for t in json.loads((out / "results.json").read_text())["tests"]
    }
    ex01 = [output for name, output in shown.items() if name.startswith("ex01")]
    ex02 = [output for name, output in shown.items() if name.startswith("ex02")]
    assert all("plugin.py is the stub the release shipped" in output for output in ex01)
    assert all("quadruple() is not implemented yet" in output for output in ex02), ex02


REWRITES_A_LATER_SUITE = """
from pathlib import Path

_suite = Path(__file__).parents[1] / "ex02_quadruple" / "tests" / "test_quadruple.py"
_suite.write_text("def test_anything():\\n    pass\\n")
"""


def test_a_kit_file_changed_during_a_run_is_caught_by_the_check_after_it(miniature_kit) -> None:
    """The tamper check runs again after each suite: a plugin that rewrites a later suite on
    disk (after the check before grading) scores 0 there, and the change is reported."""
    kit = miniature_kit
    kit.solve("ex02")
    collected = {"ex01": {}, "ex02": {}, "ex03": {}}
    manifest.write(kit.root, manifest.build(kit.root, collected))
    kit.plugin("ex01").write_text(kit.plugin("ex01").read_text() + REWRITES_A_LATER_SUITE)
    out = kit.root / "grades"
    kit.gradkit(
        "grade", "--exercise", "ex01", "--exercise", "ex02", "--jobs", "1", "--out", str(out)
    )
    grades = grades_of(out)
    assert (grades["ex02"]["status"], grades["ex02"]["points"]) == ("tampered", 0), grades["ex02"]
    problems = json.loads((out / "grades.json").read_text())["manifest"]["problems"]
    assert any(
        "test_quadruple.py: modified" in p and "while ex01 was graded" in p for p in problems
    )


def test_what_students_see_of_a_long_message_is_capped_and_the_instructor_keeps_it(
    miniature_kit,
) -> None:
    """A plugin whose errors carry 20,000 characters (a file smuggled out, say): the visible
    formats hold at most 1,000 per test and 5,000 per exercise; the instructor's JUnit file holds
    what the recorder kept of each (4,000)."""
    from plugins.grading.formats import VISIBLE_PER_EXERCISE, VISIBLE_PER_TEST

    kit = miniature_kit
    kit.plugin("ex01").write_text(
        kit.plugin("ex01").read_text() + "\n\ndef double(x):\n    raise ValueError('Q' * 20_000)\n"
    )
    out = kit.root / "grades"
    kit.gradkit("grade", "--exercise", "ex01", "--out", str(out))
    for name, key in (("results.json", "output"), ("classroom.json", "message")):
        shown = [t[key].count("Q") for t in json.loads((out / name).read_text())["tests"]]
        assert max(shown) <= VISIBLE_PER_TEST and sum(shown) <= VISIBLE_PER_EXERCISE, (name, shown)
        assert sum(shown) >= VISIBLE_PER_TEST, "the start of each message is still shown"
    assert (out / "junit.xml").read_text().count("Q" * 1_900) >= 2 * 5


def test_a_plugin_that_imports_os_is_graded_and_flagged_with_the_line(miniature_kit) -> None:
    kit = miniature_kit
    kit.solve("ex01")
    kit.plugin("ex01").write_text("import os  # to look around\n" + kit.plugin("ex01").read_text())
    out = kit.root / "grades"
    kit.gradkit("grade", "--exercise", "ex01", "--out", str(out))
    grade = grades_of(out)["ex01"]
    assert (grade["status"], grade["passed"]) == ("flagged", 5), grade
    assert grade["flags"] == [
        "exercises/ex01_double/plugin.py:1: import os  # to look around - imports os"
    ]
    output = json.loads((out / "results.json").read_text())["output"]
    assert "flagged: exercises/ex01_double/plugin.py:1: import os" in output
