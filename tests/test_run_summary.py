"""The summary a student reads after ``gradkit test``: failures grouped by what raised them,
and a ``-k`` word that selects the tests of the first problem."""

from __future__ import annotations

import pytest

from core.catalog import exercise
from plugins.ladder.run_summary import Group, group_failures, keyword_for
from plugins.suite_runs import runner
from plugins.suite_runs.runner import FAILED, PASSED, SuiteRun

STUB = (
    "NotImplementedError: ex06: {function}() is not implemented yet - it should compute: {what}\n"
    "  Read exercises/...\nraised at exercises/ex06_x/plugin.py:{line} in f\n"
)


def _run(records: dict[str, str]) -> SuiteRun:
    """A finished run whose tests failed with these messages ('' for a pass)."""
    run = SuiteRun(exercise("ex06"), "student", 1, 0.0, "")
    run.collected = dict.fromkeys(records, 1.0)
    run.records = {
        n: runner.TestRecord(n, FAILED if m else PASSED, 0.0, m) for n, m in records.items()
    }
    run.finished = True
    return run


def test_each_stub_is_one_group_in_the_order_of_its_lines_in_the_plugin() -> None:
    run = _run(
        {
            "t/test_b.py::test_one": STUB.format(function="Trainer.fit", what="fit", line=90),
            "t/test_a.py::test_two": STUB.format(function="count_correct", what="n", line=40),
            "t/test_a.py::test_three": STUB.format(function="count_correct", what="n", line=40),
            "t/test_a.py::test_four": "",
        }
    )
    stubs, wrong = group_failures(run)
    assert [(g.function, len(g.nodeids), g.where) for g in stubs] == [
        ("count_correct", 2, "plugin.py:40"),
        ("Trainer.fit", 1, "plugin.py:90"),
    ]
    assert wrong == []


def test_failures_with_the_same_first_line_are_one_group() -> None:
    run = _run(
        {
            "t/test_a.py::test_x[1]": "AssertionError: sum forward is wrong\n  inputs: 1",
            "t/test_a.py::test_x[2]": "AssertionError: sum forward is wrong\n  inputs: 2",
            "t/test_a.py::test_y": "TypeError: bad",
        }
    )
    _, wrong = group_failures(run)
    assert [(g.short_title, len(g.nodeids)) for g in wrong] == [
        ("sum forward is wrong", 2),
        ("TypeError: bad", 1),
    ]


@pytest.mark.parametrize(
    ("function", "nodeids", "expected"),
    [
        ("add_forward", ["t/test_forward.py::test_f[add-(2,3)]"], "add"),
        ("BinaryMLPClassifier.__init__", ["t/test_binary_mlp.py::test_shapes"], "binary_mlp"),
        ("ArrayDataset.__init__", ["t/test_array_dataset.py::test_len"], "array_dataset"),
        ("count_correct", ["t/test_trainer.py::test_count_correct_counts"], "count_correct"),
    ],
)
def test_the_suggested_keyword_comes_from_the_functions_name(function, nodeids, expected) -> None:
    group = Group(function, "", nodeids, function=function)
    assert keyword_for(group, [*nodeids, "t/test_other.py::test_unrelated"]) == expected


def test_without_a_matching_name_the_keyword_comes_from_the_tests_names() -> None:
    group = Group("TypeError: bad", "", ["t/test_a.py::test_validate_loss"])
    others = ["t/test_a.py::test_fit_loss"]
    assert keyword_for(group, [*group.nodeids, *others]) == "validate"
