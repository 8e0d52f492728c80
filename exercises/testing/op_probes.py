"""Spot-check probes for the op table (ex01's forwards, ex02's gradients): one per row, on the
row's fixed shapes, with values drawn from the grader's generator."""

from __future__ import annotations

import numpy as np

from exercises.testing.cases import Case, make_case
from exercises.testing.checks import float32_tensors
from exercises.testing.op_table import OPS, OpRow
from exercises.testing.probes import Probe, parameter_id


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


def forward_probes() -> list[Probe]:
    """``row(inputs)`` on every fixed shape of every row; confirms the tests of that row."""
    return [Probe(f"{row} forward", parameter_id(str(row)), _forward(row)) for row in OPS]


def gradient_probes() -> list[Probe]:
    """Every input's gradient for a random upstream gradient, on every fixed shape of every
    row; confirms the tests of that row."""
    return [Probe(f"{row} backward", parameter_id(str(row)), _gradients(row)) for row in OPS]
