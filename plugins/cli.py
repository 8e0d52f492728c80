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
import sys
from collections.abc import Sequence
from contextlib import nullcontext

from core import catalog, plugin_manager, use_implementation
from exercises.stub import STUB_ERROR
from plugins.grading.command import run_grade
from plugins.grading.manifest import MANIFEST_NAME
from plugins.ladder import commands as ladder_commands
from plugins.training import MNIST_DATASETS, TOY_DATASETS


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
    match = STUB_ERROR.search(str(error))
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
        "--submission",
        metavar="DIR",
        help="first copy a student's exercise code (not tests) from DIR into this kit",
    )
    grade.set_defaults(run=run_grade)

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
