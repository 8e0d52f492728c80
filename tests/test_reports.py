"""``gradkit report``: the Report writer's Markdown and JSON, every research study's quick run
on the reference (its figures, report.md with Findings, the headline numbers of results.json),
that a run repeats exactly, and the errors of a report that cannot run."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from core.catalog import exercises
from plugins import cli
from plugins.reports.command import studies
from plugins.reports.report import Report

pytestmark = pytest.mark.heavy  # see tests/conftest.py

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The headline numbers each study's results.json must hold (the issue of each elective).
HEADLINE_KEYS = {
    "ex08": {"val_accuracy", "uncertain_fraction"},
    "ex09": {"silhouette"},
    "ex10": {"untargeted_success", "targeted_success"},
    "ex11": {"linear_model_accuracy", "mlp_accuracy", "deletion_accuracy"},
    "ex12": {"test_accuracy"},
    "ex13": {"f1", "iou", "precision", "recall"},
    "ex14": {"test_accuracy"},
    "ex15": {"balanced_accuracy", "minority_recall", "macro_f1"},
}


def quick_report(exercise: str, out: Path, *extra: str) -> int:
    return cli.main(
        ["report", exercise, "--quick", "--out", str(out), "--impl", "reference", *extra]
    )


def test_every_elective_has_a_study_and_its_headline_keys_are_known() -> None:
    electives = [exercise.id for exercise in exercises() if exercise.elective]
    assert studies() == electives
    assert set(HEADLINE_KEYS) == set(electives), "name the results.json keys of each new study"


@pytest.mark.parametrize("exercise", sorted(HEADLINE_KEYS))
def test_a_quick_report_writes_its_figures_report_and_headline_numbers(
    exercise: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = quick_report(exercise, tmp_path)
    out, err = capsys.readouterr()
    assert code == 0, err
    markdown = (tmp_path / "report.md").read_text("utf-8")
    assert markdown.startswith(f"# {exercise} study: ")
    assert "quick (smoke) run" in markdown
    assert "\n## Findings\n" in markdown and "1. " in markdown.split("## Findings")[1]
    figures = sorted(tmp_path.glob("*.png"))
    assert figures, "a study writes at least one figure"
    for figure in figures:
        assert figure.read_bytes().startswith(PNG_SIGNATURE)
        assert f"]({figure.name})" in markdown, f"{figure.name} is not embedded in report.md"
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert HEADLINE_KEYS[exercise] <= set(results)
    assert f"{exercise}: study written in " in out


def test_a_report_repeats_exactly_with_the_same_seed(tmp_path: Path) -> None:
    for run in ("first", "second"):
        assert quick_report("ex14", tmp_path / run, "--seed", "3") == 0
    first, second = (
        json.loads((tmp_path / run / "results.json").read_text()) for run in ("first", "second")
    )
    assert first == second


def test_a_report_on_an_unfinished_elective_names_the_exercise_to_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        ["report", "ex10", "--quick", "--out", str(tmp_path), "--impl", "reference,ex10=student"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "gradkit report ex10: cannot run yet: it needs ex10 (adversarial images)" in err
    assert "Finish ex10 (adversarial images) first" in err
    assert "tox -e ex10" in err


def test_a_report_on_an_exercise_without_a_study_lists_the_ones_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["report", "ex03", "--out", str(tmp_path)]) == 2
    assert "ex03 (modules and losses) has no study; the exercises with one are: ex08" in (
        capsys.readouterr().err
    )


def test_the_report_writer_formats_tables_findings_and_plain_json(tmp_path: Path) -> None:
    report = Report(tmp_path / "out")
    report.heading("Numbers")
    report.table(["epsilon", "rate"], [[0.1, np.float32(0.4213)], [0.2, float("nan")]], "rates")
    figure, axis = plt.subplots()
    axis.plot([0, 1], [1, 0])
    report.figure(figure, "line", "A falling line")
    report.result("rates", {0.1: np.float64(0.4213456789), "all": np.arange(2)})
    report.findings(["Why does it fall?", "What next?"])
    markdown, results = report.write("A study", ["command: `gradkit report ex08`"])
    text = markdown.read_text("utf-8")
    assert "| epsilon | rate |\n|---|---|\n| 0.100 | 0.421 |\n| 0.200 | nan |" in text
    assert "![A falling line](line.png)" in text
    assert "1. Why does it fall?" in text and "2. What next?" in text
    assert text.index("## Numbers") < text.index("## Findings")
    assert json.loads(results.read_text()) == {"rates": {"0.1": 0.421346, "all": [0, 1]}}
    assert (tmp_path / "out" / "line.png").read_bytes().startswith(PNG_SIGNATURE)


def test_a_toy_study_refuses_an_image_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert quick_report("ex08", tmp_path, "--dataset", "mnist-5k") == 2
    assert "trains on 2-D toy sets, not images: leave out --dataset" in capsys.readouterr().err
