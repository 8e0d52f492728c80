"""The demo (``gradkit demo``, ``tox -e demo``): the reference library trains four classifiers.

With every exercise on its reference solution it runs the ``toy`` recipe on blobs, moons and
circles (a binary MLP, 1,000 training and 1,000 validation points each) and the ``digits``
recipe (a multiclass MLP on scikit-learn's 8x8 digits, fixed test split), then prints a table:
dataset, model, epochs, train and validation/test accuracy, seconds and the plots written.
It fails (exit code 1) if an accuracy misses its target: 95% validation accuracy on each toy
set, 97% test accuracy on digits. It takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core import use_implementation
from plugins.training import TOY_DATASETS, recipes
from plugins.training.progress import ProgressBar

TOY_TARGET = 0.95
DIGITS_TARGET = 0.97


@dataclass(frozen=True)
class Row:
    result: recipes.RunResult
    target: float

    @property
    def passed(self) -> bool:
        return self.result.val_accuracy >= self.target


def train_all(out_dir: str | Path) -> list[Row]:
    """Run the demo's recipes with the reference; one :class:`Row` each."""
    out = Path(out_dir)
    rows = []
    with use_implementation("reference"):
        for dataset in TOY_DATASETS:
            name = f"toy-{dataset}"
            result = recipes.toy(
                dataset,
                out_dir=out / name,
                callbacks=(ProgressBar(summary_every=0, label=name),),
            )
            rows.append(Row(result, TOY_TARGET))
            _report(rows[-1])
        result = recipes.digits(
            out_dir=out / "digits", callbacks=(ProgressBar(summary_every=0, label="digits"),)
        )
        rows.append(Row(result, DIGITS_TARGET))
        _report(rows[-1])
    return rows


def _report(row: Row) -> None:
    result = row.result
    print(
        f"  {result.name:<12} {result.val_split} accuracy {result.val_accuracy:7.2%} "
        f"after {len(result.history)} epochs ({result.seconds:.1f} s)",
        flush=True,
    )


def print_table(rows: list[Row]) -> None:
    """The summary: one line per run, plot paths last."""
    header = (
        f"{'dataset':<9}{'model':<30}{'epochs':>7}{'train acc':>11}{'val/test acc':>18}"
        f"{'seconds':>9}  plots"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        result = row.result
        mark = ">=" if row.passed else "<"
        held_out = f"{result.val_split} {result.val_accuracy:.1%} {mark}{row.target:.0%}"
        paths = [str(path) for path in result.figures.values()]
        folder = Path(paths[0]).parent if paths else Path()
        names = ", ".join(Path(path).name for path in paths)
        print(
            f"{result.dataset:<9}{result.model_name:<30}{len(result.history):>7}"
            f"{result.train_accuracy:>11.1%}{held_out:>18}{result.seconds:>9.1f}  "
            f"{folder}/{{{names}}}"
        )


def run(out_dir: str | Path = "gradkit-output/demo") -> int:
    print(
        "gradkit demo: the reference library trains a binary MLP on three toy 2-D sets and a "
        "multiclass MLP on 8x8 digits"
    )
    rows = train_all(out_dir)
    print()
    print_table(rows)
    print()
    missed = [row for row in rows if not row.passed]
    for row in missed:
        result = row.result
        print(
            f"FAIL: {result.dataset}: {result.val_split} accuracy {result.val_accuracy:.2%} is "
            f"below the target {row.target:.0%}"
        )
    if not missed:
        print(
            f"PASS: every toy set >= {TOY_TARGET:.0%} validation accuracy, digits >= "
            f"{DIGITS_TARGET:.0%} test accuracy"
        )
    return 1 if missed else 0
