"""``gradkit grade``: score every exercise in its own process and write every output format.

Each exercise is run apart, so a plugin that fails to import, hangs or crashes costs that
exercise only; the suites run side by side (``jobs`` at a time, one per core by default), each
forked from a server process that has imported the test tools once. With one job (``jobs=1``, as
each student of a class's grading has, or a single suite to run, as in a CI job per exercise)
the suites run one after another, forked from this process itself, which then runs no threads:
it starts no server, and a process that was itself forked from one (as each student's is)
imports nothing again. Tests come from the release manifest when there is one (what the
instructor shipped, with its points) or from the kit's own test files; a test with no result
scores 0 and says why. Files that differ from the manifest are reported, and the tests they
touch score 0. An exercise whose ``plugin.py`` is byte-identical to the stub the manifest
records scores 0 without a run: ``gradkit verify`` proves that every test fails on the stubs,
and a grade of a class spends nothing on the exercises nobody began.
"""

from __future__ import annotations

import os
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from core import catalog
from core.catalog import Exercise
from core.selection import NONE, REFERENCE, STUDENT, format_selection
from exercises.stub import STUB_ERROR
from plugins.grading import manifest as manifest_file
from plugins.grading import spot_check
from plugins.grading.code_scan import scan_exercise
from plugins.grading.gradebook import (
    CRASHED,
    GRADED,
    TAMPERED,
    TIMED_OUT,
    ExerciseGrade,
    Gradebook,
    GradedTest,
)
from plugins.grading.views import without_its_reference
from plugins.suite_runs import forked, sandbox
from plugins.suite_runs.runner import (
    ERROR,
    FAILED,
    FORK,
    FORK_SERVER,
    PASSED,
    SuiteRun,
    TestRecord,
    collect_tests,
    run_suite,
)

CUMULATIVE, ISOLATED = "cumulative", "isolated"
NOT_STARTED = "not started - its plugin.py is the shipped stub, so its suite was not run"


def _tampered_tests(
    exercise: Exercise, expected: dict[str, float], findings: list[manifest_file.Finding]
) -> dict[str, str]:
    """``{nodeid: why}`` for each test that a manifest finding touches."""
    touched: dict[str, str] = {}
    for finding in findings:
        if finding.exercise not in (None, exercise.id):
            continue
        in_file = [nodeid for nodeid in expected if nodeid.split("::")[0] == finding.path]
        for nodeid in in_file or expected:
            touched.setdefault(nodeid, f"not graded: {finding}. Restore it: {finding.restore}")
    return touched


def _blocked_by(exercise: Exercise, tests: list[GradedTest]) -> list[str]:
    """Prerequisites whose stubs made this exercise's tests fail."""
    found = {match.group(1) for test in tests for match in STUB_ERROR.finditer(test.message)}
    return [e.id for e in catalog.prerequisites(exercise) if e.id in found]


def score(
    exercise: Exercise,
    run: SuiteRun,
    expected: dict[str, float],
    findings: list[manifest_file.Finding],
) -> ExerciseGrade:
    """The grade of one run: each expected test's record, or an error saying why there is none."""
    expected = expected or run.collected
    tampered = _tampered_tests(exercise, expected, findings)
    why_missing = run.problem()
    tests = []
    for nodeid, points in expected.items():
        record = run.records.get(nodeid)
        if nodeid in tampered:
            tests.append(
                GradedTest(nodeid, FAILED, 0, points, message=tampered[nodeid], kits_own=True)
            )
        elif record is None:
            tests.append(GradedTest(nodeid, ERROR, 0, points, message=why_missing))
        else:
            earned = points if record.outcome == PASSED else 0
            tests.append(
                GradedTest(nodeid, record.outcome, earned, points, record.seconds, record.message)
            )
    grade = ExerciseGrade(exercise, tests, run.seconds)
    if tampered:
        grade.status, grade.note = TAMPERED, f"{len(tampered)} tests touch files that were changed"
    elif run.timed_out:
        grade.status, grade.note = TIMED_OUT, f"stopped after {run.seconds:.0f} s"
    elif not run.complete:
        grade.status = CRASHED
        grade.note = why_missing.split("\n", 1)[0]
    grade.blocked_by = _blocked_by(exercise, tests)
    if grade.blocked_by and grade.status == GRADED:
        grade.note = f"needs {', '.join(grade.blocked_by)} finished first"
    return grade


def _not_started(exercise: Exercise, expected: dict[str, float]) -> SuiteRun:
    """The run of a suite on the stub the release shipped, known without running it: every
    test fails (``gradkit verify`` proves so for every exercise)."""
    plugin = f"exercises/{exercise.folder}/plugin.py"
    message = (
        f"{exercise.id}: not started - {plugin} is the stub the release shipped, so this test "
        f"fails on it (the suite was not run). Read exercises/{exercise.folder}/README.md, "
        f"write the functions in {plugin}, then run: tox -e {exercise.id}"
    )
    records = {nodeid: TestRecord(nodeid, FAILED, 0.0, message) for nodeid in expected}
    return SuiteRun(
        exercise, STUDENT, 1, 0.0, "", collected=dict(expected), records=records, finished=True
    )


def _untouched(exercise: Exercise, manifest: dict | None) -> bool:
    plugin = exercise.path / "plugin.py"
    digest = manifest_file.file_digest(plugin) if plugin.is_file() else None
    return manifest_file.is_shipped_stub(manifest, exercise.id, digest)


def _problem(finding: manifest_file.Finding) -> str:
    return f"{finding}; restore it: {finding.restore}"


def _selection(exercise: Exercise, isolated: bool) -> str:
    """Isolated: the reference for every other exercise. Cumulative: the student's own
    ``exercise`` and its prerequisites, the others not loaded, so that a broken plugin of a later
    exercise (or of another elective) costs it nothing."""
    if isolated:
        return format_selection(REFERENCE, {exercise.id: STUDENT})
    needed = [*catalog.prerequisites(exercise), exercise]
    return format_selection(NONE, {e.id: STUDENT for e in needed})


def _crashed(exercise: Exercise, expected: dict[str, float], error: BaseException) -> ExerciseGrade:
    message = f"grading {exercise.id} failed: {error}\n{traceback.format_exc()}"
    tests = [
        GradedTest(nodeid, ERROR, 0, points, message=message) for nodeid, points in expected.items()
    ]
    return ExerciseGrade(exercise, tests, status=CRASHED, note=str(error))


def _sandbox(root: Path, info: dict) -> sandbox.SandboxUser | None:
    """The user student code runs as (None: this one), said in ``info["sandbox"]``. Isolated
    grading as root runs it as an unprivileged user, and closes the installed kit's references
    to it."""
    user = sandbox.sandbox_user()
    if user is None:
        info["sandbox"] = "student code ran as the grader's own user (not root)"
        return None
    why = sandbox.unusable_because(Path(tempfile.gettempdir()))
    if why:
        info["sandbox"] = f"student code ran as root: {why}, so it cannot run as {user.name}"
        return None
    sandbox.close_to_others(root / "reference_solutions")
    info["sandbox"] = f"student code ran as {user.name}, unprivileged"
    return user


def grade(
    chosen: Sequence[Exercise],
    *,
    isolated: bool = False,
    test_timeout: float = 30,
    exercise_timeout: float = 300,
    manifest_path: Path | None = None,
    electives_counted: int | None = None,
    on_graded: Callable[[ExerciseGrade], None] = lambda grade: None,
    jobs: int | None = None,
    submission: dict | None = None,
) -> Gradebook:
    """Grade ``chosen`` exercises, ``jobs`` suites at a time (default: one per core; never more
    than there are suites to run); ``isolated`` puts every other exercise on the reference;
    ``electives_counted`` research electives (the best ones) count, or all if None;
    ``submission`` says what the intake of a student's submission took and refused."""
    root = catalog.root()
    if isolated and not catalog.reference_available():
        raise ValueError(
            "--isolated grades each exercise with the reference for the others, but this "
            "repository has no reference_solutions/ (a student release); grade without it"
        )
    info: dict = {"checked": False}
    findings: list[manifest_file.Finding] = []
    manifest = None
    if manifest_path is not None and manifest_path.is_file():
        manifest = manifest_file.read(manifest_path)
    # Hashed before any run, so that no run can make another exercise look untouched.
    untouched = {exercise.id for exercise in chosen if _untouched(exercise, manifest)}
    suites = len(chosen) - len(untouched)  # the suites that will run
    jobs = max(1, min(jobs or os.cpu_count() or 2, suites))
    start = FORK if jobs == 1 else FORK_SERVER  # fork only a process that runs no threads
    if suites > 1:
        # Before the first run. Worth its seconds only if several suites run: a lone suite
        # imports just what it needs.
        forked.preload_the_kits_choice()
    if manifest is not None:
        findings = manifest_file.check(root, manifest)
        expected = {e.id: manifest["tests"].get(e.id, {}) for e in chosen}
        info = {
            "checked": True,
            "digest": manifest_file.digest(manifest),
            "problems": [_problem(finding) for finding in findings],
        }
    else:
        info["note"] = "no manifest: the tamper check was skipped"
        if not (root / "reference_solutions").is_dir():
            # A student release ships its manifest: one that is gone hides what was changed.
            missing = manifest_file.Finding(
                manifest_file.MANIFEST_NAME, manifest_file.MISSING, None
            )
            findings = [missing]
            info["problems"] = [_problem(missing)]
        try:
            expected = collect_tests(chosen, start=start)
        except (RuntimeError, OSError) as error:
            info["note"] += f"; the suites could not be collected together: {error}"
            expected = {e.id: {} for e in chosen}

    flags = {exercise.id: scan_exercise(root, exercise) for exercise in chosen}

    def changed(exercise: Exercise) -> list[manifest_file.Finding]:
        """The tamper check again, after a run: what a run changed counts against it (and
        against every run after it, which the changed kit may have steered)."""
        if manifest is None:
            return []
        new = [f for f in manifest_file.check(root, manifest) if f not in findings]
        for finding in new:
            problem = f"{finding} - changed while {exercise.id} was graded"
            if problem not in info["problems"]:
                info["problems"].append(problem)
        return new

    def run_and_confirm(exercise: Exercise) -> tuple[SuiteRun, list[spot_check.ProbeVerdict]]:
        """The suite's run on the student's code, and the probes' verdicts on its passes."""
        # Isolated grading has the references, and must hide the graded exercise's own.
        view = (
            without_its_reference(exercise, user is not None) if isolated else nullcontext(exercise)
        )
        selection = _selection(exercise, isolated)
        with view as where:
            run = run_suite(
                where,
                selection,
                test_timeout=test_timeout,
                suite_timeout=exercise_timeout,
                start=start,
                user=user,
            )
            reference = trusted() if run.passed else None  # no pass, nothing to confirm
            if reference is None:
                return run, []
            return run, spot_check.check(
                reference,
                where,
                selection,
                timeout=exercise_timeout,
                per_probe=test_timeout,
                excused=() if isolated else [e.id for e in catalog.prerequisites(exercise)],
                user=user,
                start=start,
            )

    def skipped(exercise: Exercise) -> bool:
        """Whether the exercise's grade is known without a run (its plugin is the stub)."""
        return bool(expected[exercise.id]) and exercise.id in untouched

    def graded(exercise: Exercise) -> ExerciseGrade:
        verdicts: list[spot_check.ProbeVerdict] = []
        not_started = skipped(exercise)
        try:
            if not_started:
                run = _not_started(exercise, expected[exercise.id])
            else:
                run, verdicts = run_and_confirm(exercise)
            result = score(exercise, run, expected[exercise.id], [*findings, *changed(exercise)])
        except Exception as error:  # grading goes on with the next exercise, whatever happened
            result = _crashed(exercise, expected[exercise.id], error)
        if not_started and result.status == GRADED:
            result.note = NOT_STARTED
        result.flag([str(flag) for flag in flags[exercise.id]])
        spot_check.confirm(result, verdicts)
        if checking and exercise.spot_check_module and not verdicts:
            result.spot_check = "not needed: no test passed"
        return result

    references: list[spot_check.Reference | None] = []
    lock = threading.Lock()

    def trusted() -> spot_check.Reference | None:
        """The reference's values of every probe of the exercises that run (an untouched stub
        has no pass to confirm), from a process that loads no student code: computed once,
        when a first suite has passes to confirm."""
        with lock:
            if not references:
                run = [exercise for exercise in chosen if not skipped(exercise)]
                references.append(spot_check.reference_values(root, run, start=start))
            return references[0]

    user = _sandbox(root, info) if isolated else None
    checking = (root / "reference_solutions").is_dir()  # as spot_check.reference_values asks
    info["spot_check"] = (
        "each suite's passes confirmed by probes run apart from it"
        if checking
        else "not run: this repository has no reference solutions to compare with"
    )
    grades = []
    with ThreadPoolExecutor(max_workers=jobs) if jobs > 1 else nullcontext() as pool:
        each = pool.map if pool else map  # one job: in this thread, so that it may fork
        for result in each(graded, chosen):  # in ladder order, each as soon as it is done
            on_graded(result)
            grades.append(result)
    mode = ISOLATED if isolated else CUMULATIVE
    return Gradebook(
        grades, mode, test_timeout, exercise_timeout, info, electives_counted, submission
    )
