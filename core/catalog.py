"""The exercise catalogue: every ``exercises/exNN_<name>/`` folder, found on disk, in order."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

EXERCISE_FOLDER = re.compile(r"^(ex\d\d)_(\w+)$")


@dataclass(frozen=True)
class Exercise:
    """One rung of the ladder, e.g. ``Exercise("ex01", "ex01_tensor_forward", path)``."""

    id: str
    folder: str
    path: Path

    @property
    def title(self) -> str:
        """Human title from the folder name: ``ex01_tensor_forward`` -> ``tensor forward``."""
        return self.folder.split("_", 1)[1].replace("_", " ")

    @property
    def student_module(self) -> str:
        return f"exercises.{self.folder}.plugin"

    @property
    def reference_module(self) -> str:
        return f"reference_solutions.{self.folder}"

    @property
    def tests_path(self) -> Path:
        return self.path / "tests"

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


@cache
def exercises() -> tuple[Exercise, ...]:
    """All exercises, sorted by number. Empty if the ``exercises`` package is absent."""
    spec = importlib.util.find_spec("exercises")
    if spec is None or not spec.submodule_search_locations:
        return ()
    found = []
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).iterdir()):
            match = EXERCISE_FOLDER.match(path.name)
            if match and (path / "plugin.py").is_file():
                found.append(Exercise(match.group(1), path.name, path))
    return tuple(sorted(found, key=lambda exercise: exercise.id))


def root() -> Path:
    """The repository's root: the folder that holds the ``exercises`` package."""
    spec = importlib.util.find_spec("exercises")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("the exercises package is not importable: run gradkit from the repo")
    return Path(next(iter(spec.submodule_search_locations))).resolve().parent


def exercise(exercise_id: str) -> Exercise:
    """Look up ``"ex01"``; the error lists the exercises that exist."""
    for candidate in exercises():
        if candidate.id == exercise_id:
            return candidate
    known = ", ".join(e.id for e in exercises()) or "none"
    raise KeyError(f"there is no exercise {exercise_id!r}; known exercises: {known}")


def reference_available() -> bool:
    """True in the instructor's repository; False in a student release."""
    return importlib.util.find_spec("reference_solutions") is not None
