"""``gradkit grade --submissions DIR``: a class of generated submissions to the miniature kit —
solved, partial, stubs, broken, odd and dishonest — grades to the expected gradebook, and a
rerun grades only what changed."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import once_per_run
from tests.miniature_kit import EXERCISES, MiniatureKit
from tests.test_forged_verdicts import ATTACKS

pytestmark = pytest.mark.heavy  # see tests/conftest.py

FOLDERS = {exercise_id: spec[0] for exercise_id, spec in EXERCISES.items()}
SOLVED = 6  # points of one exercise
OPTIONS = ("--jobs", "2", "--test-timeout", "1", "--exercise-timeout", "3")


def _write(submission: Path, exercise_id: str, name: str, text: str | bytes) -> Path:
    path = submission / "exercises" / FOLDERS[exercise_id] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _class(kit: MiniatureKit, where: Path) -> dict[str, tuple]:
    """Each student's submission, and the (points, status) the gradebook must give them."""
    references = kit.root / "reference_solutions"
    solution = {e: (references / f"{FOLDERS[e]}.py").read_text() for e in FOLDERS}
    stub = {e: kit.plugin(e).read_text() for e in FOLDERS}
    expected: dict[str, tuple] = {}

    def student(name: str, points: dict, status: str, **plugins: str) -> Path:
        submission = where / name
        (submission / "exercises").mkdir(parents=True)
        for exercise_id, text in plugins.items():
            _write(submission, exercise_id, "plugin.py", text)
        expected[name] = ({e: points.get(e, 0) for e in FOLDERS}, status)
        return submission

    every = {e: SOLVED for e in FOLDERS}
    student("solved", every, "graded", **solution)
    helper = student("solved-with-a-helper", every, "graded", **solution)
    _write(helper, "ex01", "notes.md", "# how I did it\n")
    student("ex01-only", {"ex01": SOLVED}, "graded", ex01=solution["ex01"])
    student(
        "ex01-and-ex02",
        {"ex01": SOLVED, "ex02": SOLVED},
        "graded",
        ex01=solution["ex01"],
        ex02=solution["ex02"],
    )
    student("stubs", {}, "graded")
    student("stub-files-sent-back", {}, "graded", **stub)
    for exercise_id, attack in ATTACKS.items():
        student(f"forges-{exercise_id}", {}, "flagged", **{exercise_id: stub[exercise_id] + attack})
    student(
        "imports-its-reference",
        {},
        "flagged",
        ex01="from reference_solutions.ex01_double import *\n",
    )
    student(
        "runs-its-reference",
        {},
        "flagged",
        ex01="from pathlib import Path\n\n"
        "exec(Path('reference_solutions/ex01_double.py').read_text())\n",
    )
    linked = student("links-to-its-reference", {}, "graded")
    (linked / "exercises" / FOLDERS["ex01"]).mkdir()
    os.symlink(references / "ex01_double.py", linked / "exercises" / FOLDERS["ex01"] / "plugin.py")
    steering = student("adds-a-conftest-and-pytest-ini", {}, "graded", ex01=stub["ex01"])
    _write(steering, "ex01", "conftest.py", "import pytest\n")
    _write(steering, "ex01", "pytest.ini", "[pytest]\naddopts = -p no:gradkit\n")
    folder_plugin = student("plugin-is-a-folder", {"ex02": 0}, "graded")
    (folder_plugin / "exercises" / FOLDERS["ex01"] / "plugin.py").mkdir(parents=True)
    deep = student("nested-folders", {"ex01": SOLVED}, "graded", ex01=solution["ex01"])
    nested = deep / "exercises" / FOLDERS["ex01"]
    for _ in range(60):
        nested = nested / "d"
    nested.mkdir(parents=True)
    odd_name = student("odd-file-name", {"ex01": SOLVED}, "graded", ex01=solution["ex01"])
    (odd_name / "exercises" / FOLDERS["ex01"]).joinpath(os.fsdecode(b"caf\xe9.py")).write_text("")
    student("huge-plugin", {}, "graded", ex01=solution["ex01"] + "#" * 1_100_000 + "\n")
    hang = stub["ex01"].replace("raise todo()", "while True:\n        pass")
    student("hangs", {"ex02": 0, "ex03": SOLVED}, "timed out", ex01=hang, ex03=solution["ex03"])
    noisy = solution["ex01"].replace(
        "    return 2 * x", "    print('x' * 100_000)\n    return 2 * x"
    )
    student("floods-its-output", {"ex01": SOLVED}, "graded", ex01=noisy)
    student(
        "syntax-error",
        {"ex01": SOLVED},
        "flagged",
        ex01=solution["ex01"],
        ex02="def quadruple(x)\n",
    )
    (where / "no-repository").mkdir()
    expected["no-repository"] = ({e: 0 for e in FOLDERS}, "not graded")
    return expected


def _rows(out: Path) -> dict[str, dict]:
    with (out / "gradebook.csv").open(encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def graded_class(request, tmp_path_factory) -> tuple[MiniatureKit, Path, Path, dict, str]:
    """The class graded once per test run, shared by the workers (``once_per_run``); tests
    read it, and one that changes a submission works on a copy."""
    with once_per_run(request, tmp_path_factory, "class") as (base, needed):
        submissions, out, record = base / "submissions", base / "grades", base / "record.json"
        if needed:
            kit = MiniatureKit(base / "kit")
            expected = _class(kit, submissions)
            run = kit.gradkit(
                "grade", "--submissions", str(submissions), "--out", str(out), *OPTIONS
            )
            record.write_text(json.dumps({"expected": expected, "output": run.stdout + run.stderr}))
    saved = json.loads(record.read_text())
    expected = {student: tuple(row) for student, row in saved["expected"].items()}
    return MiniatureKit.at(base / "kit"), submissions, out, expected, saved["output"]


def test_every_submission_gets_its_expected_row(graded_class) -> None:
    _, _, out, expected, output = graded_class
    rows = _rows(out)
    assert len(expected) >= 20 and set(rows) == set(expected), output
    got = {
        student: (
            {e: float(row[e]) if row[e] else 0 for e in FOLDERS},
            row["status"],
        )
        for student, row in rows.items()
    }
    wrong = {s: (got[s], expected[s]) for s in expected if got[s] != expected[s]}
    assert not wrong, f"(got, expected) per student: {wrong}\n{output}"
    for student, row in rows.items():
        assert float(row["total"]) == sum(expected[student][0].values()), row


def test_refused_files_and_flags_are_in_the_gradebook(graded_class) -> None:
    _, _, out, _, _ = graded_class
    rows = _rows(out)
    for student in ("links-to-its-reference", "adds-a-conftest-and-pytest-ini", "huge-plugin"):
        assert int(rows[student]["refused_files"]) >= 1, rows[student]
    assert "spot check" in rows["forges-ex01"]["flags"]
    assert "reference_solutions" in rows["imports-its-reference"]["flags"]
    assert rows["no-repository"]["note"], "a submission that was not graded says why"


def test_the_summary_gives_the_distribution_and_whom_to_look_at(graded_class) -> None:
    _, _, out, expected, output = graded_class
    summary = (out / "summary.md").read_text()
    assert f"{len(expected)} students" in summary
    solved_ex01 = sum(points["ex01"] == SOLVED for points, _ in expected.values())
    assert f"| ex01 | {SOLVED} |" in summary and f"| {solved_ex01} |" in summary, summary
    assert "**forges-ex01**: flagged" in summary
    assert "**solved**" not in summary
    assert "s per submission" in output and "left" in output, output


def test_a_rerun_grades_only_the_submissions_that_changed(graded_class, tmp_path) -> None:
    kit, graded_submissions, graded_out, expected, _ = graded_class
    submissions, out = tmp_path / "submissions", tmp_path / "grades"
    shutil.copytree(graded_submissions, submissions, symlinks=True)
    shutil.copytree(graded_out, out)
    before = (out / "solved" / "grades.json").read_text()
    references = kit.root / "reference_solutions"
    _write(submissions / "stubs", "ex03", "plugin.py", (references / "ex03_negate.py").read_text())
    run = kit.gradkit("grade", "--submissions", str(submissions), "--out", str(out), *OPTIONS)
    output = run.stdout + run.stderr
    assert f"{len(expected)} students: 2 graded, {len(expected) - 2} unchanged" in output, output
    assert (out / "solved" / "grades.json").read_text() == before
    assert _rows(out)["stubs"]["ex03"] == str(SOLVED)
