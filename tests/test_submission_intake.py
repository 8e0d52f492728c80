"""The intake of a submission: an honest clone gives its code and nothing else; every file a
student should not submit is refused with its reason, and no odd submission makes it fail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core import catalog
from plugins.grading.submission import MAX_DEPTH, MAX_FILE_BYTES, install_submission

EXERCISE = catalog.exercises()[0]
FOLDER = f"exercises/{EXERCISE.folder}"
STUB = (EXERCISE.path / "plugin.py").read_text()


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """A grader's copy of the kit's first exercise folder, tests left out."""
    root = tmp_path / "kit"
    shutil.copytree(EXERCISE.path, root / FOLDER, ignore=shutil.ignore_patterns("tests", "__py*"))
    return root


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A student's clone: the same folder with tests, the plugin solved, a helper and notes."""
    root = tmp_path / "clone"
    shutil.copytree(EXERCISE.path, root / FOLDER, ignore=shutil.ignore_patterns("__py*"))
    (root / FOLDER / "plugin.py").write_text(STUB + "\n# solved\n")
    (root / FOLDER / "_helpers.py").write_text("HELP = 1\n")
    (root / FOLDER / "notes.md").write_text("# what I tried\n")
    return root


def test_an_honest_clone_gives_its_code_and_nothing_else(kit: Path, clone: Path) -> None:
    intake = install_submission(clone, kit)
    assert intake.refused == []
    assert sorted(intake.copied) == [
        f"{FOLDER}/{n}" for n in ("_helpers.py", "notes.md", "plugin.py")
    ]
    assert (kit / FOLDER / "plugin.py").read_text().endswith("# solved\n")
    assert not (kit / FOLDER / "tests").exists(), "the kit's tests are never taken from a clone"


def _link_to_the_kit(folder: Path) -> None:
    (folder / "plugin.py").unlink()
    (folder / "plugin.py").symlink_to(EXERCISE.path / "plugin.py")


def _plugin_as_a_folder(folder: Path) -> None:
    (folder / "plugin.py").unlink()
    (folder / "plugin.py").mkdir()
    (folder / "plugin.py" / "x.py").write_text("")


NESTED = 1200


def _nested(folder: Path) -> None:
    """1,200 folders, one in the other (made and later removed without recursion)."""
    deep = folder
    for _ in range(NESTED):
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.py").write_text("")


def _remove_nested(folder: Path) -> None:
    deep = folder / Path(*["d"] * NESTED)
    (deep / "x.py").unlink()
    for _ in range(NESTED):
        deep.rmdir()
        deep = deep.parent


def _non_utf8_name(folder: Path) -> None:
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.py"), "w") as file:
        file.write("")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.py")


ODD = {
    "link": (_link_to_the_kit, "plugin.py", "a link"),
    "plugin.py a folder": (_plugin_as_a_folder, "plugin.py", "a folder where the kit has a file"),
    "conftest": (lambda f: (f / "conftest.py").write_text(""), "conftest.py", "steers"),
    "pytest.ini": (lambda f: (f / "pytest.ini").write_text("[pytest]\n"), "pytest.ini", "steers"),
    "pth": (lambda f: (f / "evil.pth").write_text("import os\n"), "evil.pth", "steers"),
    "sitecustomize": (
        lambda f: (f / "sitecustomize.py").write_text(""),
        "sitecustomize.py",
        "steers",
    ),
    "changed __init__": (
        lambda f: (f / "__init__.py").write_text("import os\n"),
        "__init__.py",
        "the kit's own file, changed",
    ),
    "binary": (lambda f: (f / "fast.so").write_bytes(b"\0"), "fast.so", "not a kind of file"),
    "hidden": (lambda f: (f / ".env").write_text(""), ".env", "not plain"),
    "non-UTF-8 name": (_non_utf8_name, "\\xff\\xfe.py", "not plain"),
    "huge": (
        lambda f: (f / "plugin.py").write_bytes(b"#" * (MAX_FILE_BYTES + 1)),
        "plugin.py",
        "larger than",
    ),
    "deep": (_nested, "d/" * MAX_DEPTH + "d", f"more than {MAX_DEPTH} folders deep"),
    "fifo": (_fifo, "pipe.py", "not a regular file"),
}


@pytest.mark.parametrize("odd", ODD.values(), ids=ODD.keys())
def test_an_odd_file_is_refused_with_its_reason_and_the_kit_keeps_its_own(kit, clone, odd):
    make, shown, why = odd
    make(clone / FOLDER)
    intake = install_submission(clone, kit)
    refused = dict(intake.refused)
    assert f"{FOLDER}/{shown}" in refused, intake.refused
    assert why in refused[f"{FOLDER}/{shown}"]
    if shown == "plugin.py":
        assert (kit / FOLDER / "plugin.py").read_text() == STUB, "the stub stays"
    assert f"refused {FOLDER}/{shown}: {refused[f'{FOLDER}/{shown}']}" in intake.lines()
    if make is _nested:
        _remove_nested(clone / FOLDER)


def test_a_linked_exercise_folder_is_refused(kit: Path, tmp_path: Path) -> None:
    clone = tmp_path / "linked"
    (clone / "exercises").mkdir(parents=True)
    (clone / FOLDER).symlink_to(EXERCISE.path)
    intake = install_submission(clone, kit)
    assert intake.refused == [(FOLDER, "a link, not a folder")] and intake.copied == []


def test_a_submission_without_exercises_is_an_error_naming_the_fix(kit, tmp_path) -> None:
    (tmp_path / "lone").mkdir()
    with pytest.raises(ValueError, match="has no exercises/ folder: submit the whole repository"):
        install_submission(tmp_path / "lone", kit)
