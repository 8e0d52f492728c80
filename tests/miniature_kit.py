"""A miniature gradkit repository on disk, for testing the tools that run whole suites.

Three exercises — ex01 ``double(x) = 2x``, ex02 ``quadruple(x) = double(double(x))`` (built on
ex01) and ex03 ``negate(x) = -x``, a research elective that needs ex01 only (not ex02) — each
with stubs, a reference, a suite of five tests (six points), a spot-check probe and a mistake
catalogue; the kit's own ``core`` and ``plugins`` are used from the real repository (second on
``PYTHONPATH``).
Tests change one file at a time to build the broken cases (a hang, a syntax error, a test that
passes on a stub).
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

from tests.released_repo import KIT_ROOT, gradkit_in

STUB = '''
from core import hookimpl
from exercises.stub import todo


def {name}(x):
    """{doc}"""
    raise todo()


@hookimpl
def gradkit_register_functions(register):
    register("{name}", {name})
'''

# exercise id: (folder, function, factor, reference body, docstring)
EXERCISES = {
    "ex01": ("ex01_double", "double", 2, "2 * x", "x: a number; returns 2x."),
    "ex02": (
        "ex02_quadruple",
        "quadruple",
        4,
        "lookup('double', 'functions')(lookup('double', 'functions')(x))",
        "x: a number; returns 4x, as double(double(x)).",
    ),
    "ex03": ("ex03_negate", "negate", -1, "-x", "x: a number; returns -x."),
}

REFERENCE = '''
from core import hookimpl
from core.plugin_manager import lookup


def {name}(x):
    """{doc}"""
    if x is None:
        raise TypeError("{name}: x must be a number, got None")
    return {body}


@hookimpl
def gradkit_register_functions(register):
    register("{name}", {name})
'''

SUITE = """
import pytest

from core.plugin_manager import lookup


@pytest.mark.parametrize("x", [0, 1, 3])
def test_{name}_of_x(x):
    assert lookup("{name}", "functions")(x) == {factor} * x


@pytest.mark.points(2)
def test_{name}_of_a_negative_number():
    assert lookup("{name}", "functions")(-2) == -2 * {factor}


def test_{name}_of_none_raises_type_error_naming_it():
    with pytest.raises(TypeError, match="{name}"):
        lookup("{name}", "functions")(None)
"""

MISTAKES = """
from reference_solutions.mistakes import mistake


@mistake("functions", "{name}", "adds {factor} instead of multiplying")
def {name}_adds(x):
    return x + {factor}


@mistake("functions", "{name}", "forgets negative numbers")
def {name}_of_magnitude(x):
    return {factor} * abs(x)


@mistake("functions", "{name}", "returns a float string")
def {name}_as_text(x):
    return str({factor} * x)
"""


SPOT_CHECKS = """
import numpy as np

from core.plugin_manager import lookup
from exercises.testing.probes import Probe


def _values(rng):
    xs = rng.integers(-50, 50, size=6)
    return {{"{name}(x)": np.array([lookup("{name}", "functions")(int(x)) for x in xs], float)}}


PROBES = [Probe("{name}", "::test_{name}_of", _values)]
"""

ELECTIVE = 'requires = ["ex01"]\nelective = true\n'


class MiniatureKit:
    """The repository at ``root``; :meth:`gradkit` runs the command line in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("pytest.ini", "[pytest]\naddopts = -p no:cacheprovider\n")
        shutil.copy(KIT_ROOT / "conftest.py", root / "conftest.py")
        self.write("exercises/__init__.py", "")
        shutil.copy(KIT_ROOT / "exercises" / "stub.py", root / "exercises" / "stub.py")
        self.write("exercises/testing/__init__.py", "")
        shutil.copy(
            KIT_ROOT / "exercises" / "testing" / "probes.py",
            self.path("exercises/testing/probes.py"),
        )
        self.write("reference_solutions/__init__.py", "")
        shutil.copy(
            KIT_ROOT / "reference_solutions" / "mistakes" / "__init__.py",
            self.path("reference_solutions/mistakes/__init__.py"),
        )
        for folder, name, factor, body, doc in EXERCISES.values():
            self.write(f"exercises/{folder}/__init__.py", "")
            self.write(f"exercises/{folder}/plugin.py", STUB.format(name=name, doc=doc))
            self.write(f"exercises/{folder}/tests/__init__.py", "")
            suite = SUITE.format(name=name, factor=factor)
            self.write(f"exercises/{folder}/tests/test_{name}.py", suite)
            self.write(f"exercises/{folder}/tests/spot_checks.py", SPOT_CHECKS.format(name=name))
            reference = REFERENCE.format(name=name, body=body, doc=doc)
            self.write(f"reference_solutions/{folder}.py", reference)
            mistakes = MISTAKES.format(name=name, factor=factor)
            self.write(f"reference_solutions/mistakes/{folder}.py", mistakes)
        self.write(f"exercises/{self.folder('ex03')}/exercise.toml", ELECTIVE)

    @classmethod
    def at(cls, root: Path) -> MiniatureKit:
        """The miniature kit already written at ``root`` (by another worker, say), untouched."""
        kit = cls.__new__(cls)
        kit.root = root
        return kit

    @staticmethod
    def folder(exercise_id: str) -> str:
        return EXERCISES[exercise_id][0]

    def path(self, relative: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, relative: str, text: str) -> Path:
        path = self.path(relative)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def plugin(self, exercise_id: str) -> Path:
        return self.root / "exercises" / self.folder(exercise_id) / "plugin.py"

    def suite(self, exercise_id: str) -> Path:
        folder, name, *_ = EXERCISES[exercise_id]
        return self.root / "exercises" / folder / "tests" / f"test_{name}.py"

    def solve(self, exercise_id: str) -> None:
        """The student's plugin becomes the reference."""
        reference = self.root / "reference_solutions" / f"{self.folder(exercise_id)}.py"
        shutil.copy(reference, self.plugin(exercise_id))

    def gradkit(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        """Run ``gradkit ARGS`` in the miniature repository."""
        return gradkit_in(self.root, *args, also_on_path=(KIT_ROOT,), **env)
