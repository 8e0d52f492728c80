"""Registries: name -> value tables filled by plugins, each entry remembering its plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


class RegistrationError(ValueError):
    """A plugin registered a name that another plugin already provides."""


@dataclass(frozen=True)
class Entry:
    """One registered thing: its ``name``, the ``value`` and the ``source`` plugin."""

    name: str
    value: Any
    source: str


class Registry:
    """A table of one kind of thing (ops, gradients, layers, ...) filled through a hook.

    ``values`` is a plain dict kept as the same object for the registry's whole life, so hot
    paths may hold on to it; it is cleared and refilled when the implementation changes.
    """

    def __init__(self, kind: str, on_missing: Callable[[Registry, str], Any]) -> None:
        self.kind = kind
        self.values: dict[str, Any] = {}
        self._entries: dict[str, Entry] = {}
        self._on_missing = on_missing

    def register(self, name: str, value: Any, *, source: str, replace: bool = False) -> None:
        """Add ``name``; a second registration of a name needs ``replace=True``."""
        if not isinstance(name, str) or not name:
            raise RegistrationError(
                f"{source} registered a {self.kind} with name {name!r}: "
                "names must be non-empty strings"
            )
        previous = self._entries.get(name)
        if previous is not None and not replace:
            raise RegistrationError(
                f"{self.kind} {name!r} is registered twice: by {previous.source} and by {source}. "
                f"If {source} means to override it, register it with replace=True."
            )
        self._entries[name] = Entry(name, value, source)
        self.values[name] = value

    def __getitem__(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        return self._on_missing(self, name)

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.values))

    def __len__(self) -> int:
        return len(self.values)

    def entry(self, name: str) -> Entry:
        """The full record of ``name``: value and the plugin that supplied it."""
        self[name]
        return self._entries[name]

    def clear(self) -> None:
        self.values.clear()
        self._entries.clear()
