"""Exercise 02 — tensor backward: the vector-Jacobian product (VJP) of every op.

``loss.backward()`` visits the graph in reverse topological order. At each op it has already
summed every gradient arriving at the op's output into one array ``grad`` = g = dL/d(out), and
it calls the op's registered backward once, as ``backward(ctx, grad)``. The backward returns
dL/d(input) for each input: the chain rule, dL/dx[j] = Σ_i g[i] · d out[i]/d x[j].

``ctx`` is what the forward left behind (a ``core.autograd.Node``):

- ``ctx.inputs``: tuple of the forward's input arrays, e.g. ``(a, b)`` or ``(x,)``;
- ``ctx.output``: the array the forward returned;
- ``ctx.params``: dict of the op's keyword parameters, e.g. ``{"axis": 0, "keepdims": False}``,
  ``{"exponent": 2.0}``, ``{"index": ...}``, ``{"shape": ...}``, ``{"axes": ...}`` or
  ``{"condition": <bool array>}``; empty for ops without parameters;
- ``ctx.needs_input_grad``: tuple of bools, one per input. It is False for an input that needs
  no gradient, such as the Python number in ``x * 2`` (it becomes a constant tensor) or a tensor
  made without ``requires_grad=True``. There you may return None instead of computing that
  gradient; this is optional, and computing it anyway is also correct.

Rules every backward follows (the tests check them):

- Return a tuple with one entry per input, in input order, even for one input: ``(dx,)``.
- Each gradient has exactly its input's shape and dtype (float32 stays float32). If the forward
  broadcast an input, sum the gradient back to the input's shape with
  ``unbroadcast(grad, shape)`` (imported below from core).
- Never modify ``grad`` or the arrays in ``ctx`` in place: they may be shared with other ops.
- No RuntimeWarning and no inf/NaN where the derivative is finite (e.g. sigmoid at ±1000).

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Your ex01 forwards compute the graph, so finish ex01 first. Read ``README.md`` in
this folder, then run ``tox -e ex02``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import hookimpl, unbroadcast  # noqa: F401 - unbroadcast is yours to call below
from core.autograd import Node
from exercises.stub import todo

# ----- elementwise arithmetic ---------------------------------------------------------------


def add_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of a + b: g for both a and b, each summed back to its input's shape.

    d(a + b)/da = 1 and d(a + b)/db = 1, so each input receives g itself. If an input was
    broadcast, each of its elements fed several outputs and receives the sum of their g.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B).
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B), dtypes those of a and b. Optionally, None in
        place of a gradient whose ctx.needs_input_grad entry is False (e.g. b in ``x + 2``).

    Example:
        a: (2, 1), b: (3,), g = [[1., 2., 3.], [4., 5., 6.]]   shape (2, 3)
        dL/da = g summed over axis 1, kept:  [[6.], [15.]]       shape (2, 1)
        dL/db = g summed over axis 0:        [5., 7., 9.]        shape (3,)
    """
    raise todo()


def sub_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of a - b: g for a and -g for b, each summed back to its input's shape.

    d(a - b)/da = 1 and d(a - b)/db = -1.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B).
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        a: (2, 1), b: (3,), g = [[1., 2., 3.], [4., 5., 6.]]
        dL/da = [[6.], [15.]]          shape (2, 1)
        dL/db = [-5., -7., -9.]        shape (3,)
    """
    raise todo()


def mul_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of a * b: g · b for a and g · a for b, each summed back to its input's shape.

    d(a · b)/da = b and d(a · b)/db = a, elementwise; multiply by g first (at the broadcast
    shape), then sum back to each input's shape.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B).
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        a = [[1.], [2.]] (2, 1), b = [3., 4., 5.] (3,), g = [[1., 0., 2.], [0., 1., 1.]]
        g · b = [[3., 0., 10.], [0., 4., 5.]]  -> dL/da = [[13.], [9.]]     shape (2, 1)
        g · a = [[1., 0., 2.], [0., 2., 2.]]   -> dL/db = [1., 2., 4.]      shape (3,)
    """
    raise todo()


def div_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of a / b: g / b for a and -g · a / b² for b, each summed back to its shape.

    d(a / b)/da = 1 / b and d(a / b)/db = -a / b².

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B), b nonzero.
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        a = [6., 3.] (2,), b = [2.] (1,), g = [1., 2.]
        dL/da = g / b = [0.5, 1.]
        dL/db = sum of -g · a / b² = -(1·6 + 2·3) / 4 = [-3.]    shape (1,)
    """
    raise todo()


def neg_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of -x: -g.

    d(-x)/dx = -1.

    Args:
        ctx: ctx.inputs = (x,).
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape of x.

    Example:
        g = [1., -2.]  ->  dL/dx = [-1., 2.]
    """
    raise todo()


def pow_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x ** p: g · p · x^(p-1), where p is the exponent in ctx.params.

    d(x^p)/dx = p x^(p-1), for any real p (the tests use 2, 3, 0.5 and -1.5, with x > 0 for
    the last two). p is a Python float, so it keeps float32.

    Args:
        ctx: ctx.inputs = (x,); ctx.params = {"exponent": p}.
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x = [1., 2., 3.], p = 2.0, g = [1., 1., 0.5]
        dL/dx = g · 2x = [2., 4., 3.]
    """
    raise todo()


# ----- exponential and logarithm ------------------------------------------------------------


def exp_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of e^x: g · e^x, where e^x is the forward's output.

    d(e^x)/dx = e^x, which the forward already computed: it is ctx.output.

    Args:
        ctx: ctx.inputs = (x,); ctx.output = e^x.
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape of x.

    Example:
        x = [0., 1.], out = [1., 2.7182817], g = [2., 1.]
        dL/dx = [2., 2.7182817]
    """
    raise todo()


def log_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of ln(x): g / x.

    d(ln x)/dx = 1 / x (x > 0).

    Args:
        ctx: ctx.inputs = (x,).
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape of x.

    Example:
        x = [0.5, 2.], g = [1., 4.]  ->  dL/dx = [2., 2.]
    """
    raise todo()


# ----- matrix product -----------------------------------------------------------------------


def matmul_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of C = A @ B: dA = G @ Bᵀ and dB = Aᵀ @ G, batch axes summed back.

    For matrices, C[i, j] = Σ_k A[i, k] B[k, j], so dL/dA[i, k] = Σ_j G[i, j] B[k, j] and
    dL/dB[k, j] = Σ_i A[i, k] G[i, j]: dA = G @ Bᵀ (n, m)@(m, k) -> (n, k) and
    dB = Aᵀ @ G (k, n)@(n, m) -> (k, m). Check the shapes: that is how you find the order.

    The cases the forward allows (see ex01), and what they mean here:

    - batched, (..., n, k) @ (..., k, m): "transpose" swaps the last two axes only; batch axes
      that broadcast must be summed back to each input's shape (unbroadcast).
    - 1-D A, (k,): the forward treated it as (1, k) and dropped that axis from C, so G lacks
      it. Treat A as a (1, k) row and give G the matching size-1 axis, use the matrix
      formulas, then shape the gradient back to (k,). Likewise for a 1-D B as a (k, 1) column.
    - both 1-D: C = a · b is a number (shape ()), dA = G · b and dB = G · a.

    Where ctx.needs_input_grad[i] is False you may return None for that input.

    Args:
        ctx: ctx.inputs = (A, B), with A: (..., n, k) or (k,), B: (..., k, m) or (k,);
            ctx.needs_input_grad = (bool, bool).
        grad: G = dL/dC, C's shape.

    Returns:
        (dL/dA of A's shape, dL/dB of B's shape), or None where not needed.

    Example:
        A = [[1., 2., 3.], [4., 5., 6.]] (2, 3), B = [1., 0., -1.] (3,), C = [-2., -2.] (2,)
        G = [1., 2.]
        dL/dA = G as a column times B as a row = [[1., 0., -1.], [2., 0., -2.]]   (2, 3)
        dL/dB = Aᵀ @ G = [9., 12., 15.]                                          (3,)
    """
    raise todo()


# ----- comparison and selection -------------------------------------------------------------


def maximum_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of max(a, b): g to the larger input, g/2 to each at a tie, unbroadcast.

    out = a where a > b, b where b > a. Where a > b, a gets g and b gets 0; where b > a, the
    reverse; where a == b, each gets g / 2 (the convention the tests use). A boolean mask is
    0 or 1 in arithmetic; make sure the result keeps the input's float dtype.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B).
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        a = [1., 2., 3.], b = [1., 0., 3.], g = [2., 4., 6.]    (ties at 0 and 2)
        dL/da = [1., 4., 3.]
        dL/db = [1., 0., 3.]
    """
    raise todo()


def minimum_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of min(a, b): g to the smaller input, g/2 to each at a tie, unbroadcast.

    Like ``maximum_backward`` with the comparison reversed.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B).
        grad: g = dL/d(out), shape broadcast(A, B).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        a = [1., 2., 3.], b = [1., 0., 3.], g = [2., 4., 6.]    (ties at 0 and 2)
        dL/da = [1., 0., 3.]
        dL/db = [1., 4., 3.]
    """
    raise todo()


def where_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Gradients of where(condition, a, b): g to a where condition holds, to b elsewhere.

    out[i] = a[i] if condition[i] else b[i], so a receives g where the condition is True and 0
    elsewhere, b the opposite; then each is summed back to its input's shape (all three of
    condition, a and b may have broadcast). The condition itself gets no gradient: it is a
    parameter, not an input.

    Args:
        ctx: ctx.inputs = (a, b), with a: (*A), b: (*B);
            ctx.params = {"condition": bool array of shape (*C)}.
        grad: g = dL/d(out), shape broadcast(A, B, C).

    Returns:
        (dL/da of shape A, dL/db of shape B).

    Example:
        condition = [True, False, True], a: (3,), b: () (a number), g = [1., 2., 3.]
        dL/da = [1., 0., 3.]
        dL/db = 2.   shape ()   (the sum of [0., 2., 0.])
    """
    raise todo()


# ----- reductions ---------------------------------------------------------------------------


def sum_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x.sum(axis, keepdims): every summed element receives its sum's gradient.

    d(Σ_j x[j])/dx[j] = 1, so dL/dx[i, j] = g[i] for every j that was summed into out[i]:
    broadcast g back over the reduced axes to x's shape.

    With keepdims=False the reduced axes are gone from g. Put them back as size-1 axes
    before broadcasting, or g lines up with the wrong axes: for x: (3, 3) and axis=1,
    g: (3,) broadcasts along rows instead of columns, silently wrong. axis may be None
    (all axes), a negative int or a tuple.

    Args:
        ctx: ctx.inputs = (x,); ctx.params = {"axis": None | int | tuple, "keepdims": bool}.
        grad: g = dL/d(out), out's shape (x's shape without, or with size-1, reduced axes).

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x: (2, 3), axis=1, keepdims=False, g = [1., 2.]  (2,)
        dL/dx = [[1., 1., 1.], [2., 2., 2.]]   (2, 3)
    """
    raise todo()


def mean_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x.mean(axis, keepdims): as for sum, divided by the number averaged.

    out[i] = (1/n) Σ_j x[i, j], where n is how many elements each output averages (the
    product of the reduced axes' sizes; x.size for axis=None), so dL/dx[i, j] = g[i] / n.
    The keepdims remarks of ``sum_backward`` apply.

    Args:
        ctx: ctx.inputs = (x,); ctx.output = out;
            ctx.params = {"axis": None | int | tuple, "keepdims": bool}.
        grad: g = dL/d(out), out's shape.

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x: (2, 3), axis=1, keepdims=False, g = [3., 6.]  (2,), n = 3
        dL/dx = [[1., 1., 1.], [2., 2., 2.]]   (2, 3)
    """
    raise todo()


def max_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x.max(axis, keepdims): g to the maximal element(s), split equally at ties.

    Only the element that is the maximum affects out, so it receives g and the others 0. When
    several elements of the same reduced group share the maximum, each receives g divided by
    how many there are (not all of g to the first one, as an argmax would give). The maxima
    are where x equals ctx.output, once the output has its reduced axes back (see
    ``sum_backward`` for keepdims).

    Args:
        ctx: ctx.inputs = (x,); ctx.output = out;
            ctx.params = {"axis": None | int | tuple, "keepdims": bool}.
        grad: g = dL/d(out), out's shape.

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x = [[2., 2., 1.], [0., 5., 5.], [7., 1., 1.]], axis=1, g = [2., 3., 4.]
        dL/dx = [[1., 1., 0.], [0., 1.5, 1.5], [4., 0., 0.]]
    """
    raise todo()


# ----- indexing and shape -------------------------------------------------------------------


def getitem_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x[index]: g scattered back into zeros of x's shape, adding at repeats.

    Each selected element of x receives the gradient of the output position(s) it went to;
    elements not selected receive 0. A fancy index may pick the same element several times,
    and then it receives the SUM of those gradients. Plain assignment into an array keeps only
    the last of repeated positions; ``np.add.at`` accumulates every one of them. Start from
    zeros of x's dtype (``np.zeros(shape)`` alone is float64).

    Args:
        ctx: ctx.inputs = (x,); ctx.params = {"index": the index, as in ex01}.
        grad: g = dL/d(out), the shape of x[index].

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x: (4,), index = [0, 0, 2, 0], g = [1., 2., 3., 4.]
        dL/dx = [1 + 2 + 4, 0, 3, 0] = [7., 0., 3., 0.]
        x: (2, 2), index = [[True, False], [False, True]], g = [5., 6.]
        dL/dx = [[5., 0.], [0., 6.]]
    """
    raise todo()


def reshape_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x.reshape(shape): g reshaped back to x's shape.

    Reshaping moves no element in C order, so each element's gradient keeps its place in
    that order. (ctx.params["shape"] may contain -1; x's own shape is the one you need.)

    Args:
        ctx: ctx.inputs = (x,); ctx.params = {"shape": the new shape}.
        grad: g = dL/d(out), the new shape.

    Returns:
        (dL/dx,), shape of x.

    Example:
        x: (2, 3), shape=(3, 2), g = [[1., 2.], [3., 4.], [5., 6.]]
        dL/dx = [[1., 2., 3.], [4., 5., 6.]]
    """
    raise todo()


def transpose_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of x.transpose(axes): g with the inverse permutation applied.

    The forward sent input axis axes[i] to output axis i; the backward must send each axis
    of g back where it came from. The inverse permutation q satisfies q[axes[i]] = i. For
    axes=None (reverse) and for 2-D arrays the permutation is its own inverse, but not in
    general: axes=(1, 2, 0) has the inverse (2, 0, 1).

    Args:
        ctx: ctx.inputs = (x,); ctx.params = {"axes": tuple or None}.
        grad: g = dL/d(out), the permuted shape.

    Returns:
        (dL/dx,), shape of x.

    Example:
        x: (2, 3, 4), axes=(1, 2, 0): out and g are (3, 4, 2); dL/dx is (2, 3, 4) and
        dL/dx[i, j, k] = g[j, k, i].
    """
    raise todo()


# ----- activations --------------------------------------------------------------------------


def relu_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of relu(x): g where x > 0, else 0.

    d max(x, 0)/dx = 1 for x > 0 and 0 for x < 0; at x = 0 use 0 (the tests keep x away
    from 0).

    Args:
        ctx: ctx.inputs = (x,).
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape and dtype of x.

    Example:
        x = [-1., 0.5, 2.], g = [3., 3., 3.]  ->  dL/dx = [0., 3., 3.]
    """
    raise todo()


def sigmoid_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of sigmoid(x): g · s · (1 - s), with s = sigmoid(x) the forward's output.

    dσ/dx = σ(x)(1 - σ(x)). Compute it from the output s (ctx.output), finite for every x;
    recomputing e^-x here would overflow at x = -1000. At x = ±1000 the gradient is 0.

    Args:
        ctx: ctx.inputs = (x,); ctx.output = s.
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape and dtype of x, finite.

    Example:
        x = [0., 1000.], s = [0.5, 1.], g = [4., 4.]  ->  dL/dx = [1., 0.]
    """
    raise todo()


def tanh_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray]:
    """Gradient of tanh(x): g · (1 - t²), with t = tanh(x) the forward's output.

    d tanh(x)/dx = 1 - tanh²(x). Compute it from the output t (ctx.output), finite for every
    x; at x = ±1000 the gradient is 0.

    Args:
        ctx: ctx.inputs = (x,); ctx.output = t.
        grad: g = dL/d(out), shape of x.

    Returns:
        (dL/dx,), shape and dtype of x, finite.

    Example:
        x = [0., 1000.], t = [0., 1.], g = [4., 4.]  ->  dL/dx = [4., 0.]
    """
    raise todo()


@hookimpl
def gradkit_register_gradients(register: Callable[..., None]) -> None:
    register("add", add_backward)
    register("sub", sub_backward)
    register("mul", mul_backward)
    register("div", div_backward)
    register("neg", neg_backward)
    register("pow", pow_backward)
    register("exp", exp_backward)
    register("log", log_backward)
    register("matmul", matmul_backward)
    register("maximum", maximum_backward)
    register("minimum", minimum_backward)
    register("where", where_backward)
    register("sum", sum_backward)
    register("mean", mean_backward)
    register("max", max_backward)
    register("getitem", getitem_backward)
    register("reshape", reshape_backward)
    register("transpose", transpose_backward)
    register("relu", relu_backward)
    register("sigmoid", sigmoid_backward)
    register("tanh", tanh_backward)
