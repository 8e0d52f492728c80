"""The exercise catalogue: every ``exercises/exNN_<name>/`` folder, found on disk, in order.

An exercise declares what it builds on beside itself, in ``exercise.toml``::

    requires = ["ex07"]   # the exercises that must be done first (default: the one before)
    elective = true       # a research elective: needs the core, not the other electives

Without the file an exercise requires the exercise before it and is part of the core.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

EXERCISE_FOLDER = re.compile(r"^(ex\d\d)_(\w+)$")
DECLARATION = "exercise.toml"


@dataclass(frozen=True)
class Exercise:
    """One rung of the ladder, e.g. ``Exercise("ex01", "ex01_tensor_forward", path)``;
    ``requires`` names the exercises it builds on directly."""

    id: str
    folder: str
    path: Path
    requires: tuple[str, ...] = ()
    elective: bool = False

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

    @property
    def study_module(self) -> str | None:
        """The module of the exercise's study (a research elective's ``study.py``), or None."""
        return f"exercises.{self.folder}.study" if (self.path / "study.py").is_file() else None

    @property
    def spot_check_module(self) -> str | None:
        """The module of the probes that confirm a graded run (``tests/spot_checks.py``:
        :mod:`exercises.testing.probes`), or None."""
        found = (self.tests_path / "spot_checks.py").is_file()
        return f"exercises.{self.folder}.tests.spot_checks" if found else None

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


@cache
def exercises() -> tuple[Exercise, ...]:
    """All exercises, sorted by number. Empty if the ``exercises`` package is absent."""
    spec = importlib.util.find_spec("exercises")
    if spec is None or not spec.submodule_search_locations:
        return ()
    folders = []
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).iterdir()):
            match = EXERCISE_FOLDER.match(path.name)
            if match and (path / "plugin.py").is_file():
                folders.append((match.group(1), path))
    folders.sort()
    found = []
    for index, (exercise_id, path) in enumerate(folders):
        before = (folders[index - 1][0],) if index else ()
        requires, elective = _declaration(path, before, [i for i, _ in folders])
        found.append(Exercise(exercise_id, path.name, path, requires, elective))
    return tuple(found)


def _declaration(path: Path, before: tuple[str, ...], known: list[str]) -> tuple[tuple, bool]:
    """``(requires, elective)`` from the exercise's ``exercise.toml``, checked."""
    file = path / DECLARATION
    if not file.is_file():
        return before, False
    try:
        declared = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{file}: not valid TOML: {error}") from error
    requires = declared.get("requires", list(before))
    earlier = [e for e in known if e < path.name[:4]]
    if not isinstance(requires, list) or any(e not in earlier for e in requires):
        raise ValueError(
            f'{file}: requires must list earlier exercises, e.g. requires = ["ex07"]; got '
            f"{requires!r}; the earlier exercises are {', '.join(earlier) or 'none'}"
        )
    return tuple(requires), bool(declared.get("elective", False))


def prerequisites(exercise: Exercise) -> tuple[Exercise, ...]:
    """Every exercise that must be done before ``exercise`` (what it requires, and what those
    require), in ladder order."""
    by_id = {e.id: e for e in exercises()}
    needed: set[str] = set()
    waiting = list(exercise.requires)
    while waiting:
        exercise_id = waiting.pop()
        if exercise_id not in needed:
            needed.add(exercise_id)
            waiting += by_id[exercise_id].requires
    return tuple(by_id[e] for e in sorted(needed))


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


def settings(kit: Path | None = None) -> dict:
    """The ``[tool.gradkit]`` settings of the kit at ``kit`` (default: this one) from its
    ``pyproject.toml``; empty without one."""
    path = (kit or root()) / "pyproject.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("gradkit", {})


def reference_available() -> bool:
    """True in the instructor's repository; False in a student release."""
    return importlib.util.find_spec("reference_solutions") is not None
