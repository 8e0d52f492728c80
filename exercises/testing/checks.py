"""Assertions shared by the exercise suites, with messages written for students.

A failure names the op, the inputs' shapes and dtypes, shows the expected (NumPy) and the
computed values, where they differ most, and a hint: the row's forward hint for a forward, its
backward hint for a gradient. An error the student's code raises inside an op (NumPy's
broadcasting ``ValueError``, an ``IndexError``, ...) is raised again with the same hint added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from core import GradcheckError, Tensor, gradcheck
from exercises.testing.cases import Case
from exercises.testing.op_table import OpRow

FLOAT32_RTOL = 2e-5
FLOAT32_ATOL = 2e-5
# Errors raised inside an op that keep their message as it is: a stub's NotImplementedError says
# what to write, and a failed check carries its own hint.
UNHINTED = (NotImplementedError, AssertionError)


def _show(array: np.ndarray) -> str:
    with np.printoptions(precision=6, suppress=True, linewidth=96, threshold=60):
        return "\n".join("      " + line for line in str(np.asarray(array)).split("\n"))


def describe_mismatch(
    title: str,
    expected: np.ndarray,
    got: np.ndarray,
    hint: str,
    *,
    case: Case | None = None,
    dtype=None,
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
    expected,
    got,
    hint: str,
    *,
    case: Case | None = None,
    rtol: float = FLOAT32_RTOL,
    atol: float = FLOAT32_ATOL,
    dtype=None,
) -> None:
    """``got`` has ``expected``'s shape and values (within float32 tolerance).

    ``case``, when given, is shown as the inputs of the failing call.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise AssertionError(describe_mismatch(title, expected, got, hint, case=case, dtype=dtype))


def with_hint(error: Exception, hint: str) -> Exception:
    """``error`` as a new exception of its type whose message ends with ``hint``.

    An exception type whose constructor does not take one message (or shows it otherwise, as
    ``KeyError`` quotes it) gives way to its nearest base class that does. Raise the result
    ``from error``, so that the original, with the line of the student's code, stays its cause.
    """
    message = f"{error}\n  hint: {hint}"
    kinds = type(error).__mro__
    for kind in kinds[: kinds.index(Exception)]:
        try:
            candidate = kind(message)
        except TypeError:
            continue
        if str(candidate) == message:
            return candidate
    return Exception(message)


def float32_tensors(case: Case, requires_grad: bool = False) -> list[Tensor]:
    return [Tensor(x.astype(np.float32), requires_grad=requires_grad) for x in case.inputs]


def run_forward(row: OpRow, case: Case, tensors: list[Tensor]) -> Tensor:
    """Call the op; an error it raises gets the forward hint, anything but a Tensor fails."""
    __tracebackhide__ = True
    try:
        result = row.run(case, tensors)
    except UNHINTED:
        raise
    except Exception as error:
        raise with_hint(error, row.forward_hint) from error
    assert isinstance(result, Tensor), f"{row} returned {type(result).__name__}, expected a Tensor"
    return result


def run_backward(row: OpRow, out: Tensor, upstream: np.ndarray) -> None:
    """``out.backward(upstream)``; an error raised on the way gets the backward hint."""
    __tracebackhide__ = True
    try:
        out.backward(upstream)
    except UNHINTED:
        raise
    except Exception as error:
        raise with_hint(error, row.backward_hint) from error


def check_forward(row: OpRow, case: Case) -> None:
    """The op's float32 forward equals the float64 NumPy oracle on the same (rounded) inputs."""
    __tracebackhide__ = True
    tensors = float32_tensors(case)
    rounded = Case(tuple(t.data.astype(np.float64) for t in tensors), case.params)
    got = run_forward(row, case, tensors).data
    assert_values(
        f"{row} forward is wrong",
        row.expected(rounded),
        got,
        row.forward_hint,
        case=case,
        dtype=np.float32,
    )


def assert_gradients(
    title: str,
    fn: Callable[..., Tensor],
    inputs: Sequence[np.ndarray],
    numpy_fn: Callable[..., np.ndarray],
    hint: str,
) -> None:
    """``core.gradcheck`` of ``fn`` at ``inputs`` against finite differences of the float64
    NumPy oracle ``numpy_fn``, with a random, non-uniform upstream gradient.

    A mismatch fails with ``title`` (first line of the message), both gradients and ``hint``;
    an error raised while ``fn`` runs forward or backward is raised again with ``hint`` added.
    """
    __tracebackhide__ = True
    try:
        gradcheck(fn, inputs, numpy_fn=numpy_fn)
    except GradcheckError as error:
        raise AssertionError(
            f"{title}\n  (upstream gradient: random, non-uniform)\n{error}\n  hint: {hint}"
        ) from None
    except UNHINTED:
        raise
    except Exception as error:
        raise with_hint(error, hint) from error


def check_gradient(row: OpRow, case: Case) -> None:
    """float64 central differences of the NumPy oracle equal the op's backward."""
    __tracebackhide__ = True
    assert_gradients(
        f"{row} backward is wrong\n  inputs:   {case.describe()}",
        lambda *tensors: row.run(case, tensors),
        case.inputs,
        lambda *arrays: row.reference(*arrays, **case.params),
        row.backward_hint,
    )
