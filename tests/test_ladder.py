"""The ladder on a miniature kit: ``gradkit test`` is locked until the exercises before pass and
says what it checks as it goes, results are saved by content, ``gradkit progress`` tells where a
student stands, and a run reads as each problem once plus a summary ending in the command to
run next."""

from __future__ import annotations

import json

from plugins.grading import manifest
from tests.miniature_kit import MiniatureKit


def _break_double(kit: MiniatureKit, wrong: str = "2 * abs(x)") -> None:
    kit.solve("ex01")
    plugin = kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("return 2 * x", f"return {wrong}"))


def test_an_exercise_is_locked_while_an_earlier_one_fails(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex02")
    assert result.returncode == 1
    assert "checking ex01 (double): running its suite on your code ... 0 of 5" in result.stderr
    assert "ex02 is locked: finish ex01 (double) first - none of its 5 tests pass yet." in (
        result.stderr
    )
    assert "run: tox -e ex01" in result.stderr
    assert "running its suite on exercises/ex02" not in result.stderr, "ex02 must not run"


def test_finishing_an_exercise_unlocks_the_next_from_the_saved_result(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    assert miniature_kit.gradkit("test", "ex01").returncode == 0
    result = miniature_kit.gradkit("test", "ex02")
    assert "checking ex01" not in result.stderr, "ex01's saved result should have been used"
    assert "ex01 (double): done, all 5 tests pass (saved: nothing changed since)" in result.stderr
    assert "quadruple" in result.stdout
    assert "ex02 (quadruple): 0 of 5 tests pass." in result.stdout


def test_an_unfinished_exercise_is_checked_when_nothing_is_saved(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    result = miniature_kit.gradkit("test", "ex02")
    assert "checking ex01 (double): running its suite on your code ... done, all 5 tests" in (
        result.stderr
    )
    assert "ex02 (quadruple): 0 of 5 tests pass." in result.stdout


def test_a_change_to_an_earlier_plugin_invalidates_its_saved_result(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    miniature_kit.gradkit("test", "ex01")
    _break_double(miniature_kit)
    result = miniature_kit.gradkit("test", "ex02")
    assert result.returncode == 1
    assert "ex02 is locked: finish ex01 (double) first - 1 of its 5 tests still fail." in (
        result.stderr
    )


def test_an_edit_of_the_same_size_right_after_a_run_is_seen(miniature_kit) -> None:
    """Python would reuse the compiled old plugin (same size, same second); the gate must not."""
    miniature_kit.solve("ex01")
    miniature_kit.gradkit("test", "ex01")
    _break_double(miniature_kit, wrong="3 * x")
    result = miniature_kit.gradkit("test", "ex02")
    assert "ex02 is locked: finish ex01 (double) first - 3 of its 5 tests still fail." in (
        result.stderr
    )


def test_a_partial_run_is_not_saved(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    assert miniature_kit.gradkit("test", "ex01", "-k", "negative").returncode == 0
    assert miniature_kit.gradkit("test", "ex01", "-qknegative").returncode == 0
    assert not (miniature_kit.root / ".gradkit" / "results.json").exists()


def test_display_options_still_save_a_whole_run(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    assert miniature_kit.gradkit("test", "ex01", "--", "-q", "-v").returncode == 0
    saved = json.loads((miniature_kit.root / ".gradkit" / "results.json").read_text())
    assert saved["ex01"]["passed"] == saved["ex01"]["total"] == 5


def test_the_reference_selection_skips_the_gate(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex02", "--impl", "reference")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ex02 (quadruple): all 5 tests pass." in result.stdout


def _rows(progress: str) -> list[list[str]]:
    return [line.split() for line in progress.splitlines() if line.startswith("ex0")]


def test_progress_shows_done_in_progress_and_locked(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("progress")
    assert result.returncode == 0, result.stderr
    assert _rows(result.stdout) == [
        ["ex01", "double", "0/5", "in", "progress"],
        ["ex02", "quadruple", "-/5", "locked"],
        ["ex03", "negate", "-/5", "locked"],
    ]
    assert "Next: ex01 (double) - none of its 5 tests pass yet." in result.stdout


def test_progress_shows_the_electives_apart_open_once_their_core_is_done(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    result = miniature_kit.gradkit("progress")
    assert _rows(result.stdout) == [
        ["ex01", "double", "5/5", "done"],
        ["ex02", "quadruple", "0/5", "in", "progress"],
        ["ex03", "negate", "0/5", "open"],
    ]
    lines = result.stdout.splitlines()
    electives = lines.index("research electives (each needs the core; pick one or more):")
    assert lines[electives + 1].startswith("ex03"), "the elective is listed under its heading"
    assert "Next: ex02 (quadruple) - none of its 5 tests pass yet." in result.stdout


def test_an_elective_opens_without_the_other_core_exercises_it_does_not_need(miniature_kit):
    miniature_kit.solve("ex01")
    result = miniature_kit.gradkit("test", "ex03")
    assert "is locked" not in result.stderr
    assert "ex03 (negate): 0 of 5 tests pass." in result.stdout


def test_progress_says_what_to_do_when_everything_is_done(miniature_kit: MiniatureKit) -> None:
    for exercise_id in ("ex01", "ex02", "ex03"):
        miniature_kit.solve(exercise_id)
    result = miniature_kit.gradkit("progress")
    assert [row[-1] for row in _rows(result.stdout)] == ["done"] * 3
    assert "Every exercise is done." in result.stdout


def test_progress_on_an_untouched_stub_of_a_release_runs_no_suite(miniature_kit) -> None:
    kit = miniature_kit
    tests = {"ex01": dict.fromkeys([f"t{i}" for i in range(5)], 1.0), "ex02": {}, "ex03": {}}
    manifest.write(kit.root, manifest.build(kit.root, tests))
    result = kit.gradkit("progress")
    assert "checking" not in result.stderr
    assert _rows(result.stdout)[0] == ["ex01", "double", "0/5", "in", "progress"]


def test_unwritten_stubs_are_listed_once_with_the_tests_waiting_on_them(miniature_kit) -> None:
    result = miniature_kit.gradkit("test", "ex01")
    assert result.returncode == 1
    assert result.stdout.count("double() is not implemented yet") == 0, "no per-test blocks"
    assert "Not written yet - each stub once, with the tests that wait on it:" in result.stdout
    stub_line = next(line for line in result.stdout.splitlines() if " double " in line)
    assert "plugin.py:" in stub_line and "5 tests" in stub_line
    assert "x: a number; returns 2x." in stub_line
    assert "ex01 (double): 0 of 5 tests pass." in result.stdout


def test_the_summary_ends_with_the_command_to_run_next(miniature_kit) -> None:
    lines = miniature_kit.gradkit("test", "ex01").stdout.rstrip().splitlines()
    assert lines[-2] == "Try next: tox -e ex01 -- -k double    (double)"
    assert lines[-1] == "Full tracebacks: tox -e ex01 -- --traceback"


def test_a_wrong_result_is_shown_once_in_full_with_how_many_tests_share_it(miniature_kit):
    kit = miniature_kit
    kit.solve("ex01")
    plugin = kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("return 2 * x", 'raise ValueError("broke")'))
    out = kit.gradkit("test", "ex01").stdout
    assert "Wrong - 1 distinct failure, each shown once:" in out
    assert "__ ValueError: broke - 4 tests __" in out
    assert out.count("raised at exercises/ex01_double/plugin.py:") == 1
    shown = "test_double_of_x[0], test_double_of_x[1], test_double_of_x[3] and 1 more"
    assert f"   failing: {shown}" in out
    assert "ex01 (double): 1 of 5 tests pass." in out
    assert "  wrong: ValueError: broke (4 tests)" in out


def test_a_green_suite_prints_the_ladders_next_step(miniature_kit: MiniatureKit) -> None:
    miniature_kit.solve("ex01")
    out = miniature_kit.gradkit("test", "ex01").stdout.rstrip().splitlines()
    assert out[-2] == "ex01 (double): all 5 tests pass."
    assert out[-1].startswith("Next: ex02 (quadruple). Read exercises/ex02_quadruple/README.md")
    assert out[-1].endswith("Open now too: ex03 (negate).")


def test_a_plugin_with_a_syntax_error_is_reported_once_with_its_line(miniature_kit) -> None:
    plugin = miniature_kit.plugin("ex01")
    plugin.write_text(plugin.read_text().replace("def double(x):", "def double(x)"))
    result = miniature_kit.gradkit("test", "ex01")
    assert result.returncode == 1
    assert "ex01: your plugin does not load:" in result.stderr
    assert 'File "exercises/ex01_double/plugin.py", line' in result.stderr
    assert "^" in result.stderr and "SyntaxError" in result.stderr
    assert "running its suite" not in result.stderr, "no suite run on a plugin that cannot load"


def test_a_locked_exercise_says_when_the_earlier_plugin_does_not_load(miniature_kit) -> None:
    miniature_kit.plugin("ex01").write_text("import a_module_that_is_not_there\n")
    result = miniature_kit.gradkit("test", "ex02")
    assert "ex02 is locked: finish ex01 (double) first" in result.stderr
    assert "No module named 'a_module_that_is_not_there'" in result.stderr


def test_an_edited_test_file_is_reported_before_the_run(miniature_kit) -> None:
    kit = miniature_kit
    manifest.write(kit.root, manifest.build(kit.root, {"ex01": {}, "ex02": {}, "ex03": {}}))
    suite = kit.suite("ex01")
    suite.write_text(suite.read_text() + "\n# edited\n")
    result = kit.gradkit("test", "ex01")
    relative = suite.relative_to(kit.root).as_posix()
    assert f"warning: {relative} was modified" in result.stderr
    assert f"Restore it: git checkout -- {relative}" in result.stderr
    assert result.stderr.index("warning") < result.stderr.index("running its suite")


def test_a_wrong_value_shows_the_assertion(miniature_kit: MiniatureKit) -> None:
    _break_double(miniature_kit)
    result = miniature_kit.gradkit("test", "ex01")
    assert "AssertionError: assert 4 == (-2 * 2)" in result.stdout


def test_traceback_brings_back_the_full_traceback(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("test", "ex01", "--traceback")
    assert "def test_double_of_x" in result.stdout
    assert "(the full traceback: add --traceback)" not in result.stdout


def test_a_green_elective_with_a_study_names_the_report_to_run_next(miniature_kit) -> None:
    miniature_kit.solve("ex01")
    miniature_kit.solve("ex03")
    miniature_kit.write("exercises/ex03_negate/study.py", 'TITLE = "negation"\n')
    result = miniature_kit.gradkit("test", "ex03")
    assert (
        result.stdout.rstrip()
        .splitlines()[-1]
        .startswith("Next: run the study of ex03 (negate): tox -e report -- ex03.")
    ), result.stdout
    miniature_kit.solve("ex02")
    assert "Every exercise is done. Run a study (tox -e report -- ex03)" in (
        miniature_kit.gradkit("progress").stdout
    )


def test_a_run_of_fewer_tests_than_the_release_shipped_is_not_saved(miniature_kit) -> None:
    """With a manifest of 5 tests, a suite cut down to one test that passes is no done
    exercise: the gate must not save it."""
    kit = miniature_kit
    kit.solve("ex01")
    shipped = dict.fromkeys([f"t{i}" for i in range(5)], 1.0)
    manifest.write(kit.root, manifest.build(kit.root, {"ex01": shipped, "ex02": {}, "ex03": {}}))
    kit.suite("ex01").write_text("def test_only_this():\n    pass\n")
    assert kit.gradkit("test", "ex01").returncode == 0
    assert not (kit.root / ".gradkit" / "results.json").exists()


def test_a_release_refuses_the_reference_even_with_a_reference_package_added(
    miniature_kit: MiniatureKit,
) -> None:
    """A release (it has a manifest) to which a student added a ``reference_solutions/``
    package, asked for ``--impl ex01=reference``: it is told the release has no reference, and
    ex02 stays locked."""
    kit = miniature_kit
    manifest.write(kit.root, manifest.build(kit.root, {}))
    result = kit.gradkit("test", "ex02", "--impl", "ex01=reference")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "this is a student release" in output, output
    assert "ex02 (quadruple): running its suite" not in output, output
