"""``gradkit grade --submissions DIR``: a whole class, one submission folder per student.

Each student is graded by the same command Gradescope runs for one submission (``gradkit grade
--isolated --submission S``), in a process of its own and in a fresh copy of the kit, so that
one submission's hang, flood or damage costs no other its grade. ``jobs`` students are graded at
once, each in a process forked from a server that imported the test tools and the kit's choice
(``[tool.gradkit] preload``) once; each runs its suites one after another, forked from itself,
so no student's grading starts Python or imports anything again. The kit's tests are collected
once, into a manifest every copy is checked against (so a submission that changes a kit file is
caught, and no student's grading collects the suites again). Every student's results land in
``OUT/<student>/`` as soon as they are done, together with a fingerprint of the kit and the
submission: a rerun (after a crash, or after a few students resubmitted) grades only the
students whose fingerprint is new. The class's results are ``OUT/gradebook.csv`` (one row per
student, for an LMS) and ``OUT/summary.md`` (the distribution of points per exercise and whom to
look at).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from core import catalog
from plugins.grading import manifest as manifest_file
from plugins.grading.gradebook import FLAGGED, GRADED
from plugins.grading.manifest import MANIFEST_NAME
from plugins.grading.views import KIT_PARTS, copy_kit
from plugins.suite_runs import forked
from plugins.suite_runs.runner import collect_tests

FINGERPRINT, RESULTS, LOG = "fingerprint.txt", "grades.json", "grade.log"
NOT_GRADED = "not graded"
SKIPPED_FOLDERS = {".git", "__pycache__", ".tox", ".venv", "gradkit-output", ".gradkit"}
WORST_FIRST = ("not graded", "crashed", "timed out", "tampered", FLAGGED, GRADED)
MAX_LOG_BYTES = 2_000_000
GRADE_ENTRY = "plugins.cli"  # each student's `gradkit grade`, forked in the copy's folder


@dataclass
class StudentResult:
    """One student's row: points per exercise, the totals, the worst status, flags and refusals."""

    student: str
    status: str
    points: dict[str, float] = field(default_factory=dict)
    max_points: dict[str, float] = field(default_factory=dict)
    core: float = 0.0
    electives: float = 0.0
    total: float = 0.0
    max_total: float = 0.0
    flags: list[str] = field(default_factory=list)
    refused: int = 0
    seconds: float = 0.0
    note: str = ""
    reused: bool = False


def _digest_tree(top: Path, digest: hashlib._Hash, skip: set[str] = frozenset()) -> None:
    """Feed every entry under ``top`` (names, kinds, file contents; links as their target text)
    into ``digest``, without recursion and without following links."""
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: os.fsencode(entry.path))
        except OSError:
            continue
        for entry in entries:
            if entry.name in skip:
                continue
            digest.update(os.fsencode(os.path.relpath(entry.path, top)) + b"\0")
            if entry.is_symlink():
                digest.update(b"link:" + os.fsencode(os.readlink(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)


def kit_fingerprint(root: Path) -> str:
    """What the grades depend on besides the submission: the kit's code, suites, references."""
    digest = hashlib.sha256()
    for part in (*KIT_PARTS, MANIFEST_NAME):
        path = root / part
        if path.is_dir():
            _digest_tree(path, digest, {"__pycache__"})
        elif path.is_file():
            digest.update(part.encode() + path.read_bytes())
    return digest.hexdigest()


def submission_fingerprint(kit: str, submission: Path, options: Sequence[str]) -> str:
    digest = hashlib.sha256(f"{kit}\0{' '.join(options)}\0".encode())
    _digest_tree(submission, digest, SKIPPED_FOLDERS)
    return digest.hexdigest()


def make_template(root: Path, template: Path) -> None:
    """The copy of the kit that every student's copy is copied from: the kit's code, suites
    and references, and a manifest of exactly those files (the kit's own, if it ships one)
    with the tests and their points."""
    copy_kit(root, template)
    if (root / MANIFEST_NAME).is_file():
        shutil.copy2(root / MANIFEST_NAME, template / MANIFEST_NAME)
    else:
        tests = collect_tests(catalog.exercises(), start=forked.FORK_SERVER)
        manifest_file.write(template, manifest_file.build(template, tests))


def _status(exercises: list[dict]) -> str:
    statuses = {exercise["status"] for exercise in exercises}
    return next((status for status in WORST_FIRST if status in statuses), GRADED)


def read_result(student: str, folder: Path, seconds: float, note: str = "") -> StudentResult:
    """The row of a student whose grading wrote ``folder/grades.json`` (or did not)."""
    path = folder / RESULTS
    try:
        book = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = _log_tail(folder / LOG)
        return StudentResult(student, NOT_GRADED, seconds=seconds, note=note or tail)
    exercises = book["exercises"]
    return StudentResult(
        student,
        _status(exercises),
        points={e["id"]: e["points"] for e in exercises},
        max_points={e["id"]: e["max_points"] for e in exercises},
        core=book["core"]["points"],
        electives=book.get("electives", {}).get("points", 0.0),
        total=book["total"]["points"],
        max_total=book["total"]["max_points"],
        flags=[f"{e['id']}: {flag}" for e in exercises for flag in e["flags"]],
        refused=len((book.get("submission") or {}).get("refused", [])),
        seconds=seconds,
        note=note,
    )


def _log_tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no output"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def grade_one(
    root: Path,
    student: str,
    submission: Path,
    folder: Path,
    options: Sequence[str],
    timeout: float,
    template: Path,
) -> StudentResult:
    """Grade one submission in a fresh copy of ``template`` (the kit), by the per-submission
    command."""
    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="gradkit-student-") as scratch:
        copy = Path(scratch) / "kit"
        shutil.copytree(template, copy, symlinks=True)
        arguments = [
            "grade", "--isolated",
            "--submission", str(submission.resolve()), "--out", str(folder.resolve()),
            *options,
        ]  # fmt: skip
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        _, timed_out = forked.run_forked(
            arguments, environment, copy, folder / LOG, timeout, entry=GRADE_ENTRY
        )
        note = f"stopped after {timeout:.0f} s" if timed_out else ""
        if (folder / LOG).stat().st_size > MAX_LOG_BYTES:
            with (folder / LOG).open("r+b") as log:
                log.truncate(MAX_LOG_BYTES)
    return read_result(student, folder, time.perf_counter() - started, note)


def students_in(submissions: Path) -> list[tuple[str, Path]]:
    """Each folder of ``submissions`` is one student's submission, named by the folder."""
    if not submissions.is_dir():
        raise ValueError(f"--submissions {submissions}: no such folder")
    found = sorted(
        (entry.name, Path(entry.path))
        for entry in os.scandir(submissions)
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
    )
    if not found:
        raise ValueError(f"--submissions {submissions}: no submission folders in it")
    return found


def grade_class(
    submissions: Path,
    out: Path,
    *,
    jobs: int,
    options: Sequence[str] = (),
    timeout: float = 3600,
    on_done: Callable[[StudentResult, int, int, float], None] = lambda *args: None,
) -> list[StudentResult]:
    """Grade every student of ``submissions`` into ``out``; ``on_done(result, done, total,
    seconds_left)`` after each. Students whose fingerprint is unchanged are not graded again."""
    root = catalog.root()
    students = students_in(submissions)
    kit = kit_fingerprint(root)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, StudentResult] = {}
    waiting = []
    for student, path in students:
        fingerprint = submission_fingerprint(kit, path, options)
        folder = out / student
        recorded = folder / FINGERPRINT
        if recorded.is_file() and recorded.read_text() == fingerprint:
            result = read_result(student, folder, 0.0)
            if result.status != NOT_GRADED:
                result.reused = True
                results[student] = result
                continue
        waiting.append((student, path, folder, fingerprint))
    for done, result in enumerate(results.values(), start=1):
        on_done(result, done, len(students), 0.0)
    began, graded_seconds = time.perf_counter(), []

    def one(student: str, path: Path, folder: Path, fingerprint: str) -> StudentResult:
        result = grade_one(root, student, path, folder, options, timeout, template)
        if result.status != NOT_GRADED:
            (folder / FINGERPRINT).write_text(fingerprint)
        return result

    with tempfile.TemporaryDirectory(prefix="gradkit-class-") as scratch:
        template = Path(scratch) / "kit"
        if waiting:
            forked.preload_the_kits_choice()
            make_template(root, template)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(one, *job) for job in waiting]
            for future in as_completed(futures):
                result = future.result()
                results[result.student] = result
                graded_seconds.append(result.seconds)
                left = len(waiting) - len(graded_seconds)
                elapsed = time.perf_counter() - began
                on_done(result, len(results), len(students), elapsed / len(graded_seconds) * left)
                write_gradebook(out, [results[s] for s, _ in students if s in results])
    ordered = [results[student] for student, _ in students]
    write_gradebook(out, ordered)
    (out / "summary.md").write_text(class_summary(ordered), encoding="utf-8")
    return ordered


def _number(value: float) -> str:
    return f"{value:g}"


def write_gradebook(out: Path, results: list[StudentResult]) -> Path:
    """``gradebook.csv``: student, points per exercise, core, electives, total, max, status,
    flags, refused files, seconds: one row per student, for an LMS to import."""
    ids = [exercise.id for exercise in catalog.exercises()]
    path = out / "gradebook.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["student", *ids, "core", "electives", "total", "max", "status", "flags",
             "refused_files", "note", "seconds"]
        )  # fmt: skip
        for r in results:
            writer.writerow(
                [
                    r.student,
                    *(_number(r.points[i]) if i in r.points else "" for i in ids),
                    _number(r.core),
                    _number(r.electives),
                    _number(r.total),
                    _number(r.max_total),
                    r.status,
                    " | ".join(r.flags),
                    r.refused,
                    r.note,
                    f"{r.seconds:.1f}",
                ]
            )
    return path


def class_summary(results: list[StudentResult]) -> str:
    """The class at a glance: per exercise, how many students have how many points."""
    ids = [exercise.id for exercise in catalog.exercises()]
    rows = [
        "| exercise | max | mean | median | min | max scored | full marks | zero |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for exercise_id in ids:
        scores = [r.points[exercise_id] for r in results if exercise_id in r.points]
        if not scores:
            continue
        top = next(r.max_points[exercise_id] for r in results if exercise_id in r.max_points)
        rows.append(
            f"| {exercise_id} | {_number(top)} | {statistics.mean(scores):.1f} | "
            f"{_number(statistics.median(scores))} | {_number(min(scores))} | "
            f"{_number(max(scores))} | {sum(s == top for s in scores)} | "
            f"{sum(s == 0 for s in scores)} |"
        )
    totals = [r.total for r in results if r.status != NOT_GRADED]
    lines = [f"## gradkit grade --submissions: {len(results)} students\n", *rows, ""]
    if totals:
        lines.append(
            f"Total points: mean {statistics.mean(totals):.1f}, median "
            f"{_number(statistics.median(totals))}, from {_number(min(totals))} to "
            f"{_number(max(totals))}.\n"
        )
    to_look_at = [r for r in results if r.status != GRADED or r.refused]
    if to_look_at:
        lines.append("### To look at\n")
        for r in to_look_at:
            why = "; ".join(r.flags[:3]) or r.note
            refused = f", {r.refused} files refused" if r.refused else ""
            lines.append(f"- **{r.student}**: {r.status}{refused}" + (f" - {why}" if why else ""))
        lines.append("")
    return "\n".join(lines)
