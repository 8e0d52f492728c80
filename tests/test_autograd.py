"""The autograd engine: accumulation, graph recording, release, checks on backward results,
``unbroadcast`` and the errors ops raise for inputs that do not fit."""

from __future__ import annotations

import traceback
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import Tensor, is_grad_enabled, no_grad, unbroadcast
from core.plugin_manager import registries

NONUNIFORM = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -4.0]], dtype=np.float32)


def leaf(values=((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)), dtype=np.float32) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


# ----- accumulation ----------------------------------------------------------------------------


def test_gradients_accumulate_across_backward_calls():
    x = leaf()
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 5.0))


def test_zero_grad_sets_grad_to_none():
    x = leaf()
    (x * 2).sum().backward()
    x.zero_grad()
    assert x.grad is None


def test_backward_after_zero_grad_starts_from_zero():
    x = leaf()
    (x * 2).sum().backward()
    x.zero_grad()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 3.0))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda x: x * x, lambda x: 2 * x),
        (lambda x: x + x, lambda x: np.full_like(x, 2.0)),
        (lambda x: x * x * x, lambda x: 3 * x**2),
        (lambda x: (x + 1) * (x - 1), lambda x: 2 * x),
    ],
    ids=["x*x", "x+x", "x*x*x", "(x+1)*(x-1)"],
)
def test_tensor_used_several_times_receives_the_summed_gradient(expression, expected):
    x = leaf()
    expression(x).backward(NONUNIFORM)
    np.testing.assert_allclose(x.grad, NONUNIFORM * expected(x.data), rtol=1e-6)


def test_reused_intermediate_receives_the_summed_gradient():
    x = leaf()
    h = x * 2
    (h * h + h).backward(NONUNIFORM)
    np.testing.assert_allclose(x.grad, NONUNIFORM * (8 * x.data + 2), rtol=1e-6)


# ----- what is recorded ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a_requires", "b_requires"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_result_requires_grad_iff_an_input_does(a_requires, b_requires):
    a = Tensor([1.0, 2.0], requires_grad=a_requires)
    b = Tensor([3.0, 4.0], requires_grad=b_requires)
    assert (a * b).requires_grad is (a_requires or b_requires)


def test_result_of_inputs_not_requiring_grad_records_no_graph():
    result = Tensor([1.0]) * Tensor([2.0])
    assert result.grad_fn is None and result.is_leaf


def test_no_grad_records_no_graph():
    x = leaf()
    with no_grad():
        y = x * 2
    assert y.requires_grad is False and y.grad_fn is None


def test_is_grad_enabled_is_false_inside_no_grad():
    with no_grad():
        assert is_grad_enabled() is False


def test_no_grad_restores_grad_mode_after_an_exception():
    with pytest.raises(RuntimeError, match="inside"), no_grad():
        raise RuntimeError("inside no_grad")
    assert is_grad_enabled() is True


def test_nested_no_grad_restores_the_outer_state():
    with no_grad():
        with no_grad():
            pass
        assert is_grad_enabled() is False


def test_detach_cuts_the_graph():
    x = leaf()
    (x.detach() * x).backward(NONUNIFORM)
    np.testing.assert_allclose(x.grad, NONUNIFORM * x.data)


def test_python_number_operand_needs_no_gradient(replace_registered):
    seen = []
    mul_backward = registries["gradients"]["mul"]

    def recording_backward(ctx, grad):
        seen.append(ctx.needs_input_grad)
        return mul_backward(ctx, grad)

    replace_registered("gradients", "mul", recording_backward)
    (leaf() * 2).backward(NONUNIFORM)
    assert seen == [(True, False)]


def test_graph_keeps_no_intermediate_tensor_alive():
    hidden = leaf() * 2
    dropped = weakref.ref(hidden)
    loss = (hidden * 3).sum()
    del hidden
    assert dropped() is None, f"the graph of {loss!r} keeps an intermediate Tensor alive"


def test_backward_through_dropped_intermediates_is_right():
    x = leaf()
    y = x
    for _ in range(5):
        y = y * 1.5 + 0.5
    y.backward(NONUNIFORM)
    np.testing.assert_allclose(x.grad, NONUNIFORM * 1.5**5, rtol=1e-6)


# ----- backward's arguments --------------------------------------------------------------------


def test_backward_weights_the_gradient_by_a_nonuniform_grad():
    x = leaf()
    (x * 3).backward(NONUNIFORM)
    np.testing.assert_allclose(x.grad, 3 * NONUNIFORM)


def test_backward_accepts_a_tensor_as_grad():
    x = leaf()
    (x * 3).backward(Tensor(NONUNIFORM))
    np.testing.assert_allclose(x.grad, 3 * NONUNIFORM)


def test_backward_with_a_grad_of_the_wrong_shape_raises_value_error():
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        (leaf() * 3).backward(np.ones((3, 2)))


def test_backward_without_grad_on_a_non_scalar_raises_runtime_error_naming_the_shape():
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        (leaf() * 3).backward()


def test_backward_on_a_tensor_not_requiring_grad_raises_runtime_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0]) * 3).backward()


def test_backward_on_a_one_element_tensor_uses_grad_one():
    x = leaf()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 3.0))


def test_backward_on_a_leaf_accumulates_the_grad_into_it():
    x = leaf()
    x.backward(NONUNIFORM)
    np.testing.assert_array_equal(x.grad, NONUNIFORM)


# ----- release of the graph --------------------------------------------------------------------


def test_backward_twice_on_released_graph_raises_runtime_error_mentioning_retain_graph():
    loss = (leaf() * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        loss.backward()


def test_backward_twice_on_released_graph_names_the_op():
    loss = (leaf() * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="'sum'"):
        loss.backward()


def test_backward_through_a_released_intermediate_raises_naming_its_op():
    hidden = leaf().exp()
    hidden.sum().backward()
    with pytest.raises(RuntimeError, match=r"'exp'.*retain_graph"):
        (hidden * 3).sum().backward()


def test_retain_graph_allows_a_second_backward_that_doubles_the_grads():
    x = leaf()
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_allclose(x.grad, 4 * x.data)


def test_retain_graph_keeps_the_nodes():
    loss = (leaf() * 2).sum()
    loss.backward(retain_graph=True)
    assert not loss._node.released and len(loss._node.parents) == 1


def test_backward_releases_every_node_of_the_graph():
    hidden = leaf() * 2
    loss = hidden.sum()
    loss.backward()
    released = [(t._node.released, t._node.parents, t._node.output) for t in (hidden, loss)]
    assert released == [(True, (), None), (True, (), None)]


# ----- the gradients leaves receive ------------------------------------------------------------


def test_leaf_grads_never_alias_each_other():
    x, y = leaf(), leaf()
    (x + y).backward(NONUNIFORM)
    assert not np.shares_memory(x.grad, y.grad)


def test_leaf_grad_does_not_alias_the_grad_passed_to_backward():
    x = leaf()
    upstream = NONUNIFORM.copy()
    (x + 0).backward(upstream)
    assert not np.shares_memory(x.grad, upstream)


def test_leaf_grad_is_writable_after_a_broadcasting_backward():
    x = leaf()
    x.sum().backward()
    x.grad *= 0.5
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 0.5))


FLOAT32_GRAPHS = {
    "x * 0.1": lambda x: x * 0.1,
    "1 / x": lambda x: 1 / x,
    "x ** 3": lambda x: x**3,
    "2 ** x": lambda x: 2**x,
    "x.mean()": lambda x: x.mean(),
    "x.mean(axis=0)": lambda x: x.mean(axis=0),
    "x.max(axis=1)": lambda x: x.max(axis=1),
    "x.sigmoid().tanh()": lambda x: x.sigmoid().tanh(),
    "x @ x.T": lambda x: x @ x.T,
    "x[[0, 0]]": lambda x: x[[0, 0]],
    "x * float64 array": lambda x: x * np.arange(3.0),
}


@pytest.mark.parametrize("graph", FLOAT32_GRAPHS.values(), ids=FLOAT32_GRAPHS.keys())
def test_float32_leaves_get_float32_grads(graph):
    x = leaf()
    out = graph(x)
    out.backward(np.ones(out.shape))
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("graph", FLOAT32_GRAPHS.values(), ids=FLOAT32_GRAPHS.keys())
def test_float64_leaves_get_float64_grads(graph):
    x = leaf(dtype=np.float64)
    out = graph(x)
    out.backward(np.ones(out.shape))
    assert x.grad.dtype == np.float64


# ----- checks on what an op's backward returns -------------------------------------------------


def _wrong_shape(ctx, grad):
    return grad, grad  # forgets to unbroadcast b: (3,) gets a (2, 3) gradient


def _one_gradient(ctx, grad):
    return (grad,)


def _bare_array(ctx, grad):
    return grad


def _float64(ctx, grad):
    a, b = ctx.inputs
    return unbroadcast(grad, a.shape).astype(np.float64), unbroadcast(grad, b.shape).astype(
        np.float64
    )


def _none(ctx, grad):
    return None, None


BAD_BACKWARDS = [
    pytest.param(_wrong_shape, ValueError, "unbroadcast", id="wrong-shape"),
    pytest.param(_one_gradient, TypeError, "one gradient per input", id="too-few"),
    pytest.param(_bare_array, TypeError, "tuple", id="not-a-tuple"),
    pytest.param(_float64, TypeError, "float64", id="float64-for-float32"),
    pytest.param(_none, TypeError, "None", id="none-where-needed"),
]


@pytest.mark.parametrize(("bad_backward", "error", "message"), BAD_BACKWARDS)
def test_misbehaving_backward_raises_a_clear_error(
    replace_registered, bad_backward, error, message
):
    replace_registered("gradients", "add", bad_backward)
    out = leaf() + Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    with pytest.raises(error, match=message):
        out.backward(NONUNIFORM)


def test_backward_may_return_none_for_an_input_that_needs_no_gradient(replace_registered):
    replace_registered("gradients", "add", lambda ctx, grad: (grad, None))
    x = leaf()
    (x + Tensor(np.ones((2, 3)))).backward(NONUNIFORM)
    np.testing.assert_array_equal(x.grad, NONUNIFORM)


# ----- unbroadcast -----------------------------------------------------------------------------


def _sum_into(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The oracle: add each gradient element into the input element it was broadcast from."""
    expected = np.zeros(shape, dtype=np.float64)
    extra = grad.ndim - len(shape)
    for index in np.ndindex(grad.shape):
        source = tuple(0 if n == 1 else i for i, n in zip(index[extra:], shape))
        expected[source] += grad[index]
    return expected


@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_unbroadcast_sums_the_gradient_back_to_each_input_shape(shapes, dtype):
    grad = (np.arange(np.prod(shapes.result_shape)) * 0.5 - 3).reshape(shapes.result_shape)
    for shape in shapes.input_shapes:
        result = unbroadcast(grad.astype(dtype), shape)
        np.testing.assert_array_equal(result, _sum_into(grad, shape), err_msg=f"shape {shape}")


@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_unbroadcast_keeps_the_dtype(shapes, dtype):
    grad = np.ones(shapes.result_shape, dtype=dtype)
    assert all(unbroadcast(grad, shape).dtype == dtype for shape in shapes.input_shapes)


@pytest.mark.parametrize(
    ("grad_shape", "shape"),
    [((3,), (2, 3)), ((2, 3), (4, 3)), ((2, 3), (2,)), ((2, 3), (3, 1)), ((2, 3), (2, 3, 1))],
    ids=["more-dims", "wrong-size", "wrong-trailing-axis", "wrong-kept-axis", "extra-unit-axis"],
)
def test_unbroadcast_to_a_shape_that_does_not_broadcast_raises_value_error(grad_shape, shape):
    with pytest.raises(ValueError, match="unbroadcast"):
        unbroadcast(np.ones(grad_shape), shape)


# ----- errors raised by ops --------------------------------------------------------------------


def test_matmul_of_mismatched_shapes_raises_value_error_naming_op_and_shapes():
    with pytest.raises(ValueError, match=r"matmul.*\(2, 3\).*\(4, 5\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))


@pytest.mark.parametrize(
    ("op", "apply"),
    [
        ("add", lambda a, b: a + b),
        ("sub", lambda a, b: a - b),
        ("mul", lambda a, b: a * b),
        ("div", lambda a, b: a / b),
    ],
)
def test_broadcasting_mismatch_raises_value_error_naming_op_and_shapes(op, apply):
    with pytest.raises(ValueError, match=rf"{op}.*\(2, 3\).*\(4,\)"):
        apply(Tensor(np.ones((2, 3))), Tensor(np.ones(4)))


def test_indexing_with_a_float_raises_index_error_naming_getitem():
    with pytest.raises(IndexError, match="getitem"):
        Tensor(np.ones(3))[1.5]


@pytest.mark.parametrize(
    ("op", "error", "apply"),
    [
        ("sum", ValueError, lambda t: t.sum(axis=5)),
        ("reshape", ValueError, lambda t: t.reshape(4, 2)),
        ("transpose", ValueError, lambda t: t.transpose(0, 0)),
        ("getitem", IndexError, lambda t: t[Tensor([0.0, 1.0])]),
        ("getitem", IndexError, lambda t: t[5]),
    ],
    ids=["sum-axis", "reshape", "transpose", "getitem-float-array", "getitem-out-of-range"],
)
def test_op_error_names_the_op_and_the_input_shape(op, error, apply):
    with pytest.raises(error, match=rf"{op}.*\(2, 3\)"):
        apply(Tensor(np.ones((2, 3))))


def test_op_error_names_the_op_even_when_numpy_raises_an_unusual_exception(replace_registered):
    def add_into_an_integer_buffer(a, b):
        """a + b, written into an int64 array (a student mistake numpy refuses)."""
        return np.add(a, b, out=np.zeros(a.shape, dtype=np.int64))

    replace_registered("ops", "add", add_into_an_integer_buffer)
    with pytest.raises(TypeError, match="add failed on inputs"):
        Tensor([1.5]) + Tensor([2.0])


def test_leaf_gradients_never_share_memory_even_through_views():
    a = Tensor(np.ones(6, np.float32), requires_grad=True)
    b = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    (a.reshape(2, 3) + b).backward(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert not np.shares_memory(a.grad, b.grad)
    a.grad *= 0
    assert b.grad.sum() == 15, "changing one leaf's gradient in place changed another's"


def test_leaf_gradient_of_a_transposed_use_keeps_the_parameter_layout():
    w = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    x = Tensor(np.ones((5, 3), np.float32))
    (x @ w.T).sum().backward()
    assert w.grad.flags.c_contiguous and w.grad.flags.writeable


# ----- errors raised inside an op's backward ---------------------------------------------------


def _sum_backward_forgetting_the_summed_axes(ctx, grad):
    """Every summed element receives the gradient of its sum (but keepdims=False is not undone)."""
    return (np.broadcast_to(grad, ctx.inputs[0].shape),)


@pytest.fixture
def sum_backward_error(replace_registered) -> ValueError:
    """What ``x.sum(axis=1).backward(...)`` raises on x: (2, 3, 4) with the backward above."""
    replace_registered("gradients", "sum", _sum_backward_forgetting_the_summed_axes)
    x = Tensor(np.ones((2, 3, 4), np.float32), requires_grad=True)
    with pytest.raises(ValueError) as caught:
        x.sum(axis=1).backward(np.ones((2, 4), np.float32))
    return caught.value


def test_numpy_error_inside_a_backward_keeps_its_type(sum_backward_error):
    assert type(sum_backward_error) is ValueError


@pytest.mark.parametrize(
    "fragment",
    [
        "sum backward failed",
        "inputs (2, 3, 4) float32",
        "upstream gradient (2, 4) float32",
        "{'axis': 1, 'keepdims': False}",
        "operands could not be broadcast",
        "sum backward computes: Every summed element receives the gradient of its sum",
    ],
    ids=["op", "input-shape", "grad-shape", "params", "numpy-message", "docstring-summary"],
)
def test_numpy_error_inside_a_backward_says_what_failed_on_what(sum_backward_error, fragment):
    assert fragment in str(sum_backward_error), str(sum_backward_error)


def test_numpy_error_inside_a_backward_keeps_the_original_as_its_cause(sum_backward_error):
    cause = sum_backward_error.__cause__
    assert type(cause) is ValueError and "could not be broadcast" in str(cause)


def test_original_error_of_a_backward_reaches_the_line_that_raised_it(sum_backward_error):
    frames = traceback.extract_tb(sum_backward_error.__cause__.__traceback__)
    assert "_sum_backward_forgetting_the_summed_axes" in [frame.name for frame in frames]


def _reads_a_second_input(ctx, grad):
    """A unary backward that indexes a second input."""
    return (grad * ctx.inputs[1],)


def _adds_none(ctx, grad):
    """A backward that adds None to the gradient."""
    return (grad + None,)


@pytest.mark.parametrize(
    ("bad_backward", "error"),
    [(_reads_a_second_input, IndexError), (_adds_none, TypeError)],
    ids=["IndexError", "TypeError"],
)
def test_error_inside_a_backward_keeps_its_type_and_names_the_op(
    replace_registered, bad_backward, error
):
    replace_registered("gradients", "exp", bad_backward)
    with pytest.raises(error, match=r"exp backward failed on inputs \(2, 3\) float32"):
        leaf().exp().backward(NONUNIFORM)


def test_backward_without_a_docstring_still_names_the_op(replace_registered):
    replace_registered("gradients", "exp", lambda ctx, grad: (grad + None,))
    with pytest.raises(TypeError, match="exp backward failed") as caught:
        leaf().exp().backward(NONUNIFORM)
    assert "computes" not in str(caught.value)


@pytest.mark.parametrize(("bad_backward", "error", "message"), BAD_BACKWARDS)
def test_engine_checks_of_a_backward_result_are_not_wrapped(
    replace_registered, bad_backward, error, message
):
    replace_registered("gradients", "add", bad_backward)
    out = leaf() + Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    with pytest.raises(error) as caught:
        out.backward(NONUNIFORM)
    assert "backward failed" not in str(caught.value) and caught.value.__cause__ is None
