"""Results of whole suite runs, keyed by the content they were run on.

An exercise's result is reused only while nothing that could change it has changed: the kit's
code, the exercise's tests, and the plugins of every exercise up to it (:func:`run_depends_on`).
The cache saves a student time; it is a guide, not a lock. It lives in the student's own
checkout, where anyone can edit it (and plain ``pytest`` skips the gate altogether), so grading
never reads it: a grade always comes from a fresh run of the kit's own tests.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.catalog import EXERCISE_FOLDER
from plugins.grading.manifest import is_protected

CACHE_FOLDER = ".gradkit"


def run_depends_on(path: str, folders: set[str]) -> bool:
    """Whether a run of a suite depends on file ``path`` (relative, posix): the kit's protected
    files, and everything in the exercise ``folders`` up to and including the suite's own."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == "exercises" and EXERCISE_FOLDER.match(parts[1]):
        return parts[1] in folders
    return is_protected(path)


def content_key(selection: str, digests: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over ``(path, file digest)`` pairs, the selection, and the Python and NumPy
    versions."""
    key = hashlib.sha256()
    key.update(f"{selection}|{sys.version}|{importlib.metadata.version('numpy')}".encode())
    for path, digest in digests:
        key.update(path.encode() + b"\0" + digest)
    return key.hexdigest()


@dataclass(frozen=True)
class CachedResult:
    """A whole-suite run: ``passed`` of ``total`` tests."""

    passed: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.passed == self.total


class ResultCache:
    """``.gradkit/results.json`` under the repository's root, one entry per exercise."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self.path = self.folder / "results.json"

    def _entries(self) -> dict:
        try:
            entries = json.loads(self.path.read_text())
        except (OSError, json.JSONDecodeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def get(self, exercise_id: str, key: str) -> CachedResult | None:
        """The result stored for ``exercise_id`` under ``key``; None if absent or stale."""
        entry = self._entries().get(exercise_id)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            return CachedResult(int(entry["passed"]), int(entry["total"]))
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, exercise_id: str, key: str, result: CachedResult) -> None:
        entries = self._entries()
        entries[exercise_id] = {"key": key, "passed": result.passed, "total": result.total}
        if not self.folder.is_dir():
            self.folder.mkdir()
            (self.folder / ".gitignore").write_text("*\n")
        self.path.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n")
