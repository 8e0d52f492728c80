"""A student's first hour, timed on a fresh release: the commands they run, against bare pytest.

In a scratch release written by ``gradkit release`` (run on the release's own code, as a
student's machine would), each step is timed ``--repeat`` times, interleaved, and its output's
length is counted:

1. ``gradkit progress`` on the untouched stubs: it must run no suite (the release's manifest
   knows the shipped stubs fail every test).
2. ``gradkit test ex01`` on the stubs (what ``tox -e ex01`` runs), against bare
   ``pytest -q --tb=no`` on the same tests with the same implementations: target ≤ 1.5×.
3. ex01 solved (the reference copied in) and checked once; then ``gradkit progress`` with
   every result saved: target ≤ 1.0 s over Python's own start-up (``python -c pass``).

Run from the repository root: ``python benchmarks/student_journey.py [--quick]``.
Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import Targets, timed_run  # noqa: E402
from core.catalog import exercise  # noqa: E402
from tests.released_repo import ONLY_THE_RELEASE  # noqa: E402

TEST_RATIO_TARGET = 1.5
CACHED_PROGRESS_TARGET = 1.0


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str, str]:
    seconds, done = timed_run(command, cwd, env)
    return seconds, done.stdout, done.stderr


def _median(command: list[str], cwd: Path, env: dict, repeat: int) -> tuple[float, str, str]:
    runs = [_timed(command, cwd, env) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _, _ in runs), runs[-1][1], runs[-1][2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    ex01 = exercise("ex01")
    targets = Targets()
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "student-repo"
        subprocess.run(
            [sys.executable, "-m", "plugins.cli", "release", "--out", str(repo)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        env = {**os.environ, "PYTHONPATH": str(repo), "GRADKIT_IMPL": "student"}
        gradkit = [sys.executable, "-c", ONLY_THE_RELEASE]
        bare = [
            sys.executable,
            "-m",
            "pytest",
            f"exercises/{ex01.folder}/tests",
            "-q",
            "--tb=no",
            "-p",
            "no:cacheprovider",
        ]
        bare_env = {**env, "GRADKIT_IMPL": "none,ex01=student"}

        seconds, out, err = _median([*gradkit, "progress"], repo, env, repeat)
        ran_a_suite = "checking" in err
        print(f"1. progress on the untouched stubs: {seconds:.2f} s, {_lines(out + err)} lines")
        targets.check(
            "untouched-stub progress runs no suite",
            not ran_a_suite,
            "no suite ran" if not ran_a_suite else f"a suite ran:\n{err}",
        )

        samples: dict[str, list[float]] = {"gradkit test ex01": [], "bare pytest": []}
        for _ in range(repeat):
            shutil.rmtree(repo / ".gradkit", ignore_errors=True)
            gated, out, err = _timed([*gradkit, "test", "ex01"], repo, env)
            samples["gradkit test ex01"].append(gated)
            samples["bare pytest"].append(_timed(bare, repo, bare_env)[0])
        test_output, test_stdout = out + err, out
        medians = {name: statistics.median(values) for name, values in samples.items()}
        ratio = medians["gradkit test ex01"] / medians["bare pytest"]
        print(
            f"2. gradkit test ex01 on the stubs: {medians['gradkit test ex01']:.2f} s, "
            f"{_lines(test_output)} lines; bare pytest -q --tb=no: "
            f"{medians['bare pytest']:.2f} s; ratio {ratio:.2f}x"
        )
        print("   its last lines:\n     " + "\n     ".join(test_stdout.rstrip().splitlines()[-4:]))
        targets.check(
            "failing ex01 on stubs vs bare pytest",
            ratio <= TEST_RATIO_TARGET,
            f"{ratio:.2f}x <= {TEST_RATIO_TARGET}x",
        )

        reference = ROOT / "reference_solutions" / f"{ex01.folder}.py"
        shutil.copy(reference, repo / "exercises" / ex01.folder / "plugin.py")
        _timed([*gradkit, "test", "ex01"], repo, env)
        progress, out, err = _median([*gradkit, "progress"], repo, env, repeat)
        python, _, _ = _median([sys.executable, "-c", "pass"], repo, env, repeat)
        over = progress - python
        print(
            f"3. progress with ex01 done and saved: {progress:.2f} s ({over:.2f} s over "
            f"Python's start-up of {python:.2f} s), {_lines(out + err)} lines"
        )
        targets.check(
            "cached progress over Python start-up",
            over <= CACHED_PROGRESS_TARGET and "checking" not in err,
            f"{over:.2f} s <= {CACHED_PROGRESS_TARGET} s"
            + ("" if "checking" not in err else "; but a suite ran"),
        )
    return targets.report()


def _lines(text: str) -> int:
    return len(text.rstrip().splitlines())


if __name__ == "__main__":
    sys.exit(main())
