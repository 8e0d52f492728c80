"""gradkit's pytest plugin: implementation selection, exercise ownership of every test,
reproducible hypothesis settings and a header saying what is being tested.

- ``--gradkit-impl TEXT`` selects implementations like ``GRADKIT_IMPL`` (it wins over it).
- Every collected test belongs to exactly one exercise (``exercises/exNN_*/tests``) or to the
  kit itself (``tests/``) and is marked ``@pytest.mark.exercise("exNN")``; a test anywhere else
  is a collection error, so no test can escape grading.
- Hypothesis runs derandomized (the same examples on every machine, no deadline); set
  ``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from core import plugin_manager
from core.catalog import EXERCISE_FOLDER

KIT = "kit"
KIT_FOLDERS = ("tests", "core", "plugins")  # the kit's tests, and the doctests of its code

# The same examples on every machine and no deadline. No shrinking: on a stub every example
# fails at once, and shrinking each failure would cost seconds per test; the drawn shapes are
# already small. The "explore" profile searches longer, with fresh examples, and shrinks.
settings.register_profile(
    "gradkit",
    derandomize=True,
    deadline=None,
    max_examples=25,
    print_blob=False,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.register_profile("explore", deadline=None, max_examples=300, print_blob=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gradkit"))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gradkit")
    group.addoption(
        "--gradkit-impl",
        default=None,
        metavar="SELECTION",
        help="implementations to test: 'student' (default), 'reference', or per exercise "
        "'ex01=reference,ex02=student' (overrides GRADKIT_IMPL)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "exercise(id): the exercise a test belongs to (automatic)")
    selection = config.getoption("--gradkit-impl")
    if selection is not None:
        plugin_manager.activate(selection)


def owner_of(path: Path, rootdir: Path) -> str | None:
    """``"ex01"`` for a test under ``exercises/ex01_*/tests``, ``"kit"`` under ``tests/`` (and
    for the doctests of ``core/`` and ``plugins/``)."""
    try:
        parts = path.resolve().relative_to(rootdir.resolve()).parts
    except ValueError:
        return None
    if len(parts) >= 3 and parts[0] == "exercises" and parts[2] == "tests":
        match = EXERCISE_FOLDER.match(parts[1])
        return match.group(1) if match else None
    if parts and parts[0] in KIT_FOLDERS:
        return KIT
    return None


def exercise_of(item: pytest.Item) -> str | None:
    """The ``exercise`` marker of a collected test: ``"ex01"``, ``"kit"``, or None."""
    marker = item.get_closest_marker("exercise")
    return marker.args[0] if marker else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    orphans = []
    for item in items:
        owner = owner_of(item.path, config.rootpath)
        if owner is None:
            orphans.append(item.nodeid)
        else:
            item.add_marker(pytest.mark.exercise(owner))
    if orphans:
        raise pytest.UsageError(
            "these tests belong to no exercise (tests live in exercises/exNN_<name>/tests/ or, "
            "for the kit itself, in tests/):\n  " + "\n  ".join(orphans)
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    if config.option.collectonly:  # collecting runs no implementation's code
        return ["gradkit: collecting only; no implementation loaded"]
    chosen = plugin_manager.choices()
    lines = [
        "gradkit implementations: "
        + (", ".join(f"{e}={impl}" for e, impl in chosen.items()) or "no exercises found")
    ]
    extra = os.environ.get(plugin_manager.EXTRA_PLUGINS_VARIABLE, "").strip()
    if extra:
        lines.append(f"gradkit extra plugins: {extra}")
    lines += [f"gradkit: {failure}" for failure in plugin_manager.failures()]
    return lines
