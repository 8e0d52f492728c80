"""Run commands inside a student release written by ``gradkit release``, as its README and
tox.ini tell a student to, on the release's own code only.

The test environment has this kit installed in development mode, whose import hook would find
the kit's ``reference_solutions`` even from inside a release; the command runs with that hook
removed, as on a student's machine where only the release is installed.

The kit's tests run ``gradkit`` some sixty times. Each run is a process of its own, forked from
a server that has imported NumPy, pytest and Hypothesis (third-party code only: every run
imports the kit from the repository it runs in), which saves half a second of start-up a run.
"""

from __future__ import annotations

import configparser
import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
ONLY_THE_RELEASE = (
    "import sys; "
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
    "from plugins.cli import main; sys.exit(main(sys.argv[1:]))"
)


THIRD_PARTY = ["numpy", "pytest", "hypothesis", "hypothesis.extra.numpy", "pluggy"]
_server = multiprocessing.get_context("forkserver")
_server.set_forkserver_preload(THIRD_PARTY)


def _gradkit(args: list[str], paths: list[str], env: dict, cwd: str, out: str, err: str) -> None:
    """The child: what ``python -c ONLY_THE_RELEASE ARGS`` would do in ``cwd`` with
    ``PYTHONPATH=paths``, its output in the files ``out`` and ``err``."""
    for descriptor, path in ((1, out), (2, err)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), descriptor)
    os.setsid()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path[:0] = paths
    from plugins.cli import main

    try:
        code = main(args)
    except SystemExit as exit_:  # argparse's errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def gradkit_in(
    root: Path, *args: str, also_on_path: tuple[Path, ...] = (), timeout: float = 300, **env: str
) -> subprocess.CompletedProcess:
    """``gradkit ARGS`` run in the repository at ``root``, on that repository's code (then on
    ``also_on_path``, for a repository that borrows the kit's ``core`` and ``plugins``)."""
    paths = [str(folder) for folder in (root, *also_on_path)]
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        "GRADKIT_IMPL": "student",
        "GRADKIT_PLUGINS": "",
        **env,
    }
    with tempfile.TemporaryDirectory() as scratch:
        out, err = Path(scratch) / "stdout", Path(scratch) / "stderr"
        child = _server.Process(
            target=_gradkit, args=(list(args), paths, environment, str(root), str(out), str(err))
        )
        child.start()
        child.join(timeout)
        if child.exitcode is None:
            os.killpg(child.pid, 9)
            child.join()
            raise subprocess.TimeoutExpired(["gradkit", *args], timeout)
        return subprocess.CompletedProcess(
            ["gradkit", *args], child.exitcode, out.read_text(), err.read_text()
        )


def tox_envs(root: Path) -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    config.read(root / "tox.ini")
    return config


def tox_command(root: Path, env: str) -> list[str]:
    """The command ``tox -e ENV`` runs, e.g. ``["gradkit", "test", "ex01"]`` for ``ex01``:
    a line ``ENV: command`` of a factor-conditional section, or the commands of
    ``[testenv:ENV]``, without ``{posargs}``."""
    config = tox_envs(root)
    for section in config.sections():
        for line in config[section].get("commands", "").strip().splitlines():
            factor, separator, command = line.partition(": ")
            if (separator and factor == env) or (not separator and section == f"testenv:{env}"):
                return (command if separator else line).replace("{posargs}", "").split()
    raise LookupError(f"tox.ini at {root} has no env {env}")
