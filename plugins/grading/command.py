"""``gradkit grade``: grade, print the table and the final line, write every format."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from core import catalog
from plugins.grading import formats
from plugins.grading.grade import grade
from plugins.grading.gradebook import ExerciseGrade
from plugins.grading.manifest import MANIFEST_NAME
from plugins.table import format_table


def electives_counted(root: Path, asked: int | None) -> int | None:
    """How many research electives count: ``--electives N``, else ``[tool.gradkit]
    electives_counted`` in the kit's ``pyproject.toml``, else all (None)."""
    if asked is None:
        path = root / "pyproject.toml"
        settings = tomllib.loads(path.read_text()) if path.is_file() else {}
        asked = settings.get("tool", {}).get("gradkit", {}).get("electives_counted")
    if asked is not None and (isinstance(asked, bool) or not isinstance(asked, int) or asked < 0):
        raise ValueError(
            f"the number of electives that count must be a whole number >= 0; got {asked!r} "
            "(--electives or [tool.gradkit] electives_counted in pyproject.toml)"
        )
    return asked


def run_grade(args: argparse.Namespace) -> int:
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
            f"{result.exercise}: {result.passed}/{len(result.tests)} passed, "
            f"{result.seconds:.1f} s"
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
