"""Loads the plugins and fills the registries: the only place that imports an implementation.

For every exercise at most one module is loaded — ``exercises.<folder>.plugin`` (the student's)
or ``reference_solutions.<folder>`` (the reference) — as the selection says; then plugins that
other packages install under the ``gradkit`` entry-point group; last, the extra plugins named in
``GRADKIT_PLUGINS`` (``"package.module"`` or ``"package.module:attribute"``, comma-separated).
Each ``gradkit_register_<kind>`` hook then fills the registry of that kind, plugin by plugin in
the order they were loaded (``tryfirst`` implementations first, ``trylast`` ones last, so that a
``trylast`` plugin may replace what others registered).
A plugin that fails to import or to register is recorded as a :class:`LoadFailure` for its
exercise; the kit itself keeps working.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from importlib import import_module

import pluggy

from core import catalog, hookspecs
from core.registry import Registry
from core.selection import NONE, REFERENCE, parse_selection, selection_from_environment

# Every registry kind, from the hooks of core/hookspecs.py: {"ops": "op", ...}.
SINGULAR = {
    name.removeprefix(hookspecs.HOOK_PREFIX): spec.singular
    for name, spec in vars(hookspecs).items()
    if name.startswith(hookspecs.HOOK_PREFIX)
}
KINDS = tuple(SINGULAR)
ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
EXTRA_PLUGINS_VARIABLE = "GRADKIT_PLUGINS"


class MissingImplementationError(LookupError, AttributeError):
    """Something was asked for by name and no loaded plugin provides it."""


@dataclass(frozen=True)
class LoadFailure:
    """A plugin that could not be used: which one, and the error it raised."""

    plugin: str
    error: BaseException
    details: str

    def __str__(self) -> str:
        return f"{self.plugin} failed to load: {type(self.error).__name__}: {self.error}"


@dataclass
class _State:
    selection_text: str | None = None
    choices: dict[str, str] | None = None
    manager: pluggy.PluginManager | None = None
    failures: tuple[LoadFailure, ...] = ()


_state = _State()


def _missing(registry: Registry, name: str):
    return lookup(name, registry.kind)


def lookup(name: str, *kinds: str):
    """The value registered as ``name`` in the first of ``kinds`` that has it (loading first)."""
    ensure_loaded()
    for kind in kinds:
        if name in registries[kind].values:
            return registries[kind].values[name]
    problems = "".join(f"\n  - {failure}" for failure in _state.failures)
    available = ", ".join(n for kind in kinds for n in registries[kind]) or "none"
    raise MissingImplementationError(
        f"no {' or '.join(SINGULAR[kind] for kind in kinds)} named {name!r} is registered "
        f"(available: {available})."
        + (f"\nThese plugins failed to load:{problems}" if problems else "")
    )


registries: dict[str, Registry] = {kind: Registry(kind, _missing) for kind in KINDS}


def active_selection() -> str:
    """The selection text in force (``GRADKIT_IMPL`` until someone selects another)."""
    if _state.selection_text is None:
        return selection_from_environment()
    return _state.selection_text


def choices() -> dict[str, str]:
    """``{exercise_id: "student" | "reference"}`` as currently loaded."""
    ensure_loaded()
    return dict(_state.choices or {})


def failures() -> tuple[LoadFailure, ...]:
    """Plugins that failed to import or register in the current load."""
    ensure_loaded()
    return _state.failures


def ensure_loaded() -> None:
    if _state.manager is None:
        activate(active_selection())


def activate(selection_text: str) -> None:
    """Load the implementations named by ``selection_text`` and refill every registry."""
    exercises = catalog.exercises()
    chosen = parse_selection(selection_text, [e.id for e in exercises])
    if REFERENCE in chosen.values() and not catalog.reference_available():
        raise MissingImplementationError(
            "the reference solutions are not part of this repository (a student release), "
            f"so selection {selection_text!r} cannot be loaded; use 'student'"
        )
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    found_failures: list[LoadFailure] = []
    for exercise in exercises:
        implementation = chosen[exercise.id]
        if implementation == NONE:
            continue
        module_name = (
            exercise.reference_module if implementation == REFERENCE else exercise.student_module
        )
        plugin_name = f"{exercise.id}:{implementation}"
        failure = _register(manager, plugin_name, lambda name=module_name: import_module(name))
        found_failures += failure
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if manager.get_plugin(entry_point.name) is None:
            found_failures += _register(manager, entry_point.name, entry_point.load)
    for spec in _extra_plugin_specs():
        found_failures += _register(manager, spec, lambda spec=spec: _load_object(spec))

    for registry in registries.values():
        registry.clear()
    for kind, registry in registries.items():
        caller = getattr(manager.hook, f"gradkit_register_{kind}")
        for implementation in sorted(caller.get_hookimpls(), key=_call_rank):
            register = partial(registry.register, source=implementation.plugin_name)
            try:
                implementation.function(register=register)
            except Exception as error:
                found_failures.append(
                    LoadFailure(implementation.plugin_name, error, traceback.format_exc())
                )
    _state.selection_text = selection_text
    _state.choices = chosen
    _state.manager = manager
    _state.failures = tuple(found_failures)


def _register(
    manager: pluggy.PluginManager, name: str, load: Callable[[], object]
) -> list[LoadFailure]:
    """Load a plugin and register it, or return its failure (a list of at most one).

    Its hook implementations are validated as pytest validates its own (pluggy's
    ``check_pending``): a function marked ``@hookimpl`` whose name is no hook of
    ``core/hookspecs.py`` — a misspelling such as ``gradkit_register_op`` — fails the plugin
    instead of being silently ignored.
    """
    try:
        plugin = load()
        manager.register(plugin, name=name)
    except Exception as error:
        return [LoadFailure(name, error, traceback.format_exc())]
    unknown = [
        hook
        for hook, caller in vars(manager.hook).items()
        if not caller.has_spec() and any(i.plugin_name == name for i in caller.get_hookimpls())
    ]
    if not unknown:
        return []
    manager.unregister(name=name)
    hooks = [hook for hook in vars(hookspecs) if hook.startswith(hookspecs.HOOK_PREFIX)]
    problems = []
    for hook in unknown:
        close = difflib.get_close_matches(hook, hooks, n=1)
        problems.append(f"{hook}" + (f" (did you mean {close[0]}?)" if close else ""))
    error = pluggy.PluginValidationError(
        plugin, f"{name} has @hookimpl functions that are not gradkit hooks: {', '.join(problems)}"
    )
    return [LoadFailure(name, error, f"{type(error).__name__}: {error}")]


def _call_rank(implementation: pluggy.HookImpl) -> int:
    return 0 if implementation.tryfirst else 2 if implementation.trylast else 1


def _extra_plugin_specs() -> list[str]:
    return [spec for spec in os.environ.get(EXTRA_PLUGINS_VARIABLE, "").split(",") if spec.strip()]


def _load_object(spec: str) -> object:
    """``"package.module"`` -> the module; ``"package.module:name"`` -> its attribute ``name``."""
    module_name, _, attribute = spec.strip().partition(":")
    loaded = importlib.import_module(module_name)
    return getattr(loaded, attribute) if attribute else loaded


@contextmanager
def use_implementation(selection_text: str) -> Iterator[None]:
    """Run a block with another selection, then restore the previous one.

    >>> from core import Tensor
    >>> with use_implementation("ex01=reference"):
    ...     (Tensor([1.0]) + 2).numpy()
    array([3.], dtype=float32)
    """
    previous = active_selection()
    activate(selection_text)
    try:
        yield
    finally:
        activate(previous)
