"""How fast the ladder starts: ``tox -e exNN`` and the gate in front of its suite.

(a) The gate when nothing changed. In a scratch copy of this repository whose ex01..ex06 are
    solved (the reference copied into each ``plugin.py``) and whose results are cached (one
    ``gradkit progress`` first), ``gradkit test ex07 --collect-only -q`` (gate, then pytest
    collecting ex07's suite) is timed against ``python -m pytest <ex07 tests> --collect-only -q``
    (the same collection, no gate). The difference is what the gate adds: target < 1 s.
(b) ``tox -e ex07-ref -- --collect-only -q`` in this repository: tox's own start, the shared
    environment's check and pytest's collection. With (a)'s gate on top, ``tox -e exNN``
    starts within the target of 3 s.

Each command runs ``--repeat`` times, interleaved; medians are reported.
Run from the repository root: ``python benchmarks/ladder_startup.py [--quick]``.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import Targets, timed_run  # noqa: E402
from core.catalog import exercises  # noqa: E402

GATE_TARGET = 1.0
TOX_START_TARGET = 3.0


def solved_copy(scratch: Path) -> Path:
    """This repository without its caches, with every exercise but the last solved."""
    copy = scratch / "repo"
    ignored = shutil.ignore_patterns(".git", ".tox", ".gradkit", "gradkit-output", "__pycache__")
    shutil.copytree(ROOT, copy, ignore=ignored)
    for exercise in exercises()[:-1]:
        reference = copy / "reference_solutions" / f"{exercise.folder}.py"
        shutil.copy(reference, copy / "exercises" / exercise.folder / "plugin.py")
    return copy


def seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    elapsed, done = timed_run(command, cwd, env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 9")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    last = exercises()[-1]
    targets = Targets()
    with tempfile.TemporaryDirectory() as scratch:
        copy = solved_copy(Path(scratch))
        env = {**os.environ, "PYTHONPATH": str(copy), "GRADKIT_IMPL": "student"}
        cli = [sys.executable, "-m", "plugins.cli"]
        started = time.perf_counter()
        subprocess.run([*cli, "progress"], cwd=copy, env=env, capture_output=True, check=True)
        print(
            f"first gradkit progress (runs ex01..{exercises()[-2].id}): "
            f"{time.perf_counter() - started:.1f} s"
        )
        commands = {
            "gated": [*cli, "test", last.id, "--collect-only", "-q"],
            "bare pytest": [
                sys.executable,
                "-m",
                "pytest",
                str(last.tests_path),
                "--collect-only",
                "-q",
            ],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                samples[name].append(seconds(command, copy, env))
    tox = shutil.which("tox")
    if tox:
        command = [tox, "-q", "-e", f"{last.id}-ref", "--", "--collect-only", "-q"]
        samples["tox start"] = [seconds(command, ROOT, dict(os.environ)) for _ in range(repeat)]
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, median in medians.items():
        print(f"{name:12s} median {median:.3f} s over {len(samples[name])} runs")
    gate = medians["gated"] - medians["bare pytest"]
    print(
        f"the gate adds {gate:.3f} s ({medians['gated'] / medians['bare pytest']:.2f}x bare pytest)"
    )
    targets.check(
        "gate when nothing changed", gate < GATE_TARGET, f"{gate:.3f} s < {GATE_TARGET} s"
    )
    if tox:
        start = medians["tox start"] + max(gate, 0.0)
        targets.check(
            f"tox -e {last.id} start",
            start <= TOX_START_TARGET,
            f"{medians['tox start']:.2f} s tox + {max(gate, 0):.2f} s gate = {start:.2f} s "
            f"<= {TOX_START_TARGET} s",
        )
    else:
        targets.skip(f"tox -e {last.id} start", "tox is not installed here")
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
