"""Plugin loading: a broken plugin costs its own exercise only, and errors say which one broke.

The real exercises are never edited: a fake ``exercises`` package is built in a temporary folder
and put first on the path of a fresh interpreter, which reports what the core loaded as JSON.
The exercise catalogue is cached per process, so a subprocess is the clean way to swap it.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from core import catalog

FAKE_PLUGINS = {
    # ex01 does not even import.
    "exercises/ex01_broken/plugin.py": """
        from core import hookimpl

        def add_forward(a, b)
            return a + b
    """,
    # ex02 works: it gives the add op, so the kit can still compute with it.
    "exercises/ex02_working/plugin.py": """
        from core import hookimpl

        def add_forward(a, b):
            return a + b

        @hookimpl
        def gradkit_register_ops(register):
            register("add", add_forward)
    """,
    # ex03 imports, but its hook raises while registering.
    "exercises/ex03_raising/plugin.py": """
        from core import hookimpl

        @hookimpl
        def gradkit_register_layers(register):
            raise RuntimeError("the layer table is broken")
    """,
    # ex04 registers a name that ex02 already gave.
    "exercises/ex04_duplicate/plugin.py": """
        from core import hookimpl

        @hookimpl
        def gradkit_register_ops(register):
            register("add", lambda a, b: a + b)
    """,
    # A plugin installed by another package, found through the "gradkit" entry-point group.
    "fake_gradkit_extension.py": """
        from core import Module, hookimpl

        class Fake(Module):
            pass

        @hookimpl
        def gradkit_register_layers(register):
            register("Fake", Fake)
    """,
    "fake_gradkit_extension-0.1.dist-info/METADATA": """
        Metadata-Version: 2.1
        Name: fake-gradkit-extension
        Version: 0.1
    """,
    "fake_gradkit_extension-0.1.dist-info/entry_points.txt": """
        [gradkit]
        fake_extension = fake_gradkit_extension
    """,
}

REPORT = """
import json
from core import MissingImplementationError, Tensor, plugin_manager
from core.plugin_manager import registries

report = {
    "failures": [
        {"plugin": f.plugin, "error": type(f.error).__name__, "text": str(f)}
        for f in plugin_manager.failures()
    ],
    "choices": plugin_manager.choices(),
    "add": (Tensor([1.0]) + Tensor([2.0])).numpy().tolist(),
    "add_source": registries["ops"].entry("add").source,
    "fake_source": registries["layers"].entry("Fake").source,
}
try:
    Tensor([1.0]) * Tensor([2.0])
except MissingImplementationError as error:
    report["missing_mul"] = str(error)
print(json.dumps(report))
"""


@pytest.fixture(scope="session")
def loaded(tmp_path_factory, run_python) -> dict:
    """What the core reports after loading the fake exercises above."""
    root = tmp_path_factory.mktemp("fake_kit")
    (root / "exercises").mkdir()
    (root / "exercises" / "__init__.py").write_text("")
    for relative, text in FAKE_PLUGINS.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent.parent.name == "exercises":
            (path.parent / "__init__.py").write_text("")
        path.write_text(textwrap.dedent(text).lstrip())
    result = run_python(REPORT, cwd=root, first_on_path=root)
    assert result.returncode == 0, f"the report script failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def failure_of(loaded: dict, plugin: str) -> dict:
    found = [failure for failure in loaded["failures"] if failure["plugin"] == plugin]
    assert found, f"no load failure recorded for {plugin}; recorded: {loaded['failures']}"
    return found[0]


def test_exercises_are_discovered_from_the_exercises_package_location(loaded):
    assert loaded["choices"] == {
        "ex01": "student",
        "ex02": "student",
        "ex03": "student",
        "ex04": "student",
    }


def test_plugin_that_fails_to_import_is_recorded_with_its_error(loaded):
    assert failure_of(loaded, "ex01:student")["error"] == "SyntaxError"


def test_load_failure_text_names_the_exercise_and_the_error(loaded):
    text = failure_of(loaded, "ex01:student")["text"]
    assert text.startswith("ex01:student failed to load: SyntaxError")


def test_kit_keeps_working_when_a_plugin_fails_to_import(loaded):
    assert loaded["add"] == [3.0]


def test_missing_op_error_lists_the_plugins_that_failed_to_load(loaded):
    assert "ex01:student failed to load" in loaded["missing_mul"]


def test_missing_op_error_names_the_missing_op(loaded):
    assert "'mul'" in loaded["missing_mul"]


def test_plugin_whose_hook_raises_at_registration_is_recorded(loaded):
    text = failure_of(loaded, "ex03:student")["text"]
    assert text == "ex03:student failed to load: RuntimeError: the layer table is broken"


def test_plugin_registering_a_taken_name_is_recorded_naming_both_plugins(loaded):
    text = failure_of(loaded, "ex04:student")["text"]
    assert "ex02:student" in text and "ex04:student" in text


def test_first_registration_of_a_name_wins_over_a_failed_duplicate(loaded):
    assert loaded["add_source"] == "ex02:student"


def test_working_plugins_record_no_failure(loaded):
    failed = {failure["plugin"] for failure in loaded["failures"]}
    assert failed == {"ex01:student", "ex03:student", "ex04:student"}


def test_entry_point_plugin_is_loaded_under_its_entry_point_name(loaded):
    assert loaded["fake_source"] == "fake_extension"


# ----- the real catalogue ----------------------------------------------------------------------


def test_catalog_lists_exercises_in_order_of_their_number():
    ids = [exercise.id for exercise in catalog.exercises()]
    assert ids == sorted(ids) and ids[:2] == ["ex01", "ex02"]


def test_exercise_title_comes_from_the_folder_name():
    assert catalog.exercise("ex01").title == "tensor forward"


def test_unknown_exercise_raises_key_error_listing_the_known_ones():
    with pytest.raises(KeyError, match=r"ex99.*ex01, ex02"):
        catalog.exercise("ex99")
