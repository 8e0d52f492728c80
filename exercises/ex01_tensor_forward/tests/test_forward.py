"""ex01: every op's forward equals NumPy, on fixed and random shapes, and keeps float32."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exercises.testing.checks import check_forward, float32_tensors, run_forward
from exercises.testing.op_table import OPS

FIXED = [
    pytest.param(row, case, id=f"{row}-{case.label}") for row in OPS for case in row.fixed_cases()
]
ROWS = [pytest.param(row, id=str(row)) for row in OPS]


@pytest.mark.parametrize(("row", "case"), FIXED)
def test_forward_matches_numpy_on_fixed_shapes(row, case):
    check_forward(row, case)


@pytest.mark.parametrize("row", ROWS)
@given(data=st.data())
def test_forward_matches_numpy_on_random_shapes(row, data):
    check_forward(row, data.draw(row.cases(), label="case"))


@pytest.mark.parametrize("row", ROWS)
def test_forward_keeps_float32(row):
    case = row.fixed_cases()[0]
    result = run_forward(row, case, float32_tensors(case))
    assert result.dtype == np.float32, (
        f"{row} turned float32 inputs into {result.dtype}: a float64 constant or a Python "
        "sum() in the forward upcasts; keep the input's dtype"
    )


@pytest.mark.parametrize("row", ROWS)
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
