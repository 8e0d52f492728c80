"""ex10: what both attacks promise whatever the model — a float32 array of the images' shape,
every pixel within ε of the image (the L∞ bound) and within [0, 1], ε = 0 changes nothing, and
nothing they are given changes: not the images, not the labels, not the model's parameters."""

from __future__ import annotations

import numpy as np
import pytest

from exercises.ex10_adversarial_images.tests.victims import (
    ATTACK_PARAMS,
    TARGETED_PARAMS,
    attack,
    small_victim,
)

ROUNDING = 1e-6  # float32 rounding of x ± ε


@pytest.mark.parametrize("targeted", TARGETED_PARAMS)
@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_returns_float32_images_of_the_input_shape(name, targeted):
    victim = small_victim()
    got = attack(name, victim, 0.1, targeted)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, (
        f"{name} returned {type(got).__name__} {getattr(got, 'dtype', '')}; expected a float32 "
        "NumPy array (the perturbed images, not a Tensor)"
    )
    assert got.shape == victim.x.shape, (
        f"{name} returned shape {got.shape} for images of shape {victim.x.shape}; expected the "
        "same shape: one perturbed image per row"
    )


@pytest.mark.parametrize("epsilon", [0.05, 0.2])
@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_changes_no_pixel_by_more_than_epsilon(name, epsilon):
    victim = small_victim()
    change = float(np.abs(attack(name, victim, epsilon) - victim.x).max())
    assert change <= epsilon + ROUNDING, (
        f"{name}(epsilon={epsilon}) changed a pixel by {change:.4f} > ε: the result must stay in "
        "the L∞ ball of radius ε around the original image; in the iterative attack, clip each "
        "step's result to [x − ε, x + ε], x the image you were given"
    )


@pytest.mark.parametrize("targeted", TARGETED_PARAMS)
@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_keeps_every_pixel_in_zero_one(name, targeted):
    victim = small_victim()
    got = attack(name, victim, 0.5, targeted)
    low, high = float(got.min()), float(got.max())
    assert low >= 0 and high <= 1, (
        f"{name}(epsilon=0.5) gave pixels from {low:.3f} to {high:.3f}; pixels must stay in "
        "[0, 1]: clip the result with np.clip(x_adv, 0, 1)"
    )


@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_with_epsilon_zero_returns_the_images_unchanged(name):
    victim = small_victim()
    got = attack(name, victim, 0.0)
    assert np.array_equal(got, victim.x), (
        f"{name}(epsilon=0) changed the images (largest change "
        f"{float(np.abs(got - victim.x).max()):.3g}); with ε = 0 no pixel may move"
    )


@pytest.mark.parametrize("targeted", TARGETED_PARAMS)
@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_does_not_modify_the_images_or_labels_it_is_given(name, targeted):
    victim = small_victim()
    images, labels, targets = victim.x.copy(), victim.labels.copy(), victim.targets.copy()
    attack(name, victim, 0.2, targeted)
    changed = [
        what
        for what, before, after in [
            ("images", images, victim.x),
            ("labels", labels, victim.labels),
            ("targets", targets, victim.targets),
        ]
        if not np.array_equal(before, after)
    ]
    assert not changed, (
        f"{name} modified the {' and '.join(changed)} it was given; work on new arrays "
        "(x_adv = x + ..., not x += ...)"
    )


@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_leaves_the_parameters_gradients_as_they_were(name):
    victim = small_victim()
    parameters = list(victim.model.parameters())
    for parameter in parameters[:2]:  # the first layer holds a gradient from before
        parameter.grad = np.ones_like(parameter.data)
    before = [None if p.grad is None else p.grad.copy() for p in parameters]
    attack(name, victim, 0.1)
    changed = [
        index
        for index, (parameter, grad) in enumerate(zip(parameters, before))
        if (parameter.grad is None) != (grad is None)
        or (grad is not None and not np.array_equal(parameter.grad, grad))
    ]
    assert not changed, (
        f"{name} changed the .grad of parameters {changed} (in the order of "
        "model.parameters()); the attack needs the gradient of the input only: freeze the model "
        "with model.requires_grad_(False) while it runs (zero_grad() would wipe gradients the "
        "caller still needs)"
    )


@pytest.mark.parametrize("name", ATTACK_PARAMS)
def test_attack_gives_each_parameter_its_requires_grad_back(name):
    victim = small_victim()
    victim.model.get_submodule("layers.0").requires_grad_(False)  # a frozen first layer
    before = [p.requires_grad for p in victim.model.parameters()]
    attack(name, victim, 0.1)
    after = [p.requires_grad for p in victim.model.parameters()]
    assert after == before, (
        f"{name} changed the parameters' requires_grad from {before} to {after}; remember "
        "each parameter's flag before freezing the model and restore it afterwards (a frozen "
        "layer stays frozen, the others train again)"
    )
