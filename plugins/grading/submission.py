"""Bring a student's submission into the grader's own copy of the kit.

Only the student's code is taken: for every exercise folder, each file except the tests
(``exercises/exNN_<name>/tests/`` stays the kit's). Test files, the kit's code and the
manifest always come from the grader's copy, so nothing a student edits there can count.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from core import catalog

SKIPPED = {"tests", "__pycache__"}


def install_submission(submission: Path, root: Path) -> list[str]:
    """Copy the student's exercise files from ``submission`` (a clone of their repository) over
    the kit at ``root``; returns the paths copied. A missing exercise keeps the kit's stubs."""
    if not (submission / "exercises").is_dir():
        raise ValueError(
            f"{submission} has no exercises/ folder: submit the whole repository (its "
            "exercises/exNN_<name>/plugin.py files in place)"
        )
    copied = []
    for exercise in catalog.exercises():
        theirs = submission / "exercises" / exercise.folder
        if not theirs.is_dir():
            continue
        for path in sorted(theirs.rglob("*")):
            relative = path.relative_to(theirs)
            if not path.is_file() or SKIPPED.intersection(relative.parts) or path.suffix == ".pyc":
                continue
            target = root / "exercises" / exercise.folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target.relative_to(root).as_posix())
    return copied
