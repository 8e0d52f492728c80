"""Bring a student's submission into the grader's own copy of the kit, taking only what a
student should submit.

A submission is a clone of the student's repository. From each ``exercises/exNN_<name>/``
folder the intake takes regular files with plain names — the plugin, helper modules, Markdown
notes, a study and its outputs — and refuses, naming each with the reason:

- links (to the kit's files, the reference or anywhere else), folders where a file is
  expected, special files;
- names that are not plain (``[A-Za-z0-9_.-]``, no leading dot) or not UTF-8;
- files that steer Python or pytest rather than hold an exercise: ``__init__.py``,
  ``conftest.py``, pytest and tox configuration, ``*.pth``, ``sitecustomize.py``;
- the kit's own files of the folder (``exercise.toml``, its README, given modules): the kit's
  copy is used;
- more than :data:`MAX_DEPTH` folders deep, files over :data:`MAX_FILE_BYTES`, more than
  :data:`MAX_FILES` files or :data:`MAX_TOTAL_BYTES` in all.

``tests/`` stays the kit's and ``__pycache__`` is left behind without a word. Nothing a
submission holds makes the intake itself fail: the folder is walked without recursion and
without following links, and every file is read through a size limit.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from core import catalog

MAX_DEPTH = 4  # folders below an exercise folder
MAX_FILE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 20_000_000
MAX_FILES = 300
TAKEN_SUFFIXES = {".py", ".md", ".txt", ".png", ".json", ".csv"}
STUDENT_FILES = {"plugin.py", "study.py"}  # the kit ships them, the student writes them
STEERING = {
    "__init__.py",
    "conftest.py",
    "pytest.ini",
    "tox.ini",
    "setup.cfg",
    "setup.py",
    "pyproject.toml",
    "sitecustomize.py",
    "usercustomize.py",
}
SILENTLY_LEFT = {"tests", "__pycache__"}
PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


@dataclass
class Intake:
    """What the intake took (paths in the kit) and what it refused (path in the submission,
    reason), in the order it met them."""

    copied: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    total_bytes: int = 0

    def refuse(self, where: str, why: str) -> None:
        self.refused.append((where, why))

    def lines(self) -> list[str]:
        """One line per refused file, for the visible output."""
        return [f"refused {where}: {why}" for where, why in self.refused]


def install_submission(submission: Path, root: Path) -> Intake:
    """Copy the student's files from ``submission`` over the kit at ``root``. A missing
    exercise folder keeps the kit's stubs. Raises ValueError only for a submission that is no
    repository at all."""
    exercises = submission / "exercises"
    if exercises.is_symlink() or not exercises.is_dir():
        raise ValueError(
            f"{submission} has no exercises/ folder: submit the whole repository (its "
            "exercises/exNN_<name>/plugin.py files in place)"
        )
    intake = Intake()
    for exercise in catalog.exercises():
        theirs = exercises / exercise.folder
        if theirs.is_symlink():
            intake.refuse(f"exercises/{exercise.folder}", "a link, not a folder")
        elif theirs.is_dir():
            _take_folder(theirs, root / "exercises" / exercise.folder, exercise.folder, intake)
    return intake


def _take_folder(theirs: Path, ours: Path, folder: str, intake: Intake) -> None:
    """Walk ``theirs`` breadth-first, without recursion and without following links."""
    pending: list[tuple[Path, tuple[str, ...]]] = [(theirs, ())]
    while pending:
        directory, parts = pending.pop(0)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: os.fsencode(entry.name))
        except OSError as error:
            intake.refuse(_shown(folder, parts), f"cannot be read ({error.strerror})")
            continue
        for entry in entries:
            name = _plain_name(entry.name)
            where = _shown(folder, (*parts, name or repr(os.fsencode(entry.name))[2:-1]))
            if name is None:
                intake.refuse(where, "the name is not plain text (UTF-8 letters, digits, _ . -)")
                continue
            if not parts and name in SILENTLY_LEFT:
                continue
            if name == "__pycache__":
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                intake.refuse(where, f"cannot be read ({error.strerror})")
                continue
            if stat.S_ISLNK(mode):
                intake.refuse(where, "a link: submit the file itself")
            elif stat.S_ISDIR(mode):
                if (ours / Path(*parts, name)).is_file():
                    intake.refuse(where, "a folder where the kit has a file of that name")
                elif len(parts) + 1 > MAX_DEPTH:
                    intake.refuse(where, f"more than {MAX_DEPTH} folders deep")
                else:
                    pending.append((Path(entry.path), (*parts, name)))
            elif not stat.S_ISREG(mode):
                intake.refuse(where, "not a regular file")
            else:
                _take_file(Path(entry.path), ours / Path(*parts, name), where, intake)


def _take_file(path: Path, target: Path, where: str, intake: Intake) -> None:
    name = path.name
    kits_own = name not in STUDENT_FILES and target.is_file() and not target.is_symlink()
    content = _read_limited(path)
    if kits_own and content == target.read_bytes():
        return  # the clone's unchanged copy of a kit file
    why = _refusal(name, kits_own)
    if why is None and content is None:
        why = f"larger than {MAX_FILE_BYTES:,} bytes"
    if why is None and len(intake.copied) >= MAX_FILES:
        why = f"more than {MAX_FILES} files in the submission"
    if why is None and intake.total_bytes + len(content) > MAX_TOTAL_BYTES:
        why = f"the submission's files pass {MAX_TOTAL_BYTES:,} bytes in all"
    if why is None and target.is_dir() and not target.is_symlink():
        why = "the kit has a folder of that name here"
    if why is not None:
        intake.refuse(where, why)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        target.unlink()
    target.write_bytes(content)
    intake.total_bytes += len(content)
    intake.copied.append(where)


def _refusal(name: str, kits_own: bool) -> str | None:
    """Why a regular file of this name is not taken, or None."""
    if kits_own:
        return "the kit's own file, changed: the kit's copy is used"
    if name in STEERING or name.endswith(".pth"):
        return "steers Python or pytest instead of holding exercise code; it is not taken"
    if Path(name).suffix not in TAKEN_SUFFIXES:
        return f"not a kind of file a submission holds ({', '.join(sorted(TAKEN_SUFFIXES))})"
    return None


def _read_limited(path: Path) -> bytes | None:
    """The file's bytes, read without following a link; None if it is over the limit."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as file:
        content = file.read(MAX_FILE_BYTES + 1)
    return None if len(content) > MAX_FILE_BYTES else content


def _plain_name(raw: str) -> str | None:
    """``raw`` if it is a plain UTF-8 name; None otherwise (os.scandir gives undecodable bytes
    as surrogates)."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return raw if PLAIN_NAME.fullmatch(raw) else None


def _shown(folder: str, parts: tuple[str, ...]) -> str:
    return "/".join(("exercises", folder, *parts))
