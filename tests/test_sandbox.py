"""Where the grader is root, student code runs as an unprivileged user: it cannot read the
references the grader closes to it, write the grader's results, or signal the grader."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from plugins.suite_runs.forked import FORK, run_forked
from plugins.suite_runs.sandbox import hand_over, sandbox_user, unusable_because

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")


def main(arguments: list[str]) -> int:
    """The forked run's entry: 0 when all three things a student's code might try fail."""
    secret, results, grader = Path(arguments[0]), Path(arguments[1]), int(arguments[2])
    attempts = (
        secret.read_text,
        lambda: (results / "results.json").write_text('{"score": 100}'),
        lambda: os.kill(grader, 0),
    )
    refused = 0
    for attempt in attempts:
        try:
            attempt()
        except PermissionError:
            refused += 1
    return 0 if refused == len(attempts) else 1


def test_a_run_as_the_sandbox_user_cannot_read_write_or_signal_the_grader() -> None:
    user = sandbox_user()
    assert user is not None and user.uid != 0
    place = Path(tempfile.mkdtemp(prefix="gradkit-sandbox-"))
    try:
        place.chmod(0o755)
        references, results, scratch = place / "references", place / "results", place / "run"
        for folder in (references, results, scratch):
            folder.mkdir()
        references.chmod(0o700)  # as the grader closes the installed kit's references
        (references / "ex01.py").write_text("ANSWER = 42\n")
        hand_over(scratch, user)
        arguments = [str(references / "ex01.py"), str(results), str(os.getpid())]
        code, _ = run_forked(
            arguments, {}, place, scratch / "output.txt", 60, FORK, entry=__name__, user=user
        )
        assert code == 0, (scratch / "output.txt").read_text()
        assert not (results / "results.json").exists()
        code, _ = run_forked(arguments, {}, place, scratch / "out2.txt", 60, FORK, entry=__name__)
        assert code == 1, "as root, the same run reads, writes and signals"
    finally:
        shutil.rmtree(place)


def test_the_grader_names_a_folder_that_keeps_the_sandbox_user_out(tmp_path: Path) -> None:
    opened = Path(tempfile.mkdtemp(prefix="gradkit-open-"))
    try:
        opened.chmod(0o755)
        closed = opened / "closed"
        closed.mkdir(mode=0o700)
        assert unusable_because(closed) == f"{closed} is closed to other users"
        assert str(opened) not in unusable_because(opened)
    finally:
        shutil.rmtree(opened)
