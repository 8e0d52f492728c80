"""Reference solution of ex02 (tensor backward): the vector-Jacobian product of every op.

Each ``*_backward(ctx, grad)`` gets the op's context (``ctx.inputs``, ``ctx.output``,
``ctx.params``, ``ctx.needs_input_grad``) and ``grad`` = dL/d(output), and returns one
dL/d(input) per input, each of that input's shape. A two-input op returns None for an input
whose ``needs_input_grad`` is False (a constant such as the 2 in ``x * 2``), so that no work goes
into a gradient nobody reads; a one-input op is only called when its input needs one.
"""

from __future__ import annotations

import numpy as np

from core import hookimpl, unbroadcast


def add_backward(ctx, grad):
    """d(a+b)/da = 1, d(a+b)/db = 1."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    return (
        unbroadcast(grad, a.shape) if need_a else None,
        unbroadcast(grad, b.shape) if need_b else None,
    )


def sub_backward(ctx, grad):
    """d(a-b)/da = 1, d(a-b)/db = -1."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    return (
        unbroadcast(grad, a.shape) if need_a else None,
        unbroadcast(-grad, b.shape) if need_b else None,
    )


def mul_backward(ctx, grad):
    """d(ab)/da = b, d(ab)/db = a."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    return (
        unbroadcast(grad * b, a.shape) if need_a else None,
        unbroadcast(grad * a, b.shape) if need_b else None,
    )


def div_backward(ctx, grad):
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b^2."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    return (
        unbroadcast(grad / b, a.shape) if need_a else None,
        unbroadcast(-grad * a / (b * b), b.shape) if need_b else None,
    )


def neg_backward(ctx, grad):
    """d(-x)/dx = -1."""
    return (-grad,)


def pow_backward(ctx, grad):
    """d(x^p)/dx = p x^(p-1)."""
    (x,) = ctx.inputs
    p = ctx.params["exponent"]
    return (grad * p * x ** (p - 1),)


def exp_backward(ctx, grad):
    """d(e^x)/dx = e^x, the output itself."""
    return (grad * ctx.output,)


def log_backward(ctx, grad):
    """d(log x)/dx = 1/x."""
    (x,) = ctx.inputs
    return (grad / x,)


def matmul_backward(ctx, grad):
    """For C = A @ B: dA = dC @ B^T, dB = A^T @ dC, batch axes summed back, 1-D axes dropped."""
    a, b = ctx.inputs
    # Lift 1-D operands to matrices, (k,) -> (1, k) on the left and (k, 1) on the right, and
    # give the gradient the matching unit axes, so one batched formula serves every case.
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g = grad
    if b.ndim == 1:
        g = np.expand_dims(g, -1)
    if a.ndim == 1:
        g = np.expand_dims(g, -2)
    need_a, need_b = ctx.needs_input_grad
    grad_a = grad_b = None
    if need_a:
        grad_a = unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
    if need_b:
        if b.ndim == 2 and a.ndim == 2 and not b.flags.c_contiguous:
            # b is a transposed view (x @ W.T): compute dB transposed so that, once the
            # transpose's backward turns it back, W's gradient has W's memory layout.
            grad_b = (g.T @ a).T
        else:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape).reshape(b.shape)
    return grad_a, grad_b


def _select(grad, chosen, tied):
    """The gradient of max/min for one operand: all of it where chosen, half at ties."""
    return grad * (chosen + 0.5 * tied).astype(grad.dtype)


def maximum_backward(ctx, grad):
    """Each output takes the larger input; ties split the gradient in half."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    tied = a == b
    return (
        unbroadcast(_select(grad, a > b, tied), a.shape) if need_a else None,
        unbroadcast(_select(grad, b > a, tied), b.shape) if need_b else None,
    )


def minimum_backward(ctx, grad):
    """Each output takes the smaller input; ties split the gradient in half."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    tied = a == b
    return (
        unbroadcast(_select(grad, a < b, tied), a.shape) if need_a else None,
        unbroadcast(_select(grad, b < a, tied), b.shape) if need_b else None,
    )


def where_backward(ctx, grad):
    """The gradient goes to a where the condition holds, to b elsewhere."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    condition = ctx.params["condition"]
    return (
        unbroadcast(np.where(condition, grad, 0), a.shape) if need_a else None,
        unbroadcast(np.where(condition, 0, grad), b.shape) if need_b else None,
    )


def _expand_reduced(grad, ctx):
    """Give a reduction's gradient back the reduced axes (size 1), so it broadcasts to x."""
    axis, keepdims = ctx.params["axis"], ctx.params["keepdims"]
    if keepdims or axis is None:
        return grad.reshape([1] * ctx.inputs[0].ndim) if axis is None else grad
    return np.expand_dims(grad, axis)


def sum_backward(ctx, grad):
    """Every summed element receives the gradient of its sum."""
    (x,) = ctx.inputs
    return (np.broadcast_to(_expand_reduced(grad, ctx), x.shape),)


def mean_backward(ctx, grad):
    """Like sum, divided by the number of elements averaged."""
    (x,) = ctx.inputs
    count = x.size // max(ctx.output.size, 1)
    return (np.broadcast_to(_expand_reduced(grad, ctx) / count, x.shape),)


def max_backward(ctx, grad):
    """The gradient goes to the maximal elements, split equally among ties."""
    (x,) = ctx.inputs
    axis = ctx.params["axis"]
    out = _expand_reduced(ctx.output, ctx)
    is_max = x == out
    share = _expand_reduced(grad, ctx) / is_max.sum(axis=axis, keepdims=True, dtype=x.dtype)
    return (is_max * share,)


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, slice, type(None), type(Ellipsis))) for p in parts)


def getitem_backward(ctx, grad):
    """Scatter the gradient back; repeated fancy indices add up (np.add.at)."""
    (x,) = ctx.inputs
    index = ctx.params["index"]
    grad_x = np.zeros_like(x)
    if _is_basic(index):
        grad_x[index] = grad
    else:
        np.add.at(grad_x, index, grad)
    return (grad_x,)


def reshape_backward(ctx, grad):
    """Reshape the gradient back to the input's shape."""
    return (grad.reshape(ctx.inputs[0].shape),)


def transpose_backward(ctx, grad):
    """Apply the inverse permutation."""
    axes = ctx.params["axes"]
    return (np.transpose(grad, None if axes is None else np.argsort(axes)),)


def relu_backward(ctx, grad):
    """1 where x > 0, else 0."""
    (x,) = ctx.inputs
    return (grad * (x > 0),)


def sigmoid_backward(ctx, grad):
    """s (1 - s), from the output s."""
    s = ctx.output
    return (grad * s * (1 - s),)


def tanh_backward(ctx, grad):
    """1 - t^2, from the output t."""
    t = ctx.output
    return (grad * (1 - t * t),)


@hookimpl
def gradkit_register_gradients(register):
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
