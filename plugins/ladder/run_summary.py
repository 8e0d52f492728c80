"""What a student reads after ``gradkit test exNN``: each problem once, then where they stand.

A suite on fresh stubs fails every test with the same few "not implemented yet" messages, and a
wrong op fails a dozen tests with reports that differ only in their inputs. So failures are
grouped: an unwritten stub is one line (with how many tests wait on it); a wrong result is
shown in full once per distinct failure (its first line), with how many tests share it. The
summary ends with passed/total, what is unwritten, what is wrong, and the one command to run
next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.catalog import Exercise
from exercises.stub import STUB_ERROR
from plugins.failure_report import FULL_TRACEBACK_HINT
from plugins.suite_runs.runner import PASSED, SKIPPED, SuiteRun

RAISED_AT = re.compile(r"^raised at (\S+):(\d+) in ", re.MULTILINE)
SHOWN_TEST_IDS = 3
# Words that name no op: a -k with them would select far too much.
GENERIC_WORDS = {"forward", "backward", "init", "call", "test", "tests", "the", "is", "wrong"}


TITLE_LIMIT = 70


@dataclass
class Group:
    """Tests that fail the same way: ``title`` is the first line of their report."""

    title: str
    message: str
    nodeids: list[str] = field(default_factory=list)
    function: str = ""  # the unwritten stub, for a "not implemented" group
    summary: str = ""  # what the stub should compute
    where: str = ""  # plugin.py:LINE

    @property
    def short_title(self) -> str:
        """The title without an ``AssertionError:`` prefix, cut to one short line."""
        title = self.function or self.title.removeprefix("AssertionError: ")
        return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 3] + "..."


def _test_name(nodeid: str) -> str:
    return nodeid.rpartition("::")[2]


def group_failures(run: SuiteRun) -> tuple[list[Group], list[Group]]:
    """``(unwritten stubs, wrong results)``, each in order of their first failing test."""
    stubs: dict[str, Group] = {}
    wrong: dict[str, Group] = {}
    for nodeid, record in run.records.items():
        if record.outcome in (PASSED, SKIPPED):
            continue
        message = record.message.replace(FULL_TRACEBACK_HINT, "").strip()
        stub = STUB_ERROR.search(message)
        if stub:
            summary = message.partition("it should compute: ")[2].split("\n")[0]
            raised = RAISED_AT.search(message)
            where = f"{raised.group(1).rsplit('/', 1)[-1]}:{raised.group(2)}" if raised else ""
            group = stubs.setdefault(
                stub.group(2),
                Group(stub.group(2), message, function=stub.group(2), summary=summary, where=where),
            )
        else:
            title = message.split("\n", 1)[0] or f"{record.outcome} without a message"
            group = wrong.setdefault(title, Group(title, message))
        group.nodeids.append(nodeid)
    for nodeid in run.collected:
        if nodeid not in run.records:
            why = run.problem().split("\n", 1)[0]
            wrong.setdefault(why, Group(why, run.problem())).nodeids.append(nodeid)
    in_file_order = sorted(stubs.values(), key=lambda g: int(g.where.rpartition(":")[2] or 0))
    return in_file_order, list(wrong.values())


def keyword_for(group: Group, all_nodeids: Iterable[str]) -> str:
    """A ``-k`` word that selects tests of the group: the longest word of the function's or the
    failure's name that picks any (``add`` for ``add_forward``, ``binary_mlp`` for
    ``BinaryMLPClassifier``, whose tests are in ``test_binary_mlp.py``), else the word of the
    tests' names that picks the most of them and the fewest others."""
    mine = [n.lower() for n in group.nodeids]
    others = [n.lower() for n in all_nodeids if n not in group.nodeids]

    def hits(word: str) -> int:
        return sum(word in n for n in mine)

    named = _named_words(group.short_title)
    for word in named:
        if hits(word):
            return word
    candidates = named + [w for n in group.nodeids for w in _words(_test_name(n))]
    best = max(
        candidates, key=lambda w: (hits(w) - sum(w in n for n in others), hits(w)), default=""
    )
    return best if best and hits(best) else ""


def _words(text: str) -> list[str]:
    words = re.split(r"[^A-Za-z0-9]+", text)
    return [w.lower() for w in words if len(w) >= 3 and w.lower() not in GENERIC_WORDS]


def _named_words(name: str) -> list[str]:
    """Words a name suggests, longest first: ``BinaryMLPClassifier.__init__`` gives
    ``binary_mlp_classifier``, ``binary_mlp``, ``binary``, ``mlp``, ``classifier``."""
    found = []
    for original in re.split(r"[^A-Za-z0-9_]+", name):
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", original).lower()
        pieces = [p for p in snake.split("_") if p]
        joined = ["_".join(pieces[:n]) for n in range(len(pieces), 0, -1)]
        found += [w for w in joined + pieces if len(w) >= 3 and w not in GENERIC_WORDS]
    return list(dict.fromkeys(found))


def _ids(group: Group) -> str:
    shown = ", ".join(_test_name(n) for n in group.nodeids[:SHOWN_TEST_IDS])
    more = len(group.nodeids) - SHOWN_TEST_IDS
    return shown + (f" and {more} more" if more > 0 else "")


def _count(n: int, word: str = "test") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(exercise: Exercise, run: SuiteRun, *, tox_env: str, detailed: bool = True) -> list[str]:
    """The grouped problems (unless ``detailed`` is False: pytest showed them itself) and the
    summary, as lines."""
    stubs, wrong = group_failures(run)
    lines: list[str] = []
    if detailed and wrong:
        lines += ["", f"Wrong - {_count(len(wrong), 'distinct failure')}, each shown once:"]
        for group in wrong:
            lines += ["", f"__ {group.title} - {_count(len(group.nodeids))} __", group.message]
            lines.append(f"   failing: {_ids(group)}")
    if detailed and stubs:
        width = max(len(g.function) for g in stubs)
        lines += ["", "Not written yet - each stub once, with the tests that wait on it:"]
        for group in stubs:
            count = _count(len(group.nodeids)).rjust(9)
            lines.append(f"  {group.where:<14} {group.function:<{width}} {count}  {group.summary}")
        lines.append(
            f"  Read exercises/{exercise.folder}/README.md, then write them in "
            f"exercises/{exercise.folder}/plugin.py."
        )
    return [*lines, "", *summary(exercise, run, stubs, wrong, tox_env=tox_env)]


def summary(
    exercise: Exercise,
    run: SuiteRun,
    stubs: Sequence[Group],
    wrong: Sequence[Group],
    *,
    tox_env: str,
) -> list[str]:
    """passed/total, what is unwritten and wrong, and the command to try next."""
    total = len(run.collected)
    if total == 0:
        return [
            f"{exercise}: no test ran. If a conftest.py or pytest.ini you added deselects "
            "them, remove it; the suite is the shipped one."
        ]
    head = f"{exercise}: {run.passed} of {total} tests pass"
    if not stubs and not wrong:
        return [f"{exercise}: all {total} tests pass."]
    lines = [head + "."]
    if wrong:
        shown = "; ".join(f"{g.short_title} ({_count(len(g.nodeids))})" for g in wrong[:4])
        more = f"; and {len(wrong) - 4} more" if len(wrong) > 4 else ""
        lines.append(f"  wrong: {shown}{more}")
    if stubs:
        functions = ", ".join(g.function for g in stubs[:3]) + (", ..." if len(stubs) > 3 else "")
        waiting = sum(len(g.nodeids) for g in stubs)
        lines.append(
            f"  not written yet: {_count(len(stubs), 'function')} ({functions}); "
            f"{_count(waiting)} wait on them"
        )
    first = (wrong or stubs)[0]
    word = keyword_for(first, run.collected)
    if word:
        lines.append(f"Try next: tox -e {tox_env} -- -k {word}    ({first.short_title})")
    lines.append(f"Full tracebacks: tox -e {tox_env} -- --traceback")
    return lines
