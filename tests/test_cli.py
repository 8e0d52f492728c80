"""The ``gradkit`` command line: parsing, ``gradkit train`` end to end, its error messages, and
the demo's table and verdict. Commands run in-process through ``main(argv)``."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import plugin_manager
from core.training import History
from plugins import cli, demo
from plugins.ladder.commands import take_impl
from plugins.training import recipes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["test", "ex01", "-x"], {"command": "test", "exercise": "ex01", "pytest_args": ["-x"]}),
        (["plugins", "--impl", "reference"], {"command": "plugins", "impl": "reference"}),
        (["demo"], {"command": "demo", "out": "gradkit-output/demo"}),
        (["progress"], {"command": "progress", "impl": None}),
        (
            ["grade", "--exercise", "ex01", "--exercise", "ex03", "--isolated"],
            {"exercise": ["ex01", "ex03"], "isolated": True, "out": "gradkit-output/grades"},
        ),
        (
            ["grade", "--test-timeout", "2", "--exercise-timeout", "9"],
            {
                "test_timeout": 2.0,
                "exercise_timeout": 9.0,
                "exercise": None,
                "manifest": None,
                "jobs": None,
            },
        ),
        (["verify", "--mistakes"], {"command": "verify", "mistakes": True, "min_coverage": 95.0}),
        (["release", "--out", "d"], {"out": "d", "force": False, "autograder": None}),
        (
            ["train", "toy", "--dataset", "circles", "--epochs", "3", "--lr", "0.1", "--seed", "2"],
            {"recipe": "toy", "dataset": "circles", "epochs": 3, "lr": 0.1, "seed": 2},
        ),
        (["train", "toy"], {"recipe": "toy", "dataset": "moons", "epochs": None, "seed": 0}),
        (["train", "digits", "--out", "here"], {"recipe": "digits", "out": "here"}),
        (
            ["train", "mnist", "--data-dir", "d", "--dataset", "fashion-mnist"],
            {"recipe": "mnist", "data_dir": "d", "dataset": "fashion-mnist"},
        ),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_parser_reads_each_command(argv: list[str], expected: dict) -> None:
    args = cli.build_parser().parse_args(argv)
    assert {key: getattr(args, key) for key in expected} == expected


@pytest.mark.parametrize(
    "argv",
    [["train"], ["train", "toy", "--dataset", "spirals"], ["train", "cifar"]],
    ids=["no recipe", "unknown toy set", "unknown recipe"],
)
def test_parser_rejects_incomplete_train_commands(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(argv)
    assert exit_info.value.code == 2


def test_train_mnist_from_files_needs_a_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["train", "mnist", "--dataset", "fashion-mnist"]) == 2
    assert "--dataset fashion-mnist reads IDX files: give --data-dir DIR" in capsys.readouterr().err


def test_train_toy_prints_the_accuracy_and_writes_the_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["train", "toy", "--dataset", "moons", "--epochs", "2", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "final accuracy: train" in out
    assert "%" in out.split("final accuracy")[1]
    assert "epoch 2/2" in err  # the per-epoch progress
    for name in ("curves.png", "boundary.png"):
        assert (tmp_path / name).read_bytes().startswith(PNG_SIGNATURE)
        assert str(tmp_path / name) in out


def test_train_with_an_unfinished_exercise_names_the_first_one_the_recipe_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ex06's model raises first, but ex02 comes before it on the ladder: finish ex02 first."""
    argv = ["train", "toy", "--epochs", "1", "--out", str(tmp_path)]
    code = cli.main([*argv, "--impl", "reference,ex02=student,ex06=student"])
    err = capsys.readouterr().err
    assert code == 1
    assert "train toy: cannot run yet: it needs ex06 (binary mlp and trainer) and what it" in err
    assert "Finish ex02 (tensor backward) first - none of its 186 tests pass yet" in err
    assert "tox -e ex02" in err
    assert "(it stopped at: ex06: " in err


def test_train_with_impl_restores_the_previous_selection(tmp_path: Path) -> None:
    before = plugin_manager.active_selection()
    cli.main(
        [
            "train",
            "toy",
            "--epochs",
            "1",
            "--quiet",
            "--out",
            str(tmp_path),
            "--impl",
            "ex01=reference",
        ]
    )
    assert plugin_manager.active_selection() == before


def test_train_mnist_from_an_empty_folder_names_the_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["train", "mnist", "--data-dir", str(tmp_path), "--epochs", "1"])
    err = capsys.readouterr().err
    assert code != 0
    assert "train-images-idx3-ubyte" in err
    assert "Traceback" not in err


# ----- the demo's table and verdict (the full demo runs as `tox -e demo`) --------------------
def fake_row(dataset: str, accuracy: float, target: float) -> demo.Row:
    history = History()
    history.append({"train_loss": 0.1, "train_accuracy": 1.0})
    result = recipes.RunResult(
        name=dataset,
        dataset=dataset,
        model=None,
        model_name="BinaryMLPClassifier 2-16-16-1",
        settings=recipes.DEFAULTS["toy"],
        train_accuracy=1.0,
        val_accuracy=accuracy,
        val_split="val",
        seconds=0.5,
        history=history,
        figures={"curves": Path("out") / dataset / "curves.png"},
    )
    return demo.Row(result, target)


def test_demo_table_shows_each_run_with_its_accuracy_and_plots(
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo.print_table([fake_row("moons", 0.99, 0.95), fake_row("circles", 0.9, 0.95)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["dataset", "model", "epochs"]
    assert "val 99.0% >=95%" in lines[2]
    assert "val 90.0% <95%" in lines[3]
    assert str(Path("out") / "moons") in lines[2]


@pytest.mark.parametrize(("accuracy", "passed"), [(0.95, True), (0.949, False)])
def test_demo_row_passes_exactly_at_its_target(accuracy: float, passed: bool) -> None:
    assert fake_row("moons", accuracy, 0.95).passed is passed


def test_test_takes_impl_after_the_exercise_id() -> None:
    assert take_impl(None, ["-x", "--impl", "reference", "-q"]) == ("reference", ["-x", "-q"])
    assert take_impl("student", ["--impl=reference"]) == ("reference", [])
