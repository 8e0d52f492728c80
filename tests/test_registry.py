"""Registries: who registered what, duplicates, overrides and the error for a missing name."""

from __future__ import annotations

import pytest

from core import MissingImplementationError, nn, optim
from core import functional as F
from core.plugin_manager import registries
from core.registry import RegistrationError, Registry


def _unreachable(registry: Registry, name: str):
    raise AssertionError(f"{name!r} was looked up in {registry.kind} but is registered")


@pytest.fixture
def layers() -> Registry:
    registry = Registry("layers", _unreachable)
    registry.register("ReLU", "relu from ex03", source="ex03:student")
    return registry


def test_registered_value_is_returned_by_name(layers):
    assert layers["ReLU"] == "relu from ex03"


def test_entry_records_the_plugin_that_registered_the_name(layers):
    assert layers.entry("ReLU").source == "ex03:student"


def test_duplicate_registration_raises_registration_error_naming_both_plugins(layers):
    with pytest.raises(RegistrationError, match=r"ex03:student.*my_extension"):
        layers.register("ReLU", "another relu", source="my_extension")


def test_duplicate_registration_keeps_the_first_value(layers):
    with pytest.raises(RegistrationError):
        layers.register("ReLU", "another relu", source="my_extension")
    assert layers.entry("ReLU").value == "relu from ex03"


def test_registration_error_is_a_value_error():
    assert issubclass(RegistrationError, ValueError)


def test_replace_true_overrides_the_value(layers):
    layers.register("ReLU", "better relu", source="my_extension", replace=True)
    assert layers["ReLU"] == "better relu"


def test_replace_true_records_the_new_source(layers):
    layers.register("ReLU", "better relu", source="my_extension", replace=True)
    assert layers.entry("ReLU").source == "my_extension"


@pytest.mark.parametrize("name", ["", None, 3])
def test_registering_a_name_that_is_not_a_nonempty_string_raises_registration_error(layers, name):
    with pytest.raises(RegistrationError, match="non-empty string"):
        layers.register(name, "value", source="my_extension")


def test_registry_iterates_names_in_sorted_order(layers):
    layers.register("Linear", "linear", source="ex03:student")
    assert list(layers) == ["Linear", "ReLU"]


def test_clear_forgets_every_name(layers):
    layers.clear()
    assert "ReLU" not in layers and len(layers) == 0


def test_duplicate_of_a_loaded_op_names_the_exercise_that_gave_it():
    with pytest.raises(RegistrationError, match=r"ex01:reference.*test"):
        registries["ops"].register("add", lambda a, b: a + b, source="test")


def test_loaded_op_entry_names_the_plugin_that_registered_it():
    assert registries["ops"].entry("add").source == "ex01:reference"


# ----- missing names ---------------------------------------------------------------------------


@pytest.mark.parametrize("base", [LookupError, AttributeError])
def test_missing_implementation_error_is_also_a(base):
    with pytest.raises(base):
        registries["ops"]["no_such_op"]


def test_missing_op_raises_missing_implementation_error_naming_it():
    with pytest.raises(MissingImplementationError, match="'no_such_op'"):
        registries["ops"]["no_such_op"]


def test_missing_op_error_lists_every_available_op():
    with pytest.raises(MissingImplementationError) as caught:
        registries["ops"]["no_such_op"]
    absent = [name for name in registries["ops"] if name not in str(caught.value)]
    assert not absent, f"the error does not list {absent}"


def test_entry_of_a_missing_name_raises_missing_implementation_error():
    with pytest.raises(MissingImplementationError):
        registries["gradients"].entry("no_such_op")


@pytest.mark.parametrize(
    ("namespace", "name"),
    [(nn, "NoSuchLayer"), (F, "no_such_function"), (optim, "NoSuchOptimizer")],
    ids=["nn", "functional", "optim"],
)
def test_unregistered_name_in_a_public_namespace_raises_missing_implementation_error(
    namespace, name
):
    with pytest.raises(MissingImplementationError, match=name):
        getattr(namespace, name)


@pytest.mark.parametrize("namespace", [nn, F, optim], ids=["nn", "functional", "optim"])
def test_hasattr_is_false_for_an_unregistered_name(namespace):
    assert not hasattr(namespace, "NothingRegistersThis")


def test_missing_layer_error_reads_layer_or_loss():
    with pytest.raises(MissingImplementationError, match="no layer or loss named"):
        nn.NoSuchLayer  # noqa: B018
