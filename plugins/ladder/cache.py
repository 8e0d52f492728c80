"""Signed results of whole suite runs, keyed by the content they were run on.

An exercise's result is reused only while nothing that could change it has changed: the kit's
code, the exercise's tests, and the plugins of every exercise up to it (:func:`run_depends_on`).
Each entry is signed with a per-checkout secret (HMAC-SHA256), so an entry edited by hand is
rejected and the suite simply runs again. The cache only saves time: grading never reads it.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import json
import secrets
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
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
    """``.gradkit/results.json`` under the repository's root, one signed entry per exercise."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self.path = self.folder / "results.json"
        self.rejected: list[str] = []

    @cached_property
    def _secret(self) -> bytes:
        """This checkout's signing key, made on first use."""
        key_path = self.folder / "secret"
        if not key_path.is_file():
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            key_path.write_text(secrets.token_hex(32))
        return key_path.read_text().strip().encode()

    def _sign(self, exercise_id: str, key: str, passed: int, total: int) -> str:
        message = f"{exercise_id}|{key}|{passed}|{total}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _entries(self) -> dict:
        try:
            entries = json.loads(self.path.read_text())
        except (OSError, json.JSONDecodeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def get(self, exercise_id: str, key: str) -> CachedResult | None:
        """The result stored for ``exercise_id`` under ``key``; None if absent, stale or forged
        (a forged one is also listed in ``rejected``)."""
        entry = self._entries().get(exercise_id)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            passed, total = int(entry["passed"]), int(entry["total"])
            genuine = hmac.compare_digest(
                str(entry["signature"]), self._sign(exercise_id, key, passed, total)
            )
        except (KeyError, TypeError, ValueError):
            genuine = False
        if not genuine:
            self.rejected.append(exercise_id)
            return None
        return CachedResult(passed, total)

    def put(self, exercise_id: str, key: str, result: CachedResult) -> None:
        entries = self._entries()
        entries[exercise_id] = {
            "key": key,
            "passed": result.passed,
            "total": result.total,
            "signature": self._sign(exercise_id, key, result.passed, result.total),
        }
        self.folder.mkdir(exist_ok=True)
        self.path.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n")
