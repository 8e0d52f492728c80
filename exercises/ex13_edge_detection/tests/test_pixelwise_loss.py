"""ex13: ``nn.PixelwiseLoss`` is the per-pixel BCE of the logits (or the MSE of their sigmoid)
averaged over every pixel of every image: its value and its gradient equal the formulas, it is
exact at logits of ±1e4, and it stays float32."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, nn
from exercises.ex13_edge_detection.tests.edges import random_masks

SHAPES = [pytest.param((1, 4), id="one-image"), pytest.param((6, 64), id="six-8x8-images")]
KINDS = [pytest.param("bce", id="bce"), pytest.param("mse", id="mse")]


def numpy_sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def numpy_loss(kind: str, z: np.ndarray, y: np.ndarray) -> float:
    """The formula in float64: the mean over all pixels."""
    z, y = z.astype(np.float64), y.astype(np.float64)
    if kind == "bce":
        return float(
            np.mean(-y * np.log(numpy_sigmoid(z)) - (1 - y) * np.log(1 - numpy_sigmoid(z)))
        )
    return float(np.mean((numpy_sigmoid(z) - y) ** 2))


def numpy_gradient(kind: str, z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d loss / d z in float64: (σ − y) / (N·D) for BCE, 2 (σ − y) σ (1 − σ) / (N·D) for MSE."""
    s = numpy_sigmoid(z.astype(np.float64))
    if kind == "bce":
        return (s - y) / z.size
    return 2 * (s - y) * s * (1 - s) / z.size


def logits_and_masks(shape, seed):
    z = np.random.default_rng(seed).normal(0, 3, shape).astype(np.float32)
    return z, random_masks(shape, 0.3, seed + 1).astype(np.float32)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_pixelwise_loss_equals_its_formula_averaged_over_all_pixels(kind, shape):
    z, y = logits_and_masks(shape, seed=0)
    got = nn.PixelwiseLoss(kind)(Tensor(z), y)
    expected = numpy_loss(kind, z, y)
    assert got.shape == (), f"PixelwiseLoss({kind!r}) has shape {got.shape}; one number, shape ()"
    assert float(got.item()) == pytest.approx(expected, rel=1e-5), (
        f"PixelwiseLoss({kind!r}) = {got.item()} on logits {shape}; the mean over all N·D pixels "
        f"of the formula is {expected}"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_pixelwise_loss_of_the_docstring_example(kind):
    got = nn.PixelwiseLoss(kind)(Tensor([[0.0, 2.0]]), np.array([[1.0, 0.0]])).item()
    expected = {"bce": 1.410038, "mse": 0.512901}[kind]
    assert got == pytest.approx(expected, abs=1e-5)


def test_pixelwise_loss_is_bce_by_default():
    z, y = logits_and_masks((3, 16), seed=2)
    got = nn.PixelwiseLoss()(Tensor(z), y).item()
    assert got == pytest.approx(numpy_loss("bce", z, y), rel=1e-5), (
        f"PixelwiseLoss() = {got}; the default kind is 'bce'"
    )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_pixelwise_loss_gradient_equals_its_formula(kind, shape):
    z, y = logits_and_masks(shape, seed=5)
    logits = Tensor(z, requires_grad=True)
    nn.PixelwiseLoss(kind)(logits, y).backward()
    expected = numpy_gradient(kind, z, y)
    np.testing.assert_allclose(
        logits.grad,
        expected,
        rtol=1e-4,
        atol=1e-8,
        err_msg=f"d PixelwiseLoss({kind!r}) / d logits on {shape}: see the formula in "
        "numpy_gradient; the mean divides by N·D, every pixel of every image",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_pixelwise_loss_accepts_bool_masks_and_stays_float32(kind):
    z, y = logits_and_masks((4, 9), seed=7)
    logits = Tensor(z, requires_grad=True)
    loss = nn.PixelwiseLoss(kind)(logits, y.astype(bool))
    loss.backward()
    assert loss.dtype == np.float32 and logits.grad.dtype == np.float32, (
        f"PixelwiseLoss({kind!r}) with bool masks gave a {loss.dtype} loss and a "
        f"{logits.grad.dtype} gradient; cast the masks to the logits' dtype"
    )
    assert loss.item() == pytest.approx(numpy_loss(kind, z, y), rel=1e-5)


def test_pixelwise_bce_is_exact_at_huge_logits():
    z = np.array([[1e4, -1e4, 1e4, -1e4]], np.float32)
    y = np.array([[1.0, 0.0, 0.0, 1.0]], np.float32)
    logits = Tensor(z, requires_grad=True)
    loss = nn.PixelwiseLoss("bce")(logits, y)
    loss.backward()
    # right with certainty: 0 each; wrong with certainty: 1e4 each -> mean 5e3
    assert loss.item() == pytest.approx(5e3), (
        f"PixelwiseLoss('bce') at logits ±1e4 = {loss.item()}; expected 5000. Use "
        "max(z, 0) - z*y + log(1 + e^-|z|), never log(sigmoid(z))"
    )
    np.testing.assert_allclose(logits.grad, [[0.0, 0.0, 0.25, -0.25]], atol=1e-7)
