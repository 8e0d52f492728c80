"""The autograd engine: graph nodes, ``no_grad``, ``unbroadcast`` and reverse-mode ``backward``.

Every op result that needs a gradient carries a :class:`Node` recording the op's name, where
each input's gradient goes, the input arrays, the output array and the op's parameters. Nodes
link to nodes (and to leaf tensors), as in PyTorch, so the graph holds no intermediate Tensor:
one Python object fewer per op for the garbage collector to look at. ``backward`` counts, once,
how many ops use each node's result (iteratively, so a 100,000-op chain is fine), then visits
each node once all its users have sent their gradients: it sums every gradient arriving at a
node before calling the op's registered vector-Jacobian product, so shared subexpressions cost
linear time. An error inside an op's forward or backward is re-raised by :func:`op_error`,
saying which op failed on what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from core.plugin_manager import registries

if TYPE_CHECKING:
    from core.tensor import Tensor

_grad_enabled = [True]
_vjps = registries["gradients"].values


def is_grad_enabled() -> bool:
    return _grad_enabled[0]


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, op results record no graph (for evaluation and parameter updates)."""
    previous = _grad_enabled[0]
    _grad_enabled[0] = False
    try:
        yield
    finally:
        _grad_enabled[0] = previous


class Node:
    """How a tensor was made: the context an op's backward receives as ``ctx``.

    Attributes:
        op: registered op name, e.g. ``"mul"``.
        parents: where each input's gradient goes, in call order: the Node that made the input,
            the input itself if it is a leaf, or None if it needs no gradient.
        inputs: the input arrays, in call order.
        output: the array the forward returned.
        params: the op's keyword parameters, e.g. ``{"axis": 0, "keepdims": False}``.
        needs_input_grad: one bool per input; a backward may return ``None`` where it is False.
    """

    __slots__ = ("inputs", "needs_input_grad", "op", "output", "params", "parents", "released")

    def __init__(
        self,
        op: str,
        parents: tuple,
        inputs: tuple,
        output: np.ndarray,
        params: dict[str, Any],
        needs_input_grad: tuple[bool, ...],
    ) -> None:
        self.op = op
        self.parents = parents
        self.inputs = inputs
        self.output = output
        self.params = params
        self.needs_input_grad = needs_input_grad
        self.released = False

    def release(self) -> None:
        """Drop the saved arrays and the links to the inputs (after a backward)."""
        self.parents = self.inputs = ()
        self.output = None
        self.released = True

    def __repr__(self) -> str:
        return f"<{self.op}>"


def _describe(arrays: tuple) -> str:
    return ", ".join(f"{a.shape} {a.dtype}" for a in arrays)


def op_error(
    op: str,
    function: Callable,
    arrays: tuple,
    params: dict[str, Any],
    error: Exception,
    grad: np.ndarray | None = None,
) -> Exception:
    """The same kind of error as ``error``, saying which op failed on what, and what it computes.

    ``function`` is the op's forward (called on ``arrays``), or its backward when ``grad``, the
    upstream gradient it was given, is passed. The message ends with NumPy's own words and the
    first line of ``function``'s docstring, e.g. ``sum backward failed on inputs (2, 3, 4)
    float32 with {'axis': 1, 'keepdims': False} and upstream gradient (2, 4) float32: ...``.
    """
    what = op if grad is None else f"{op} backward"
    summary = (function.__doc__ or "").strip().split("\n")[0]
    message = (
        f"{what} failed on inputs {_describe(arrays)}"
        + (f" with {params}" if params else "")
        + ("" if grad is None else f" and upstream gradient {grad.shape} {grad.dtype}")
        + f": {error}"
        + (f"\n  {what} computes: {summary}" if summary else "")
    )
    for kind in (type(error), ValueError, IndexError, TypeError):
        if isinstance(error, kind):
            try:
                return kind(message)
            except TypeError:  # an exception class with a richer constructor
                continue
    return ValueError(message)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``.

    If an input of shape ``shape`` was broadcast to ``grad.shape`` in the forward, each of its
    elements fed several outputs, so its gradient is the sum of theirs.

    Example: ``x: (3, 1)`` plus ``y: (4,)`` gives ``(3, 4)``; then
    ``unbroadcast(g, (3, 1)) == g.sum(axis=1, keepdims=True)`` and
    ``unbroadcast(g, (4,)) == g.sum(axis=0)``.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0:
        raise ValueError(
            f"unbroadcast: a gradient of shape {grad.shape} cannot come from an input "
            f"of shape {shape}: the input has more dimensions than the output"
        )
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    if grad.shape != tuple(shape):
        raise ValueError(
            f"unbroadcast: shape {shape} does not broadcast to the gradient's shape {grad.shape}"
        )
    return grad


def _count_users(root: Node) -> dict[int, int]:
    """``{id(node): how many ops use its result}`` for every node behind ``root``.

    ``backward`` calls a node's backward once this many gradients have arrived at it, so every
    gradient of a result used several times is summed first.
    """
    users = {id(root): 0}
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if isinstance(parent, Node):
                key = id(parent)
                if key in users:
                    users[key] += 1
                else:
                    users[key] = 1
                    stack.append(parent)
    return users


def _released_error(node: Node) -> RuntimeError:
    return RuntimeError(
        f"backward() reached the '{node.op}' op whose graph a previous backward() already "
        "released. Pass retain_graph=True to the first backward() to go through a graph twice, "
        "or run the forward again."
    )


def _call_backward(node: Node, grad: np.ndarray) -> tuple:
    vjp: Callable = _vjps.get(node.op) or registries["gradients"][node.op]
    try:
        grads = vjp(node, grad)
    except (ValueError, IndexError, TypeError) as error:
        raise op_error(node.op, vjp, node.inputs, node.params, error, grad) from error
    if type(grads) is tuple and len(grads) == len(node.parents):
        return grads
    if not isinstance(grads, (tuple, list)) or len(grads) != len(node.parents):
        raise TypeError(
            f"backward of '{node.op}' must return a tuple with one gradient per input "
            f"({len(node.parents)}), got {type(grads).__name__}"
            + (f" of length {len(grads)}" if isinstance(grads, (tuple, list)) else "")
        )
    return grads


def _checked(node: Node, index: int, grad: Any) -> np.ndarray:
    """Validate the gradient an op's backward returned for input ``index``."""
    if grad is None:
        raise TypeError(
            f"backward of '{node.op}' returned None for input {index}, which needs a "
            "gradient (ctx.needs_input_grad is True there)"
        )
    grad = np.asarray(grad)
    data = node.inputs[index]
    if grad.shape != data.shape:
        raise ValueError(
            f"backward of '{node.op}' returned a gradient of shape {grad.shape} for input "
            f"{index} of shape {data.shape}. A gradient has its input's shape; if the "
            "forward broadcast this input, sum it back with core.unbroadcast(grad, shape)."
        )
    if grad.dtype != data.dtype:
        if node.output.dtype == data.dtype:
            raise TypeError(
                f"backward of '{node.op}' returned a {grad.dtype} gradient for a "
                f"{data.dtype} input; keep the input's dtype (a float64 NumPy value in the "
                "formula, such as np.float64(...), np.exp(1.0) or np.ones(n), upcasts it)"
            )
        grad = grad.astype(data.dtype)
    return grad


def _owned(grad: np.ndarray, data: np.ndarray, leaf_buffers: set[int]) -> np.ndarray:
    """``grad`` if a leaf may keep it as its own ``.grad``, else a copy.

    A backward may hand one array (or views of it) to several inputs; each leaf must own
    its gradient, writable and in its data's memory layout (a transposed layout would make
    every optimizer update slow). Copying only when needed keeps large weight gradients
    from being copied on every step.
    """
    buffer = grad
    while isinstance(buffer.base, np.ndarray):
        buffer = buffer.base
    shared = id(buffer) in leaf_buffers
    layout_differs = data.flags.c_contiguous and not grad.flags.c_contiguous
    if shared or layout_differs or not grad.flags.writeable:
        return np.array(grad, order="C" if data.flags.c_contiguous else "K")
    leaf_buffers.add(id(buffer))
    return grad


def backward(root: Tensor, grad: Any = None, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf), weighted by ``grad``, into every leaf's ``.grad``.

    ``grad`` has ``root``'s shape (default: 1 for a one-element ``root``). Gradients add to what
    leaves already hold, until ``zero_grad``. The graph is released unless ``retain_graph``.
    """
    if not root.requires_grad:
        raise RuntimeError(
            f"backward() on a tensor of shape {root.shape} that does not require grad: no input "
            "of the computation had requires_grad=True (or it ran inside no_grad())"
        )
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() without a gradient needs a one-element tensor, but this one has "
                f"shape {root.shape}. Reduce it first (e.g. loss.mean().backward()) or pass "
                f"grad=<array of shape {root.shape}>."
            )
        grad = np.ones_like(root.data)
    else:
        grad = np.array(getattr(grad, "data", grad), dtype=root.data.dtype)
        if grad.shape != root.data.shape:
            raise ValueError(
                f"backward(grad=...) got a gradient of shape {grad.shape} for a "
                f"tensor of shape {root.shape}; they must match"
            )
    if root._node is None:
        root._accumulate(grad)
        return
    start = root._node
    if start.released:
        raise _released_error(start)

    users = _count_users(start)
    pending: dict[int, np.ndarray] = {id(start): grad}
    leaf_buffers: set[int] = set()
    ready = [start]  # nodes whose every user has sent its gradient
    while ready:
        node = ready.pop()
        if node.released:
            raise _released_error(node)
        input_grads = _call_backward(node, pending.pop(id(node)))
        for index, parent in enumerate(node.parents):
            if parent is None:
                continue
            parent_grad = input_grads[index]
            data = node.inputs[index]
            if not (  # the common, valid case skips the full check
                type(parent_grad) is np.ndarray
                and parent_grad.shape == data.shape
                and parent_grad.dtype is data.dtype
            ):
                parent_grad = _checked(node, index, parent_grad)
            if isinstance(parent, Node):
                key = id(parent)
                pending[key] = pending[key] + parent_grad if key in pending else parent_grad
                users[key] -= 1
                if not users[key]:
                    ready.append(parent)
            else:
                parent._accumulate(_owned(parent_grad, parent.data, leaf_buffers))
        if not retain_graph:
            node.release()
