"""``gradkit grade``: grade, print the table and the final line, write every format."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from core import catalog
from plugins.grading import formats
from plugins.grading.grade import NOT_STARTED, grade
from plugins.grading.gradebook import ExerciseGrade
from plugins.grading.manifest import MANIFEST_NAME
from plugins.table import format_table


def electives_counted(root: Path, asked: int | None) -> int | None:
    """How many research electives count: ``--electives N``, else ``[tool.gradkit]
    electives_counted`` in the kit's ``pyproject.toml``, else all (None)."""
    if asked is None:
        asked = catalog.settings(root).get("electives_counted")
    if asked is not None and (isinstance(asked, bool) or not isinstance(asked, int) or asked < 0):
        raise ValueError(
            f"the number of electives that count must be a whole number >= 0; got {asked!r} "
            "(--electives or [tool.gradkit] electives_counted in pyproject.toml)"
        )
    return asked


def run_class(args: argparse.Namespace) -> int:
    """``--submissions DIR``: every student's folder, ``--jobs`` at a time."""
    from plugins.grading.batch import grade_class

    if args.submission or args.exercise:
        raise ValueError(
            "--submissions grades whole submissions: leave out --submission and --exercise"
        )
    options = [
        "--jobs", "1",
        "--test-timeout", f"{args.test_timeout:g}",
        "--exercise-timeout", f"{args.exercise_timeout:g}",
        *(["--electives", str(args.electives)] if args.electives is not None else []),
    ]  # fmt: skip
    out = Path(args.out)
    started = time.perf_counter()

    def report(result, done: int, total: int, seconds_left: float) -> None:
        if result.reused:
            how = "unchanged since the last run"
        else:
            how = f"{result.total:g}/{result.max_total:g} points, {result.status}"
            how += f" ({result.note})" if result.note else ""
            how += f", {result.seconds:.1f} s"
        left = f" - about {_duration(seconds_left)} left" if seconds_left and done < total else ""
        print(f"[{done:>{len(str(total))}}/{total}] {result.student}: {how}{left}", flush=True)

    results = grade_class(
        Path(args.submissions),
        out,
        jobs=args.jobs or os.cpu_count() or 2,
        options=options,
        timeout=args.exercise_timeout * len(catalog.exercises()) + 120,
        on_done=report,
    )
    graded = [r for r in results if not r.reused]
    each = (
        f", {sum(r.seconds for r in graded) / len(graded):.1f} s per submission" if graded else ""
    )
    print(f"\nwritten: {out / 'gradebook.csv'}, {out / 'summary.md'}, {out}/<student>/")
    print(
        f"{len(results)} students: {len(graded)} graded, {len(results) - len(graded)} unchanged, "
        f"in {_duration(time.perf_counter() - started)}{each}"
    )
    not_graded = [r.student for r in results if r.status == "not graded"]
    if not_graded:
        print(f"not graded: {', '.join(not_graded)} (see {out}/<student>/grade.log)")
    return 0 if not not_graded else 1


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def run_grade(args: argparse.Namespace) -> int:
    if args.submissions:
        return run_class(args)
    chosen = [catalog.exercise(e) for e in args.exercise] if args.exercise else catalog.exercises()
    submission = None
    if args.submission:
        from plugins.grading.submission import install_submission

        intake = install_submission(Path(args.submission), catalog.root())
        submission = {"copied": len(intake.copied), "refused": intake.lines()}
        print(f"submission: {len(intake.copied)} files from {args.submission}", flush=True)
        for line in intake.lines():
            print(f"  {line}", flush=True)

    def report(result: ExerciseGrade) -> None:
        print(
            f"{result.exercise}: {result.passed}/{len(result.tests)} passed"
            + (f", {result.seconds:.1f} s" if result.note != NOT_STARTED else "")
            + (f" ({result.status}: {result.note})" if result.note else ""),
            flush=True,
        )

    manifest = Path(args.manifest) if args.manifest else catalog.root() / MANIFEST_NAME
    if args.manifest and not manifest.is_file():
        raise ValueError(f"--manifest {args.manifest}: no such file")
    book = grade(
        list(chosen),
        isolated=args.isolated,
        test_timeout=args.test_timeout,
        exercise_timeout=args.exercise_timeout,
        manifest_path=manifest,
        electives_counted=electives_counted(catalog.root(), args.electives),
        on_graded=report,
        jobs=args.jobs,
        submission=submission,
    )
    written = formats.write_all(book, Path(args.out))
    rows = [
        [
            g.exercise.id,
            g.exercise.title,
            f"{g.passed}/{len(g.tests)}",
            g.failed,
            g.errors,
            f"{g.points:g}/{g.max_points:g}",
            g.status,
        ]
        for g in book.grades
    ]
    print()
    print(
        format_table(
            ["exercise", "title", "passed", "failed", "errors", "points", "status"],
            rows,
            right="2345",
        )
    )
    for problem in book.manifest.get("problems", []):
        print(f"TAMPERED {problem}")
    print(f"written: {', '.join(str(path) for path in written)}")
    print(f"{book.passed} passed, {book.not_passed} failed")
    return 0 if book.not_passed == 0 else 1
