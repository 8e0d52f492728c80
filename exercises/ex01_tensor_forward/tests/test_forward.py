"""ex01: every op's forward equals NumPy, on fixed and random shapes, and keeps float32."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.testing.checks import check_forward, float32_tensors, run_forward
from exercises.testing.op_table import FIXED_CASE_PARAMS, ROW_PARAMS


@pytest.mark.parametrize(("row", "case"), FIXED_CASE_PARAMS)
def test_forward_matches_numpy_on_fixed_shapes(row, case):
    check_forward(row, case)


@pytest.mark.parametrize("row", ROW_PARAMS)
@given(data=st.data())
def test_forward_matches_numpy_on_random_shapes(row, data):
    check_forward(row, data.draw(row.cases(), label="case"))


@pytest.mark.parametrize("row", ROW_PARAMS)
def test_forward_keeps_float32(row):
    case = row.fixed_cases()[0]
    result = run_forward(row, case, float32_tensors(case))
    assert result.dtype == np.float32, (
        f"{row} turned float32 inputs into {result.dtype}: a NumPy value in the forward "
        "upcasts: a float64 array made without a dtype (np.ones(shape), np.array([...])) or a "
        "NumPy scalar (np.float64(...), np.exp(1.0), np.prod(x.shape)). Python numbers keep "
        "float32. Make new arrays with dtype=x.dtype or np.ones_like(x)"
    )


@pytest.mark.parametrize("row", ROW_PARAMS)
def test_forward_does_not_modify_its_inputs(row):
    case = row.fixed_cases()[1]
    tensors = float32_tensors(case)
    before = [t.data.copy() for t in tensors]
    run_forward(row, case, tensors)
    for index, (tensor, original) in enumerate(zip(tensors, before)):
        assert np.array_equal(tensor.data, original), (
            f"{row} changed its input {index} in place; compute a new array instead "
            "(no +=, no out=... on an input)"
        )
