"""Known ex01 mistakes: forwards that match NumPy on the easy inputs but not on all of them."""

from __future__ import annotations

import numpy as np

from reference_solutions.mistakes import mistake


@mistake("ops", "sum", "passes axis to np.sum but forgets keepdims")
def sum_ignoring_keepdims(x, axis, keepdims):
    return np.sum(x, axis=axis)


@mistake("ops", "mean", "divides the sum by np.float64(count), which turns float32 into float64")
def mean_upcasting_to_float64(x, axis, keepdims):
    count = x.size // max(np.sum(x, axis=axis).size, 1)
    return np.sum(x, axis=axis, keepdims=keepdims) / np.float64(count)


@mistake("ops", "matmul", "uses np.dot, which equals @ for matrices but not for stacks of them")
def matmul_with_np_dot(a, b):
    return np.dot(a, b)


@mistake("ops", "transpose", "returns x.T and ignores axes: right for matrices, wrong for 3-D")
def transpose_ignoring_axes(x, axes):
    return x.T


@mistake("ops", "relu", "zeroes the negatives with x[x < 0] = 0, which changes the input in place")
def relu_in_place(x):
    x[x < 0] = 0
    return x


@mistake("ops", "sigmoid", "computes 1 / (1 + np.exp(-x)), which overflows for very negative x")
def sigmoid_overflowing(x):
    return 1 / (1 + np.exp(-x))
