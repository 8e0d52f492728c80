"""What an exercise stub raises until the student writes the function."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core.catalog import EXERCISE_FOLDER

NOT_IMPLEMENTED = "is not implemented yet"
# A stub's message starts "ex03: Linear.__init__() is not implemented yet"; group 1 is the
# exercise, group 2 the function.
STUB_ERROR = re.compile(rf"(ex\d\d): (\S+)\(\) {NOT_IMPLEMENTED}")


def _defines(cls: type, name: str, code) -> bool:
    """``cls`` itself (not a subclass of it, such as a test's) holds the method whose code runs."""
    method = inspect.unwrap(getattr(vars(cls).get(name), "__func__", vars(cls).get(name)))
    return getattr(method, "__code__", None) is code


def todo() -> NotImplementedError:
    """The error for the calling stub: the exercise, the function, what it must compute, and
    where to read. Use it as ``raise todo()`` as the stub's only line."""
    caller = inspect.currentframe().f_back
    function = caller.f_code.co_name
    folder = Path(caller.f_code.co_filename).parent
    match = EXERCISE_FOLDER.match(folder.name)
    exercise = match.group(1) if match else folder.name
    cls = caller.f_locals.get("cls")
    if not isinstance(cls, type):
        cls = type(caller.f_locals["self"]) if "self" in caller.f_locals else None
    if cls is not None:  # a method or classmethod stub: name it by the class that defines it
        cls = next((k for k in cls.__mro__ if _defines(k, function, caller.f_code)), cls)
        definition = getattr(cls, function, None)
        function = f"{cls.__name__}.{function}"
    else:
        definition = caller.f_globals.get(function)
    summary = (inspect.getdoc(definition) or "").split("\n")[0]
    return NotImplementedError(
        f"{exercise}: {function}() {NOT_IMPLEMENTED}"
        + (f" - it should compute: {summary}" if summary else "")
        + f"\n  Read exercises/{folder.name}/README.md, write the function in "
        f"exercises/{folder.name}/plugin.py, then run: tox -e {exercise}"
    )
