"""Exercise 01 — tensor forward: compute the result of every op on plain NumPy arrays.

``Tensor`` knows which op each operator means (``a + b`` is the op ``"add"``, ``x.sum(axis=1)``
is ``"sum"``), but it computes none of them: it looks the op up by name and calls the forward
you register below with the tensors' arrays. Each forward takes ``np.ndarray`` inputs and the
op's keyword parameters, and returns a new ``np.ndarray``.

Rules every forward follows (the tests check them):

- float32 in, float32 out. Python numbers such as ``0.5``, ``x.size`` or ``math.exp(1.0)`` keep
  float32; NumPy values upcast: float64 arrays made without a dtype (``np.ones(3)``,
  ``np.array([1.0])``) and float64 or integer NumPy scalars (``np.float64(0.5)``, ``np.exp(1.0)``,
  ``np.array(2.5)``, ``np.prod(x.shape)``), as NumPy 2 (which the kit requires) has it.
- Never modify an input: no ``+=``, no ``out=`` pointing at an input, no item assignment.
- Let NumPy raise its own errors for shapes that do not fit; the Tensor adds the op's name and
  the input shapes to the message.
- No RuntimeWarning (overflow, divide by zero, ...) where the answer is finite: the tests turn
  warnings into errors.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex01``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core import hookimpl
from exercises.stub import todo

Axis = int | tuple[int, ...] | None

# ----- elementwise arithmetic -------------------------------------------------------------


def add_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise sum a + b, with NumPy broadcasting.

    out[i] = a[i] + b[i] after a and b are broadcast to a common shape (see the README's
    broadcasting section: shapes are compared from the right; a side of 1 stretches, a missing
    axis counts as 1).

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A.

    Returns:
        (*broadcast(A, B)) float32, a new array.

    Example:
        a = [[1.], [2.], [3.]]   shape (3, 1)
        b = [10., 20.]           shape (2,)
        add_forward(a, b) = [[11., 21.], [12., 22.], [13., 23.]]   shape (3, 2)
    """
    raise todo()


def sub_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise difference a - b, with NumPy broadcasting.

    out[i] = a[i] - b[i] after broadcasting.

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A.

    Returns:
        (*broadcast(A, B)) float32.

    Example:
        a = [5., 7.]   shape (2,)
        b = 2.         shape ()   (a 0-d array, e.g. from ``t - 2``)
        sub_forward(a, b) = [3., 5.]   shape (2,)
    """
    raise todo()


def mul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise product a * b, with NumPy broadcasting.

    out[i] = a[i] · b[i] after broadcasting (this is not the matrix product; that is matmul).

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A.

    Returns:
        (*broadcast(A, B)) float32.

    Example:
        a = [[1., 2.], [3., 4.]]   shape (2, 2)
        b = [10., 100.]            shape (2,)
        mul_forward(a, b) = [[10., 200.], [30., 400.]]   shape (2, 2)
    """
    raise todo()


def div_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise quotient a / b, with NumPy broadcasting.

    out[i] = a[i] / b[i] after broadcasting (true division, never integer division). The tests
    keep b away from zero.

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A, nonzero.

    Returns:
        (*broadcast(A, B)) float32.

    Example:
        a = [1., 2., 3.]   shape (3,)
        b = [2.]           shape (1,)
        div_forward(a, b) = [0.5, 1., 1.5]   shape (3,)
    """
    raise todo()


def neg_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise negation -x.

    Args:
        x: (*S) float32.

    Returns:
        (*S) float32, a new array (x itself must stay unchanged).

    Example:
        neg_forward([1., -2., 3.]) = [-1., 2., -3.]
    """
    raise todo()


def pow_forward(x: np.ndarray, exponent: float) -> np.ndarray:
    """Elementwise power x ** exponent, for a Python-number exponent.

    out[i] = x[i]^p with p = exponent. ``t ** 2`` arrives here as ``exponent=2.0`` (always a
    Python float). Fractional and negative exponents occur; the tests then use x > 0.

    Args:
        x: (*S) float32.
        exponent: p, a Python float such as 2.0, 3.0, 0.5 or -1.5.

    Returns:
        (*S) float32. The Python float exponent keeps float32; an ``np.float64`` one would
        upcast.

    Example:
        pow_forward([1., 2., 3.], 2.0) = [1., 4., 9.]
        pow_forward([4., 9.], 0.5)     = [2., 3.]
        pow_forward([2., 4.], -1.0)    = [0.5, 0.25]
    """
    raise todo()


# ----- exponential and logarithm ----------------------------------------------------------


def exp_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise exponential e ** x.

    Args:
        x: (*S) float32.

    Returns:
        (*S) float32.

    Example:
        exp_forward([0., 1.]) = [1., 2.7182817]
    """
    raise todo()


def log_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise natural logarithm ln(x), for x > 0.

    Args:
        x: (*S) float32, positive (the tests only use x > 0).

    Returns:
        (*S) float32.

    Example:
        log_forward([1., 2.7182817]) = [0., 1.]
    """
    raise todo()


# ----- matrix product ---------------------------------------------------------------------


def matmul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product a @ b, following np.matmul (1-D operands and broadcast batch axes).

    For matrices, out[i, j] = Σ_k a[i, k] · b[k, j]. Beyond that, exactly as ``np.matmul``:

    - a 1-D a of shape (k,) acts as a (1, k) row, and that axis is dropped from the result;
    - a 1-D b of shape (k,) acts as a (k, 1) column, and that axis is dropped;
    - axes before the last two are batch axes and broadcast like elementwise ops.

    Shapes:
        (k,)        @ (k,)           -> ()           dot product
        (n, k)      @ (k,)           -> (n,)
        (k,)        @ (k, m)         -> (m,)
        (n, k)      @ (k, m)         -> (n, m)
        (B, n, k)   @ (k, m)         -> (B, n, m)
        (2, 1, n, k) @ (3, k, m)     -> (2, 3, n, m)

    Inner sizes that differ raise a ValueError (let NumPy raise it).

    Args:
        a: (..., n, k) or (k,) float32.
        b: (..., k, m) or (k,) float32.

    Returns:
        float32 array shaped as in the table above.

    Example:
        a = [[1., 2., 3.], [4., 5., 6.]]   shape (2, 3)
        b = [1., 0., -1.]                  shape (3,)
        matmul_forward(a, b) = [-2., -2.]  shape (2,)
    """
    raise todo()


# ----- comparison and selection -----------------------------------------------------------


def maximum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise larger value max(a, b), with NumPy broadcasting.

    Called as ``F.maximum(a, b)`` (``from core import functional as F``). Not the reduction
    ``x.max()``, which is ``max_forward``.

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A.

    Returns:
        (*broadcast(A, B)) float32.

    Example:
        maximum_forward([1., 5., 3.], [4., 2., 3.]) = [4., 5., 3.]
    """
    raise todo()


def minimum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise smaller value min(a, b), with NumPy broadcasting.

    Called as ``F.minimum(a, b)``.

    Args:
        a: (*A) float32.
        b: (*B) float32, broadcastable with A.

    Returns:
        (*broadcast(A, B)) float32.

    Example:
        minimum_forward([1., 5., 3.], [4., 2., 3.]) = [1., 2., 3.]
    """
    raise todo()


def where_forward(a: np.ndarray, b: np.ndarray, condition: np.ndarray) -> np.ndarray:
    """Elementwise choice: a where condition is True, else b (all three broadcast together).

    Called as ``F.where(condition, a, b)``; the condition is not a tensor input but a keyword
    parameter, so it arrives last here. out[i] = a[i] if condition[i] else b[i].

    Args:
        a: (*A) float32.
        b: (*B) float32.
        condition: (*C) bool; A, B and C broadcast together.

    Returns:
        (*broadcast(A, B, C)) float32.

    Example:
        condition = [True, False, True], a = [1., 2., 3.], b = 0. (shape ())
        where_forward(a, b, condition) = [1., 0., 3.]
    """
    raise todo()


# ----- reductions -------------------------------------------------------------------------


def sum_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
    """Sum of the elements of x over axis (None: all axes), keeping size-1 axes if keepdims.

    axis may be None (every axis), an int (negative counts from the end) or a tuple of ints.
    With keepdims=False the reduced axes disappear; with keepdims=True each stays as size 1.

    Args:
        x: (*S) float32.
        axis: None, int or tuple of ints.
        keepdims: keep the reduced axes as size 1.

    Returns:
        float32 array: S without the reduced axes, or with them set to 1 if keepdims.
        axis=None with keepdims=False gives a 0-d array (shape ()).

    Example:
        x = [[1., 2., 3.], [4., 5., 6.]]               shape (2, 3)
        sum_forward(x, None, False) = 21.                  shape ()
        sum_forward(x, 0, False)    = [5., 7., 9.]         shape (3,)
        sum_forward(x, 1, True)     = [[6.], [15.]]        shape (2, 1)
        sum_forward(x, (0, 1), True) = [[21.]]             shape (1, 1)
    """
    raise todo()


def mean_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
    """Mean of the elements of x over axis (None: all axes), keeping size-1 axes if keepdims.

    The sum over the reduced axes divided by how many elements each output averages
    (the product of the reduced axes' sizes). axis and keepdims work as in ``sum_forward``.

    Args:
        x: (*S) float32.
        axis: None, int or tuple of ints.
        keepdims: keep the reduced axes as size 1.

    Returns:
        float32 array shaped as for ``sum_forward``.

    Example:
        x = [[1., 2., 3.], [4., 5., 6.]]            shape (2, 3)
        mean_forward(x, 1, False)   = [2., 5.]          shape (2,)
        mean_forward(x, None, True) = [[3.5]]           shape (1, 1)
    """
    raise todo()


def max_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
    """Largest element of x over axis (None: all axes), keeping size-1 axes if keepdims.

    Called as ``x.max(axis, keepdims)``. axis and keepdims work as in ``sum_forward``. (The
    elementwise max of two tensors is ``maximum_forward``.)

    Args:
        x: (*S) float32, at least one element along each reduced axis.
        axis: None, int or tuple of ints.
        keepdims: keep the reduced axes as size 1.

    Returns:
        float32 array shaped as for ``sum_forward``.

    Example:
        x = [[1., 5., 3.], [4., 2., 6.]]          shape (2, 3)
        max_forward(x, None, False) = 6.              shape ()
        max_forward(x, 0, False)    = [4., 5., 6.]    shape (3,)
        max_forward(x, -1, True)    = [[5.], [6.]]    shape (2, 1)
    """
    raise todo()


# ----- indexing and shape -----------------------------------------------------------------


def getitem_forward(x: np.ndarray, index: Any) -> np.ndarray:
    """The elements x[index], for basic (ints, slices, None, ...) or fancy (array) indices.

    ``t[index]`` arrives here with any tensors inside the index already turned into arrays.
    The result is exactly NumPy's ``x[index]``:

    - basic: ints, slices, ``None`` (new axis) and ``...``, alone or in a tuple;
    - fancy: integer arrays (repeats and negative values allowed) and boolean masks, also
      mixed with slices in a tuple.

    Basic indexing gives a view that shares memory with x. That is fine for the forward, as
    long as nothing writes into it.

    Args:
        x: (*S) float32.
        index: an int, slice, None, Ellipsis, integer or boolean array, or a tuple of these.

    Returns:
        float32 array of the shape NumPy gives ``x[index]``.

    Example:
        x = [[0., 1., 2.], [3., 4., 5.]]                  shape (2, 3)
        x[1]                          = [3., 4., 5.]          shape (3,)
        x[:, 0]                       = [0., 3.]              shape (2,)
        x[[1, 1, 0]]                  = three rows: 1, 1, 0   shape (3, 3)
        x[x > 2.5]                    = [3., 4., 5.]          shape (3,)
    """
    raise todo()


def reshape_forward(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The elements of x in C (row-major) order, arranged in a new shape (one entry may be -1).

    The product of ``shape`` equals x.size; a single -1 entry is inferred from the others.

    Args:
        x: (*S) float32.
        shape: the new shape, e.g. (3, 2) or (-1,).

    Returns:
        float32 array of that shape, holding the same elements in the same C order.

    Example:
        x = [0., 1., 2., 3., 4., 5.]                      shape (6,)
        reshape_forward(x, (2, -1)) = [[0., 1., 2.], [3., 4., 5.]]   shape (2, 3)
    """
    raise todo()


def transpose_forward(x: np.ndarray, axes: tuple[int, ...] | None) -> np.ndarray:
    """x with its axes permuted by axes (None: all axes reversed).

    Output axis i is input axis axes[i]: out.shape[i] = x.shape[axes[i]]. ``x.T`` and
    ``x.transpose()`` pass axes=None, which reverses the axes; ``x.transpose(1, 2, 0)`` passes
    axes=(1, 2, 0).

    Args:
        x: (*S) float32.
        axes: a permutation of range(x.ndim), or None.

    Returns:
        float32 array with the permuted shape.

    Example:
        x of shape (2, 3, 4):
        transpose_forward(x, None)      has shape (4, 3, 2)
        transpose_forward(x, (1, 2, 0)) has shape (3, 4, 2), and out[j, k, i] = x[i, j, k]
    """
    raise todo()


# ----- activations ------------------------------------------------------------------------


def relu_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise rectified linear unit max(x, 0).

    out[i] = x[i] if x[i] > 0 else 0. Build a new array: zeroing the negatives of x in place
    would change the caller's tensor.

    Args:
        x: (*S) float32.

    Returns:
        (*S) float32.

    Example:
        relu_forward([-1., 0., 2.]) = [0., 0., 2.]
    """
    raise todo()


def sigmoid_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise logistic sigmoid 1 / (1 + e^-x), without overflow for any x.

    σ(x) = 1 / (1 + e^-x), a value in [0, 1]. The textbook formula computes e^1000 at
    x = -1000, which overflows and raises a RuntimeWarning (an error in the tests), although
    σ(-1000) is simply 0.

    Hint: e^-|x| never exceeds 1. For x ≥ 0, σ(x) = 1 / (1 + e^-x); for x < 0, multiply top
    and bottom by e^x: σ(x) = e^x / (1 + e^x). Both are written with e^-|x|. Beware that
    ``np.where`` evaluates both of its branches on every element.

    Args:
        x: (*S) float32, any finite values (the tests use ±1000).

    Returns:
        (*S) float32 in [0, 1].

    Example:
        sigmoid_forward([0., 2., -1000., 1000.]) = [0.5, 0.880797, 0., 1.]
    """
    raise todo()


def tanh_forward(x: np.ndarray) -> np.ndarray:
    """Elementwise hyperbolic tangent tanh(x).

    tanh(x) = (e^x - e^-x) / (e^x + e^-x), a value in [-1, 1]. Like sigmoid it must stay
    finite and warning-free at x = ±1000; NumPy has a tanh that already is.

    Args:
        x: (*S) float32, any finite values.

    Returns:
        (*S) float32 in [-1, 1].

    Example:
        tanh_forward([0., 1., -1000.]) = [0., 0.7615942, -1.]
    """
    raise todo()


@hookimpl
def gradkit_register_ops(register: Callable[..., None]) -> None:
    register("add", add_forward)
    register("sub", sub_forward)
    register("mul", mul_forward)
    register("div", div_forward)
    register("neg", neg_forward)
    register("pow", pow_forward)
    register("exp", exp_forward)
    register("log", log_forward)
    register("matmul", matmul_forward)
    register("maximum", maximum_forward)
    register("minimum", minimum_forward)
    register("where", where_forward)
    register("sum", sum_forward)
    register("mean", mean_forward)
    register("max", max_forward)
    register("getitem", getitem_forward)
    register("reshape", reshape_forward)
    register("transpose", transpose_forward)
    register("relu", relu_forward)
    register("sigmoid", sigmoid_forward)
    register("tanh", tanh_forward)
