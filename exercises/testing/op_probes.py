"""Spot-check probes for the op table (ex01's forwards, ex02's gradients): one per row, on the
row's fixed shapes, with values drawn from the grader's generator."""

from __future__ import annotations

import re

import numpy as np

from exercises.testing.cases import Case, make_case
from exercises.testing.checks import float32_tensors
from exercises.testing.op_table import OPS, OpRow
from exercises.testing.probes import Probe, parameter_id, test_named


def _cases(row: OpRow, rng: np.random.Generator) -> list[Case]:
    seeds = rng.integers(0, 2**32 - 1, size=len(row.fixed))
    return [
        make_case(row.domains, shapes, params, seed=int(seed))
        for (shapes, params), seed in zip(row.fixed, seeds)
    ]


def _forward(row: OpRow):
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        return {
            f"case {i}": row.run(case, float32_tensors(case)).data
            for i, case in enumerate(_cases(row, rng))
        }

    return compute


def _gradients(row: OpRow):
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        values = {}
        for i, case in enumerate(_cases(row, rng)):
            tensors = float32_tensors(case, requires_grad=True)
            out = row.run(case, tensors)
            out.backward(rng.standard_normal(out.shape).astype(np.float32))
            for j, tensor in enumerate(tensors):
                if j not in row.steering_inputs:
                    values[f"case {i} input {j}"] = tensor.grad
        return values

    return compute


# Tests named for one op in other ways: the operator's name as the last parameter
# ("[tensor-number-/-truediv]", "[first needs grad-add]"), or the test's own name.
OPERATOR_NAMES = {"div": "truediv"}
FORWARD_TESTS = {
    "add": ("test_broadcasting_mismatch_raises_value_error_naming_the_op",),
    "matmul": ("test_matmul_shape_mismatch_raises_value_error_naming_matmul_and_shapes",),
}
GRADIENT_TESTS = {
    "getitem[fancy]": (
        "test_repeated_fancy_indices_accumulate_their_gradients",
        "test_repeated_rows_accumulate_their_gradients",
    ),
    "max": (
        "test_max_of_all_elements_splits_gradient_equally_among_ties",
        "test_max_over_axis_splits_gradient_among_ties_per_row",
    ),
}
# ex02's test of a tensor used twice in one expression, by the op the expression is about.
USED_TWICE = "test_tensor_used_twice_receives_both_gradients"
USED_TWICE_BY = {
    "mul": "x * x",
    "div": "x / exp(x)",
    "matmul": "x @ x.T",
    "maximum": "maximum(x, -x)",
    "getitem[fancy]": "x[0] + x[[0, 1]]",
}


def _covers(row: OpRow, tests: dict[str, tuple[str, ...]]) -> str:
    """The tests of ``row``: parametrized by it, or with its (operator) name as the last
    parameter, or named in ``tests``."""
    name = str(row)
    spellings = "|".join(re.escape(n) for n in sorted({name, OPERATOR_NAMES.get(name, name)}))
    patterns = [parameter_id(name), rf"-({spellings})\]"]
    if tests.get(name):
        patterns.append(test_named(*tests[name]))
    if tests is GRADIENT_TESTS and name in USED_TWICE_BY:
        patterns.append(rf"::{USED_TWICE}\[{re.escape(USED_TWICE_BY[name])}\]")
    return "|".join(patterns)


def forward_probes() -> list[Probe]:
    """``row(inputs)`` on every fixed shape of every row; confirms the tests of that row."""
    return [Probe(f"{row} forward", _covers(row, FORWARD_TESTS), _forward(row)) for row in OPS]


def gradient_probes() -> list[Probe]:
    """Every input's gradient for a random upstream gradient, on every fixed shape of every
    row; confirms the tests of that row."""
    return [Probe(f"{row} backward", _covers(row, GRADIENT_TESTS), _gradients(row)) for row in OPS]
