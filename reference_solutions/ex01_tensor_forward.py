"""Reference solution of ex01 (tensor forward): the forward of every op, on NumPy arrays."""

from __future__ import annotations

import numpy as np

from core import hookimpl


def add_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a + b, broadcast."""
    return a + b


def sub_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a - b, broadcast."""
    return a - b


def mul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b, broadcast."""
    return a * b


def div_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, broadcast."""
    return a / b


def neg_forward(x: np.ndarray) -> np.ndarray:
    """-x."""
    return -x


def pow_forward(x: np.ndarray, exponent: float) -> np.ndarray:
    """x ** exponent for a Python number exponent (keeps x's dtype)."""
    return x**exponent


def exp_forward(x: np.ndarray) -> np.ndarray:
    """e ** x."""
    return np.exp(x)


def log_forward(x: np.ndarray) -> np.ndarray:
    """Natural logarithm, x > 0."""
    return np.log(x)


def matmul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product: (..., n, k) @ (..., k, m) -> (..., n, m); 1-D operands as in NumPy."""
    return np.matmul(a, b)


def maximum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise max(a, b), broadcast."""
    return np.maximum(a, b)


def minimum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise min(a, b), broadcast."""
    return np.minimum(a, b)


def where_forward(a: np.ndarray, b: np.ndarray, condition: np.ndarray) -> np.ndarray:
    """a where condition else b, all three broadcast."""
    return np.where(condition, a, b)


def sum_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Sum over axis (None: all)."""
    return np.sum(x, axis=axis, keepdims=keepdims)


def mean_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Mean over axis (None: all)."""
    return np.mean(x, axis=axis, keepdims=keepdims)


def max_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Maximum over axis (None: all)."""
    return np.max(x, axis=axis, keepdims=keepdims)


def getitem_forward(x: np.ndarray, index) -> np.ndarray:
    """x[index]: basic (ints, slices, None, ...) or fancy (integer/boolean arrays) indexing."""
    return x[index]


def reshape_forward(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The same elements in C order, in a new shape (one entry may be -1)."""
    return np.reshape(x, shape)


def transpose_forward(x: np.ndarray, axes: tuple[int, ...] | None) -> np.ndarray:
    """Permute the axes (None: reverse them)."""
    return np.transpose(x, axes)


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(x, 0)."""
    return np.maximum(x, 0)


def sigmoid_forward(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), computed with e^-|x| so that no exponential overflows."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def tanh_forward(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(x)


@hookimpl
def gradkit_register_ops(register):
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
