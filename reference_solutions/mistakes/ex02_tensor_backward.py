"""Known ex02 mistakes: backward rules that look right on simple inputs."""

from __future__ import annotations

import numpy as np

from core import unbroadcast
from reference_solutions import ex02_tensor_backward as reference
from reference_solutions.mistakes import mistake


@mistake("gradients", "add", "forgets to undo broadcasting: returns grad for both inputs")
def add_without_unbroadcast(ctx, grad):
    return grad, grad


@mistake("gradients", "matmul", "takes B^T and A^T with .T, which reverses every axis of a batch")
def matmul_backward_with_dot_t(ctx, grad):
    a, b = ctx.inputs
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g = np.expand_dims(grad, -1) if b.ndim == 1 else grad
    g = np.expand_dims(g, -2) if a.ndim == 1 else g
    grad_a = unbroadcast(g @ b2.T, a2.shape).reshape(a.shape)
    grad_b = unbroadcast(a2.T @ g, b2.shape).reshape(b.shape)
    return grad_a, grad_b


@mistake(
    "gradients", "sum", "broadcasts grad straight to x's shape without putting the summed axes back"
)
def sum_backward_without_restoring_axes(ctx, grad):
    return (np.broadcast_to(grad, ctx.inputs[0].shape),)


@mistake(
    "gradients", "max", "gives every tied maximum the whole gradient instead of an equal share"
)
def max_backward_without_splitting_ties(ctx, grad):
    (x,) = ctx.inputs
    is_max = x == reference._expand_reduced(ctx.output, ctx)
    return (is_max * reference._expand_reduced(grad, ctx),)


@mistake(
    "gradients",
    "getitem",
    "scatters with grad_x[index] = grad: a repeated index keeps only one gradient",
)
def getitem_backward_assigning(ctx, grad):
    grad_x = np.zeros_like(ctx.inputs[0])
    grad_x[ctx.params["index"]] = grad
    return (grad_x,)


@mistake(
    "gradients",
    "transpose",
    "transposes grad with the same axes instead of the inverse permutation",
)
def transpose_backward_same_axes(ctx, grad):
    return (np.transpose(grad, ctx.params["axes"]),)
