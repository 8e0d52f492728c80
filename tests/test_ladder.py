"""The ladder on a miniature kit: ``gradkit test`` is locked until the exercises before pass,
results are cached by content and signed, ``gradkit progress`` tells where a student stands,
and failures read as a short report unless ``--traceback`` is asked for."""

from __future__ import annotations

import json

from tests.miniature_kit import MiniatureKit


def test_an_exercise_is_locked_while_an_earlier_one_fails(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex02")
    assert result.returncode == 1
    assert "ex02 is locked: finish ex01 (double) first - 5 of 5 of its tests fail." in result.stderr
    assert "run: tox -e ex01" in result.stderr
    assert "collected" not in result.stdout, "ex02's suite must not run while it is locked"


def test_finishing_an_exercise_unlocks_the_next_from_the_cache(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    assert miniature_kit.gradkit("test", "ex01").returncode == 0
    result = miniature_kit.gradkit("test", "ex02")
    assert "checking ex01" not in result.stderr, "ex01's cached result should have been used"
    assert "collected 5 items" in result.stdout
    assert "ex02: quadruple() is not implemented yet" in result.stdout


def test_an_unfinished_exercise_is_checked_when_there_is_no_cached_result(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    result = miniature_kit.gradkit("test", "ex02")
    assert "checking ex01 (double) ..." in result.stdout + result.stderr
    assert "collected 5 items" in result.stdout


def test_a_change_to_an_earlier_plugin_invalidates_its_cached_result(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    miniature_kit.gradkit("test", "ex01")
    plugin = miniature_kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("return 2 * x", "return 2 * abs(x)"))
    result = miniature_kit.gradkit("test", "ex02")
    assert result.returncode == 1
    assert "ex02 is locked: finish ex01 (double) first - 1 of 5" in result.stderr


def test_a_cache_edited_by_hand_is_rejected_and_the_suite_runs_again(miniature_kit) -> None:
    miniature_kit.gradkit("test", "ex01")
    cache = miniature_kit.root / ".gradkit" / "results.json"
    entries = json.loads(cache.read_text())
    assert entries["ex01"]["passed"] == 0
    entries["ex01"]["passed"] = entries["ex01"]["total"]
    cache.write_text(json.dumps(entries))
    result = miniature_kit.gradkit("test", "ex02")
    assert "the saved result of ex01 was edited by hand; running again" in result.stdout
    assert "ex02 is locked: finish ex01 (double) first" in result.stderr


def test_a_partial_run_is_not_cached(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    assert miniature_kit.gradkit("test", "ex01", "-k", "negative").returncode == 0
    assert not (miniature_kit.root / ".gradkit" / "results.json").exists()


def test_the_reference_selection_skips_the_gate(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex02", "--impl", "reference")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_progress_shows_done_in_progress_and_locked(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    result = miniature_kit.gradkit("progress")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:4]]
    assert rows == [
        ["ex01", "double", "5/5", "done"],
        ["ex02", "quadruple", "0/5", "in", "progress"],
        ["ex03", "negate", "-/5", "locked"],
    ]
    assert "Next: ex02 (quadruple) - 5 of 5 tests still fail." in result.stdout
    assert "tox -e ex02" in result.stdout


def test_progress_says_what_to_do_when_everything_is_done(miniature_kit: MiniatureKit) -> None:
    for exercise_id in ("ex01", "ex02", "ex03"):
        miniature_kit.solve(exercise_id)
    result = miniature_kit.gradkit("progress")
    assert [line.split()[-1] for line in result.stdout.splitlines()[1:4]] == ["done"] * 3
    assert "Every exercise is done." in result.stdout


def test_a_failure_reads_as_a_short_report(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex01")
    assert "NotImplementedError: ex01: double() is not implemented yet" in result.stdout
    assert "raised at exercises/ex01_double/plugin.py:" in result.stdout
    assert "(the full traceback: add --traceback)" in result.stdout
    assert "def test_double_of_x" not in result.stdout


def test_traceback_brings_back_the_full_traceback(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex01", "--traceback")
    assert "def test_double_of_x" in result.stdout
    assert "(the full traceback: add --traceback)" not in result.stdout


def test_a_wrong_value_shows_the_assertion(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    plugin = miniature_kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("return 2 * x", "return 2 * abs(x)"))
    result = miniature_kit.gradkit("test", "ex01")
    assert "AssertionError: assert 4 == (-2 * 2)" in result.stdout


def test_an_edit_of_the_same_size_right_after_a_run_is_seen(miniature_kit) -> None:
    """Python would reuse the compiled old plugin (same size, same second); the gate must not."""
    miniature_kit.solve("ex01")
    miniature_kit.gradkit("test", "ex01")
    plugin = miniature_kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("return 2 * x", "return 3 * x"))
    result = miniature_kit.gradkit("test", "ex02")
    assert "ex02 is locked: finish ex01 (double) first - 3 of 5" in result.stderr
