"""``gradkit verify`` on a miniature kit: it passes a sound kit, and names each kind of
untrustworthy suite — one broken kit carries one defect per check."""

from __future__ import annotations

import pytest

from tests.miniature_kit import MiniatureKit

pytestmark = pytest.mark.heavy  # see tests/conftest.py


def test_a_sound_kit_passes_every_check(miniature_kit: MiniatureKit) -> None:
    result = miniature_kit.gradkit("verify", "--mistakes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every check passed" in result.stdout
    assert "caught by exercises/ex01_double/tests/test_double.py::" in result.stdout


def add_a_mistake_no_test_can_catch(kit: MiniatureKit) -> None:
    """ex01's catalogue gains ``double_again``: the reference itself, under a mistake's name."""
    kit.write(
        "reference_solutions/mistakes/ex01_double.py",
        kit.path("reference_solutions/mistakes/ex01_double.py").read_text()
        + '\n\n@mistake("functions", "double", "the same as the reference")\n'
        + "def double_again(x):\n    if x is None:\n        raise TypeError('double: None')\n"
        + "    return 2 * x\n",
    )


@pytest.fixture(scope="session")
def broken_kit_report(tmp_path_factory) -> tuple[int, str]:
    """verify's exit code and output on a kit with one defect per check."""
    kit = MiniatureKit(tmp_path_factory.mktemp("broken") / "kit")
    suite = kit.suite("ex01")
    suite.write_text(
        suite.read_text()
        + "\n\ndef test_that_passes_on_anything():\n    assert True\n"
        + "\n\ndef test_that_needs_a_later_exercise():\n"
        + "    assert lookup('quadruple', 'functions')(1) == 4\n"
        + "\n\ndef test_that_crashes_the_run_on_the_stub():\n"
        + "    import os\n\n    try:\n        lookup('double', 'functions')(1)\n"
        + "    except NotImplementedError:\n        os._exit(3)\n"
    )
    add_a_mistake_no_test_can_catch(kit)
    ex02_suite = kit.suite("ex02")
    kept = ex02_suite.read_text().split("\n\ndef test_quadruple_of_none")[0]
    ex02_suite.write_text(
        kept + "\n\ndef test_quadruple_of_five():\n"
        "    assert lookup('quadruple', 'functions')(5) == 21\n"
    )
    kit.write(
        "reference_solutions/mistakes/ex02_quadruple.py",
        "from reference_solutions.mistakes import mistake\n\n\n"
        '@mistake("functions", "quadruple", "adds")\ndef adds(x):\n    return x + 4\n\n\n'
        '@mistake("function", "quadruple", "a misspelled registry")\ndef typo(x):\n'
        "    return x + 4\n",
    )
    result = kit.gradkit("verify", "--exercise", "ex01", "--exercise", "ex02")
    return result.returncode, result.stdout + result.stderr


def test_verify_exits_non_zero_on_a_broken_kit(broken_kit_report) -> None:
    code, output = broken_kit_report
    assert code == 1, output
    assert "FAILED" in output


@pytest.mark.parametrize(
    "expected",
    [
        "ex01 stubs: 1 tests pass on the stubs, so they prove nothing",
        "test_double.py::test_that_passes_on_anything",
        "ex01 mistakes: double_again (the same as the reference) no test fails",
        "ex01 ladder: with ex02, ex03 on their stubs, 1 tests fail",
        "test_double.py::test_that_needs_a_later_exercise",
        "ex02 reference: 1 tests do not pass on the reference",
        "test_quadruple.py::test_quadruple_of_five",
        "ex02 coverage: the suite runs 88.9% of ex02_quadruple.py's lines (at least 95% needed)",
        "ex02 mistakes: 2 in reference_solutions/mistakes/ex02_quadruple.py; at least 3 are needed",
        "ex01 stubs: the run on the stubs ended before 1 tests ran",
        "test_double.py::test_that_crashes_the_run_on_the_stub",
        "ex02 mistakes: typo (a misspelled registry) did not load",
        "gradkit_register_function (did you mean gradkit_register_functions?)",
    ],
)
def test_verify_names_each_defect(broken_kit_report, expected: str) -> None:
    assert expected in broken_kit_report[1]


def test_each_variant_starts_without_what_an_earlier_one_cached_and_sees_every_test(
    miniature_kit: MiniatureKit,
) -> None:
    """A suite that caches the looked-up function would hand the stub to every mistake (so a
    harmless mistake looks caught), and a module that calls the library at import is not
    collected with no implementation loaded (so its tests never meet a stub)."""
    kit = miniature_kit
    kit.write(
        "exercises/ex01_double/tests/test_cached.py",
        "import functools\n\nfrom core.plugin_manager import lookup\n\n\n"
        "@functools.cache\ndef double():\n    return lookup('double', 'functions')\n\n\n"
        "def test_double_of_three_through_a_cache():\n    assert double()(3) == 6\n",
    )
    kit.write(
        "exercises/ex01_double/tests/test_at_import.py",
        "from core.plugin_manager import lookup\n\nFOUR = lookup('double', 'functions')(2)\n\n\n"
        "def test_double_of_two_at_import():\n    assert FOUR == 4\n",
    )
    add_a_mistake_no_test_can_catch(kit)
    output = kit.gradkit("verify", "--exercise", "ex01").stdout
    assert "ex01 mistakes: double_again (the same as the reference) no test fails" in output
    assert "1 tests that ran on the reference were not collected with no implementation" in output
    assert "test_at_import.py::test_double_of_two_at_import" in output
