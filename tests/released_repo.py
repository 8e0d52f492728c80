"""Run commands inside a student release written by ``gradkit release``, as its README and
tox.ini tell a student to, on the release's own code only.

The test environment has this kit installed in development mode, whose import hook would find
the kit's ``reference_solutions`` even from inside a release; the command runs with that hook
removed, as on a student's machine where only the release is installed.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
ONLY_THE_RELEASE = (
    "import sys; "
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
    "from plugins.cli import main; sys.exit(main(sys.argv[1:]))"
)


def gradkit_in(
    root: Path, *args: str, also_on_path: tuple[Path, ...] = (), timeout: float = 300, **env: str
) -> subprocess.CompletedProcess:
    """``gradkit ARGS`` run in the repository at ``root``, on that repository's code (then on
    ``also_on_path``, for a repository that borrows the kit's ``core`` and ``plugins``)."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(folder) for folder in (root, *also_on_path)),
        "GRADKIT_IMPL": "student",
        "GRADKIT_PLUGINS": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", ONLY_THE_RELEASE, *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
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
