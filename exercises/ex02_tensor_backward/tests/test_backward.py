"""ex02: every op's backward equals float64 finite differences, with a non-uniform upstream
gradient, on fixed and random shapes; gradients keep the input's shape and float32."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.testing.checks import check_gradient, float32_tensors, run_forward
from exercises.testing.op_table import OPS

FIXED = [
    pytest.param(row, case, id=f"{row}-{case.label}") for row in OPS for case in row.fixed_cases()
]
ROWS = [pytest.param(row, id=str(row)) for row in OPS]


@pytest.mark.parametrize(("row", "case"), FIXED)
def test_gradient_matches_finite_differences_on_fixed_shapes(row, case):
    check_gradient(row, case)


@pytest.mark.parametrize("row", ROWS)
@given(data=st.data())
def test_gradient_matches_finite_differences_on_random_shapes(row, data):
    check_gradient(row, data.draw(row.cases(), label="case"))


@pytest.mark.parametrize("row", ROWS)
def test_gradient_keeps_input_shape_and_float32(row):
    case = row.fixed_cases()[1]
    tensors = float32_tensors(case, requires_grad=True)
    out = run_forward(row, case, tensors)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    for index, tensor in enumerate(tensors):
        if index in row.steering_inputs:
            continue
        assert tensor.grad is not None, f"{row}: input {index} received no gradient"
        assert tensor.grad.shape == tensor.shape and tensor.grad.dtype == np.float32, (
            f"{row}: gradient of input {index} is {tensor.grad.shape} {tensor.grad.dtype}, "
            f"expected {tensor.shape} float32"
        )
