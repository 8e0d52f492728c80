"""The checks shared by the exercise suites (``exercises/testing/checks.py``): an error raised
inside an op keeps its type and message, gains the row's forward or backward hint and stays
chained to the original; a stub's error and a failed check are left as they are."""

from __future__ import annotations

import traceback

import numpy as np
import pytest

from exercises.stub import NOT_IMPLEMENTED
from exercises.testing.checks import check_forward, check_gradient, with_hint
from exercises.testing.op_table import OPS


def op_row(name: str):
    return next(row for row in OPS if row.name == name)


def test_an_error_in_a_forward_is_raised_again_with_the_forward_hint(replace_registered):
    add = op_row("add")
    replace_registered("ops", "add", lambda a, b: a + b.T)  # (2, 3) + (3, 2) does not broadcast
    with pytest.raises(ValueError) as raised:
        check_forward(add, add.fixed_cases()[0])
    message = str(raised.value)
    assert "could not be broadcast" in message and message.endswith(
        f"\n  hint: {add.forward_hint}"
    ), message
    assert isinstance(raised.value.__cause__, ValueError), "the original error is not the cause"


def test_an_error_in_a_backward_is_raised_again_with_the_backward_hint(replace_registered):
    total = op_row("sum")
    case = total.fixed_cases()[1]  # axis=1, keepdims=False: grad (2, 4) for x (2, 3, 4)
    assert case.params == {"axis": 1, "keepdims": False}

    def backward_forgetting_the_summed_axis(ctx, grad):
        return (np.broadcast_to(grad, ctx.inputs[0].shape),)

    replace_registered("gradients", "sum", backward_forgetting_the_summed_axis)
    with pytest.raises(ValueError) as raised:
        check_gradient(total, case)
    message = str(raised.value)
    assert message.endswith(f"\n  hint: {total.backward_hint}"), message
    assert total.forward_hint not in message, "a gradient check showed the forward hint"
    cause, frames = raised.value, []
    while cause is not None:
        frames += [frame.f_code.co_name for frame, _ in traceback.walk_tb(cause.__traceback__)]
        cause = cause.__cause__
    assert "backward_forgetting_the_summed_axis" in frames, "the backward's frame is lost"


def test_a_stub_error_passes_unchanged(replace_registered):
    stub_error = NotImplementedError(f"ex01: add_forward() {NOT_IMPLEMENTED}")

    def stub(a, b):
        raise stub_error

    replace_registered("ops", "add", stub)
    add = op_row("add")
    with pytest.raises(NotImplementedError) as raised:
        check_forward(add, add.fixed_cases()[0])
    assert raised.value is stub_error


def test_a_wrong_value_fails_with_one_hint(replace_registered):
    add = op_row("add")
    replace_registered("ops", "add", lambda a, b: a - b)
    with pytest.raises(AssertionError) as raised:
        check_forward(add, add.fixed_cases()[0])
    message = str(raised.value)
    assert message.startswith("add forward is wrong") and message.count("hint:") == 1, message


@pytest.mark.parametrize(
    ("error", "kind", "shown"),
    [
        (IndexError("index 5 is out of bounds"), IndexError, "index 5 is out of bounds"),
        (TypeError("bad operand"), TypeError, "bad operand"),
        (KeyError("k"), LookupError, "'k'"),  # KeyError quotes its message: its base does not
    ],
)
def test_with_hint_keeps_the_type_when_it_can_carry_the_message(error, kind, shown):
    hinted = with_hint(error, "do this")
    assert type(hinted) is kind and str(hinted) == f"{shown}\n  hint: do this"
