"""The release manifest: hashes of every test file and of the grading code, the tests each
exercise is graded on, so that ``gradkit grade`` can tell when a student's copy was changed, and
the hash of each shipped stub file, so that the ladder knows an untouched exercise fails every
test without running it.

The protected files are the kit's: ``core/``, ``plugins/``, ``exercises/testing/``, every
``exercises/exNN_*/tests/``, the exercise package's own modules, the configuration that pytest
reads, and any ``conftest.py``. A student edits only their exercises' ``plugin.py`` (and may add
modules beside it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from core.catalog import EXERCISE_FOLDER
from plugins.repository import repository_files

MANIFEST_NAME = "gradkit-manifest.json"
FORMAT = 1
PROTECTED_TREES = ("core", "plugins", "exercises/testing")
PROTECTED_FILES = (
    "conftest.py",
    "pyproject.toml",
    "tox.ini",
    "pytest.ini",
    ".pytest.ini",
    "setup.cfg",
    "exercises/__init__.py",
    "exercises/stub.py",
)
MODIFIED, MISSING, ADDED = "modified", "missing", "added"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_protected(path: str) -> bool:
    """True for a kit file: ``path`` is relative and posix, e.g. ``exercises/ex01_x/tests/a.py``."""
    parts = path.split("/")
    in_tests = len(parts) >= 4 and parts[0] == "exercises" and parts[2] == "tests"
    in_tree = any(path.startswith(f"{tree}/") for tree in PROTECTED_TREES)
    return path in PROTECTED_FILES or parts[-1] == "conftest.py" or in_tests or in_tree


def protected_files(root: Path) -> list[str]:
    """Paths (relative, posix) of every protected file present under ``root``."""
    return [path for path in repository_files(root) if is_protected(path)]


def build(root: Path, tests: dict[str, dict[str, float]]) -> dict:
    """The manifest of the repository at ``root``; ``tests`` is ``{exercise: {nodeid: points}}``;
    ``stubs`` maps each exercise to the digest of its ``plugin.py`` as shipped."""
    files = {path: file_digest(root / path) for path in protected_files(root)}
    stubs = {
        match.group(1): file_digest(folder / "plugin.py")
        for folder in sorted((root / "exercises").iterdir())
        if (match := EXERCISE_FOLDER.match(folder.name)) and (folder / "plugin.py").is_file()
    }
    return {"format": FORMAT, "files": files, "tests": tests, "stubs": stubs}


def is_shipped_stub(manifest: dict | None, exercise_id: str, plugin_digest: str | None) -> bool:
    """A ``plugin.py`` whose digest is ``plugin_digest`` (None: there is none) is the stub the
    release shipped for ``exercise_id``. Every test of its suite fails on it, as ``gradkit
    verify`` proves for every exercise, so its result is known without a run."""
    shipped = (manifest or {}).get("stubs", {}).get(exercise_id)
    return shipped is not None and plugin_digest == shipped


def write(root: Path, manifest: dict) -> Path:
    path = root / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> dict:
    """The manifest at ``path``; a clear error if it is not one."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read the grading manifest {path}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{path} is not a gradkit manifest of format {FORMAT}")
    return manifest


def digest(manifest: dict) -> str:
    """One hash of the whole manifest, for graders to compare with the instructor's."""
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Finding:
    """A protected file that is ``modified``, ``missing`` or ``added``; ``exercise`` is the one
    whose tests it holds, or None when it is shared (then every exercise is affected)."""

    path: str
    problem: str
    exercise: str | None

    def __str__(self) -> str:
        return f"{self.path}: {self.problem} (differs from the release manifest)"

    @property
    def restore(self) -> str:
        """The command that puts the shipped file back (or takes an added one away)."""
        return f"rm {self.path}" if self.problem == ADDED else f"git checkout -- {self.path}"


def _owner(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) >= 2 and parts[0] == "exercises":
        match = EXERCISE_FOLDER.match(parts[1])
        if match:
            return match.group(1)
    return None


def check(root: Path, manifest: dict) -> list[Finding]:
    """Every protected file under ``root`` that differs from ``manifest``."""
    recorded: dict[str, str] = manifest["files"]
    present = set(protected_files(root))
    findings = []
    for path in sorted(present | set(recorded)):
        if path not in recorded:
            problem = ADDED
        elif path not in present:
            problem = MISSING
        elif file_digest(root / path) != recorded[path]:
            problem = MODIFIED
        else:
            continue
        findings.append(Finding(path, problem, _owner(path)))
    return findings
