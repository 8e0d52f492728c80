"""Implementation selection: parsing the selection text, switching, and what ends up loaded."""

from __future__ import annotations

import numpy as np
import pytest

from core import MissingImplementationError, Tensor, catalog, plugin_manager, use_implementation
from core.plugin_manager import registries
from core.selection import format_selection, parse_selection

IDS = ["ex01", "ex02", "ex03"]


@pytest.fixture
def reload_afterwards(monkeypatch):
    """Undo the test's monkeypatching, then load the session's selection again."""
    yield
    monkeypatch.undo()
    plugin_manager.activate(plugin_manager.active_selection())


def every_exercise(implementation: str, **overrides: str) -> dict[str, str]:
    """The choices expected for the exercises that exist on disk."""
    return {e.id: overrides.get(e.id, implementation) for e in catalog.exercises()}


# ----- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ["student", "student", "student"]),
        ("", ["student", "student", "student"]),
        ("student", ["student", "student", "student"]),
        ("reference", ["reference", "reference", "reference"]),
        ("ex01=reference", ["reference", "student", "student"]),
        ("ex01=reference,ex02=student", ["reference", "student", "student"]),
        ("reference,ex02=student", ["reference", "student", "reference"]),
        ("ex03=student,reference", ["reference", "reference", "student"]),
        (" reference , ex02 = student ", ["reference", "student", "reference"]),
        ("ex01=reference,", ["reference", "student", "student"]),
        ("reference,\n\tex02=student\n", ["reference", "student", "reference"]),
    ],
    ids=[
        "none",
        "empty",
        "student",
        "reference",
        "one-exercise",
        "per-exercise",
        "default-then-exception",
        "exception-then-default",
        "spaces",
        "trailing-comma",
        "tabs-and-newlines",
    ],
)
def test_parse_selection_gives_each_exercise_one_implementation(text, expected):
    assert parse_selection(text, IDS) == dict(zip(IDS, expected))


def test_parse_selection_with_an_unknown_exercise_raises_value_error_listing_known_ones():
    with pytest.raises(ValueError, match=r"ex99.*ex01, ex02, ex03"):
        parse_selection("ex99=reference", IDS)


@pytest.mark.parametrize("text", ["teacher", "ex01=teacher", "ex01=reference,ex02=solution"])
def test_parse_selection_with_an_unknown_implementation_raises_value_error_naming_the_options(
    text,
):
    with pytest.raises(ValueError, match="'student', 'reference' or 'none'"):
        parse_selection(text, IDS)


def test_none_leaves_an_exercise_unloaded():
    with use_implementation("none,ex01=reference"):
        assert plugin_manager.choices() == every_exercise("none", ex01="reference")
        assert "add" in plugin_manager.registries["ops"]
        assert "add" not in plugin_manager.registries["gradients"]


# ----- switching -------------------------------------------------------------------------------


def test_choices_report_the_session_selection():
    assert plugin_manager.choices() == every_exercise("reference")


def test_use_implementation_switches_the_choices_inside_the_block():
    with use_implementation("ex01=reference,ex02=student"):
        assert plugin_manager.choices() == every_exercise("student", ex01="reference")


def test_use_implementation_restores_the_previous_selection():
    with use_implementation("ex01=reference,ex02=student"):
        pass
    assert plugin_manager.choices() == every_exercise("reference")


def test_use_implementation_restores_the_previous_selection_after_an_exception():
    with pytest.raises(RuntimeError, match="inside"), use_implementation("student"):
        raise RuntimeError("inside the block")
    assert plugin_manager.choices() == every_exercise("reference")


def test_use_implementation_restores_the_previous_gradients_after_an_exception():
    with pytest.raises(RuntimeError, match="inside"), use_implementation("ex02=student"):
        raise RuntimeError("inside the block")
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_invalid_selection_leaves_the_loaded_implementation_in_place():
    with pytest.raises(ValueError):
        plugin_manager.activate("ex99=reference")
    assert plugin_manager.choices() == every_exercise("reference")


def test_selection_text_is_kept_as_given():
    with use_implementation("reference,ex02=student"):
        assert plugin_manager.active_selection() == "reference,ex02=student"


def test_gradkit_impl_is_read_when_nothing_was_selected(monkeypatch, reload_afterwards):
    monkeypatch.setenv("GRADKIT_IMPL", "ex01=reference")
    monkeypatch.setattr(plugin_manager._state, "selection_text", None)
    monkeypatch.setattr(plugin_manager._state, "manager", None)
    assert plugin_manager.choices() == every_exercise("student", ex01="reference")


def test_explicit_selection_wins_over_gradkit_impl(monkeypatch):
    monkeypatch.setenv("GRADKIT_IMPL", "student")
    assert plugin_manager.active_selection() == "reference"


def test_reference_selection_in_a_student_release_raises_missing_implementation_error(
    monkeypatch, reload_afterwards
):
    monkeypatch.setattr(catalog, "reference_available", lambda: False)
    with pytest.raises(MissingImplementationError, match="student release"):
        plugin_manager.activate("ex01=reference")


# ----- exactly one implementation per exercise -------------------------------------------------

SELECTIONS = ["reference", "student", "ex01=reference,ex02=student", "reference,ex01=student"]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_every_registered_name_comes_from_the_selected_implementation(selection):
    with use_implementation(selection):
        allowed = {f"{exercise}:{impl}" for exercise, impl in plugin_manager.choices().items()}
        sources = {
            registry.entry(name).source for registry in registries.values() for name in registry
        }
    exercise_sources = {source for source in sources if ":" in source}
    assert exercise_sources <= allowed, f"loaded from {exercise_sources - allowed}"


@pytest.mark.parametrize(
    ("selection", "ops_source", "gradients_source"),
    [
        ("reference", "ex01:reference", "ex02:reference"),
        ("student", "ex01:student", "ex02:student"),
        ("ex01=reference,ex02=student", "ex01:reference", "ex02:student"),
        ("reference,ex01=student", "ex01:student", "ex02:reference"),
    ],
)
def test_add_and_its_gradient_come_from_the_selected_exercises(
    selection, ops_source, gradients_source
):
    with use_implementation(selection):
        sources = (
            registries["ops"].entry("add").source,
            registries["gradients"].entry("add").source,
        )
    assert sources == (ops_source, gradients_source)


@pytest.mark.parametrize(
    ("default", "per_exercise"),
    [
        ("none", {"ex01": "student", "ex02": "student"}),
        ("reference", {"ex03": "student"}),
        ("student", {}),
    ],
)
def test_format_selection_is_read_back_by_parse_selection(default, per_exercise):
    text = format_selection(default, per_exercise)
    expected = {exercise_id: per_exercise.get(exercise_id, default) for exercise_id in IDS}
    assert parse_selection(text, IDS) == expected
