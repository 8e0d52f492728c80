"""The static scan of submitted code: what it flags, with the line, and that the kit's own
stubs, references and studies — code written the way students are asked to — flag nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import catalog
from plugins.grading.code_scan import scan_exercise, scan_source

FLAGGED = {
    "import os": "imports os",
    "import sys, numpy": "imports sys",
    "from _pytest.python import Function": "imports from _pytest.python",
    "from reference_solutions.ex01_tensor_forward import *": "imports from reference_solutions",
    "from core import plugin_manager": "imports core.plugin_manager",
    "from core.registry import Registry": "imports from core.registry",
    "from exercises.ex07_multiclass.tests.oracles import numpy_softmax": "imports from exercises",
    "import importlib": "imports importlib",
    "exec(text)": "uses exec()",
    "eval('1 + 1')": "uses eval()",
    "data = open('reference_solutions/x.py').read()": "uses open()",
    "__import__('os')": "uses __import__()",
    "f.__globals__['x'] = 1": "reaches into an object through __globals__",
    "type(x).__subclasses__()": "reaches into an object through __subclasses__",
    "getattr(f, '__glo' + 'bals__')": "getattr() of a dunder attribute",
    "np.fromfile('results.jsonl')": "NumPy file input or output (fromfile)",
    "a.tofile('plugins/suite_runs/recorder.py')": "NumPy file input or output (tofile)",
    "numpy.load('x.npy')": "NumPy file input or output (load)",
}


@pytest.mark.parametrize(("code", "why"), FLAGGED.items(), ids=FLAGGED.keys())
def test_a_line_that_reaches_outside_the_exercise_is_flagged_with_its_line(code, why) -> None:
    source = f"import numpy as np\n\n\ndef f(x):\n    return x\n\n\n{code}\n"
    flags = scan_source(source, Path("exercises/ex01_x/plugin.py"))
    assert [(flag.line, flag.code) for flag in flags] == [(8, code)], flags
    assert why in flags[0].why
    assert str(flags[0]).startswith(f"exercises/ex01_x/plugin.py:8: {code} - ")


def test_ordinary_exercise_code_is_not_flagged() -> None:
    source = (
        "from __future__ import annotations\nimport math\nfrom collections.abc import Sequence\n"
        "import numpy as np\nfrom core import Tensor, nn, functional as F\n"
        "from exercises.stub import todo\nfrom . import _helpers\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        setattr(self, str(0), nn.Linear(2, 2))\n\n"
        "def f(x):\n    return np.maximum(x, 0).sum() + math.pi\n"
    )
    assert scan_source(source, Path("plugin.py")) == []


def test_a_file_that_does_not_parse_is_flagged() -> None:
    (flag,) = scan_source("def f(:\n", Path("plugin.py"))
    assert flag.line == 1 and "does not parse" in flag.why


@pytest.mark.parametrize("exercise", catalog.exercises(), ids=lambda e: e.id)
def test_the_kits_stubs_given_code_and_studies_flag_nothing(exercise) -> None:
    assert scan_exercise(catalog.root(), exercise) == []


def test_the_reference_solutions_flag_nothing() -> None:
    references = sorted((catalog.root() / "reference_solutions").glob("ex*.py"))
    assert references
    for path in references:
        assert scan_source(path.read_text(), path) == [], path.name
