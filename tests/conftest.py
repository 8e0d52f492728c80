"""Fixtures shared by the kit's own tests of the core.

Every test here runs with each exercise on its reference solution, so that a failure points at
the core and never at an unfinished exercise.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import core
from core import plugin_manager, use_implementation
from tests.miniature_kit import MiniatureKit
from tests.released_repo import gradkit_in

KIT_ROOT = Path(core.__file__).resolve().parent.parent


HEAVY = "heavy"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{HEAVY}: a test of seconds (it builds, grades or trains): run first"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heavy tests first, and those that need the release before them (otherwise in the
    order collected). The workers start on them together, one building the release while the
    other runs heavy tests of its own, and the run ends on quick tests that any idle worker
    takes, not on a long one that keeps the other waiting."""

    def rank(item: pytest.Item) -> int:
        if "release" in item.fixturenames:
            return 0
        return 1 if item.get_closest_marker(HEAVY) else 2

    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def reference_implementation() -> Iterator[None]:
    """Load the reference of every exercise for the whole session, then restore the selection."""
    with use_implementation("reference"):
        yield


@pytest.fixture
def replace_registered() -> Iterator[Callable[[str, str, Any], None]]:
    """``replace_registered("gradients", "add", bad_backward)`` swaps one registered value for
    this test; afterwards the current selection is loaded again, which restores the original."""

    def replace(kind: str, name: str, value: Any) -> None:
        plugin_manager.registries[kind].register(name, value, source="test", replace=True)

    yield replace
    plugin_manager.activate(plugin_manager.active_selection())


@pytest.fixture(scope="session")
def run_python() -> Callable[..., subprocess.CompletedProcess]:
    """Run a Python snippet in a fresh interpreter that finds ``first_on_path``, then the kit."""

    def run(code: str, cwd: Path, first_on_path: Path | None = None) -> subprocess.CompletedProcess:
        path = [str(first_on_path)] if first_on_path is not None else []
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([*path, str(KIT_ROOT)]),
            "GRADKIT_IMPL": "student",
        }
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture
def miniature_kit(tmp_path: Path) -> MiniatureKit:
    """A fresh three-exercise repository (see ``tests/miniature_kit.py``)."""
    return MiniatureKit(tmp_path / "kit")


@contextmanager
def once_per_run(request, tmp_path_factory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder ``name`` shared by every worker of this test run, and whether the caller must
    build it: the first to ask builds it, under a lock, while the others wait, then reuse it.
    A build that raises is not marked built, so the next to ask tries again."""
    shared = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: share with the others
        shared = shared.parent
    folder, built = shared / name, shared / f"{name}.built"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        needed = not built.exists()
        if needed:
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
        yield folder, needed
        built.touch()


@pytest.fixture(scope="session")
def release(request, tmp_path_factory) -> dict[str, Path]:
    """``gradkit release`` of this repository, with the Gradescope autograder zip: built once
    per test run, also when the run is spread over workers (see :func:`once_per_run`). Tests
    that run commands in it leave their output in ``gradkit-output/`` and ``.gradkit/``; a
    test that needs a pristine copy copies it without those."""
    with once_per_run(request, tmp_path_factory, "release") as (folder, needed):
        out, autograder, log = folder / "student-repo", folder / "autograder.zip", folder / "log"
        if needed:
            result = gradkit_in(
                KIT_ROOT, "release", "--out", str(out), "--autograder", str(autograder)
            )
            assert result.returncode == 0, result.stdout + result.stderr
            log.write_text(result.stdout)
    return {"repo": out, "autograder": autograder, "log": log.read_text()}
