"""The catalogue of known student mistakes: wrong variants of reference functions.

Each ``reference_solutions/mistakes/exNN_<name>.py`` holds the mistakes of one exercise. A mistake
wraps one wrong function or class and is itself a gradkit plugin: loaded after the reference
(``GRADKIT_PLUGINS=reference_solutions.mistakes.ex02_tensor_backward:add_without_unbroadcast``),
it replaces one registered value. ``gradkit verify`` runs the exercise's suite once per mistake
and requires at least one test to fail.

    @mistake("gradients", "add", "forgets to undo broadcasting: returns grad for both inputs")
    def add_without_unbroadcast(ctx, grad):
        return grad, grad
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from core import hookimpl


class Mistake:
    """A wrong ``value`` registered as ``name`` in the registry of ``kind``, replacing the
    reference's. ``description`` says, in a student's words, what went wrong."""

    def __init__(self, kind: str, name: str, description: str, value: Any) -> None:
        self.kind, self.name, self.description, self.value = kind, name, description, value

        # trylast: this hook runs after the reference's, so its registration replaces it.
        @hookimpl(trylast=True)
        def register_the_mistake(register: Callable[..., None]) -> None:
            register(name, value, replace=True)

        setattr(self, f"gradkit_register_{kind}", register_the_mistake)

    def __repr__(self) -> str:
        return f"Mistake({self.kind}/{self.name}: {self.description})"


def mistake(kind: str, name: str, description: str) -> Callable[[Any], Mistake]:
    """Decorator: ``@mistake("gradients", "add", "...")`` over the wrong function or class."""

    def wrap(value: Any) -> Mistake:
        return Mistake(kind, name, description, value)

    return wrap


def mistakes_of(module: ModuleType) -> dict[str, Mistake]:
    """The mistakes a catalogue module defines, by attribute name, in definition order."""
    return {name: value for name, value in vars(module).items() if isinstance(value, Mistake)}
