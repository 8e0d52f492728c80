"""pytest runs in forked processes, which start without importing Python's world again.

Starting Python and importing pytest, NumPy, Hypothesis and the kit's core costs about a second
(scikit-learn two more); ``gradkit verify`` runs some sixty suites and the gate one per changed
exercise. A forked child is still a process of its own (its crash, hang or output costs it
alone), but it starts in milliseconds, with what its parent had imported:

- ``fork``: a copy of the calling process, for a caller that has imported no implementation and
  runs no threads (the gate, grading with one job); the caller imports :data:`PRELOADED` before
  its first fork, so that no child imports them again;
- ``forkserver``: a child of a server that imported :data:`PRELOADED` once, for a caller that
  runs threads or has imported code a run must import afresh (verify measures the reference's
  coverage, and its catalogue of mistakes imports the reference; a class's grading runs its
  students side by side, each a forked ``gradkit grade`` that forks its own suites).

The kit's pytest plugins are never imported before the fork, so pytest still rewrites their
assertions in each child.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import multiprocessing
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from plugins.suite_runs.line_coverage import lines_run
from plugins.suite_runs.sandbox import SandboxUser, become

FORK, FORK_SERVER = "fork", "forkserver"
PRELOADED = [
    "numpy",
    "pytest",
    "hypothesis",
    "hypothesis.extra.numpy",
    "pluggy",
    "coverage",
    "core",
    "core.nn",
    "core.functional",
    "plugins.cli",  # the gradkit command's script imports it again in every child
]
# Imported by each run from its own folder, never inherited from the parent.
OWN_PACKAGES = ("exercises", "reference_solutions")
_context: multiprocessing.context.ForkServerContext | None = None


def preload(*modules: str) -> None:
    """Have the server import ``modules`` too (before the first forked run): worth it for a
    module that many runs import, as scikit-learn is for the suites of the training exercises.
    Modules already preloaded are skipped, so callers may ask for the same ones again."""
    missing = [module for module in modules if module not in PRELOADED]
    if missing and _context is not None:
        raise RuntimeError("the fork server has started: preload modules before the first run")
    PRELOADED.extend(missing)


def preload_the_kits_choice() -> None:
    """Preload what the kit's suites import (``[tool.gradkit] preload`` in its pyproject.toml):
    worth it for a caller that runs them all (verify, grade), not for the gate, which runs one."""
    from core import catalog

    preload(*catalog.settings().get("preload", []))


def _server() -> multiprocessing.context.ForkServerContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context(FORK_SERVER)
        _context.set_forkserver_preload(PRELOADED)
    return _context


def _run_child(
    entry: str,
    arguments: list[str],
    environment: dict[str, str],
    cwd: str,
    output: str,
    coverage_file: str | None,
    coverage_include: str | None,
    user: SandboxUser | None,
) -> None:
    """The child: its own session (so that a timeout can kill what it starts), output to a
    file, the run's environment and folder, then ``entry.main(arguments)`` (pytest, or the
    spot-check worker, or the gradkit command), optionally recording which lines of
    ``coverage_include`` run (:mod:`plugins.suite_runs.line_coverage`)."""
    os.setsid()
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.environ.clear()
    os.environ.update(environment)
    if user is not None:  # before anything of the student's is imported
        become(user, home=os.path.dirname(output))
    os.chdir(cwd)
    sys.path.insert(0, cwd)  # as `python -m pytest` run in cwd would have it
    _import_the_exercises_from(cwd)
    main = importlib.import_module(entry).main

    measured = (
        lines_run(Path(coverage_include), Path(coverage_file))
        if coverage_file is not None
        else contextlib.nullcontext()
    )
    try:
        with measured:
            code = int(main(arguments))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _import_the_exercises_from(cwd: str) -> None:
    """Forget the exercises and reference solutions the parent imported, so that this run
    imports them from its own folder: grading may run a suite in a copy of the kit that lacks
    the graded exercise's reference."""
    for name in [name for name in sys.modules if name.split(".")[0] in OWN_PACKAGES]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if not _finds_own_packages_elsewhere(f, cwd)]
    from core import catalog

    catalog.exercises.cache_clear()


def _finds_own_packages_elsewhere(finder: object, cwd: str) -> bool:
    """Whether ``finder`` maps the exercises or the reference solutions to a folder other than
    ``cwd``: the finder of an editable install of the kit does, whatever ``sys.path`` says, so
    a module missing from this run's copy (the graded exercise's reference) would be found in
    the installed kit."""
    if finder in (importlib.machinery.BuiltinImporter, importlib.machinery.FrozenImporter):
        return False
    if finder is importlib.machinery.PathFinder or not hasattr(finder, "find_spec"):
        return False
    here = Path(cwd).resolve()
    for package in OWN_PACKAGES:
        try:
            spec = finder.find_spec(package, None)
        except Exception:  # a finder that fails here finds nothing of ours
            continue
        places = [*(spec.submodule_search_locations or []), spec.origin or ""] if spec else []
        if any(place and not Path(place).resolve().is_relative_to(here) for place in places):
            return True
    return False


def run_forked(
    arguments: Sequence[str],
    environment: Mapping[str, str],
    cwd: Path,
    output: Path,
    timeout: float,
    method: str = FORK_SERVER,
    coverage_of: tuple[Path, Path] | None = None,
    entry: str = "pytest",
    user: SandboxUser | None = None,
) -> tuple[int | None, bool]:
    """Run ``entry.main(ARGUMENTS)`` (pytest's by default) in a child started by ``method``
    (``fork`` or ``forkserver``); ``coverage_of`` is ``(data file, the one source file to
    measure)``; ``user``: the child becomes that user first (see
    :mod:`plugins.suite_runs.sandbox`; ``output``'s folder must be its own). Returns the exit
    code (None if killed) and whether it timed out."""
    data_file, include = coverage_of or (None, None)
    if method == FORK_SERVER:
        context = _server()
    else:
        for module in PRELOADED:
            importlib.import_module(module)
        context = multiprocessing.get_context(FORK)
    child = context.Process(
        target=_run_child,
        args=(
            entry,
            list(arguments),
            dict(environment),
            str(cwd),
            str(output),
            None if data_file is None else str(data_file),
            None if include is None else str(include),
            user,
        ),
    )
    child.start()
    child.join(timeout)
    if child.exitcode is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:  # not yet in a session of its own
            child.kill()
        child.join()
        return None, True
    return child.exitcode, False
