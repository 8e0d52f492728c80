"""``gradkit release`` end to end: what the student repository holds and leaves out, that it
works as its README says (``tox -e ex01`` fails on the stubs, ``progress`` shows the ladder,
``grade`` writes every file with zero points), that the grader notices tampering, and that a
release carrying reference code is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.catalog import exercises
from plugins.grading.formats import OUTPUT_FILES
from plugins.instructor.leak_scan import ReferenceBodies, scan
from plugins.instructor.release import ReleaseRefused, strip_instructor_blocks
from tests.released_repo import KIT_ROOT, gradkit_in, tox_command, tox_envs

LEFT_OUT = ["reference_solutions", "tests", "benchmarks", ".ci", "plugins/instructor"]


@pytest.mark.parametrize("path", LEFT_OUT)
def test_the_release_leaves_out_instructor_material(release, path: str) -> None:
    assert not (release["repo"] / path).exists()


def test_the_release_has_the_exercises_the_kit_and_the_student_workflow(release) -> None:
    repo = release["repo"]
    for exercise in exercises():
        assert (repo / "exercises" / exercise.folder / "plugin.py").is_file()
        assert (repo / "exercises" / exercise.folder / "README.md").is_file()
    assert (repo / ".github" / "workflows" / "grade.yml").is_file()
    assert (repo / "core" / "tensor.py").is_file()


def test_the_release_tox_ini_has_only_student_envs(release) -> None:
    sections = tox_envs(release["repo"]).sections()
    assert sections == [
        "tox",
        "testenv",
        "testenv:ex{01,02,03,04,05,06,07,08,09,10,11,12,13,14,15}",
        "testenv:progress",
        "testenv:train",
        "testenv:report",
        "testenv:python",
        "testenv:grade",
    ]
    assert tox_envs(release["repo"])["tox"]["env_list"] == "progress"


def test_the_release_readme_has_no_instructor_section(release) -> None:
    readme = (release["repo"] / "README.md").read_text()
    source = (KIT_ROOT / "README.md").read_text()
    assert "## Instructors" in source
    assert "## Instructors" not in readme
    assert "instructor-only" not in readme
    assert "## The ladder" in readme


def test_the_manifest_covers_every_test_file_and_test(release) -> None:
    manifest = json.loads((release["repo"] / "gradkit-manifest.json").read_text())
    test_files = {
        path.relative_to(release["repo"]).as_posix()
        for path in (release["repo"] / "exercises").glob("*/tests/*.py")
    }
    assert test_files <= set(manifest["files"])
    assert "plugins/grading/grade.py" in manifest["files"]
    assert not any(path.endswith("plugin.py") for path in manifest["files"])
    counted = sum(len(tests) for tests in manifest["tests"].values())
    assert f"({counted} tests)" in release["log"]
    assert set(manifest["tests"]) == {exercise.id for exercise in exercises()}


def test_the_release_holds_no_reference_body(release) -> None:
    assert scan(release["repo"], ReferenceBodies.of(KIT_ROOT / "reference_solutions")) == []


def test_tox_ex01_in_the_release_runs_and_fails_on_the_stubs(release) -> None:
    command = tox_command(release["repo"], "ex01")
    assert command == ["gradkit", "test", "ex01"]
    result = gradkit_in(release["repo"], *command[1:])
    assert result.returncode == 1
    assert "194 failed" in result.stdout
    assert "Not written yet - each stub once, with the tests that wait on it:" in result.stdout
    assert result.stdout.rstrip().splitlines()[-2].startswith("Try next: tox -e ex01 -- -k ")


def test_progress_in_the_release_shows_ex01_in_progress_and_the_rest_locked(release) -> None:
    result = gradkit_in(release["repo"], *tox_command(release["repo"], "progress")[1:])
    assert result.returncode == 0, result.stderr
    statuses = [line.split()[-1] for line in result.stdout.splitlines()[1:8]]
    assert statuses == ["progress"] + ["locked"] * 6
    assert "Next: ex01 (tensor forward)" in result.stdout


def test_progress_in_the_release_shows_every_elective_locked_under_its_own_heading(
    release,
) -> None:
    result = gradkit_in(release["repo"], *tox_command(release["repo"], "progress")[1:])
    rows = result.stdout.split("research electives")[1].splitlines()[1:]
    electives = [exercise.id for exercise in exercises() if exercise.elective]
    shown = [row.split() for row in rows if row.startswith("ex")]
    assert [row[0] for row in shown] == electives
    assert {row[-1] for row in shown} == {"locked"}


@pytest.fixture(scope="session")
def release_grades(release) -> tuple[Path, str]:
    out = release["repo"] / "gradkit-output" / "grades"
    result = gradkit_in(release["repo"], *tox_command(release["repo"], "grade")[1:])
    assert result.returncode == 1, result.stdout + result.stderr
    return out, result.stdout


def test_grade_in_the_release_writes_every_file_with_zero_points(release_grades) -> None:
    out, stdout = release_grades
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)
    grades = json.loads((out / "grades.json").read_text())
    tests = _manifest_tests(out)
    count = sum(len(points) for points in tests.values())
    points = {exercise: sum(of_test.values()) for exercise, of_test in tests.items()}
    assert sum(points.values()) > count, "the goal tests of ex06 and ex07 carry extra points"
    core = sum(points[e.id] for e in exercises() if not e.elective)
    counted = grades["electives"]["counted_ids"]
    assert len(counted) == 1, "the kit's pyproject.toml counts the best elective"
    max_points = core + points[counted[0]]
    assert grades["total"] == {
        "passed": 0,
        "not_passed": count,
        "points": 0,
        "max_points": max_points,
    }
    assert stdout.rstrip().endswith(f"0 passed, {count} failed")


def test_grade_in_the_release_checks_the_manifest_and_finds_nothing(release_grades) -> None:
    grades = json.loads((release_grades[0] / "grades.json").read_text())
    assert grades["manifest"]["checked"] is True
    assert grades["manifest"]["problems"] == []


def _manifest_tests(out: Path) -> dict:
    return json.loads((out.parent.parent / "gradkit-manifest.json").read_text())["tests"]


def test_grade_reports_and_zeroes_tampered_test_files(release, tmp_path) -> None:
    repo = tmp_path / "tampered"
    shutil.copytree(release["repo"], repo, ignore=shutil.ignore_patterns("gradkit-output"))
    ex01, ex02 = (exercises()[0].folder, exercises()[1].folder)
    edited = repo / "exercises" / ex02 / "tests" / "test_backward_edge_cases.py"
    edited.write_text(edited.read_text() + "\n# every test passes now\n")
    (repo / "exercises" / ex01 / "conftest.py").write_text("collect_ignore_glob = ['*']\n")
    out = repo / "grades"
    result = gradkit_in(
        repo, "grade", "--exercise", "ex01", "--exercise", "ex02", "--out", str(out)
    )
    assert f"TAMPERED exercises/{ex01}/conftest.py: added" in result.stdout
    assert f"TAMPERED exercises/{ex02}/tests/test_backward_edge_cases.py: modified" in result.stdout
    grades = {e["id"]: e for e in json.loads((out / "grades.json").read_text())["exercises"]}
    assert grades["ex01"]["status"] == grades["ex02"]["status"] == "tampered"
    tests = json.loads((out / "results.json").read_text())["tests"]
    zeroed = [t for t in tests if "differs from the release manifest" in t["output"]]
    edge_cases = [t for t in tests if "test_backward_edge_cases.py" in t["name"]]
    assert len(zeroed) == grades["ex01"]["total"] + len(edge_cases)


def test_instructor_commands_are_absent_from_the_release(release) -> None:
    result = gradkit_in(release["repo"], "verify")
    assert result.returncode == 2
    assert "invalid choice: 'verify'" in result.stderr


def _copy_of_the_kit(destination: Path) -> Path:
    ignored = shutil.ignore_patterns(".git", ".tox", "gradkit-output", ".gradkit", "__pycache__")
    shutil.copytree(KIT_ROOT, destination, ignore=ignored)
    return destination


def test_a_release_with_a_leaked_reference_body_is_refused(tmp_path) -> None:
    kit = _copy_of_the_kit(tmp_path / "kit")
    reference = (kit / "reference_solutions" / "ex02_tensor_backward.py").read_text()
    body = reference[reference.index("def mul_backward") : reference.index("def div_backward")]
    plugin = kit / "exercises" / exercises()[1].folder / "plugin.py"
    plugin.write_text(plugin.read_text() + "\n\n" + body.replace("mul_backward", "helper"))
    out = tmp_path / "release"
    result = gradkit_in(kit, "release", "--out", str(out))
    assert result.returncode == 1
    assert "refused: the release would give away reference code" in result.stderr
    assert (
        f"exercises/{exercises()[1].folder}/plugin.py: function helper() is the body of "
        "reference_solutions.ex02_tensor_backward.mul_backward" in result.stderr
    )
    assert not out.exists()
    assert not list(tmp_path.glob(".gradkit-release-*")), "the scratch folder was left behind"


def test_release_refuses_a_folder_inside_the_repository(tmp_path) -> None:
    kit = _copy_of_the_kit(tmp_path / "kit")
    result = gradkit_in(kit, "release", "--out", str(kit / "student"))
    assert result.returncode == 1
    assert "is inside the repository" in result.stderr


def test_release_refuses_a_non_empty_folder_without_force(release) -> None:
    result = gradkit_in(KIT_ROOT, "release", "--out", str(release["repo"]))
    assert result.returncode == 1
    assert "exists and is not empty; add --force" in result.stderr


def test_instructor_blocks_are_stripped_with_their_markers() -> None:
    text = "keep\n# instructor-only >>>\nsecret\n# <<< instructor-only\nkeep too\n"
    assert strip_instructor_blocks(text, "tox.ini") == "keep\nkeep too\n"


def test_markdown_comment_markers_work_too() -> None:
    text = "a\n<!-- instructor-only >>> -->\nb\n<!-- <<< instructor-only -->\nc\n"
    assert strip_instructor_blocks(text, "README.md") == "a\nc\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# instructor-only >>>\nsecret\n", "never closed"),
        ("# <<< instructor-only\n", "without"),
        ("# instructor-only >>>\n# instructor-only >>>\n", "a second"),
    ],
)
def test_unbalanced_markers_refuse_the_release(text: str, problem: str) -> None:
    with pytest.raises(ReleaseRefused, match=problem):
        strip_instructor_blocks(text, "README.md")


def test_grade_in_a_release_without_its_manifest_is_tampered_and_says_so(release, tmp_path):
    """A release ships its manifest; deleting it would hide every edited test, so grading
    scores it tampered and the summary and Classroom file say the check found it missing."""
    repo = tmp_path / "no-manifest"
    shutil.copytree(release["repo"], repo, ignore=shutil.ignore_patterns("gradkit-output"))
    (repo / "gradkit-manifest.json").unlink()
    out = repo / "grades"
    result = gradkit_in(repo, "grade", "--exercise", "ex01", "--out", str(out))
    grades = {e["id"]: e for e in json.loads((out / "grades.json").read_text())["exercises"]}
    assert grades["ex01"]["status"] == "tampered", result.stdout
    summary = (out / "summary.md").read_text()
    assert "gradkit-manifest.json: missing" in summary
    assert "the tamper check was skipped" in summary
    classroom = json.loads((out / "classroom.json").read_text())
    assert "tamper check was skipped" in classroom["tamper_check"]
