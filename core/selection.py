"""Which implementation each exercise uses: the student's plugin or the reference solution.

A selection is written as text, in ``GRADKIT_IMPL``, in pytest's ``--gradkit-impl`` or given to
``core.use_implementation``:

- ``student`` (the default) or ``reference``: the same for every exercise;
- ``ex01=reference,ex02=student``: per exercise; exercises not named stay ``student``;
- ``reference,ex03=student``: a default first, then per-exercise exceptions;
- ``none`` leaves an exercise unloaded: ``none,ex01=student,ex02=student`` runs ex02's suite with
  nothing of the later exercises, so a broken later plugin cannot disturb it.

At most one implementation of each exercise is ever loaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

STUDENT = "student"
REFERENCE = "reference"
NONE = "none"
IMPLEMENTATIONS = (STUDENT, REFERENCE, NONE)
ENVIRONMENT_VARIABLE = "GRADKIT_IMPL"


def parse_selection(text: str | None, exercise_ids: Iterable[str]) -> dict[str, str]:
    """Turn selection text into ``{exercise_id: "student" | "reference" | "none"}``.

    >>> parse_selection("ex02=reference", ["ex01", "ex02"])
    {'ex01': 'student', 'ex02': 'reference'}
    """
    ids = list(exercise_ids)
    default = STUDENT
    overrides: dict[str, str] = {}
    for part in "".join((text or "").split()).split(","):
        if not part:
            continue
        exercise_id, sep, implementation = part.rpartition("=")
        if implementation not in IMPLEMENTATIONS:
            raise ValueError(
                f"{ENVIRONMENT_VARIABLE}: {implementation!r} in {text!r} is not an implementation;"
                f" use 'student', 'reference' or 'none', e.g. 'reference' or "
                f"'ex01=reference,ex02=student'"
            )
        if not sep:
            default = implementation
        elif exercise_id not in ids:
            raise ValueError(
                f"{ENVIRONMENT_VARIABLE}: {exercise_id!r} in {text!r} is not an exercise; "
                f"known exercises: {', '.join(ids) or 'none'}"
            )
        else:
            overrides[exercise_id] = implementation
    return {exercise_id: overrides.get(exercise_id, default) for exercise_id in ids}


def format_selection(default: str, per_exercise: Mapping[str, str] | None = None) -> str:
    """Selection text: ``default`` for every exercise, then per-exercise exceptions (the
    inverse of :func:`parse_selection`).

    >>> format_selection("none", {"ex01": "student", "ex02": "student"})
    'none,ex01=student,ex02=student'
    """
    exceptions = (f"{exercise_id}={impl}" for exercise_id, impl in (per_exercise or {}).items())
    return ",".join([default, *exceptions])


def selection_from_environment() -> str:
    return os.environ.get(ENVIRONMENT_VARIABLE, STUDENT)
