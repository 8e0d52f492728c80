"""ex02: every op's backward equals float64 finite differences, with a non-uniform upstream
gradient, on fixed and random shapes; gradients keep the input's shape and float32."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.testing.checks import check_gradient, float32_tensors, run_backward, run_forward
from exercises.testing.op_table import FIXED_CASE_PARAMS, ROW_PARAMS


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
