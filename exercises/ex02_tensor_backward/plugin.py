"""Reference solution of ex02 (tensor backward): the vector-Jacobian product of every op.

Each ``*_backward(ctx, grad)`` gets the op's context (``ctx.inputs``, ``ctx.output``,
``ctx.params``, ``ctx.needs_input_grad``) and ``grad`` = dL/d(output), and returns one
dL/d(input) per input, each of that input's shape.
"""

from __future__ import annotations

import numpy as np

from core import hookimpl, unbroadcast
from exercises.stub import todo


def add_backward(ctx, grad):
    """d(a+b)/da = 1, d(a+b)/db = 1."""
    raise todo()


def sub_backward(ctx, grad):
    """d(a-b)/da = 1, d(a-b)/db = -1."""
    raise todo()


def mul_backward(ctx, grad):
    """d(ab)/da = b, d(ab)/db = a."""
    raise todo()


def div_backward(ctx, grad):
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b^2."""
    raise todo()


def neg_backward(ctx, grad):
    """d(-x)/dx = -1."""
    raise todo()


def pow_backward(ctx, grad):
    """d(x^p)/dx = p x^(p-1)."""
    raise todo()


def exp_backward(ctx, grad):
    """d(e^x)/dx = e^x, the output itself."""
    raise todo()


def log_backward(ctx, grad):
    """d(log x)/dx = 1/x."""
    raise todo()


def matmul_backward(ctx, grad):
    """For C = A @ B: dA = dC @ B^T, dB = A^T @ dC, batch axes summed back, 1-D axes dropped."""
    raise todo()


def _select(grad, chosen, tied):
    """The gradient of max/min for one operand: all of it where chosen, half at ties."""
    return grad * (chosen + 0.5 * tied).astype(grad.dtype)


def maximum_backward(ctx, grad):
    """Each output takes the larger input; ties split the gradient in half."""
    raise todo()


def minimum_backward(ctx, grad):
    """Each output takes the smaller input; ties split the gradient in half."""
    raise todo()


def where_backward(ctx, grad):
    """The gradient goes to a where the condition holds, to b elsewhere."""
    raise todo()


def _expand_reduced(grad, ctx):
    """Give a reduction's gradient back the reduced axes (size 1), so it broadcasts to x."""
    axis, keepdims = ctx.params["axis"], ctx.params["keepdims"]
    if keepdims or axis is None:
        return grad.reshape([1] * ctx.inputs[0].ndim) if axis is None else grad
    return np.expand_dims(grad, axis)


def sum_backward(ctx, grad):
    """Every summed element receives the gradient of its sum."""
    raise todo()


def mean_backward(ctx, grad):
    """Like sum, divided by the number of elements averaged."""
    raise todo()


def max_backward(ctx, grad):
    """The gradient goes to the maximal elements, split equally among ties."""
    raise todo()


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, slice, type(None), type(Ellipsis))) for p in parts)


def getitem_backward(ctx, grad):
    """Scatter the gradient back; repeated fancy indices add up (np.add.at)."""
    raise todo()


def reshape_backward(ctx, grad):
    """Reshape the gradient back to the input's shape."""
    raise todo()


def transpose_backward(ctx, grad):
    """Apply the inverse permutation."""
    raise todo()


def relu_backward(ctx, grad):
    """1 where x > 0, else 0."""
    raise todo()


def sigmoid_backward(ctx, grad):
    """s (1 - s), from the output s."""
    raise todo()


def tanh_backward(ctx, grad):
    """1 - t^2, from the output t."""
    raise todo()


@hookimpl
def gradkit_register_gradients(register):
