"""Reference solution of ex11 (saliency and weights): the gradient of a class score with
respect to the input, and the first layer's weights shown as images."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn

# ----- saliency: d logit_c / d x ----------------------------------------------------------------


def _class_indices(classes: Any, batch: int, num_classes: int) -> np.ndarray:
    """``classes`` (an int, or one per row) as an int64 array (batch,), checked."""
    indices = np.asarray(classes)
    if indices.dtype.kind not in "iu":
        raise ValueError(
            f"class_score_gradient: classes must be integer class indices; got {classes!r} "
            f"(dtype {indices.dtype}). Pass an int, or an int array of shape ({batch},)"
        )
    if indices.ndim == 0:
        indices = np.full(batch, indices)
    if indices.shape != (batch,):
        raise ValueError(
            f"class_score_gradient: classes must be one int or one per row, shape ({batch},); "
            f"got shape {indices.shape}"
        )
    outside = (indices < 0) | (indices >= num_classes)
    if outside.any():
        raise ValueError(
            f"class_score_gradient: class {indices[outside][0]} is outside [0, {num_classes}) "
            f"for a model with C = {num_classes} classes"
        )
    return indices.astype(np.int64)


def _flat_images(x: Any) -> np.ndarray:
    """x as float32 (N, D), or a ValueError saying how to flatten it."""
    x = np.asarray(getattr(x, "data", x), dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(
            f"class_score_gradient: x must be a batch of flat images (N, D); got shape "
            f"{x.shape}. Flatten each image first: x.reshape(len(x), -1)"
        )
    return x


def _logits(model: Module, inputs: Tensor) -> Tensor:
    """model(inputs), a model that does not take them named as class_score_gradient's error."""
    try:
        return model(inputs)
    except ValueError as error:
        raise ValueError(
            f"class_score_gradient: the model does not take x of shape {inputs.shape}: {error}"
        ) from error


def class_score_gradient(model: Module, x: Any, classes: Any) -> np.ndarray:
    """d logit_c / d x for each row of x (N, D) and its class c: (N, D) float32; the model's
    parameters get no gradient, and its mode and flags are as they were before."""
    x = _flat_images(x)
    parameters = list(model.parameters())
    flags = [parameter.requires_grad for parameter in parameters]
    was_training = model.training
    model.eval()
    model.requires_grad_(False)
    try:
        inputs = Tensor(x.copy(), requires_grad=True)
        logits = _logits(model, inputs)
        indices = _class_indices(classes, len(x), logits.shape[1])
        one_hot = np.zeros_like(logits.data)
        one_hot[np.arange(len(x)), indices] = 1
        # Rows do not interact, so the one-hot upstream gradient picks d z_(i, c_i) / d x_i.
        logits.backward(one_hot)
        return inputs.grad
    finally:
        for parameter, flag in zip(parameters, flags):
            parameter.requires_grad_(flag)
        model.train(was_training)


# ----- the first layer's weights as images ------------------------------------------------------


def _first_layer(model: Module, caller: str) -> nn.Linear:
    """The model's first leaf module (``layers.0`` of an MLPClassifier); it must be a Linear."""
    first = next(module for module in model.modules() if not list(module.children()))
    if not isinstance(first, nn.Linear):
        raise ValueError(
            f"{caller}: the model's first layer is {type(first).__name__}, not a Linear; "
            "weight images need a first Linear layer whose weight rows are the neurons' "
            "input weights, such as models.MLPClassifier(D, hidden_sizes, C)"
        )
    return first


def _weight_images(model: Module, image_shape: Sequence[int], caller: str) -> np.ndarray:
    """The first Linear's weight (H_out, D) as a copy of shape (H_out, *image_shape)."""
    weight = _first_layer(model, caller).weight.data
    shape = tuple(int(n) for n in image_shape)
    if int(np.prod(shape)) != weight.shape[1]:
        raise ValueError(
            f"{caller}: image_shape {shape} has {int(np.prod(shape))} pixels, but the first "
            f"layer takes in_features={weight.shape[1]}; pass the shape of the images the model "
            "was trained on, e.g. (8, 8) for digits"
        )
    return weight.reshape(len(weight), *shape).copy()


def first_layer_weight_images(
    model: Module, image_shape: Sequence[int], neurons: Sequence[int] | None = None
) -> np.ndarray:
    """Each first-layer neuron's input weights (a row of the weight) as an image:
    (len(neurons), *image_shape) float32, all H_out neurons if ``neurons`` is None."""
    images = _weight_images(model, image_shape, "first_layer_weight_images")
    if neurons is None:
        return images
    chosen = np.asarray(neurons)
    if chosen.ndim != 1 or (chosen.size and chosen.dtype.kind not in "iu"):
        raise ValueError(
            f"first_layer_weight_images: neurons must be a list of int neuron indices; got "
            f"{neurons!r}. Pass e.g. neurons=[0, 3], or None for all {len(images)}"
        )
    outside = (chosen < 0) | (chosen >= len(images))
    if outside.any():
        raise ValueError(
            f"first_layer_weight_images: neuron {chosen[outside][0]} is outside "
            f"[0, {len(images)}): the first layer has H_out = {len(images)} neurons"
        )
    return images[chosen.astype(np.int64)]


def mean_weight_image(model: Module, image_shape: Sequence[int]) -> np.ndarray:
    """The signed mean over the first layer's neurons of their weight images: image_shape."""
    return _weight_images(model, image_shape, "mean_weight_image").mean(axis=0)


@hookimpl
def gradkit_register_analysis(register):
    register("class_score_gradient", class_score_gradient)
    register("first_layer_weight_images", first_layer_weight_images)
    register("mean_weight_image", mean_weight_image)
