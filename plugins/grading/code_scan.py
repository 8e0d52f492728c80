"""A static scan of a student's exercise code that flags, for the instructor, what exercise code
has no business doing.

It reads the syntax tree of every Python file of the exercise folders (not the kit's tests)
and reports, with the file, line and code:

- imports outside :data:`ALLOWED_IMPORTS`: the kit's internals (the plugin manager, the
  registries, the selection, the grading code), pytest, the reference solutions, a suite's own
  test helpers, and process, file and interpreter access (``os``, ``sys``, ``subprocess``,
  ``importlib``, ``inspect``, ``ctypes``, ...);
- the built-ins that run or open anything (``exec``, ``eval``, ``compile``, ``open``,
  ``__import__``, ``globals``, ...), and ``getattr``/``setattr`` of a dunder name (also one
  put together from pieces);
- dunder attributes that reach into objects (``__globals__``, ``__code__``, ``__dict__``,
  ``__subclasses__``, ...);
- NumPy's file input and output (``np.fromfile``, ``a.tofile``, ``np.load``, ``np.save``, ...).

A flag is not a verdict: grading goes on, and the exercise's status says "flagged" with the
lines, for a person to look at. The scan does not replace the boundaries that make the score
hard to forge (the intake, the pinned configuration, the copies without the reference, the
tamper checks); it makes attempts visible.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from core.catalog import Exercise

ALLOWED_IMPORTS = (
    "__future__",
    "abc",
    "bisect",
    "cmath",
    "collections",
    "contextlib",
    "copy",
    "dataclasses",
    "enum",
    "functools",
    "heapq",
    "itertools",
    "json",
    "math",
    "numbers",
    "operator",
    "random",
    "re",
    "statistics",
    "string",
    "textwrap",
    "time",
    "typing",
    "warnings",
    "numpy",
    "scipy",
    "sklearn",
    "skimage",
    "matplotlib",
    "threadpoolctl",
    "tqdm",
    "core",
    "exercises",
    "plugins.reports.report",  # a study's Report, for its type hint
)
# Names of the internals that exercise code may use: another exercise's registered function.
ALLOWED_NAMES = ("core.plugin_manager.lookup",)
KIT_INTERNALS = (
    "core.plugin_manager",
    "core.registry",
    "core.selection",
    "core.catalog",
    "core.hookspecs",
)
RUNNING_BUILTINS = {
    "exec",
    "eval",
    "compile",
    "open",
    "__import__",
    "globals",
    "locals",
    "breakpoint",
    "input",
}
ATTRIBUTE_BUILTINS = {"getattr", "setattr", "delattr"}
HARMLESS_DUNDERS = {
    "__init__",
    "__name__",
    "__qualname__",
    "__class__",
    "__call__",
    "__doc__",
    "__len__",
    "__iter__",
    "__next__",
    "__getitem__",
    "__setitem__",
    "__repr__",
    "__str__",
    "__eq__",
    "__hash__",
    "__array__",
}
NUMPY_FILE_IO = {
    "fromfile",
    "tofile",
    "load",
    "save",
    "savez",
    "savez_compressed",
    "loadtxt",
    "savetxt",
    "genfromtxt",
    "memmap",
    "fromregex",
    "DataSource",
    "ctypeslib",
}


@dataclass(frozen=True)
class Flag:
    """One line that the instructor should look at."""

    path: str
    line: int
    code: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} - {self.why}"


def scanned_files(root: Path, exercise: Exercise) -> list[Path]:
    """The exercise folder's Python files that are the student's to write: everything but the
    kit's tests and package marker."""
    folder = root / "exercises" / exercise.folder
    return [
        path
        for path in sorted(folder.rglob("*.py"))
        if "tests" not in path.relative_to(folder).parts and path.name != "__init__.py"
    ]


def scan_exercise(root: Path, exercise: Exercise) -> list[Flag]:
    """The flags of every scanned file of ``exercise`` under ``root``."""
    flags: list[Flag] = []
    for path in scanned_files(root, exercise):
        flags += scan_source(path.read_text("utf-8", errors="replace"), path.relative_to(root))
    return flags


def scan_source(source: str, path: Path) -> list[Flag]:
    """The flags of one file's text; a file that does not parse is flagged as such."""
    shown = path.as_posix()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as error:
        return [Flag(shown, getattr(error, "lineno", 0) or 0, "", f"does not parse: {error}")]
    lines = source.splitlines()
    numpy_names = _numpy_aliases(tree)
    flags = []
    for node in ast.walk(tree):
        why = _why(node, numpy_names)
        if why:
            line = getattr(node, "lineno", 0)
            code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            flags.append(Flag(shown, line, code[:120], why))
    return sorted(set(flags), key=lambda flag: (flag.line, flag.why))


def _numpy_aliases(tree: ast.AST) -> set[str]:
    names = {"numpy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "numpy"}
    return names


def _why(node: ast.AST, numpy_names: set[str]) -> str | None:
    if isinstance(node, ast.Import):
        bad = [alias.name for alias in node.names if not _allowed(alias.name)]
        return f"imports {', '.join(bad)}" if bad else None
    if isinstance(node, ast.ImportFrom):
        module = "." * node.level + (node.module or "")
        if node.level:
            return None  # relative: within the student's own package
        if all(f"{module}.{alias.name}" in ALLOWED_NAMES for alias in node.names):
            return None
        if not _allowed(module):
            return f"imports from {module}"
        bad = [a.name for a in node.names if not _allowed(f"{module}.{a.name}", strict=True)]
        return f"imports {', '.join(f'{module}.{name}' for name in bad)}" if bad else None
    if isinstance(node, ast.Name) and node.id in RUNNING_BUILTINS:
        return f"uses {node.id}(), which runs or opens code and files"
    if _attribute_builtin(node):
        texts = [
            part.value
            for part in ast.walk(node.args[1])
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        ]
        if any("__" in text for text in texts):
            return f"{node.func.id}() of a dunder attribute ({' '.join(texts)})"
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("__") and node.attr not in HARMLESS_DUNDERS:
            return f"reaches into an object through {node.attr}"
        if node.attr in NUMPY_FILE_IO and (
            node.attr == "tofile"
            or (isinstance(node.value, ast.Name) and node.value.id in numpy_names)
        ):
            return f"NumPy file input or output ({node.attr})"
    return None


def _attribute_builtin(node: ast.AST) -> bool:
    """A call ``getattr(obj, name, ...)``, ``setattr`` or ``delattr`` with a name argument."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ATTRIBUTE_BUILTINS
        and len(node.args) >= 2
    )


def _allowed(module: str, strict: bool = False) -> bool:
    """Is importing ``module`` fine? ``strict`` is for names imported from a package (``from
    core import plugin_manager``): only the internals and the suites' helpers are refused."""

    def under(prefix: str) -> bool:
        return module == prefix or module.startswith(f"{prefix}.")

    if module in ALLOWED_NAMES:
        return True
    if any(under(internal) for internal in KIT_INTERNALS):
        return False
    if module.startswith("exercises.") and ".tests" in module:
        return False  # a suite's oracles are not an implementation
    if strict:
        return True
    return any(under(prefix) for prefix in ALLOWED_IMPORTS)
