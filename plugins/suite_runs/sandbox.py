"""Student code runs as an unprivileged user where the grader runs as root.

Gradescope runs its autograder as root, and code run as root can read the installed kit's
references, rewrite the results and signal the grader. When the grader is root, every process
that imports student code for grading (the suites' runs, the spot check's student side)
becomes an unprivileged user — ``nobody``, or the user named by ``GRADKIT_SANDBOX_USER`` —
before it imports anything of the student's. That user can read the copy of the kit its run
uses and write only the scratch folder of that run; the references left in the installed kit
are closed to it, and it cannot signal processes of another user.

This needs Python itself, its packages and the kit's copy to be readable by other users (they
are, where Python is installed system-wide, as on Gradescope). Where they are not, the grader
says so and runs student code as itself: :func:`unusable_because` names the folder in the way.
"""

from __future__ import annotations

import os
import pwd
import stat
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

USER_VARIABLE = "GRADKIT_SANDBOX_USER"
DEFAULT_USER = "nobody"


@dataclass(frozen=True)
class SandboxUser:
    """The unprivileged user that student code runs as."""

    name: str
    uid: int
    gid: int


def sandbox_user() -> SandboxUser | None:
    """The user to become, or None when this process is not root (nothing to drop)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get(USER_VARIABLE, DEFAULT_USER)
    try:
        entry = pwd.getpwnam(name)
    except KeyError as error:
        raise ValueError(
            f"the grader runs as root and would run student code as {name!r}, but there is no "
            f"such user: create it, or name another in {USER_VARIABLE}"
        ) from error
    return SandboxUser(name, entry.pw_uid, entry.pw_gid)


def _closed_folder(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot enter, if any."""
    for folder in [*reversed(path.resolve().parents), path.resolve()]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def unusable_because(kit_copy_parent: Path) -> str:
    """Why student code cannot run as another user here ('' if it can): a folder on the way to
    Python, its packages or the kit's copies that other users cannot enter."""
    needed = [
        kit_copy_parent,
        Path(sys.executable).parent,
        Path(sysconfig.get_paths()["stdlib"]),
        Path(sysconfig.get_paths()["purelib"]),
    ]
    for path in needed:
        closed = _closed_folder(path)
        if closed is not None:
            return f"{closed} is closed to other users"
    return ""


def open_to_everyone(tree: Path) -> None:
    """Let other users read ``tree`` (a copy of the kit made for one run): folders o+rx,
    files o+r; nothing becomes writable."""
    for folder, _, files in os.walk(tree):
        os.chmod(folder, os.stat(folder).st_mode | 0o055)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o044)


def hand_over(folder: Path, user: SandboxUser) -> None:
    """Make the scratch ``folder`` of one run the user's own, so that the run can write there."""
    os.chown(folder, user.uid, user.gid)


def close_to_others(path: Path) -> None:
    """Only the grader's own user may read ``path`` (the references of the installed kit)."""
    os.chmod(path, 0o700)


def become(user: SandboxUser, home: str) -> None:
    """From here on this process is ``user``, with no supplementary groups and ``home`` as its
    home (for the caches that libraries write)."""
    os.setgroups([])
    os.setgid(user.gid)
    os.setuid(user.uid)
    os.environ["HOME"] = home
    os.environ["MPLCONFIGDIR"] = home
