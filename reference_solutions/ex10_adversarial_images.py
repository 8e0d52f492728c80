"""Reference solution of ex10 (adversarial images): the fast gradient sign method, untargeted and
targeted, and its iterative variant projected onto the L∞ ball around the image and onto the
pixel range [0, 1]."""

from __future__ import annotations

import math
import numbers

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad

# Default step of the iterative attack, 2.5 ε / steps (Madry et al., 2018): the steps add up to
# more than ε, so the iterate reaches the surface of the ball and can then move along it.
STEP_SIZE_FACTOR = 2.5


def _checked_epsilon(function: str, epsilon: float) -> float:
    if not (isinstance(epsilon, numbers.Real) and math.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(
            f"{function}: epsilon must be a finite number >= 0 (the largest change of a pixel, "
            f"in the units of [0, 1]); got {epsilon!r}"
        )
    return float(epsilon)


def _checked_step_size(steps: int, step_size: float | None, epsilon: float) -> float:
    """The iterative attack's step α: ``step_size``, or 2.5 ε / steps for None; both checked."""
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"iterative_fgsm: steps must be a whole number >= 1; got {steps!r}")
    if step_size is None:
        return STEP_SIZE_FACTOR * epsilon / steps
    if not (isinstance(step_size, numbers.Real) and math.isfinite(step_size) and step_size > 0):
        raise ValueError(
            "iterative_fgsm: step_size must be a finite number > 0, or None for "
            f"{STEP_SIZE_FACTOR} * epsilon / steps; got {step_size!r}"
        )
    return float(step_size)


def _checked_batch(
    function: str, model: Module, x: np.ndarray, labels: np.ndarray, targeted: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``x`` as float32 (N, D) pixels in [0, 1] that fit the model, ``labels`` as (N,) class
    indices in [0, C), C the model's number of classes; a ValueError naming ``function`` else."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(
            f"{function}: images must be a 2-D array (N, D), one flattened image per row; got "
            f"shape {x.shape}; flatten them with x.reshape(len(x), -1)"
        )
    if not np.all((x >= 0) & (x <= 1)):
        raise ValueError(
            f"{function}: pixels must be in [0, 1]; got values from {x.min()} to {x.max()}; "
            "divide the images by their largest possible value (16 for raw digits, 255 for MNIST)"
        )
    what = "target classes" if targeted else "labels"
    labels = np.asarray(labels)
    if labels.shape != (len(x),) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{function}: {what} must be {len(x)} integer class indices, shape ({len(x)},), one "
            f"per image; got {labels.dtype} of shape {labels.shape}; for one-hot rows pass "
            "labels.argmax(axis=1)"
        )
    try:
        with no_grad():
            classes = model(Tensor(x)).shape[-1]
    except ValueError as error:
        raise ValueError(
            f"{function}: images of shape {x.shape} do not fit the model: {error}"
        ) from error
    outside = (labels < 0) | (labels >= classes)
    if outside.any():
        raise ValueError(
            f"{function}: {what} must be in [0, {classes}) for a model with {classes} classes; "
            f"got {labels[outside][0]}"
        )
    return x, labels


def _input_gradient(model: Module, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """d/dx of Σ_i cross-entropy(model(x)_i, labels_i): (N, D). Each image's row is the gradient
    of its own loss. The parameters are frozen meanwhile, so they get no gradient."""
    flags = [parameter.requires_grad for parameter in model.parameters()]
    model.requires_grad_(False)
    try:
        image = Tensor(x, requires_grad=True)
        nn.CrossEntropyLoss(reduction="sum")(model(image), labels).backward()
    finally:
        for parameter, flag in zip(model.parameters(), flags):
            parameter.requires_grad_(flag)
    return image.grad


def _sign_step(
    model: Module, x: np.ndarray, labels: np.ndarray, size: float, targeted: bool
) -> np.ndarray:
    """x + size · sign(∇x loss): up the loss of the true labels, or down (−) that of targets."""
    direction = -1.0 if targeted else 1.0
    return x + np.float32(direction * size) * np.sign(_input_gradient(model, x, labels))


def fgsm(
    model: Module, x: np.ndarray, labels: np.ndarray, epsilon: float, targeted: bool = False
) -> np.ndarray:
    """One step of size ε along the sign of the input gradient, clipped to [0, 1]: (N, D)."""
    epsilon = _checked_epsilon("fgsm", epsilon)
    x, labels = _checked_batch("fgsm", model, x, labels, targeted)
    return np.clip(_sign_step(model, x, labels, epsilon, targeted), 0.0, 1.0)


def iterative_fgsm(
    model: Module,
    x: np.ndarray,
    labels: np.ndarray,
    epsilon: float,
    steps: int = 10,
    step_size: float | None = None,
    targeted: bool = False,
) -> np.ndarray:
    """``steps`` sign steps of ``step_size`` (2.5 ε / steps by default), each projected onto
    the L∞ ball of radius ε around x and onto [0, 1]: (N, D)."""
    epsilon = _checked_epsilon("iterative_fgsm", epsilon)
    step_size = _checked_step_size(steps, step_size, epsilon)
    x, labels = _checked_batch("iterative_fgsm", model, x, labels, targeted)
    low, high = x - np.float32(epsilon), x + np.float32(epsilon)
    adversarial = x
    for _ in range(steps):
        stepped = _sign_step(model, adversarial, labels, step_size, targeted)
        adversarial = np.clip(np.clip(stepped, low, high), 0.0, 1.0)
    return adversarial


@hookimpl
def gradkit_register_analysis(register):
    register("fgsm", fgsm)
    register("iterative_fgsm", iterative_fgsm)
