"""ex11: a saliency map is a measurement — after ``class_score_gradient`` no parameter carries
a gradient it did not have, every parameter's ``requires_grad`` and the model's ``training``
mode are as before (also after an error), and neither the images nor the model's weights
changed."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis
from exercises.ex11_saliency_and_weights.tests.subjects import CLASSES, mlp, random_images


def test_parameters_carry_no_gradient_afterwards():
    model = mlp()
    analysis.class_score_gradient(model, random_images(), 1)
    with_gradient = [name for name, p in model.named_parameters() if p.grad is not None]
    assert not with_gradient, (
        f"after class_score_gradient the parameters {with_gradient} have a .grad: the "
        "measurement left gradients behind that the next optimizer step would use. Call "
        "model.requires_grad_(False) before the backward (and restore the flags after)"
    )


def test_gradients_already_on_the_parameters_are_left_unchanged():
    model = mlp()
    for parameter in model.parameters():
        parameter.grad = np.ones_like(parameter.data)
    analysis.class_score_gradient(model, random_images(), 2)
    changed = [
        name
        for name, p in model.named_parameters()
        if p.grad is None or not np.array_equal(p.grad, np.ones_like(p.data))
    ]
    assert not changed, (
        f"class_score_gradient changed the .grad of {changed}: a measurement must neither add "
        "to nor clear the gradients a training step has accumulated"
    )


def test_weights_and_images_are_not_modified():
    model, x = mlp(), random_images()
    weights, images = model.state_dict(), x.copy()
    analysis.class_score_gradient(model, x, 0)
    changed = [
        name
        for name, value in model.state_dict().items()
        if not np.array_equal(value, weights[name])
    ]
    assert not changed and np.array_equal(x, images), (
        f"class_score_gradient changed {changed or 'the images'}; it must only read them"
    )


@pytest.mark.parametrize("training", [True, False], ids=["train-mode", "eval-mode"])
def test_training_mode_is_restored(training):
    model = mlp()
    model.train(training)
    analysis.class_score_gradient(model, random_images(), 0)
    modes = {type(m).__name__: m.training for m in model.modules()}
    assert all(mode == training for mode in modes.values()), (
        f"the model was in training={training} before class_score_gradient and is now in "
        f"{modes}; remember model.training and call model.train(was_training) in a finally:"
    )


def test_requires_grad_flags_are_restored_including_a_frozen_layer():
    model = mlp()
    model.layers[0].requires_grad_(False)  # a frozen first layer, as in transfer learning
    before = {name: p.requires_grad for name, p in model.named_parameters()}
    analysis.class_score_gradient(model, random_images(), 3)
    after = {name: p.requires_grad for name, p in model.named_parameters()}
    assert after == before, (
        f"requires_grad was {before} before class_score_gradient and {after} after; restore "
        "each parameter's own flag (not all True, not all False) in a finally: block"
    )


def test_flags_and_mode_are_restored_after_an_error():
    model = mlp()
    with pytest.raises(ValueError):
        analysis.class_score_gradient(model, random_images(), CLASSES)
    flags = [p.requires_grad for p in model.parameters()]
    assert all(flags) and model.training, (
        "after class_score_gradient raised, the model was left with requires_grad "
        f"{flags} and training={model.training}; restore both in a finally: block so that an "
        "error does not leave the model frozen or in eval mode"
    )
