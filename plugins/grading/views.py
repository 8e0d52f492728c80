"""A copy of the kit in which one exercise is graded without its own reference solution.

Isolated grading loads the reference of every other exercise, so ``reference_solutions/`` must
be present; but the graded exercise's own reference, and the catalogue of mistakes built on it,
must not be within reach of the student's code (``from reference_solutions.<it> import *``, or
reading the file and running it). Each exercise is therefore graded in a fresh copy of the
kit's code and the installed submission without them; the copy also keeps a run from changing
the kit that later runs use.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from core import catalog
from core.catalog import Exercise
from plugins.suite_runs.sandbox import open_to_everyone

KIT_PARTS = (
    "core",
    "plugins",
    "exercises",
    "reference_solutions",
    "pyproject.toml",
    "pytest.ini",
    "conftest.py",
)
LEFT_BEHIND = shutil.ignore_patterns("__pycache__", "*.pyc")


def copy_kit(root: Path, copy: Path) -> None:
    """Copy the kit's :data:`KIT_PARTS` at ``root`` into the new folder ``copy``."""
    copy.mkdir()
    for part in KIT_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=LEFT_BEHIND, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, copy / part)


@contextmanager
def without_its_reference(exercise: Exercise, readable_by_all: bool = False) -> Iterator[Exercise]:
    """``exercise`` as found in a scratch copy of the kit that lacks its reference and the
    mistake catalogue (readable by every user if asked: for a run as another user); the copy is
    removed afterwards."""
    root = catalog.root()
    with tempfile.TemporaryDirectory(prefix=f"gradkit-{exercise.id}-") as scratch:
        copy = Path(scratch) / "kit"
        copy_kit(root, copy)
        references = copy / "reference_solutions"
        (references / f"{exercise.folder}.py").unlink(missing_ok=True)
        shutil.rmtree(references / "mistakes", ignore_errors=True)
        if readable_by_all:
            open_to_everyone(Path(scratch))
        yield replace(exercise, path=copy / "exercises" / exercise.folder)
