"""Assertions shared by the exercise suites, with messages written for students.

A failure names the op, the inputs' shapes and dtypes, shows the expected (NumPy) and the
computed values, where they differ most, and the row's hint.
"""

from __future__ import annotations

import numpy as np

from core import GradcheckError, Tensor, gradcheck
from exercises.testing.cases import Case
from exercises.testing.op_table import OpRow

FLOAT32_RTOL = 2e-5
FLOAT32_ATOL = 2e-5


def _show(array: np.ndarray) -> str:
    with np.printoptions(precision=6, suppress=True, linewidth=96, threshold=60):
        return "\n".join("      " + line for line in str(np.asarray(array)).split("\n"))


def describe_mismatch(
    title: str, case: Case | None, expected: np.ndarray, got: np.ndarray, hint: str, dtype=None
) -> str:
    """A readable report: what was called on what, expected vs got, the worst error, a hint."""
    lines = [title]
    if case is not None:
        lines.append(f"  inputs:   {case.describe(dtype)}")
        names = "abcd" if len(case.inputs) > 1 else "x"
        for name, array in zip(names, case.inputs):
            lines += [f"    {name} =", _show(array)]
    lines += [
        f"  expected: shape {np.shape(expected)}",
        _show(expected),
        f"  got:      shape {np.shape(got)}",
        _show(got),
    ]
    if np.shape(expected) == np.shape(got) and np.size(got):
        error = np.abs(np.asarray(got, dtype=np.float64) - expected)
        worst = np.unravel_index(
            int(np.nanargmax(np.where(np.isnan(error), np.inf, error))), error.shape
        )
        lines.append(
            f"  largest difference {float(error[worst]):.3g} at index "
            f"{tuple(int(i) for i in worst)}"
        )
    lines.append(f"  hint: {hint}")
    return "\n".join(lines)


def assert_values(
    title: str,
    case: Case | None,
    expected,
    got,
    hint: str,
    *,
    rtol: float = FLOAT32_RTOL,
    atol: float = FLOAT32_ATOL,
    dtype=None,
) -> None:
    """``got`` has ``expected``'s shape and values (within float32 tolerance)."""
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise AssertionError(describe_mismatch(title, case, expected, got, hint, dtype))


def float32_tensors(case: Case, requires_grad: bool = False) -> list[Tensor]:
    return [Tensor(x.astype(np.float32), requires_grad=requires_grad) for x in case.inputs]


def run_forward(row: OpRow, case: Case, tensors: list[Tensor]) -> Tensor:
    """Call the op; anything but a Tensor result fails with a clear message."""
    __tracebackhide__ = True
    result = row.run(case, tensors)
    assert isinstance(result, Tensor), f"{row} returned {type(result).__name__}, expected a Tensor"
    return result


def check_forward(row: OpRow, case: Case) -> None:
    """The op's float32 forward equals the float64 NumPy oracle on the same (rounded) inputs."""
    __tracebackhide__ = True
    tensors = float32_tensors(case)
    rounded = Case(tuple(t.data.astype(np.float64) for t in tensors), case.params)
    got = run_forward(row, case, tensors).data
    assert_values(
        f"{row} forward is wrong", case, row.expected(rounded), got, row.hint, dtype=np.float32
    )


def check_gradient(row: OpRow, case: Case) -> None:
    """float64 central differences of the NumPy oracle equal the op's backward."""
    __tracebackhide__ = True
    try:
        gradcheck(
            lambda *tensors: row.run(case, tensors),
            case.inputs,
            numpy_fn=lambda *arrays: row.reference(*arrays, **case.params),
        )
    except GradcheckError as error:
        raise AssertionError(
            f"{row} backward is wrong\n  inputs:   {case.describe()}\n"
            f"  (upstream gradient: random, non-uniform)\n{error}\n  hint: {row.hint}"
        ) from None
