"""The op table: one row per op, driving the forward tests (ex01) and gradient tests (ex02).

Each row says how a user calls the op on tensors, what NumPy computes for it (the oracle, in
float64, written here and never taken from student code), where its inputs live, a few fixed
shapes, a hypothesis strategy for random shapes, and two hints: the one a student sees when the
forward fails (ex01) and the one shown when the gradient fails (ex02). Adding an op means adding
one row; :data:`ROW_PARAMS` and :data:`FIXED_CASE_PARAMS` turn the rows into test parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import Tensor
from core import functional as F
from exercises.testing import domains as D
from exercises.testing.cases import Case, Params, make_case

SEEDS = st.integers(0, 2**32 - 1)
MAX_SIDE = 4


@dataclass(frozen=True)
class OpRow:
    """One op: its call, its NumPy oracle, input domains, fixed and random cases, two hints."""

    name: str
    call: Callable[..., Tensor]
    reference: Callable[..., np.ndarray]
    domains: tuple[D.Domain, ...]
    fixed: tuple[tuple[tuple[tuple[int, ...], ...], Params], ...]
    shapes_and_params: st.SearchStrategy
    forward_hint: str
    backward_hint: str
    steering_inputs: tuple[int, ...] = ()  # inputs that only choose (a condition): no gradient

    def fixed_cases(self) -> list[Case]:
        return [
            make_case(self.domains, shapes, params, seed=i)
            for i, (shapes, params) in enumerate(self.fixed)
        ]

    def cases(self) -> st.SearchStrategy[Case]:
        return st.tuples(self.shapes_and_params, SEEDS).map(
            lambda drawn: make_case(self.domains, drawn[0][0], drawn[0][1], drawn[1])
        )

    def run(self, case: Case, tensors: Sequence[Tensor]) -> Tensor:
        __tracebackhide__ = True
        return self.call(*tensors, **case.params)

    def expected(self, case: Case) -> np.ndarray:
        return np.asarray(self.reference(*case.inputs, **case.params), dtype=np.float64)

    def __str__(self) -> str:
        return self.name

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How hypothesis shows a row in a failing example: by name, not field by field (its
        lambdas and strategies would take longer to print than the test took to run)."""
        printer.text(f"OpRow({self.name!r})")


def _no_params(shapes: st.SearchStrategy) -> st.SearchStrategy:
    return shapes.map(lambda s: (s, {}))


def _one_shape(min_dims: int = 0) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=MAX_SIDE).map(
        lambda shape: (shape,)
    )


def _broadcast_shapes(count: int) -> st.SearchStrategy:
    return hnp.mutually_broadcastable_shapes(
        num_shapes=count, min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE
    ).map(lambda drawn: drawn.input_shapes)


BINARY_FIXED = (
    (((2, 3), (2, 3)), {}),
    (((3, 1), (1, 4)), {}),
    (((2, 3, 4), (4,)), {}),
    (((3,), ()), {}),
    (((), (2, 2)), {}),
)
UNARY_FIXED = ((((2, 3),), {}), (((4,),), {}), (((),), {}))
BROADCAST_FORWARD_HINT = (
    "the inputs broadcast as NumPy's operators do: shapes compared from the right, a missing "
    "axis counts as 1, a size-1 axis stretches"
)
BROADCAST_BACKWARD_HINT = (
    "an input that was broadcast fed several outputs: sum the gradient back to its own shape "
    "with core.unbroadcast(grad, shape)"
)


def _binary(name, call, reference, forward_hint, backward_hint, domains=(D.real, D.real)) -> OpRow:
    return OpRow(
        name,
        call,
        reference,
        domains,
        BINARY_FIXED,
        _no_params(_broadcast_shapes(2)),
        f"{forward_hint}; {BROADCAST_FORWARD_HINT}",
        f"{backward_hint}; {BROADCAST_BACKWARD_HINT}",
    )


def _unary(name, call, reference, forward_hint, backward_hint, domain=D.real) -> OpRow:
    return OpRow(
        name,
        call,
        reference,
        (domain,),
        UNARY_FIXED,
        _no_params(_one_shape()),
        forward_hint,
        backward_hint,
    )


def _pow(exponent: float, domain: D.Domain) -> OpRow:
    return OpRow(
        f"pow[{exponent}]",
        lambda x: x**exponent,
        lambda x: x**exponent,
        (domain,),
        UNARY_FIXED,
        _no_params(_one_shape()),
        "x ** exponent elementwise, the exponent a Python float (2.0, 0.5, -1.5, ...)",
        "d/dx x^p = p x^(p-1): grad * p * x ** (p - 1), with p = ctx.params['exponent']",
    )


def _reduction_params(shape: tuple[int, ...]) -> st.SearchStrategy:
    ndim = len(shape)
    axes: list[Any] = [None, *range(-ndim, ndim)]
    if ndim >= 2:
        axes += [(0, ndim - 1), (0, 1)]
    return st.fixed_dictionaries({"axis": st.sampled_from(axes), "keepdims": st.booleans()})


def _reduction(
    name: str, reference: Callable, domain: D.Domain, forward_hint: str, backward_hint: str
) -> OpRow:
    shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=MAX_SIDE)
    return OpRow(
        name,
        lambda x, axis, keepdims: getattr(x, name)(axis=axis, keepdims=keepdims),
        lambda x, axis, keepdims: reference(x, axis=axis, keepdims=keepdims),
        (domain,),
        (
            (((2, 3, 4),), {"axis": None, "keepdims": False}),
            (((2, 3, 4),), {"axis": 1, "keepdims": False}),
            (((2, 3, 4),), {"axis": -1, "keepdims": True}),
            (((2, 3, 4),), {"axis": (0, 2), "keepdims": False}),
            (((5,),), {"axis": 0, "keepdims": False}),
            (((3, 2),), {"axis": None, "keepdims": True}),
        ),
        shapes.flatmap(lambda s: _reduction_params(s).map(lambda p: ((s,), p))),
        f"{forward_hint}; axis may be None (every axis), an int (also negative) or a tuple; "
        "with keepdims=False the reduced axes disappear, with keepdims=True each stays as size 1",
        f"{backward_hint}; with keepdims=False grad has lost the reduced axes: put them back "
        "as size 1 (np.expand_dims(grad, axis); for axis=None grad is 0-d and broadcasts as it "
        "is) before broadcasting to x's shape",
    )


MATMUL_SHAPES = {
    "vector.vector": ((3,), (3,)),
    "matrix@vector": ((2, 3), (3,)),
    "vector@matrix": ((3,), (3, 4)),
    "matrix@matrix": ((2, 3), (3, 4)),
    "batch@batch": ((2, 2, 3), (2, 3, 4)),
    "batch@matrix": ((2, 2, 3), (3, 4)),
    "broadcast batches": ((2, 1, 2, 3), (3, 3, 2)),
    "vector@batch": ((3,), (2, 3, 4)),
}


@st.composite
def _matmul_shapes(draw: st.DrawFn) -> tuple[tuple[tuple[int, ...], ...], dict]:
    n, k, m = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    batch_a, batch_b = draw(_broadcast_shapes(2).filter(lambda s: len(s[0]) + len(s[1]) <= 4))
    a = draw(st.sampled_from([(k,), (*batch_a, n, k)]))
    b = draw(st.sampled_from([(k,), (*batch_b, k, m)]))
    return (a, b), {}


def _index_params(rng: np.random.Generator, shapes, make_index) -> dict:
    return {"index": make_index(rng, shapes[0])}


INDEXES: dict[str, Callable[[np.random.Generator, tuple[int, ...]], Any]] = {
    "int": lambda rng, shape: 1,
    "negative int": lambda rng, shape: -1,
    "slice": lambda rng, shape: slice(1, None),
    "reversed slice": lambda rng, shape: slice(None, None, -1),
    "column": lambda rng, shape: (slice(None), 0),
    "ellipsis and newaxis": lambda rng, shape: (Ellipsis, None, slice(0, 2)),
    "repeated ints": lambda rng, shape: np.array([0, 0, 1, 0]),
    "negative ints": lambda rng, shape: np.array([-1, 0, -1]),
    "2-d int array": lambda rng, shape: np.array([[0, 1], [1, 1]]),
    "boolean mask": lambda rng, shape: rng.uniform(size=shape) > 0.4,
    "rows and repeated columns": lambda rng, shape: (np.array([0, 1, 1]), np.array([1, 0, 1])),
    "slice then repeated ints": lambda rng, shape: (slice(None), np.array([1, 1, 0])),
}
BASIC_INDEXES = ("int", "negative int", "slice", "reversed slice", "column", "ellipsis and newaxis")


def _indexing(name: str, kinds: Sequence[str], forward_hint: str, backward_hint: str) -> OpRow:
    def params_for(kind: str) -> Params:
        return lambda rng, shapes: _index_params(rng, shapes, INDEXES[kind])

    shapes = hnp.array_shapes(min_dims=2, max_dims=3, min_side=2, max_side=MAX_SIDE)
    return OpRow(
        name,
        lambda x, index: x[index],
        lambda x, index: x[index],
        (D.real,),
        tuple((((3, 4),), params_for(kind)) for kind in kinds),
        st.tuples(shapes, st.sampled_from(kinds)).map(
            lambda drawn: ((drawn[0],), params_for(drawn[1]))
        ),
        forward_hint,
        backward_hint,
    )


def _reshape_params(shape: tuple[int, ...]) -> st.SearchStrategy:
    size = int(np.prod(shape, dtype=int))
    targets = [(size,), (-1,), (1, size), (size, 1), (-1, shape[-1]), (shape[0], -1)]
    return st.sampled_from(targets).map(lambda target: {"shape": target})


def _transpose_params(shape: tuple[int, ...]) -> st.SearchStrategy:
    return st.one_of(st.just(None), st.permutations(range(len(shape))).map(tuple)).map(
        lambda axes: {"axes": axes}
    )


def _with_params(params_for: Callable[[tuple[int, ...]], st.SearchStrategy]) -> st.SearchStrategy:
    shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=MAX_SIDE)
    return shapes.flatmap(lambda s: params_for(s).map(lambda p: ((s,), p)))


def _where(condition: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(condition > 0, a, b)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


OPS: tuple[OpRow, ...] = (
    _binary(
        "add",
        lambda a, b: a + b,
        np.add,
        "a + b elementwise",
        "d/da = d/db = 1: both inputs receive grad",
    ),
    _binary(
        "sub",
        lambda a, b: a - b,
        np.subtract,
        "a - b elementwise",
        "d/da = 1 and d/db = -1: a receives grad, b receives -grad",
    ),
    _binary(
        "mul",
        lambda a, b: a * b,
        np.multiply,
        "a * b elementwise",
        "d/da = b and d/db = a: a receives grad * b, b receives grad * a",
    ),
    _binary(
        "div",
        lambda a, b: a / b,
        np.divide,
        "a / b elementwise",
        "d/da = 1/b and d/db = -a/b^2: a receives grad / b, b receives -grad * a / b**2",
        domains=(D.real, D.away_from_zero),
    ),
    _binary(
        "maximum",
        F.maximum,
        np.maximum,
        "elementwise max(a, b) (np.maximum), not the reduction x.max()",
        "grad goes to whichever input is larger at each position (half to each at a tie)",
        domains=(D.even_grid, D.odd_grid),
    ),
    _binary(
        "minimum",
        F.minimum,
        np.minimum,
        "elementwise min(a, b) (np.minimum), not the reduction x.min()",
        "grad goes to whichever input is smaller at each position (half to each at a tie)",
        domains=(D.even_grid, D.odd_grid),
    ),
    OpRow(
        "where",
        lambda c, a, b: F.where(c.data > 0, a, b),
        _where,
        (D.away_from_zero, D.real, D.real),
        ((((2, 3), (2, 3), (2, 3)), {}), (((3, 1), (1, 4), (3, 4)), {}), (((2, 3), (3,), ()), {})),
        _no_params(_broadcast_shapes(3)),
        "a where the condition holds, else b: np.where(condition, a, b); your function "
        f"receives (a, b, condition), the condition last; {BROADCAST_FORWARD_HINT}",
        "a receives grad where ctx.params['condition'] holds and 0 elsewhere, b the opposite; "
        f"the condition gets no gradient; {BROADCAST_BACKWARD_HINT}",
        steering_inputs=(0,),
    ),
    _unary("neg", lambda x: -x, np.negative, "-x elementwise", "d/dx (-x) = -1: return -grad"),
    _unary(
        "exp",
        lambda x: x.exp(),
        np.exp,
        "e^x elementwise (np.exp)",
        "d/dx e^x = e^x, the forward's output: grad * ctx.output",
    ),
    _unary(
        "log",
        lambda x: x.log(),
        np.log,
        "natural log elementwise (np.log); the inputs are > 0",
        "d/dx ln x = 1/x: grad / x",
        D.positive,
    ),
    _unary(
        "relu",
        lambda x: x.relu(),
        lambda x: np.maximum(x, 0.0),
        "max(x, 0) elementwise, as a new array (np.maximum(x, 0); never x[x < 0] = 0)",
        "gradient 1 where x > 0, else 0: grad * (x > 0)",
        D.away_from_zero,
    ),
    _unary(
        "sigmoid",
        lambda x: x.sigmoid(),
        _sigmoid,
        "1 / (1 + e^-x) without overflow: compute e^-|x| and pick the formula by the sign of x",
        "d/dx s = s (1 - s), with s the forward's output (ctx.output): grad * s * (1 - s)",
    ),
    _unary(
        "tanh",
        lambda x: x.tanh(),
        np.tanh,
        "tanh x elementwise (np.tanh)",
        "d/dx tanh x = 1 - tanh^2 x, from the forward's output: grad * (1 - ctx.output**2)",
    ),
    _pow(2.0, D.real),
    _pow(3.0, D.real),
    _pow(0.5, D.positive),
    _pow(-1.5, D.positive),
    OpRow(
        "matmul",
        lambda a, b: a @ b,
        np.matmul,
        (D.real, D.real),
        tuple((shapes, {}) for shapes in MATMUL_SHAPES.values()),
        _matmul_shapes(),
        "as np.matmul: (..., n, k) @ (..., k, m) -> (..., n, m); a 1-D left operand acts "
        "as (1, k), a 1-D right one as (k, 1), and that axis is dropped; batch axes "
        "broadcast (np.dot differs from np.matmul on stacks of matrices)",
        "dA = dC @ B^T and dB = A^T @ dC, where ^T swaps the last two axes only "
        "(np.swapaxes(B, -1, -2); .T reverses every axis of a batch); compute with a 1-D "
        "operand as (1, k) or (k, 1) and with dC given that axis too, then drop it again; sum "
        "broadcast batch axes back to each input's shape (core.unbroadcast)",
    ),
    _reduction(
        "sum",
        np.sum,
        D.real,
        "sum over axis",
        "every element of x receives the gradient of the sum it went into",
    ),
    _reduction(
        "mean",
        np.mean,
        D.real,
        "mean over axis: the sum divided by the number of elements reduced into each output",
        "as for sum, divided by the number of elements reduced into each output",
    ),
    _reduction(
        "max",
        np.max,
        D.distinct,
        "largest element over axis (np.max), not the elementwise F.maximum",
        "the gradient goes to the maximal element(s) of each reduced group, shared equally "
        "among ties; compare x with the output (reduced axes put back) to find them",
    ),
    _indexing(
        "getitem[basic]",
        BASIC_INDEXES,
        "x[index] with ints, slices, Ellipsis and None, exactly as NumPy indexes",
        "zeros of x's shape with grad placed where x[index] came from: "
        "grad_x = np.zeros_like(x); grad_x[index] = grad",
    ),
    _indexing(
        "getitem[fancy]",
        [k for k in INDEXES if k not in BASIC_INDEXES],
        "x[index] with integer or boolean arrays, exactly as NumPy indexes",
        "an element picked several times receives the sum of their gradients: scatter with "
        "np.add.at(grad_x, index, grad) into zeros of x's shape (grad_x[index] = grad keeps "
        "only one of them)",
    ),
    OpRow(
        "reshape",
        lambda x, shape: x.reshape(shape),
        lambda x, shape: x.reshape(shape),
        (D.real,),
        (
            (((2, 3, 4),), {"shape": (6, 4)}),
            (((2, 3),), {"shape": (-1,)}),
            (((6,),), {"shape": (3, -1)}),
        ),
        _with_params(_reshape_params),
        "same elements, new shape (C order); -1 is inferred",
        "the same elements flow back: reshape grad to x's shape",
    ),
    OpRow(
        "transpose",
        lambda x, axes: x.transpose(axes) if axes else x.T,
        lambda x, axes: np.transpose(x, axes),
        (D.real,),
        (
            (((2, 3),), {"axes": None}),
            (((2, 3, 4),), {"axes": (1, 2, 0)}),
            (((2, 3, 4),), {"axes": None}),
        ),
        _with_params(_transpose_params),
        "permute the axes as np.transpose(x, axes); axes=None reverses them all (on 3-D that "
        "is not a swap of the last two)",
        "transpose grad with the inverse permutation, np.argsort(axes) (None: reverse again)",
    ),
)
ROW_PARAMS = [pytest.param(row, id=str(row)) for row in OPS]
FIXED_CASE_PARAMS = [
    pytest.param(row, case, id=f"{row}-{case.label}") for row in OPS for case in row.fixed_cases()
]
