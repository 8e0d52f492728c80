"""Known ex11 mistakes: saliency maps and weight images that look plausible but measure
something else, or leave the model changed."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from core import Tensor
from core import functional as F
from reference_solutions import ex11_saliency_and_weights as reference
from reference_solutions.mistakes import mistake


@contextmanager
def _frozen(model):
    """Eval mode and no parameter gradients meanwhile; afterwards every parameter trainable
    and the old mode back (the reference restores each parameter's own flag)."""
    was_training = model.training
    model.eval().requires_grad_(False)
    try:
        yield
    finally:
        model.requires_grad_(True).train(was_training)


def _input_gradient(model, x, classes, score):
    """The reference's checks, then d score(logits)[i, c_i] / d x_i without restoring anything:
    a helper for the mistakes below."""
    x = reference._flat_images(x)
    inputs = Tensor(x.copy(), requires_grad=True)
    logits = reference._logits(model, inputs)
    indices = reference._class_indices(classes, len(x), logits.shape[1])
    one_hot = np.zeros_like(logits.data)
    one_hot[np.arange(len(x)), indices] = 1
    score(logits).backward(one_hot)
    return inputs.grad


@mistake(
    "analysis",
    "class_score_gradient",
    "differentiates the softmax probability of the class instead of its logit",
)
def gradient_of_the_probability(model, x, classes):
    with _frozen(model):
        return _input_gradient(model, x, classes, lambda z: F.softmax(z, axis=-1))


@mistake(
    "analysis",
    "class_score_gradient",
    "backward with ones instead of a one-hot row: the gradient of the sum of all the logits",
)
def gradient_of_all_the_logits(model, x, classes):
    with _frozen(model):
        x = reference._flat_images(x)
        inputs = Tensor(x.copy(), requires_grad=True)
        logits = reference._logits(model, inputs)
        reference._class_indices(classes, len(x), logits.shape[1])
        logits.backward(np.ones_like(logits.data))
        return inputs.grad


@mistake(
    "analysis",
    "class_score_gradient",
    "does not freeze the parameters: the backward leaves gradients on the weights",
)
def gradients_left_on_the_weights(model, x, classes):
    was_training = model.training
    model.eval()
    try:
        return _input_gradient(model, x, classes, lambda z: z)
    finally:
        model.train(was_training)


@mistake(
    "analysis",
    "class_score_gradient",
    "freezes the model and switches it to eval mode, and never switches either back",
)
def model_left_frozen(model, x, classes):
    model.eval().requires_grad_(False)
    return _input_gradient(model, x, classes, lambda z: z)


@mistake(
    "analysis",
    "first_layer_weight_images",
    "treats the weight as (in, out): reshapes weight.T, scrambling the neurons' pixels",
)
def weight_images_of_the_transpose(model, image_shape, neurons=None):
    reference._weight_images(model, image_shape, "first_layer_weight_images")
    weight = reference._first_layer(model, "first_layer_weight_images").weight.data
    images = weight.T.copy().reshape(weight.shape[0], *image_shape)
    return images if neurons is None else images[np.asarray(neurons, np.int64)]


@mistake(
    "analysis",
    "first_layer_weight_images",
    "returns a view of the weight: writing into an image writes into the model",
)
def weight_images_as_a_view(model, image_shape, neurons=None):
    reference._weight_images(model, image_shape, "first_layer_weight_images")
    weight = reference._first_layer(model, "first_layer_weight_images").weight.data
    images = weight.reshape(weight.shape[0], *image_shape)
    return images if neurons is None else images[np.asarray(neurons, np.int64)]


@mistake(
    "analysis",
    "mean_weight_image",
    "averages |weight| instead of the signed weights",
)
def mean_of_the_absolute_weights(model, image_shape):
    return np.abs(reference._weight_images(model, image_shape, "mean_weight_image")).mean(axis=0)
