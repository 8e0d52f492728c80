"""ex10: the attacks' values against float64 NumPy — FGSM is one clipped step of ε along the sign
of the input gradient (+ for the true labels, − towards targets), and iterative FGSM repeats small
steps, each projected onto the ε-ball around the image and onto [0, 1]."""

from __future__ import annotations

import pytest

from exercises.ex10_adversarial_images.tests.oracles import numpy_fgsm, numpy_iterative_fgsm
from exercises.ex10_adversarial_images.tests.victims import TARGETED_PARAMS, attack, small_victim
from exercises.testing.checks import assert_values

EPSILON = 0.3  # large enough that some pixels of images in [0, 1] are clipped
SIGN_HINT = (
    "x_adv = clip(x + ε·sign(g), 0, 1) with g = d/dx of the summed cross-entropy of the true "
    "labels (untargeted), or clip(x − ε·sign(g), 0, 1) with g for the target labels (targeted)"
)
ITERATIVE_HINT = (
    "each step: x' = x_k ± α·sign(g at x_k), then clip to [x − ε, x + ε] around the ORIGINAL "
    "image, then to [0, 1]; the default α is 2.5·ε/steps"
)


@pytest.mark.parametrize("targeted", TARGETED_PARAMS)
@pytest.mark.parametrize("hidden_sizes", [[], [12]], ids=["linear", "one-hidden-layer"])
def test_fgsm_steps_epsilon_along_the_sign_of_the_input_gradient(hidden_sizes, targeted):
    victim = small_victim(hidden_sizes)
    labels = victim.targets if targeted else victim.labels
    assert_values(
        f"fgsm(MLPClassifier(16, {hidden_sizes}, 4), x, labels, epsilon={EPSILON}, "
        f"targeted={targeted}) is wrong",
        numpy_fgsm(victim.model, victim.x, labels, EPSILON, targeted),
        attack("fgsm", victim, EPSILON, targeted),
        SIGN_HINT,
    )


@pytest.mark.parametrize("targeted", TARGETED_PARAMS)
@pytest.mark.parametrize(("steps", "step_size"), [(3, 0.04), (4, None)], ids=["given", "default"])
def test_iterative_fgsm_takes_projected_sign_steps(steps, step_size, targeted):
    victim = small_victim()
    labels = victim.targets if targeted else victim.labels
    epsilon = 0.1
    assert_values(
        f"iterative_fgsm(model, x, labels, epsilon={epsilon}, steps={steps}, "
        f"step_size={step_size}, targeted={targeted}) is wrong",
        numpy_iterative_fgsm(victim.model, victim.x, labels, epsilon, steps, step_size, targeted),
        attack("iterative_fgsm", victim, epsilon, targeted, steps=steps, step_size=step_size),
        ITERATIVE_HINT,
    )
