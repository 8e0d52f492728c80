"""How research electives count towards a grade: the core always, the best N electives (by
share of their points), shown apart in grades.json and the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.catalog import Exercise
from plugins.grading.command import electives_counted
from plugins.grading.formats import grades_json, summary_markdown
from plugins.grading.gradebook import ExerciseGrade, Gradebook, GradedTest


def _grade(exercise_id: str, earned: int, out_of: int, elective: bool) -> ExerciseGrade:
    exercise = Exercise(exercise_id, f"{exercise_id}_x", Path("."), elective=elective)
    tests = [
        GradedTest(
            f"t/{exercise_id}.py::test_{i}",
            "passed" if i < earned else "failed",
            1.0 if i < earned else 0.0,
            1.0,
        )
        for i in range(out_of)
    ]
    return ExerciseGrade(exercise, tests)


def _book(counted: int | None) -> Gradebook:
    grades = [
        _grade("ex01", 4, 4, elective=False),
        _grade("ex08", 1, 10, elective=True),
        _grade("ex09", 3, 4, elective=True),
        _grade("ex10", 0, 2, elective=True),
    ]
    return Gradebook(grades, "cumulative", 30, 300, {}, counted)


@pytest.mark.parametrize(
    ("counted", "points", "max_points"),
    [(None, 8, 20), (1, 7, 8), (2, 8, 18), (0, 4, 4)],
    ids=["all", "the best one", "the best two", "none"],
)
def test_the_core_and_the_best_electives_count(counted, points, max_points) -> None:
    book = _book(counted)
    assert (book.points, book.max_points) == (points, max_points)


def test_grades_json_shows_the_electives_apart_and_which_counted() -> None:
    document = grades_json(_book(1))
    assert document["core"] == {"points": 4, "max_points": 4}
    assert document["electives"]["counted_ids"] == ["ex09"]
    assert {e["id"]: e["counted"] for e in document["exercises"]} == {
        "ex01": True,
        "ex08": False,
        "ex09": True,
        "ex10": False,
    }
    assert {e["id"]: e["kind"] for e in document["exercises"]}["ex08"] == "elective"


def test_the_summary_marks_the_electives_that_do_not_count() -> None:
    summary = summary_markdown(_book(1))
    assert "| **research electives** |" in summary
    assert "1/10 (not counted)" in summary and "3/4 |" in summary
    assert "electives: the best 1 of 3 counted" in summary


def test_the_count_comes_from_the_option_else_the_kits_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.gradkit]\nelectives_counted = 2\n")
    assert electives_counted(tmp_path, None) == 2
    assert electives_counted(tmp_path, 1) == 1
    assert electives_counted(tmp_path / "elsewhere", None) is None


@pytest.mark.parametrize("bad", [-1, True, 1.5])
def test_a_count_that_is_not_a_whole_number_is_refused(tmp_path: Path, bad) -> None:
    with pytest.raises(ValueError, match="electives that count must be a whole number"):
        electives_counted(tmp_path, bad)
