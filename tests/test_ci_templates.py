"""The CI shipped for graders works here: the GitHub Actions workflow's own shell steps run in
a student release, and Gradescope's ``run_autograder`` grades a submission from the autograder
zip that ``gradkit release --autograder`` writes."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from core.catalog import exercise, exercises
from tests.released_repo import KIT_ROOT, ONLY_THE_RELEASE

# The shared release, without what other tests' runs in it left behind.
WHAT_RUNS_LEAVE = shutil.ignore_patterns("gradkit-output", ".gradkit", "__pycache__")
WORKFLOW = yaml.safe_load((KIT_ROOT / ".ci" / "github" / "grade.yml").read_text())


def _shell_steps(job: str, exercise: str) -> list[str]:
    """The ``run:`` scripts of a workflow job, matrix filled in; installing is skipped (the
    test environment has everything)."""
    scripts = []
    for step in WORKFLOW["jobs"][job]["steps"]:
        if "run" in step and step.get("name") != "Install":
            scripts.append(step["run"].replace("${{ matrix.exercise }}", exercise))
    return scripts


def _bin_with_gradkit(folder: Path) -> Path:
    """A ``gradkit`` command that runs the code of the repository it is started in."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "gradkit"
    script.write_text(
        f'#!/usr/bin/env bash\nexec "{sys.executable}" -c "{ONLY_THE_RELEASE}" "$@"\n'
    )
    script.chmod(0o755)
    return folder


def _bash(script: str, cwd: Path, bin_folder: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(cwd),
        "GRADKIT_IMPL": "student",
        **env,
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_workflow_grades_every_exercise_in_its_own_job() -> None:
    matrix = WORKFLOW["jobs"]["grade"]["strategy"]["matrix"]["exercise"]
    assert matrix == [exercise.id for exercise in exercises()]
    assert WORKFLOW["jobs"]["grade"]["strategy"]["fail-fast"] is False


def test_the_workflow_shell_steps_grade_and_summarise_in_a_release(release, tmp_path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(release["repo"], repo, ignore=WHAT_RUNS_LEAVE)
    bin_folder = _bin_with_gradkit(tmp_path / "bin")
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    grade, summarise = _shell_steps("grade", "ex01")
    graded = _bash(grade, repo, bin_folder)
    assert graded.returncode == 1, graded.stdout + graded.stderr  # the stubs fail
    assert graded.stdout.rstrip().endswith("0 passed, 194 failed")
    done = _bash(summarise, repo, bin_folder, GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stderr
    assert "| ex01 | tensor forward | 0/194 |" in summary.read_text()
    assert not output.exists()


def test_the_classroom_step_hands_each_exercise_to_the_reporter(tmp_path) -> None:
    for exercise_id in ("ex01", "ex02"):
        folder = tmp_path / "grades" / f"grades-{exercise_id}"
        folder.mkdir(parents=True)
        (folder / "classroom.json").write_text(json.dumps({"version": 1, "id": exercise_id}))
    environment = tmp_path / "github_env"
    (script,) = _shell_steps("classroom", "")
    result = _bash(script, tmp_path, tmp_path, GITHUB_ENV=str(environment))
    assert result.returncode == 0, result.stderr
    lines = dict(line.split("=", 1) for line in environment.read_text().splitlines())
    assert lines["RUNNERS"] == "ex01,ex02"
    assert json.loads(base64.b64decode(lines["EX02_RESULTS"])) == {"version": 1, "id": "ex02"}
    reporter = WORKFLOW["jobs"]["classroom"]["steps"][-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter")
    assert reporter["with"]["runners"] == "${{ env.RUNNERS }}"


def unpacked_autograder(release, folder: Path) -> Path:
    """The autograder zip unpacked as Gradescope does, into ``autograder/source``
    (``unzip`` keeps the scripts executable; ``zipfile`` needs telling)."""
    autograder = folder / "autograder"
    with zipfile.ZipFile(release["autograder"]) as archive:
        archive.extractall(autograder / "source")
    for script in ("setup.sh", "run_autograder"):
        (autograder / "source" / script).chmod(0o755)
    return autograder


# The exercise the Gradescope submission solves: a later one, with the exercises before it
# left on their stubs, which isolated grading must not hold against it.
SOLVED = "ex04"


@pytest.fixture(scope="session")
def gradescope_run(release, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """run_autograder on a submission whose SOLVED exercise is solved, everything else on its
    stubs, and a conftest.py slipped into that exercise's folder."""
    autograder = unpacked_autograder(release, tmp_path_factory.mktemp("gradescope"))
    submission = autograder / "submission"
    shutil.copytree(release["repo"], submission, ignore=WHAT_RUNS_LEAVE)
    solved = exercise(SOLVED)
    shutil.copy(
        KIT_ROOT / "reference_solutions" / f"{solved.folder}.py",
        submission / "exercises" / solved.folder / "plugin.py",
    )
    (submission / "exercises" / solved.folder / "conftest.py").write_text("import os\n")
    (autograder / "results").mkdir()
    bin_folder = _bin_with_gradkit(autograder / "bin")
    result = _bash(
        str(autograder / "source" / "run_autograder"),
        autograder / "source",
        bin_folder,
        AUTOGRADER_ROOT=str(autograder),
    )
    return autograder, result


def test_the_autograder_zip_has_its_scripts_at_the_root_and_the_reference(release) -> None:
    names = set(zipfile.ZipFile(release["autograder"]).namelist())
    assert {"setup.sh", "run_autograder", "gradkit-manifest.json"} <= names
    assert "reference_solutions/ex01_tensor_forward.py" in names
    assert not any(name.startswith("tests/") for name in names)


def test_setup_sh_is_valid_bash(release, tmp_path) -> None:
    with zipfile.ZipFile(release["autograder"]) as archive:
        archive.extract("setup.sh", tmp_path)
    assert subprocess.run(["bash", "-n", str(tmp_path / "setup.sh")]).returncode == 0


def test_run_autograder_writes_gradescope_results_for_the_submission(
    release, gradescope_run
) -> None:
    autograder, result = gradescope_run
    results = json.loads((autograder / "results" / "results.json").read_text())
    shipped = json.loads((release["repo"] / "gradkit-manifest.json").read_text())["tests"][SOLVED]
    solved_tests = [t for t in results["tests"] if t["name"].startswith(f"{SOLVED}: ")]
    assert len(solved_tests) == len(shipped) > 0, result.stdout + result.stderr
    assert results["score"] == sum(shipped.values())
    assert all(t["status"] == "passed" for t in solved_tests)
    others = [t for t in results["tests"] if not t["name"].startswith(f"{SOLVED}: ")]
    assert others and {t["score"] for t in others} == {0}
    folder = exercise(SOLVED).folder
    assert f"refused exercises/{folder}/conftest.py: steers Python or pytest" in results["output"]


def test_run_autograder_grades_isolated_and_keeps_the_kits_tests(gradescope_run) -> None:
    autograder, result = gradescope_run
    grades = json.loads((autograder / "results" / "gradkit" / "grades.json").read_text())
    assert grades["mode"] == "isolated"
    assert grades["manifest"]["checked"] and grades["manifest"]["problems"] == []
    assert "submission: " in result.stdout


def run_autograder(autograder: Path, bin_folder: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """run_autograder as Gradescope runs it; its output and the results.json it left."""
    result = _bash(
        str(autograder / "source" / "run_autograder"),
        autograder / "source",
        _bin_with_gradkit(bin_folder),
        AUTOGRADER_ROOT=str(autograder),
    )
    return result, json.loads((autograder / "results" / "results.json").read_text())


def test_run_autograder_explains_a_submission_it_cannot_grade(release, tmp_path) -> None:
    autograder = unpacked_autograder(release, tmp_path)
    (autograder / "submission").mkdir()
    (autograder / "submission" / "plugin.py").write_text("# a lone file, not the repository\n")
    result, results = run_autograder(autograder, tmp_path / "bin")
    assert results["score"] == 0, result.stdout + result.stderr
    assert "has no exercises/ folder: submit the whole repository" in results["output"]


KILLS_THE_GRADER = """
import json
import os
import signal
from pathlib import Path

_pid = os.getppid()  # this process may be a fork of the grader, with its command line
while _pid > 1:  # up the chain of parents to the grader that runs this plugin
    _process = Path("/proc") / str(_pid)
    _pid = int((_process / "stat").read_text().rsplit(")", 1)[1].split()[1])
    _args = (_process / "cmdline").read_bytes().split(b"\\0")
    if b"grade" in _args and b"--isolated" in _args and b"--out" in _args:
        _out = Path(os.fsdecode(_args[_args.index(b"--out") + 1]))
        _forged = json.dumps({"score": 798, "tests": [], "output": "full marks"})
        _out.mkdir(parents=True, exist_ok=True)
        (_out / "results.json").write_text(_forged)
        (_out.parent / "results.json").write_text(_forged)
        os.kill(int(_process.name), signal.SIGKILL)
        break
"""


def test_run_autograder_takes_no_results_from_a_grader_that_was_killed(release, tmp_path) -> None:
    """A plugin that writes full-marks results where the grader writes its own, then kills the
    grader: run_autograder keeps only the results of a grader that ended normally."""
    autograder = unpacked_autograder(release, tmp_path)
    submission = autograder / "submission"
    shutil.copytree(release["repo"], submission, ignore=WHAT_RUNS_LEAVE)
    plugin = submission / "exercises" / exercises()[0].folder / "plugin.py"
    plugin.write_text(plugin.read_text() + KILLS_THE_GRADER)
    result, results = run_autograder(autograder, tmp_path / "bin")
    assert results["score"] == 0, result.stdout + result.stderr
    assert "the grader did not end normally" in results["output"]
