"""The instructor's commands: ``gradkit verify`` and ``gradkit release``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core import catalog
from plugins.instructor.release import ReleaseRefused, autograder_zip, release
from plugins.instructor.verify import verify
from plugins.table import format_table


def run_verify(args: argparse.Namespace) -> int:
    chosen = [catalog.exercise(e) for e in args.exercise] if args.exercise else catalog.exercises()
    started = time.perf_counter()
    results = verify(list(chosen), min_coverage=args.min_coverage, jobs=args.jobs)
    rows = []
    for result in results:
        caught = sum(mistake.caught_by is not None for mistake in result.mistakes)
        rows.append(
            [
                result.exercise.id,
                f"{result.reference[0]}/{result.reference[1]}",
                f"{result.stubs_failing[0]}/{result.stubs_failing[1]}",
                f"{result.coverage:.1f}%",
                f"{caught}/{len(result.mistakes)}",
                f"{result.ladder[0]}/{result.ladder[1]}",
                "ok" if result.ok else "FAIL",
            ]
        )
    headers = [
        "exercise",
        "reference passes",
        "stubs fail",
        "coverage",
        "mistakes caught",
        "ladder passes",
        "verdict",
    ]
    print(format_table(headers, rows, right="12345"))
    if args.mistakes:
        for result in results:
            for mistake in result.mistakes:
                print(
                    f"{result.exercise.id} {mistake.name}: {mistake.description}\n"
                    f"    caught by {mistake.caught_by or 'NOTHING'}"
                )
    problems = [(result.exercise.id, problem) for result in results for problem in result.problems]
    for exercise_id, problem in problems:
        print(f"\n{exercise_id} {problem}")
    elapsed = time.perf_counter() - started
    verdict = "FAILED" if problems else "every check passed"
    print(f"\ngradkit verify: {len(results)} exercises, {verdict} ({elapsed:.0f} s)")
    return 1 if problems else 0


def run_release(args: argparse.Namespace) -> int:
    try:
        written = release(Path(args.out), force=args.force)
        print(
            f"gradkit release: {written.files} files in {written.out}, manifest "
            f"{written.manifest.name} ({written.test_count} tests); no reference code found in it"
        )
        if args.autograder:
            archive = autograder_zip(Path(args.autograder), written.tests)
            print(f"gradkit release: Gradescope autograder {archive}")
    except ReleaseRefused as error:
        print(f"gradkit release: refused: {error}", file=sys.stderr)
        return 1
    return 0
