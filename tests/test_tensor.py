"""Tensor: construction and dtypes, plain properties, repr, and operators with mixed operands."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra import numpy as hnp

from core import Tensor, gradcheck

# ----- construction and dtype ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        [1.0, 2.0],
        [1, 2],
        3,
        2.5,
        True,
        [[True, False]],
        np.array([1, 2], dtype=np.int64),
        np.array([1.0], dtype=np.float16),
        np.array([True]),
        np.int32(4),
    ],
    ids=[
        "floats",
        "ints",
        "int",
        "float",
        "bool",
        "bools",
        "int64-array",
        "float16-array",
        "bool-array",
        "numpy-int-scalar",
    ],
)
def test_tensor_is_float32_by_default(data):
    assert Tensor(data).dtype == np.float32


@pytest.mark.parametrize(
    "data", [np.zeros(3), np.float64(1.5), np.ones((2, 2))], ids=["array", "numpy-scalar", "matrix"]
)
def test_tensor_keeps_float64_arrays_as_float64(data):
    assert Tensor(data).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float64, np.float16, np.int64, np.int32, np.bool_])
def test_tensor_respects_the_dtype_argument(dtype):
    assert Tensor([1, 0, 1], dtype=dtype).dtype == dtype


@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)))
def test_tensor_does_not_copy_a_float32_array(array):
    assert np.shares_memory(Tensor(array).data, array)


def test_tensor_does_not_copy_a_float64_array():
    array = np.arange(6.0).reshape(2, 3)
    assert np.shares_memory(Tensor(array).data, array)


@pytest.mark.parametrize(
    "data",
    ["abc", ["a", "b"], object(), [object()], None, 1 + 2j, np.array([1j, 2j])],
    ids=["string", "strings", "object", "objects", "none", "complex", "complex-array"],
)
def test_tensor_of_non_real_data_raises_type_error(data):
    with pytest.raises(TypeError, match="real"):
        Tensor(data)


@pytest.mark.parametrize("dtype", [np.complex64, object, str])
def test_tensor_with_a_non_real_dtype_raises_type_error(dtype):
    with pytest.raises(TypeError, match="real"):
        Tensor([1.0], dtype=dtype)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_requires_grad_on_a_non_float_dtype_raises_type_error(dtype):
    with pytest.raises(TypeError, match="floating-point"):
        Tensor([1, 2], requires_grad=True, dtype=dtype)


# ----- plain properties ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [("shape", (2, 3)), ("ndim", 2), ("size", 6), ("dtype", np.float32), ("requires_grad", False)],
)
def test_tensor_property_matches_its_array(attribute, expected):
    assert getattr(Tensor(np.zeros((2, 3), dtype=np.float32)), attribute) == expected


def test_len_is_the_size_of_the_first_axis():
    assert len(Tensor(np.zeros((4, 2)))) == 4


def test_item_returns_a_python_float():
    value = Tensor([[2.5]]).item()
    assert type(value) is float and value == 2.5


def test_item_of_a_tensor_with_several_elements_raises_value_error_naming_the_shape():
    with pytest.raises(ValueError, match=r"\(2,\)"):
        Tensor([1.0, 2.0]).item()


def test_numpy_returns_the_tensors_own_array():
    t = Tensor([1.0, 2.0])
    assert t.numpy() is t.data


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int64])
def test_detach_shares_data_and_keeps_the_dtype(dtype):
    t = Tensor([1, 2, 3], dtype=dtype)
    detached = t.detach()
    assert detached.dtype == dtype and np.shares_memory(detached.data, t.data)


def test_detach_of_a_graph_result_does_not_require_grad():
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    assert y.detach().requires_grad is False


def test_detach_of_a_graph_result_is_a_leaf():
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    assert y.detach().is_leaf and y.detach().grad_fn is None


def test_new_tensor_is_a_leaf_without_grad():
    t = Tensor([1.0], requires_grad=True)
    assert t.is_leaf and t.grad is None and t.grad_fn is None


def test_op_result_names_its_op_in_grad_fn():
    assert (Tensor([1.0], requires_grad=True) * 2).grad_fn == "mul"


# ----- repr ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Tensor([1.5, -2.0]), ["1.5", "-2.", "dtype=float32"]),
        (lambda: Tensor(np.array([3.0])), ["3.", "dtype=float64"]),
        (lambda: Tensor([1.0], requires_grad=True), ["requires_grad=True"]),
        (lambda: Tensor([1.0], requires_grad=True) * 2, ["2.", "grad_fn=<mul>"]),
    ],
    ids=["data-and-dtype", "float64", "leaf-requiring-grad", "op-result"],
)
def test_repr_shows_data_dtype_and_grad_information(make, expected):
    text = repr(make())
    missing = [part for part in expected if part not in text]
    assert not missing, f"repr {text!r} lacks {missing}"


def test_repr_of_a_plain_tensor_does_not_mention_grad():
    assert "grad" not in repr(Tensor([1.0]))


# ----- operators with Python numbers, NumPy arrays and tensors ---------------------------------

MIXED_OPERANDS = {
    "2 + t": lambda t: 2 + t,
    "t + 2": lambda t: t + 2,
    "2 - t": lambda t: 2 - t,
    "t - 2.5": lambda t: t - 2.5,
    "3 * t": lambda t: 3 * t,
    "t * 0.5": lambda t: t * 0.5,
    "1 / t": lambda t: 1 / t,
    "t / 4": lambda t: t / 4,
    "True * t": lambda t: True * t,
    "t ** 2": lambda t: t**2,
    "t ** 0.5": lambda t: t**0.5,
    "2 ** t": lambda t: 2**t,
    "t ** t": lambda t: t**t,
    "-t": lambda t: -t,
    "np.float64(2) * t": lambda t: np.float64(2) * t,
    "t + list": lambda t: t + [1.0, 2.0, 3.0],  # noqa: RUF005
    "ones32 + t": lambda t: np.ones(3, dtype=np.float32) + t,
    "t * ones32": lambda t: t * np.ones(3, dtype=np.float32),
    "ones + t": lambda t: np.ones(3) + t,
    "t + ones": lambda t: t + np.ones(3),
    "ones - t": lambda t: np.ones(3) - t,
    "t - ones": lambda t: t - np.ones(3),
    "ones * t": lambda t: np.ones(3) * t,
    "t * ones": lambda t: t * np.ones(3),
    "ones / t": lambda t: np.ones(3) / t,
    "t / ones": lambda t: t / np.ones(3),
    "ones @ t": lambda t: np.ones(3) @ t,
    "t @ ones": lambda t: t @ np.ones(3),
    "twos ** t": lambda t: np.full(3, 2.0) ** t,
    "t ** twos": lambda t: t ** np.full(3, 2.0),
}


@pytest.mark.parametrize("expression", MIXED_OPERANDS.values(), ids=MIXED_OPERANDS.keys())
def test_operator_with_numbers_or_arrays_returns_a_tensor(expression):
    assert isinstance(expression(Tensor([1.0, 2.0, 4.0])), Tensor)


@pytest.mark.parametrize("expression", MIXED_OPERANDS.values(), ids=MIXED_OPERANDS.keys())
def test_operator_with_numbers_or_arrays_keeps_float32(expression):
    assert expression(Tensor([1.0, 2.0, 4.0])).dtype == np.float32


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda t: 2 - t, [1.0, 0.0, -2.0]),
        (lambda t: 1 / t, [1.0, 0.5, 0.25]),
        (lambda t: np.ones(3) * t, [1.0, 2.0, 4.0]),
        (lambda t: np.arange(3.0) - t, [-1.0, -1.0, -2.0]),
        (lambda t: 2**t, [2.0, 4.0, 16.0]),
        (lambda t: t**t, [1.0, 4.0, 256.0]),
    ],
    ids=["2 - t", "1 / t", "ones * t", "arange - t", "2 ** t", "t ** t"],
)
def test_reflected_operator_puts_the_other_operand_first(expression, expected):
    np.testing.assert_allclose(expression(Tensor([1.0, 2.0, 4.0])).numpy(), expected, rtol=1e-6)


def test_ndarray_plus_tensor_is_a_tensor_not_an_object_array():
    result = np.zeros((2, 3)) + Tensor(np.ones((2, 3), dtype=np.float32))
    assert type(result) is Tensor


@pytest.mark.parametrize(
    "exponent",
    [2, 2.0, np.int64(2), np.float32(2.0)],
    ids=["int", "float", "numpy-int", "numpy-float32"],
)
def test_power_by_a_number_works_for_negative_bases(exponent):
    np.testing.assert_allclose((Tensor([-3.0, 2.0]) ** exponent).numpy(), [9.0, 4.0])


def test_integer_tensor_plus_a_python_float_is_not_truncated():
    result = Tensor([1, 2], dtype=np.int64) + 0.5
    np.testing.assert_allclose(result.numpy(), [1.5, 2.5])


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_tensor_plus_a_python_int_keeps_its_dtype(dtype):
    assert (Tensor([1, 2], dtype=dtype) + 3).dtype == dtype


@pytest.mark.parametrize("number", [0.5, 2, -0.0], ids=["float", "int", "negative-zero"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_python_number_reaches_the_forward_as_a_0d_array_of_the_tensors_dtype(
    replace_registered, number, dtype
):
    seen = []

    def recording_mul(a, b):
        seen.append(b)
        return a * b

    replace_registered("ops", "mul", recording_mul)
    Tensor(np.ones(3, dtype)) * number
    (b,) = seen
    assert (type(b), b.shape, b.dtype, np.signbit(b)) == (
        np.ndarray,
        (),
        np.dtype(dtype),
        np.signbit(number),
    )


def test_tensor_to_the_power_of_a_tensor_differentiates_both_operands():
    gradcheck(
        lambda x, p: x**p,
        [np.array([0.5, 1.5, 2.0]), np.array([1.5, -0.5, 3.0])],
        numpy_fn=np.power,
    )


def test_number_to_the_power_of_a_tensor_differentiates_the_exponent():
    gradcheck(
        lambda p: 2**p, [np.array([[-1.0, 0.5], [2.0, 3.0]])], numpy_fn=lambda p: np.power(2.0, p)
    )
