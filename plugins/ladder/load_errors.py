"""A student plugin that does not load, told once: the file, the line, a caret, the error.

Without this check every test of the suite would fail with the same "failed to load" message.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from core import plugin_manager
from core.plugin_manager import LoadFailure
from core.selection import STUDENT


def _relative(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root).as_posix()
    except ValueError:
        return filename


def explain(failure: LoadFailure, root: Path) -> str:
    """Where the plugin broke, as Python shows it (file, line, the code and a caret), with the
    file named relative to the repository."""
    error = failure.error
    if isinstance(error, SyntaxError) and error.filename:
        error.filename = _relative(error.filename, root)
        where = "".join(traceback.format_exception_only(error)).rstrip()
    else:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if "exercises" in Path(frame.filename).parts
        ]
        for frame in frames:
            frame.filename = _relative(frame.filename, root)
        shown = traceback.format_list(frames[-1:]) + traceback.format_exception_only(error)
        where = "".join(shown).rstrip()
    exercise_id, _, _ = failure.plugin.partition(":")
    return f"{exercise_id}: your plugin does not load:\n{where}"


def load_problems(selection: str, root: Path) -> list[str]:
    """Load ``selection`` here and explain each student plugin that failed to load."""
    plugin_manager.activate(selection)
    return [
        explain(failure, root)
        for failure in plugin_manager.failures()
        if failure.plugin.endswith(f":{STUDENT}")
    ]
