"""The files of a gradkit repository as its tools see them: everything but what tools generate.

The manifest, the ladder's cache keys and the release all start from this one list.
"""

from __future__ import annotations

import os
from pathlib import Path

# Folders that tools create and that no tool reads back as part of the repository.
GENERATED = frozenset(
    {
        ".git",
        ".tox",
        ".venv",
        "__pycache__",
        ".pytest_cache",
        ".gradkit",
        "gradkit-output",
        ".hypothesis",
        ".ruff_cache",
        "build",
        "dist",
    }
)


def is_generated(name: str) -> bool:
    return name in GENERATED or name.endswith(".egg-info")


def repository_files(root: Path) -> list[str]:
    """Sorted posix paths, relative to ``root``, of every file under it except compiled ``.pyc``
    files and the generated folders, which the walk never enters (a ``.tox`` holds thousands)."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not is_generated(name)]
        relative = Path(folder).relative_to(root)
        found += [(relative / name).as_posix() for name in files if not name.endswith(".pyc")]
    return sorted(found)
