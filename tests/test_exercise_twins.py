"""Every exercise's stub file and its reference are twins: they register the same names through
the same hooks, and define the same public functions and classes.

A student writes into the stub's functions; the reference fills the same ones. A name that one
twin has and the other lacks is either a test the stub cannot pass or a part of the reference a
student is never asked to write.
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType
from typing import Any

import pytest

from core import catalog
from core.catalog import Exercise

HOOK_PREFIX = "gradkit_register_"


def registered(module: ModuleType) -> set[str]:
    """``kind/name`` (e.g. ``ops/add``) for every name the module's ``gradkit_register_<kind>``
    hooks register."""
    found: set[str] = set()
    for attribute, hook in vars(module).items():
        if not (attribute.startswith(HOOK_PREFIX) and callable(hook)):
            continue
        kind = attribute.removeprefix(HOOK_PREFIX)

        def register(name: str, value: Any, replace: bool = False, kind: str = kind) -> None:
            found.add(f"{kind}/{name}")

        hook(register=register)
    return found


def public_definitions(module: ModuleType) -> set[str]:
    """The functions and classes the module itself defines at top level, not named ``_...``."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    }


def differences(exercise: Exercise, stub: set[str], reference: set[str], what: str) -> str:
    """What only one twin has, named with the twin's file; ``""`` when both have the same."""
    lines = []
    for twin, has, lacks in (
        (f"the stub {exercise.student_module}", stub, reference),
        (f"the reference {exercise.reference_module}", reference, stub),
    ):
        only = sorted(has - lacks)
        if only:
            lines.append(f"  only {twin} {what}: {', '.join(only)}")
    return "\n".join(lines)


def twins(exercise: Exercise) -> tuple[ModuleType, ModuleType]:
    return (
        importlib.import_module(exercise.student_module),
        importlib.import_module(exercise.reference_module),
    )


EXERCISES = [pytest.param(exercise, id=exercise.id) for exercise in catalog.exercises()]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_stub_and_reference_register_the_same_names(exercise):
    stub, reference = twins(exercise)
    missing = differences(exercise, registered(stub), registered(reference), "registers")
    assert not missing, (
        f"{exercise}: the stub and the reference must register the same names with the same hooks;"
        f"\n{missing}"
    )


@pytest.mark.parametrize("exercise", EXERCISES)
def test_stub_and_reference_define_the_same_public_functions_and_classes(exercise):
    stub, reference = twins(exercise)
    missing = differences(
        exercise, public_definitions(stub), public_definitions(reference), "defines"
    )
    assert not missing, (
        f"{exercise}: the stub and the reference must define the same public functions and "
        f"classes (helpers get a leading underscore);\n{missing}"
    )
