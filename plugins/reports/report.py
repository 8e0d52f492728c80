"""What a study writes: PNG figures, ``report.md`` and ``results.json``, in one folder.

A study (``exercises/exNN_<name>/study.py``) receives a :class:`Report` and fills it as it
goes::

    def run(report):
        report.heading("Accuracy against epsilon")
        report.text("Each test image is perturbed with FGSM ...")
        report.table(["epsilon", "success rate"], [[0.1, 0.42], [0.2, 0.91]])
        figure, axis = plt.subplots()
        ...
        report.figure(figure, "success_vs_epsilon", "Success rate of FGSM against epsilon")
        report.result("untargeted_success", {"0.1": 0.42, "0.2": 0.91})
        report.findings(["How does the success rate grow with epsilon, and why?"])

``report.md`` opens with what was run (the exercise, the command, the implementation, the seed,
quick or full, the time it took) and ends with the Findings section: prompts the student
answers, their presentation draft. ``results.json`` holds the headline numbers.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import matplotlib

matplotlib.use("Agg")  # files only; must come before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np
from tqdm import tqdm

Item = TypeVar("Item")
FIGURE_DPI = 120


@dataclass
class Report:
    """A study's output folder and what has been written to it so far.

    Attributes:
        out: the folder (created).
        quick: a smoke run: the study should use small sizes and few epochs (seconds in all).
        seed: every random choice of the study derives from it, so a run repeats exactly.
        dataset: the image data set asked for (``digits``, ``mnist-5k``, ``mnist``, ...).
        data_dir: where MNIST-family IDX files are, for a ``dataset`` that needs them.
    """

    out: Path
    quick: bool = False
    seed: int = 0
    dataset: str = "digits"
    data_dir: Path | None = None
    lines: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.out = Path(self.out)
        self.out.mkdir(parents=True, exist_ok=True)

    def heading(self, title: str) -> None:
        self.lines += ["", f"## {title}", ""]

    def text(self, markdown: str) -> None:
        self.lines += [markdown.strip(), ""]

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = ""
    ) -> None:
        """A Markdown table; floats are shown with 3 significant decimals."""
        lines = ["| " + " | ".join(map(str, headers)) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
        if caption:
            lines.append(f"\n*{caption}*")
        self.lines += [*lines, ""]

    def figure(self, figure: plt.Figure, name: str, caption: str) -> Path:
        """Save ``figure`` as ``NAME.png`` in the folder, embed it with ``caption``, close it."""
        path = self.out / f"{name}.png"
        figure.savefig(path, dpi=FIGURE_DPI, bbox_inches="tight")
        plt.close(figure)
        self.figures.append(path)
        self.lines += [f"![{caption}]({path.name})", "", f"*{caption}*", ""]
        return path

    def result(self, key: str, value: Any) -> None:
        """A headline number (or a mapping of them) for ``results.json``."""
        self.results[key] = _plain(value)

    def findings(self, prompts: Sequence[str]) -> None:
        """The questions the student answers in the Findings section (their presentation)."""
        self.prompts += list(prompts)

    def progress(self, items: Iterable[Item], description: str, total: int | None = None):
        """``items``, with a progress bar on the terminal (not in the report)."""
        return _progress(items, description, total)

    def write(self, title: str, what_was_run: Sequence[str]) -> tuple[Path, Path]:
        """Write ``report.md`` and ``results.json``; returns both paths."""
        head = [f"# {title}", "", "## What was run", ""]
        head += [f"- {line}" for line in what_was_run]
        head.append(f"- Python {platform.python_version()}, NumPy {np.__version__}")
        findings = [
            "",
            "## Findings",
            "",
            "Answer these in your own words: they are the outline of your presentation.",
            "",
        ]
        findings += [
            f"{i}. {prompt}\n\n   *Your answer:*\n"
            for i, prompt in enumerate(self.prompts, start=1)
        ]
        markdown = self.out / "report.md"
        markdown.write_text("\n".join([*head, *self.lines, *findings]).rstrip() + "\n", "utf-8")
        results = self.out / "results.json"
        results.write_text(json.dumps(self.results, indent=1, sort_keys=True) + "\n", "utf-8")
        return markdown, results


def _progress(items: Iterable[Item], description: str, total: int | None) -> Iterator[Item]:
    yield from tqdm(items, desc=description, total=total, file=sys.stderr, leave=False)


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return "nan" if math.isnan(value) else f"{float(value):.3f}"
    return str(value)


def _plain(value: Any) -> Any:
    """``value`` with NumPy numbers and arrays turned into JSON's numbers and lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return round(value, 6)
    return value
