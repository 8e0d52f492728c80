"""``Tensor``: a NumPy array plus what autograd needs. Every op is looked up by name.

The class names which op each operator means (``a + b`` is ``"add"``), but it computes none of
them: forwards come from the ``ops`` registry and gradients from the ``gradients`` registry, both
filled by plugins (exercises 01 and 02 and their reference twins).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from core import autograd
from core.plugin_manager import registries

_forwards = registries["ops"].values
_REAL_KINDS = "biuf"


def _as_array(data: Any, dtype: Any) -> np.ndarray:
    """float32 unless ``data`` is a float64 array or ``dtype`` says otherwise; no needless copy."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        array = np.asarray(data, dtype=dtype)
    elif isinstance(data, (np.ndarray, np.generic)) and data.dtype in (np.float32, np.float64):
        array = np.asarray(data)
    else:
        array = np.asarray(data)
        if array.dtype.kind not in _REAL_KINDS:
            raise TypeError(
                f"Tensor data must be real numbers; got dtype {array.dtype} "
                f"from {type(data).__name__}"
            )
        array = array.astype(np.float32, copy=False)
    if array.dtype.kind not in _REAL_KINDS:
        raise TypeError(f"Tensor dtype must be a real number type; got {array.dtype}")
    return array


def apply_op(op: str, inputs: tuple[Tensor, ...], params: dict[str, Any]) -> Tensor:
    """Run the registered op ``op`` on tensors: its forward on their arrays, plus the graph
    Node its backward will need if any input requires grad. Every Tensor method ends here;
    a plugin that registers a new op calls it the same way, e.g.
    ``apply_op("cross_entropy", (logits, target), {"reduction": "mean"})``."""
    forward = _forwards.get(op) or registries["ops"][op]
    # Most ops have two inputs. Their tuples are written out: before Python 3.12, a comprehension
    # over the inputs costs nearly as much as the op's own arithmetic on tiny arrays.
    two = len(inputs) == 2
    if two:
        a, b = inputs
        arrays = (a.data, b.data)
    else:
        arrays = tuple([t.data for t in inputs])
    try:
        out = forward(*arrays, **params)
    except (ValueError, IndexError, TypeError) as error:
        raise autograd.op_error(op, forward, arrays, params, error) from error
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    result = Tensor.__new__(Tensor)
    result.data = out
    result.grad = None
    result.requires_grad = False
    result._node = None
    if not autograd._grad_enabled[0]:
        return result
    needs = (a.requires_grad, b.requires_grad) if two else tuple([t.requires_grad for t in inputs])
    if True in needs:
        if two:
            parents = (_gradient_target(a), _gradient_target(b))
        else:
            parents = tuple([_gradient_target(t) for t in inputs])
        result.requires_grad = True
        result._node = autograd.Node(op, parents, arrays, out, params, needs)
    return result


def _gradient_target(tensor: Tensor) -> autograd.Node | Tensor | None:
    """Where backward sends ``tensor``'s gradient: the node that made it, else the tensor itself
    (a leaf); None if it needs none. The graph so links nodes, never intermediate tensors."""
    if not tensor.requires_grad:
        return None
    return tensor if tensor._node is None else tensor._node


class Tensor:
    """An n-dimensional array that can record how it was computed.

    Args:
        data: array-like; float32 unless it is a float64 array or ``dtype`` says otherwise.
        requires_grad: collect ``d(output)/d(self)`` in ``.grad`` on ``backward()``.
        dtype: NumPy dtype to convert to.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4.], dtype=float32)
    """

    __slots__ = ("__weakref__", "_node", "data", "grad", "requires_grad")
    __array_ufunc__ = None  # make ``ndarray + Tensor`` call ``Tensor.__radd__``

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"only floating-point tensors can require grad; got {self.data.dtype}"
                "; pass dtype=np.float32"
            )
        self.requires_grad = bool(requires_grad)
        self.grad: np.ndarray | None = None
        self._node: autograd.Node | None = None

    # ----- plain properties ---------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def grad_fn(self) -> str | None:
        """Name of the op that made this tensor, or None for a leaf."""
        return None if self._node is None else self._node.op

    def item(self) -> float:
        if self.data.size != 1:
            raise ValueError(f"item() needs a one-element tensor; this one has shape {self.shape}")
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def detach(self) -> Tensor:
        """The same data, cut from the graph: no grad flows through the result."""
        return Tensor(self.data, dtype=self.data.dtype)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = f", grad_fn=<{self._node.op}>" if self._node is not None else ""
        if self.requires_grad and self._node is None:
            extra = ", requires_grad=True"
        return f"Tensor({body}, dtype={self.data.dtype}{extra})"

    # ----- autograd -------------------------------------------------------------------------
    def backward(self, grad: Any = None, retain_graph: bool = False) -> None:
        """Backpropagate from this tensor; see :func:`core.autograd.backward`."""
        autograd.backward(self, grad, retain_graph)

    def _accumulate(self, grad: np.ndarray) -> None:
        # ``grad`` is this leaf's own array (the engine copies shared ones), so it is kept.
        self.grad = grad if self.grad is None else self.grad + grad

    def zero_grad(self) -> None:
        self.grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf tensor for ``backward()``, in place;
        returns the tensor. Made by an op, a tensor takes its flag from its inputs instead."""
        if self._node is not None:
            raise RuntimeError(
                f"requires_grad_() works on leaf tensors only; this one was made by the "
                f"'{self._node.op}' op. Use .detach() to get a leaf with the same data."
            )
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require grad; got {self.data.dtype}")
        self.requires_grad = bool(requires_grad)
        return self

    # ----- operators ------------------------------------------------------------------------
    def _lift(self, other: Any) -> Tensor:
        """Wrap a number or array so it can meet this tensor in an op.

        A floating-point tensor takes the other operand in its own dtype, so that a Python
        float or a float64 ``np.ones(3)`` never silently turns float32 work into float64.
        """
        if isinstance(other, Tensor):
            return other
        dtype = self.data.dtype
        if dtype.kind != "f":
            return Tensor(other, dtype=np.result_type(dtype, other))
        if type(other) is float or type(other) is int:
            # The most common operand of all (``x * 0.5``) needs none of __init__'s checks.
            constant = Tensor.__new__(Tensor)
            constant.data = np.asarray(other, dtype)
            constant.requires_grad = False
            constant.grad = constant._node = None
            return constant
        return Tensor(other, dtype=dtype)

    def __add__(self, other: Any) -> Tensor:
        return apply_op("add", (self, self._lift(other)), {})

    def __radd__(self, other: Any) -> Tensor:
        return apply_op("add", (self._lift(other), self), {})

    def __sub__(self, other: Any) -> Tensor:
        return apply_op("sub", (self, self._lift(other)), {})

    def __rsub__(self, other: Any) -> Tensor:
        return apply_op("sub", (self._lift(other), self), {})

    def __mul__(self, other: Any) -> Tensor:
        return apply_op("mul", (self, self._lift(other)), {})

    def __rmul__(self, other: Any) -> Tensor:
        return apply_op("mul", (self._lift(other), self), {})

    def __truediv__(self, other: Any) -> Tensor:
        return apply_op("div", (self, self._lift(other)), {})

    def __rtruediv__(self, other: Any) -> Tensor:
        return apply_op("div", (self._lift(other), self), {})

    def __matmul__(self, other: Any) -> Tensor:
        return apply_op("matmul", (self, self._lift(other)), {})

    def __rmatmul__(self, other: Any) -> Tensor:
        return apply_op("matmul", (self._lift(other), self), {})

    def __neg__(self) -> Tensor:
        return apply_op("neg", (self,), {})

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, exponent: Any) -> Tensor:
        """``x ** p`` for a number ``p``; ``x ** t`` for a tensor ``t`` is ``exp(t * log(x))``."""
        if isinstance(exponent, numbers.Real) and not isinstance(exponent, (bool, np.bool_)):
            return apply_op("pow", (self,), {"exponent": float(exponent)})
        return (self._lift(exponent) * self.log()).exp()

    def __rpow__(self, base: Any) -> Tensor:
        """``b ** x`` as ``exp(x * log(b))``, for a positive base ``b``."""
        return (self * self._lift(base).log()).exp()

    def __getitem__(self, index: Any) -> Tensor:
        return apply_op("getitem", (self,), {"index": _plain_index(index)})

    # ----- elementwise functions ------------------------------------------------------------
    def exp(self) -> Tensor:
        return apply_op("exp", (self,), {})

    def log(self) -> Tensor:
        return apply_op("log", (self,), {})

    def relu(self) -> Tensor:
        return apply_op("relu", (self,), {})

    def sigmoid(self) -> Tensor:
        return apply_op("sigmoid", (self,), {})

    def tanh(self) -> Tensor:
        return apply_op("tanh", (self,), {})

    # ----- reductions -----------------------------------------------------------------------
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return apply_op("sum", (self,), {"axis": axis, "keepdims": keepdims})

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return apply_op("mean", (self,), {"axis": axis, "keepdims": keepdims})

    def max(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return apply_op("max", (self,), {"axis": axis, "keepdims": keepdims})

    # ----- shape ----------------------------------------------------------------------------
    def reshape(self, *shape: int | tuple[int, ...]) -> Tensor:
        """``t.reshape(2, 3)`` or ``t.reshape((2, 3))``; one dimension may be -1."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return apply_op("reshape", (self,), {"shape": shape})

    def transpose(self, *axes: int) -> Tensor:
        """Reverse the axes, or permute them: ``t.transpose(0, 2, 1)``."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return apply_op("transpose", (self,), {"axes": axes or None})

    @property
    def T(self) -> Tensor:
        return self.transpose()


def _plain_index(index: Any) -> Any:
    """Replace tensors inside an index by their arrays (for fancy indexing with tensors)."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(_plain_index(part) for part in index)
    return index
