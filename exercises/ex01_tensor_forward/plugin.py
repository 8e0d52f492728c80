"""Reference solution of ex01 (tensor forward): the forward of every op, on NumPy arrays."""

from __future__ import annotations

import numpy as np

from core import hookimpl
from exercises.stub import todo


def add_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a + b, broadcast."""
    raise todo()


def sub_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a - b, broadcast."""
    raise todo()


def mul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b, broadcast."""
    raise todo()


def div_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, broadcast."""
    raise todo()


def neg_forward(x: np.ndarray) -> np.ndarray:
    """-x."""
    raise todo()


def pow_forward(x: np.ndarray, exponent: float) -> np.ndarray:
    """x ** exponent for a Python number exponent (keeps x's dtype)."""
    raise todo()


def exp_forward(x: np.ndarray) -> np.ndarray:
    """e ** x."""
    raise todo()


def log_forward(x: np.ndarray) -> np.ndarray:
    """Natural logarithm, x > 0."""
    raise todo()


def matmul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product: (..., n, k) @ (..., k, m) -> (..., n, m); 1-D operands as in NumPy."""
    raise todo()


def maximum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise max(a, b), broadcast."""
    raise todo()


def minimum_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise min(a, b), broadcast."""
    raise todo()


def where_forward(a: np.ndarray, b: np.ndarray, condition: np.ndarray) -> np.ndarray:
    """a where condition else b, all three broadcast."""
    raise todo()


def sum_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Sum over axis (None: all)."""
    raise todo()


def mean_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Mean over axis (None: all)."""
    raise todo()


def max_forward(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """Maximum over axis (None: all)."""
    raise todo()


def getitem_forward(x: np.ndarray, index) -> np.ndarray:
    """x[index]: basic (ints, slices, None, ...) or fancy (integer/boolean arrays) indexing."""
    raise todo()


def reshape_forward(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The same elements in C order, in a new shape (one entry may be -1)."""
    raise todo()


def transpose_forward(x: np.ndarray, axes: tuple[int, ...] | None) -> np.ndarray:
    """Permute the axes (None: reverse them)."""
    raise todo()


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(x, 0)."""
    raise todo()


def sigmoid_forward(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), computed with e^-|x| so that no exponential overflows."""
    raise todo()


def tanh_forward(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent."""
    raise todo()


@hookimpl
def gradkit_register_ops(register):
