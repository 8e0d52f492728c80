"""The ``gradkit`` command line: the student's commands, plus the instructor's where the
reference solutions are present."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core import catalog, plugin_manager
from plugins.grading.command import run_grade
from plugins.grading.manifest import MANIFEST_NAME
from plugins.ladder import commands as ladder_commands
from plugins.reports import command as report_command
from plugins.training import command as training_command


def _plugins(args: argparse.Namespace) -> int:
    if args.impl:
        plugin_manager.activate(args.impl)
    for exercise_id, implementation in plugin_manager.choices().items():
        print(f"{exercise_id}: {implementation}  ({catalog.exercise(exercise_id).title})")
    for kind, registry in plugin_manager.registries.items():
        if len(registry):
            sources = sorted({registry.entry(name).source for name in registry})
            print(
                f"{kind:11s} {len(registry):3d} from {', '.join(sources)}: " + ", ".join(registry)
            )
    failures = plugin_manager.failures()
    for failure in failures:
        print(f"FAILED {failure}\n{failure.details}", file=sys.stderr)
    return 1 if failures else 0


def _demo(args: argparse.Namespace) -> int:
    from plugins import demo

    return demo.run(args.out)


USAGE = """\
gradkit: build a small neural-network library on NumPy, one tested exercise at a time.

gradkit test ex01 [pytest options]        run one exercise's suite (once the ones before pass)
gradkit progress                          every exercise: passed/total, done/in progress/locked
gradkit train toy --dataset moons         train a classifier with your library: progress per
gradkit train digits                        epoch, final accuracy, plots
gradkit train mnist --data-dir DIR
gradkit report ex08 [--quick]             a research elective's study: figures, report.md and
                                            results.json in gradkit-output/report-ex08/
gradkit grade [--exercise ex01] [--out D] score each exercise apart; JSON, JUnit, Gradescope,
                                            GitHub Classroom and Markdown files in D
gradkit plugins                           what is loaded: implementations, providers, failures
"""
INSTRUCTOR_USAGE = """\
gradkit verify                            every suite against the reference, the stubs,
                                            coverage and the mistake catalogue
gradkit release --out DIR                 write the student repository
gradkit demo                              the reference trains four classifiers; a table
"""


def build_parser() -> argparse.ArgumentParser:
    instructor = _instructor_tools_present()
    parser = argparse.ArgumentParser(
        prog="gradkit",
        description=USAGE + (f"\ninstructors:\n{INSTRUCTOR_USAGE}" if instructor else ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    test = commands.add_parser("test", help="run one exercise's test suite")
    test.add_argument("exercise", help="exercise id, e.g. ex01")
    test.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    test.set_defaults(run=ladder_commands.run_test)

    progress = commands.add_parser(
        "progress", help="the ladder: each exercise's passed/total and done, in progress or locked"
    )
    progress.add_argument("--impl", help="selection (default: GRADKIT_IMPL, else student)")
    progress.set_defaults(run=ladder_commands.show_progress)

    grade = commands.add_parser(
        "grade", help="score every exercise apart and write grades.json, JUnit, Gradescope, ..."
    )
    grade.add_argument(
        "--exercise", action="append", metavar="EXNN", help="grade only this one (repeatable)"
    )
    grade.add_argument("--out", default="gradkit-output/grades", help="folder for the result files")
    grade.add_argument(
        "--isolated",
        action="store_true",
        help="the other exercises on the reference (needs reference_solutions/)",
    )
    grade.add_argument(
        "--test-timeout", type=float, default=30, help="seconds per test (default 30)"
    )
    grade.add_argument(
        "--exercise-timeout", type=float, default=300, help="seconds per exercise (default 300)"
    )
    grade.add_argument(
        "--manifest",
        help=f"release manifest to check files against (default: ./{MANIFEST_NAME} if present)",
    )
    grade.add_argument(
        "--electives",
        type=int,
        metavar="N",
        help="how many research electives count, the best ones (default: [tool.gradkit] "
        "electives_counted in pyproject.toml, else all)",
    )
    grade.add_argument("--jobs", type=int, help="suites graded at once (default: one per core)")
    grade.add_argument(
        "--submission",
        metavar="DIR",
        help="first copy a student's exercise code (not tests) from DIR into this kit",
    )
    grade.add_argument(
        "--submissions",
        metavar="DIR",
        help="grade a whole class: each folder of DIR is one student's submission, graded as "
        "--submission in a copy of the kit; writes gradebook.csv, summary.md and a folder per "
        "student in OUT",
    )
    grade.set_defaults(run=run_grade)

    plugins = commands.add_parser("plugins", help="show the loaded implementations")
    plugins.add_argument("--impl", help="selection to show (default: GRADKIT_IMPL)")
    plugins.set_defaults(run=_plugins)

    training_command.add_parser(commands)
    report_command.add_parser(commands)

    if instructor:
        _add_instructor_commands(commands)
    return parser


def _instructor_tools_present() -> bool:
    """The instructor's repository: the reference and the instructor tools (not in a release)."""
    import importlib.util

    instructor_tools = importlib.util.find_spec("plugins.instructor") is not None
    return catalog.reference_available() and instructor_tools


def _add_instructor_commands(commands: argparse._SubParsersAction) -> None:
    from plugins.instructor.commands import run_release, run_verify

    verify = commands.add_parser(
        "verify", help="instructors: check every suite against the reference, stubs, mistakes"
    )
    verify.add_argument("--exercise", action="append", metavar="EXNN", help="only this one")
    verify.add_argument(
        "--min-coverage", type=float, default=95.0, help="percent of reference lines (95)"
    )
    verify.add_argument("--jobs", type=int, help="suites run at once (default: CPU count)")
    verify.add_argument(
        "--mistakes", action="store_true", help="list each mistake and the test that caught it"
    )
    verify.set_defaults(run=run_verify)

    release = commands.add_parser(
        "release", help="instructors: write the student repository (no solutions in it)"
    )
    release.add_argument("--out", required=True, help="folder to write (outside this repo)")
    release.add_argument("--force", action="store_true", help="replace a non-empty --out")
    release.add_argument(
        "--autograder", metavar="ZIP", help="also write Gradescope's autograder zip here"
    )
    release.set_defaults(run=run_release)

    demo = commands.add_parser(
        "demo", help="instructors: the reference trains toy and digits classifiers; a table"
    )
    demo.add_argument("--out", default="gradkit-output/demo", help="folder for the plots")
    demo.set_defaults(run=_demo)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, LookupError) as error:
        print(f"gradkit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
