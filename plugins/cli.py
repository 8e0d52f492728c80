"""The ``gradkit`` command line.

gradkit test ex01 [pytest options]        run one exercise's suite (once the ones before pass)
gradkit progress                          every exercise: passed/total, done/in progress/locked
gradkit grade [--exercise ex01] [--out D] score each exercise apart; JSON, JUnit, Gradescope,
                                            GitHub Classroom and Markdown files in D
gradkit verify                            instructors: every suite against reference, stubs,
                                            coverage and the mistake catalogue
gradkit release --out DIR                 instructors: write the student repository
gradkit plugins                           what is loaded: implementations, providers, failures
gradkit train toy --dataset moons         train a classifier with the selected implementation:
gradkit train digits                        progress per epoch, final accuracy, plots
gradkit train mnist --data-dir DIR
gradkit demo                              the reference trains four classifiers; a table
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from core import catalog, plugin_manager, use_implementation
from core.selection import STUDENT
from plugins.grading.manifest import MANIFEST_NAME
from plugins.grading.runner import SuiteRun, read_events
from plugins.ladder.cache import CachedResult
from plugins.ladder.standing import Ladder, lock_message, next_step
from plugins.table import format_table
from plugins.training import MNIST_DATASETS, TOY_DATASETS

# The message of a stub's NotImplementedError starts "ex03: Linear.__init__() is not implemented"
_STUB_MESSAGE = re.compile(r"(ex\d\d): .* is not implemented yet")


# pytest options that change only how results are shown: a run with these is a whole-suite run.
_DISPLAY_OPTIONS = (
    "-v",
    "-q",
    "-s",
    "-l",
    "-r",
    "--tb",
    "--traceback",
    "--color",
    "--no-header",
    "--durations",
    "--showlocals",
    "--capture",
)


def _whole_suite(pytest_args: Sequence[str]) -> bool:
    return all(arg.startswith(_DISPLAY_OPTIONS) for arg in pytest_args)


def _take_impl(impl: str | None, pytest_args: list[str]) -> tuple[str | None, list[str]]:
    """``--impl X`` may also follow the exercise id: take it out of pytest's options."""
    rest = []
    arguments = iter(pytest_args)
    for argument in arguments:
        if argument == "--impl":
            impl = next(arguments, impl)
        elif argument.startswith("--impl="):
            impl = argument.partition("=")[2]
        else:
            rest.append(argument)
    return impl, rest


def _test(args: argparse.Namespace) -> int:
    import pytest

    exercise = catalog.exercise(args.exercise)
    args.impl, args.pytest_args = _take_impl(args.impl, args.pytest_args)
    ladder = Ladder(args.impl or plugin_manager.active_selection())
    blocker = ladder.first_unfinished_before(exercise)
    if blocker is not None:
        print(lock_message(exercise, blocker), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        events = Path(scratch) / "results.jsonl"
        style = "--tb=long" if "--traceback" in args.pytest_args else "--tb=short"
        options = [str(exercise.tests_path), style, f"--gradkit-results={events}"]
        options += [*args.pytest_args, f"--gradkit-impl={ladder.selection_upto(exercise)}"]
        code = int(pytest.main(options))
        run = SuiteRun(exercise, ladder.selection_upto(exercise), code, 0.0, "")
        read_events(events, run)
    if run.complete and _whole_suite(args.pytest_args) and ladder.chosen[exercise.id] == STUDENT:
        ladder.remember(exercise, CachedResult(run.passed, len(run.collected)))
    return code


def _progress(args: argparse.Namespace) -> int:
    ladder = Ladder(
        args.impl or plugin_manager.active_selection(),
        announce=lambda message: print(message, file=sys.stderr, flush=True),
    )
    standings = ladder.standings()
    rows = []
    for standing in standings:
        if standing.on_reference:
            score = "reference"
        else:
            score = f"{'-' if standing.passed is None else standing.passed}/{standing.total}"
        rows.append([standing.exercise.id, standing.exercise.title, score, standing.status])
    print(format_table(["exercise", "title", "passed", "status"], rows, right="2"))
    print(f"\n{next_step(standings)}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from plugins.grading import formats
    from plugins.grading.grade import grade

    chosen = [catalog.exercise(e) for e in args.exercise] if args.exercise else catalog.exercises()
    if args.submission:
        from plugins.grading.submission import install_submission

        copied = install_submission(Path(args.submission), catalog.root())
        print(f"submission: {len(copied)} files from {args.submission}", flush=True)

    def report(result) -> None:
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
        on_graded=report,
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


def _verify(args: argparse.Namespace) -> int:
    from plugins.instructor.verify import verify

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


def _release(args: argparse.Namespace) -> int:
    from plugins.instructor.release import ReleaseRefused, autograder_zip, release

    try:
        written = release(Path(args.out), force=args.force)
        print(
            f"gradkit release: {written.files} files in {written.out}, manifest "
            f"{written.manifest.name} ({written.tests} tests); no reference code found in it"
        )
        if args.autograder:
            print(f"gradkit release: Gradescope autograder {autograder_zip(Path(args.autograder))}")
    except ReleaseRefused as error:
        print(f"gradkit release: refused: {error}", file=sys.stderr)
        return 1
    return 0


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


def _train(args: argparse.Namespace) -> int:
    from plugins.training import recipes

    options = {
        "epochs": args.epochs,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "out_dir": args.out,
        "callbacks": () if args.quiet else None,
    }
    if args.recipe == "toy":
        options["dataset"] = args.dataset
    elif args.recipe == "mnist":
        options.update(data_dir=args.data_dir, dataset=args.dataset)
        if args.subset:
            options["subset"] = args.subset
    selection = use_implementation(args.impl) if args.impl else nullcontext()
    with selection:
        settings = recipes.settings_for(
            args.recipe, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size, seed=args.seed
        )
        what = f"{args.recipe} ({args.dataset})" if args.recipe != "digits" else args.recipe
        print(
            f"gradkit train {what}: {settings.epochs} epochs, Adam lr {settings.lr:g}, "
            f"batch {settings.batch_size}, seed {settings.seed}; implementation: "
            f"{plugin_manager.active_selection()}",
            flush=True,
        )
        try:
            result = recipes.RECIPES[args.recipe](**options)
        except NotImplementedError as error:
            print(_unfinished(args.recipe, error), file=sys.stderr)
            return 1
        except OSError as error:  # a missing or unreadable data file
            print(f"gradkit train {args.recipe}: {error}", file=sys.stderr)
            return 1
    print(
        f"{result.dataset}: {result.model_name}, {len(result.history)} epochs in "
        f"{result.seconds:.1f} s\nfinal accuracy: train {result.train_accuracy:.2%}, "
        f"{result.val_split} {result.val_accuracy:.2%}"
    )
    print("plots:")
    for path in result.figures.values():
        print(f"  {path}")
    return 0


def _unfinished(recipe: str, error: NotImplementedError) -> str:
    """What to finish before ``recipe`` can run: the exercise named by the stub's message."""
    match = _STUB_MESSAGE.search(str(error))
    needed = f"exercise {match.group(1)} is not finished yet" if match else "something is missing"
    lines = [f"gradkit train {recipe}: cannot train: {needed}.", f"  {error}"]
    if match:
        lines.append(f"Finish {match.group(1)} first (its suite: tox -e {match.group(1)}).")
    if catalog.reference_available():
        lines.append("To see the recipe run on the reference solutions: --impl reference")
    return "\n".join(lines)


def _demo(args: argparse.Namespace) -> int:
    from plugins import demo

    return demo.run(args.out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradkit", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    test = commands.add_parser("test", help="run one exercise's test suite")
    test.add_argument("exercise", help="exercise id, e.g. ex01")
    test.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    test.set_defaults(run=_test)

    progress = commands.add_parser(
        "progress", help="the ladder: each exercise's passed/total and done, in progress or locked"
    )
    progress.add_argument("--impl", help="selection (default: GRADKIT_IMPL, else student)")
    progress.set_defaults(run=_progress)

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
        "--submission",
        metavar="DIR",
        help="first copy a student's exercise code (not tests) from DIR into this kit",
    )
    grade.set_defaults(run=_grade)

    plugins = commands.add_parser("plugins", help="show the loaded implementations")
    plugins.add_argument("--impl", help="selection to show (default: GRADKIT_IMPL)")
    plugins.set_defaults(run=_plugins)

    train = commands.add_parser(
        "train", help="train a classifier with the selected implementation (a recipe)"
    )
    recipes = train.add_subparsers(dest="recipe", required=True, metavar="RECIPE")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--epochs", type=int, help="epochs (default: the recipe's)")
    common.add_argument("--lr", type=float, help="Adam's learning rate (default: the recipe's)")
    common.add_argument("--batch-size", type=int, help="training batch size")
    common.add_argument("--seed", type=int, default=0, help="seed of weights and shuffle (0)")
    common.add_argument("--out", help="folder for the plots (default: gradkit-output/<run>/)")
    common.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    common.add_argument("--quiet", action="store_true", help="no per-epoch progress")

    toy = recipes.add_parser(
        "toy", parents=[common], help="a binary MLP on a toy 2-D set; plots the decision boundary"
    )
    toy.add_argument("--dataset", choices=TOY_DATASETS, default="moons", help="(default: moons)")
    digits = recipes.add_parser(
        "digits", parents=[common], help="a multiclass MLP on scikit-learn's 8x8 digits"
    )
    digits.set_defaults(dataset="digits")
    mnist = recipes.add_parser(
        "mnist", parents=[common], help="a multiclass MLP on MNIST-family IDX files"
    )
    mnist.add_argument(
        "--data-dir", required=True, help="folder with the IDX files (.gz or uncompressed)"
    )
    mnist.add_argument(
        "--dataset", choices=MNIST_DATASETS, default="mnist", help="(default: mnist)"
    )
    mnist.add_argument("--subset", help="EMNIST subset, e.g. balanced, digits, letters")
    train.set_defaults(run=_train)

    if _instructor_tools_present():
        _add_instructor_commands(commands)
    return parser


def _instructor_tools_present() -> bool:
    """The instructor's repository: the reference and the instructor tools (not in a release)."""
    import importlib.util

    instructor_tools = importlib.util.find_spec("plugins.instructor") is not None
    return catalog.reference_available() and instructor_tools


def _add_instructor_commands(commands: argparse._SubParsersAction) -> None:
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
    verify.set_defaults(run=_verify)

    release = commands.add_parser(
        "release", help="instructors: write the student repository (no solutions in it)"
    )
    release.add_argument("--out", required=True, help="folder to write (outside this repo)")
    release.add_argument("--force", action="store_true", help="replace a non-empty --out")
    release.add_argument(
        "--autograder", metavar="ZIP", help="also write Gradescope's autograder zip here"
    )
    release.set_defaults(run=_release)

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
