"""ex02: every op's backward equals float64 finite differences, with a non-uniform upstream
gradient, on fixed and random shapes; gradients keep the input's shape and float32."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import Tensor
from exercises.testing.checks import (
    assert_gradients,
    check_gradient,
    float32_tensors,
    run_backward,
    run_forward,
)
from exercises.testing.op_table import FIXED_CASE_PARAMS, OPS, ROW_PARAMS

# Rows with two inputs that take a gradient: each may be asked for one of them only.
TWO_GRADIENT_ROWS = [
    pytest.param(row, id=str(row))
    for row in OPS
    if len(row.domains) - len(row.steering_inputs) == 2
]


@pytest.mark.parametrize(("row", "case"), FIXED_CASE_PARAMS)
def test_gradient_matches_finite_differences_on_fixed_shapes(row, case):
    check_gradient(row, case)


@pytest.mark.parametrize("row", ROW_PARAMS)
@given(data=st.data())
def test_gradient_matches_finite_differences_on_random_shapes(row, data):
    check_gradient(row, data.draw(row.cases(), label="case"))


@pytest.mark.parametrize("row", ROW_PARAMS)
def test_gradient_keeps_input_shape_and_float32(row):
    case = row.fixed_cases()[1]
    tensors = float32_tensors(case, requires_grad=True)
    out = run_forward(row, case, tensors)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    run_backward(row, out, upstream)
    for index, tensor in enumerate(tensors):
        if index in row.steering_inputs:
            continue
        assert tensor.grad is not None, f"{row}: input {index} received no gradient"
        assert tensor.grad.shape == tensor.shape and tensor.grad.dtype == np.float32, (
            f"{row}: gradient of input {index} is {tensor.grad.shape} {tensor.grad.dtype}, "
            f"expected {tensor.shape} float32"
        )


@pytest.mark.parametrize("row", TWO_GRADIENT_ROWS)
@pytest.mark.parametrize("wanted", [0, 1], ids=["first needs grad", "second needs grad"])
def test_gradient_of_one_input_when_the_other_needs_none(row, wanted):
    """As in ``x * 2.0`` or ``x @ W`` with a frozen ``W``: ctx.needs_input_grad is False for
    one input; the other's gradient must still be right (a backward may return None for the
    one that needs none)."""
    case = row.fixed_cases()[1]
    target = [i for i in range(len(case.inputs)) if i not in row.steering_inputs][wanted]

    def only(x, make):
        return [x if i == target else make(a) for i, a in enumerate(case.inputs)]

    assert_gradients(
        f"{row} backward is wrong when only input {target} needs a gradient\n"
        f"  inputs:   {case.describe()}",
        lambda x: row.run(case, only(x, Tensor)),
        [case.inputs[target]],
        lambda x: row.reference(*only(x, lambda a: a), **case.params),
        row.backward_hint,
    )
