"""The scores of a grading run: each test's outcome and points, summed per exercise."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.catalog import Exercise
from plugins.suite_runs.runner import ERROR, FAILED, PASSED, SKIPPED

GRADED, TIMED_OUT, CRASHED, TAMPERED = "graded", "timed out", "crashed", "tampered"
FLAGGED = "flagged"  # graded, with lines of code an instructor should look at


@dataclass(frozen=True)
class GradedTest:
    """One test's score: ``points`` earned of ``max_points``; ``outcome`` as the runner's."""

    nodeid: str
    outcome: str
    points: float
    max_points: float
    seconds: float = 0.0
    message: str = ""
    kits_own: bool = False  # the message is the grader's own words, none of the student's

    @property
    def name(self) -> str:
        """``test_forward.py::test_add[(3,)]`` without the folders."""
        path, _, test = self.nodeid.partition("::")
        return f"{path.rsplit('/', 1)[-1]}::{test}"


@dataclass
class ExerciseGrade:
    """One exercise's tests, how its run went (``status``) and a note for the reader."""

    exercise: Exercise
    tests: list[GradedTest] = field(default_factory=list)
    seconds: float = 0.0
    status: str = GRADED
    note: str = ""
    blocked_by: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # "path:line: code - why", from the scan
    spot_check: str = ""  # "18 of 18 probes agree": the verdict confirmed outside the suite

    def flag(self, flags: list[str]) -> None:
        """Attach the code scan's flags; a cleanly graded exercise becomes ``flagged``."""
        self.flags = list(flags)
        if flags and self.status == GRADED:
            self.status = FLAGGED
            lines = f"{len(flags)} line" + ("s" if len(flags) != 1 else "")
            self.note = f"{lines} of code for the instructor to look at"

    def count(self, outcome: str) -> int:
        return sum(test.outcome == outcome for test in self.tests)

    @property
    def passed(self) -> int:
        return self.count(PASSED)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def points(self) -> float:
        return sum(test.points for test in self.tests)

    @property
    def max_points(self) -> float:
        return sum(test.max_points for test in self.tests)

    def summary(self) -> dict:
        return {
            "id": self.exercise.id,
            "title": self.exercise.title,
            "kind": "elective" if self.exercise.elective else "core",
            "status": self.status,
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "skipped": self.skipped,
            "total": len(self.tests),
            "points": self.points,
            "max_points": self.max_points,
            "seconds": round(self.seconds, 3),
            "blocked_by": self.blocked_by,
            "note": self.note,
            "flags": self.flags,
            "spot_check": self.spot_check,
        }


@dataclass
class Gradebook:
    """Every graded exercise, plus how the run was set up and what the tamper check found.

    ``electives_counted`` says how many research electives count towards the points (None:
    all): the ones with the best share of their points, so "the best one" is ``1``. The core
    exercises always count. ``submission`` is what the intake of a student's submission took
    and refused (None when the kit's own files were graded).
    """

    grades: list[ExerciseGrade]
    mode: str
    test_timeout: float
    exercise_timeout: float
    manifest: dict = field(default_factory=dict)
    electives_counted: int | None = None
    submission: dict | None = None  # {"copied": n, "refused": ["refused PATH: why", ...]}

    @property
    def passed(self) -> int:
        return sum(grade.passed for grade in self.grades)

    @property
    def not_passed(self) -> int:
        """Failed, errors and skipped: every test that earned no points."""
        return sum(len(grade.tests) - grade.passed for grade in self.grades)

    @property
    def core(self) -> list[ExerciseGrade]:
        return [grade for grade in self.grades if not grade.exercise.elective]

    @property
    def electives(self) -> list[ExerciseGrade]:
        return [grade for grade in self.grades if grade.exercise.elective]

    @property
    def counted_electives(self) -> list[ExerciseGrade]:
        """The electives that count: the best ``electives_counted`` by share of points earned
        (then by points, then in ladder order)."""
        if self.electives_counted is None:
            return self.electives
        ranked = sorted(
            self.electives,
            key=lambda g: (-(g.points / g.max_points if g.max_points else 0), -g.points),
        )
        return ranked[: self.electives_counted]

    @property
    def counted(self) -> list[ExerciseGrade]:
        chosen = {id(grade) for grade in self.counted_electives}
        return [g for g in self.grades if not g.exercise.elective or id(g) in chosen]

    @property
    def points(self) -> float:
        return sum(grade.points for grade in self.counted)

    @property
    def max_points(self) -> float:
        return sum(grade.max_points for grade in self.counted)
