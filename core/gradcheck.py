"""Check backward against central finite differences, in float64.

For ``out = fn(*inputs)`` and an upstream gradient ``u`` (random and non-uniform, so that a
wrong reduction or a swapped transpose cannot hide), the analytic gradient of input ``x`` is
what ``out.backward(u)`` leaves in ``x.grad``; the numerical one is, element by element::

    d<u, fn(x)>/dx[i] ~= (<u, fn(x + eps e_i)> - <u, fn(x - eps e_i)>) / (2 eps)

>>> from core import Tensor
>>> gradcheck(lambda a, b: a * b, [np.ones((2, 3)), np.arange(3.0)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.autograd import no_grad
from core.tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic gradient of one input differs from the numerical one."""


@dataclass(frozen=True)
class GradientMismatch:
    """Where the two gradients of input ``index`` differ most."""

    index: int
    analytic: np.ndarray
    numerical: np.ndarray

    def __str__(self) -> str:
        error = np.abs(self.analytic - self.numerical)
        worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.size else ()
        with np.printoptions(precision=6, suppress=True, linewidth=100):
            return (
                f"gradient of input {self.index} (shape {self.analytic.shape}) is wrong\n"
                f"  expected (finite differences):\n{_indent(self.numerical)}\n"
                f"  got (backward):\n{_indent(self.analytic)}\n"
                f"  largest error {float(error.max(initial=0.0)):.3g} "
                f"at index {tuple(map(int, worst))}"
            )


def _indent(array: np.ndarray) -> str:
    return "\n".join("    " + line for line in str(array).split("\n"))


def numerical_gradients(
    fn: Callable[..., np.ndarray],
    inputs: Sequence[np.ndarray],
    upstream: np.ndarray,
    eps: float = 1e-6,
) -> list[np.ndarray]:
    """Central differences of ``<upstream, fn(*inputs)>`` with respect to each input.

    ``fn`` takes and returns float64 NumPy arrays; inputs are not modified.
    """
    arrays = [np.array(x, dtype=np.float64) for x in inputs]
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            original = array[i]
            array[i] = original + eps
            plus = np.sum(upstream * fn(*arrays))
            array[i] = original - eps
            minus = np.sum(upstream * fn(*arrays))
            array[i] = original
            grad[i] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[np.ndarray | Tensor],
    *,
    numpy_fn: Callable[..., np.ndarray] | None = None,
    upstream: np.ndarray | None = None,
    seed: int = 0,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
) -> None:
    """Raise :class:`GradcheckError` unless ``fn``'s backward matches finite differences.

    Args:
        fn: takes tensors, returns a tensor, e.g. ``lambda a, b: a @ b``.
        inputs: arrays (converted to float64) where the check happens.
        numpy_fn: the same function on float64 arrays, used for the finite differences;
            by default ``fn`` itself is evaluated (under ``no_grad``).
        upstream: the gradient of the output; default standard normal, fixed by ``seed``.
    """
    arrays = [np.array(getattr(x, "data", x), dtype=np.float64) for x in inputs]
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(*tensors)
    if upstream is None:
        upstream = np.random.default_rng(seed).standard_normal(out.shape)
    upstream = np.asarray(upstream, dtype=np.float64)
    out.backward(upstream)

    if numpy_fn is None:

        def numpy_fn(*xs: np.ndarray) -> np.ndarray:
            with no_grad():
                return fn(*(Tensor(x) for x in xs)).data

    numerical = numerical_gradients(numpy_fn, arrays, upstream, eps)
    mismatches = []
    for index, (tensor, expected) in enumerate(zip(tensors, numerical)):
        got = np.zeros_like(expected) if tensor.grad is None else tensor.grad
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            mismatches.append(GradientMismatch(index, got, expected))
    if mismatches:
        raise GradcheckError("\n".join(str(m) for m in mismatches))
