"""ex10: the attacks work on a real classifier — an MLPClassifier(64, [64], 10) trained on the
8x8 digits (pixels in [0, 1]), attacked on the test images it classifies correctly. The
success rates and confidences are computed by the tests from the model's logits."""

from __future__ import annotations

import numpy as np
import pytest

from exercises.ex10_adversarial_images.tests.victims import (
    attack,
    predictions,
    probabilities,
    trained_digits,
)

# (attack, targeted, epsilon, lowest and highest success rate allowed). Success: untargeted, the
# class is no longer the true one; targeted, the class is the target (another class drawn at
# random for each image). The bounds are for 8x8 digits: on 28x28 MNIST much smaller ε suffice.
SUCCESS_RATES = [
    pytest.param("fgsm", False, 0.2, 0.9, 1.0, id="fgsm-untargeted-eps-0.2-flips-at-least-90%"),
    pytest.param("fgsm", False, 0.05, 0.0, 0.3, id="fgsm-untargeted-eps-0.05-flips-at-most-30%"),
    pytest.param(
        "iterative_fgsm", True, 0.3, 0.95, 1.0, id="iterative-targeted-eps-0.3-reaches-95%"
    ),
]
SMALL_EPSILON = 0.02  # small enough that the loss changes almost linearly with the step


@pytest.mark.parametrize(("name", "targeted", "epsilon", "lowest", "highest"), SUCCESS_RATES)
def test_attack_success_rate_on_trained_digits_is_in_its_range(
    name, targeted, epsilon, lowest, highest
):
    victim = trained_digits()
    classes = predictions(victim.model, attack(name, victim, epsilon, targeted))
    success = np.mean(classes == victim.targets) if targeted else np.mean(classes != victim.labels)
    kind = "of random targets reached" if targeted else "misclassified"
    assert lowest <= success <= highest, (
        f"{name}(epsilon={epsilon}, targeted={targeted}) on {len(victim.x)} correctly "
        f"classified test digits: {success:.1%} {kind}; expected between {lowest:.0%} and "
        f"{highest:.0%}. Check the sign of the step (+ for untargeted, − for targeted) and that "
        "it uses the gradient of the loss with respect to the input pixels"
    )


@pytest.mark.parametrize(
    ("name", "targeted"),
    [("fgsm", False), ("fgsm", True), ("iterative_fgsm", False), ("iterative_fgsm", True)],
    ids=["fgsm-untargeted", "fgsm-targeted", "iterative-untargeted", "iterative-targeted"],
)
def test_small_step_moves_the_confidence_the_right_way_on_almost_every_digit(name, targeted):
    victim = trained_digits()
    watched = victim.targets if targeted else victim.labels
    rows = np.arange(len(watched))
    before = probabilities(victim.model, victim.x)[rows, watched]
    after = probabilities(victim.model, attack(name, victim, SMALL_EPSILON, targeted))[
        rows, watched
    ]
    right_way = np.mean(after > before) if targeted else np.mean(after < before)
    which, way = ("target", "rise") if targeted else ("true class", "fall")
    assert right_way >= 0.99, (
        f"{name}(epsilon={SMALL_EPSILON}, targeted={targeted}): the probability of the {which} "
        f"should {way} on almost every digit; it did on {right_way:.1%}. Untargeted steps go "
        "UP the loss of the true labels (+ε·sign(g)), targeted ones DOWN the loss of the "
        "targets (−ε·sign(g))"
    )
