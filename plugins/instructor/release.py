"""``gradkit release --out DIR``: write the repository students clone.

The release is the kit without what would give the answers away or cannot run without them:
``reference_solutions/`` (with the mistake catalogue), the kit's own ``tests/`` and
``benchmarks/`` (both run the reference), the instructor's CI (``.ci/``) and tools
(``plugins/instructor/``), and every block of a text file fenced by ``instructor-only >>>`` and
``<<< instructor-only`` lines (instructor tox envs, README sections). It adds the GitHub
Actions workflow for student repositories and the manifest that ``gradkit grade`` checks.

The release is written into a scratch folder first and scanned for reference function bodies
(:mod:`plugins.instructor.leak_scan`); if any leaked, it is deleted and nothing is written.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core import catalog
from plugins.grading import manifest
from plugins.instructor.leak_scan import Leak, ReferenceBodies, scan
from plugins.repository import is_generated, repository_files
from plugins.suite_runs.runner import collect_tests

LEFT_OUT = ("reference_solutions", "tests", "benchmarks", ".ci", "plugins/instructor")
# The Gradescope autograder is the grader's copy: it keeps the reference, for --isolated.
AUTOGRADER_LEFT_OUT = ("tests", "benchmarks", ".ci", "plugins/instructor")
AUTOGRADER_SCRIPTS = (".ci/gradescope/setup.sh", ".ci/gradescope/run_autograder")
BEGIN, END = "instructor-only >>>", "<<< instructor-only"
FENCED_SUFFIXES = {".md", ".ini", ".toml", ".cfg", ".txt", ".yml", ".yaml"}
STUDENT_WORKFLOW = (".ci/github/grade.yml", ".github/workflows/grade.yml")


class ReleaseRefused(RuntimeError):
    """The release would have carried reference code, or cannot be written where asked."""


@dataclass(frozen=True)
class Release:
    """A written release: its folder, file count, manifest, and the tests each exercise is
    graded on (``{exercise: {nodeid: points}}``, as the manifest holds them)."""

    out: Path
    files: int
    manifest: Path
    tests: dict[str, dict[str, float]]

    @property
    def test_count(self) -> int:
        return sum(len(ids) for ids in self.tests.values())


def _marker(line: str) -> str:
    """BEGIN or END if the line is only that marker (as a ``#`` or ``<!-- -->`` comment)."""
    content = line.strip().removeprefix("#").removeprefix("<!--").removesuffix("-->").strip()
    return content if content in (BEGIN, END) else ""


def strip_instructor_blocks(text: str, name: str) -> str:
    """``text`` without the lines from each ``instructor-only >>>`` line to its ``<<<`` line
    (each marker alone on its line, as a ``#`` or ``<!-- -->`` comment)."""
    kept, inside = [], False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = _marker(line)
        if marker == BEGIN:
            if inside:
                raise ReleaseRefused(f"{name}:{number}: a second '{BEGIN}' before '{END}'")
            inside = True
        elif marker == END:
            if not inside:
                raise ReleaseRefused(f"{name}:{number}: '{END}' without '{BEGIN}'")
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise ReleaseRefused(f"{name}: '{BEGIN}' is never closed by '{END}'")
    return "".join(kept)


def _released_files(source: Path, left_out: tuple[str, ...]) -> list[Path]:
    """The repository's files, without the ``left_out`` folders."""
    kept = [
        path
        for path in repository_files(source)
        if not any(path == folder or path.startswith(f"{folder}/") for folder in left_out)
    ]
    return [Path(path) for path in kept]


def _copy(source: Path, staging: Path) -> int:
    files = _released_files(source, LEFT_OUT)
    for relative in files:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.suffix in FENCED_SUFFIXES:
            text = (source / relative).read_text(encoding="utf-8")
            target.write_text(strip_instructor_blocks(text, relative.as_posix()), encoding="utf-8")
        else:
            shutil.copy2(source / relative, target)
    workflow_source, workflow_target = STUDENT_WORKFLOW
    (staging / workflow_target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / workflow_source, staging / workflow_target)
    return len(files) + 1


def _check_out_folder(source: Path, out: Path, force: bool) -> None:
    inside = out == source or source in out.parents
    if inside and not any(map(is_generated, out.relative_to(source).parts)):
        raise ReleaseRefused(
            f"--out {out} is inside the repository; a later release would copy it. Choose a "
            "folder outside it, or under gradkit-output/"
        )
    if out.exists() and any(out.iterdir()) and not force:
        raise ReleaseRefused(f"--out {out} exists and is not empty; add --force to replace it")


def release(out: Path, *, force: bool = False) -> Release:
    """Write the student repository to ``out``; :class:`ReleaseRefused` if anything leaked."""
    if not catalog.reference_available():
        raise ReleaseRefused("this repository is already a release (no reference_solutions/)")
    source = catalog.root()
    out = out.resolve()
    _check_out_folder(source, out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".gradkit-release-", dir=out.parent))
    try:
        files = _copy(source, staging)
        leaks: list[Leak] = scan(staging, ReferenceBodies.of(source / "reference_solutions"))
        if leaks:  # refused before the suites are collected for the manifest, which holds no code
            raise ReleaseRefused(
                "the release would give away reference code, so it was not written:\n  "
                + "\n  ".join(str(leak) for leak in leaks)
            )
        tests = collect_tests(catalog.exercises())
        written = manifest.write(staging, manifest.build(staging, tests))
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return Release(out, files + 1, out / written.name, tests)


def autograder_zip(path: Path, tests: dict[str, dict[str, float]] | None = None) -> Path:
    """Write Gradescope's autograder zip: the kit with the reference (no kit tests), the
    manifest of the graded ``tests`` (collected now if not given: a release has them), and
    ``setup.sh`` and ``run_autograder`` at its root."""
    if not catalog.reference_available():
        raise ReleaseRefused("the autograder needs reference_solutions/, which is not here")
    source = catalog.root()
    with tempfile.TemporaryDirectory() as scratch:
        staging = Path(scratch) / "autograder"
        for relative in _released_files(source, AUTOGRADER_LEFT_OUT):
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, staging / relative)
        for script in AUTOGRADER_SCRIPTS:
            shutil.copy2(source / script, staging / Path(script).name)
        graded = tests if tests is not None else collect_tests(catalog.exercises())
        manifest.write(staging, manifest.build(staging, graded))
        path.parent.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(path.with_suffix("")), "zip", staging)
    return Path(archive)
