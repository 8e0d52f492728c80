"""Find reference solution code in a tree of files: the release's last line of defence.

Every function of ``reference_solutions/`` (and of its mistake catalogue) with a body of some
substance is fingerprinted by its syntax tree — names of the function itself, comments,
docstrings and formatting do not matter; registration hooks and bodies that only raise are
plumbing the stubs share. A Python file in the scanned tree that defines a
function with the same body leaks it; a text file that contains the body's lines leaks it too.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

MIN_BODY_CHARACTERS = 40  # shorter bodies ("return a + b") are not a solution worth hiding
MIN_TEXT_LINES = 3
TEXT_SUFFIXES = {".md", ".txt", ".rst", ".ini", ".toml", ".cfg", ".yml", ".yaml", ".json", ".sh"}


@dataclass(frozen=True)
class Leak:
    """``path`` (relative to the scanned root) holds the body of reference function ``source``."""

    path: str
    where: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where} is the body of {self.source}"


def _body_without_docstring(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    body = function.body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
        body = body[1:]
    return body


def _fingerprint(body: list[ast.stmt]) -> str:
    dump = ast.dump(ast.Module(body=body, type_ignores=[]), include_attributes=False)
    return hashlib.sha256(dump.encode()).hexdigest()


def _is_plumbing(function: ast.FunctionDef | ast.AsyncFunctionDef, body: list[ast.stmt]) -> bool:
    """A hook that registers names (the stubs register the same ones) or a body that only
    raises (an abstract method): neither is a solution."""
    hook = any("hookimpl" in ast.unparse(decorator) for decorator in function.decorator_list)
    return hook or (len(body) == 1 and isinstance(body[0], ast.Raise))


def _functions(tree: ast.AST):
    """Each function of ``tree`` with its body (without its docstring)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, _body_without_docstring(node)


def _substantial(
    function: ast.FunctionDef | ast.AsyncFunctionDef, body: list[ast.stmt], source: str
) -> bool:
    """A ``body`` of some length (its ``source``) that is not plumbing."""
    return len(source) >= MIN_BODY_CHARACTERS and not _is_plumbing(function, body)


@dataclass
class ReferenceBodies:
    """The fingerprints and normalised source lines of every substantial reference body."""

    fingerprints: dict[str, str]
    lines: dict[str, list[str]]

    @classmethod
    def of(cls, reference_folder: Path) -> ReferenceBodies:
        fingerprints: dict[str, str] = {}
        lines: dict[str, list[str]] = {}
        for path in sorted(reference_folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            module = path.relative_to(reference_folder.parent).with_suffix("").as_posix()
            for function, body in _functions(tree):
                source = ast.unparse(ast.Module(body=body, type_ignores=[]))
                if not _substantial(function, body, source):
                    continue
                name = f"{module.replace('/', '.')}.{function.name}"
                fingerprints[_fingerprint(body)] = name
                text = source.splitlines()
                normalised = [line.strip() for line in text if line.strip()]
                if len(normalised) >= MIN_TEXT_LINES:
                    lines[name] = normalised
        return cls(fingerprints, lines)


def _contains(haystack: list[str], needle: list[str]) -> bool:
    first = needle[0]
    return any(
        haystack[i : i + len(needle)] == needle for i, line in enumerate(haystack) if line == first
    )


def scan(root: Path, bodies: ReferenceBodies) -> list[Leak]:
    """Every leak of a reference body in the files under ``root`` (only substantial bodies
    have fingerprints, so each function is looked up as it is)."""
    leaks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if path.suffix == ".py":
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for function, body in _functions(tree):
                source = bodies.fingerprints.get(_fingerprint(body))
                if source:
                    leaks.append(Leak(relative, f"function {function.name}()", source))
        elif path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            normalised = [line.strip() for line in text if line.strip()]
            for source, lines in bodies.lines.items():
                if _contains(normalised, lines):
                    leaks.append(Leak(relative, "its text", source))
    return leaks
