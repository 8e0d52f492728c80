"""ex10's spot checks: FGSM and iterative FGSM on drawn images against drawn MLPs, untargeted and
targeted, and what an attack must leave as it was: the images, the labels, the parameters'
gradients and flags (see exercises/testing/probes)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import analysis, models
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex10_adversarial_images.tests.victims import (
    SMALL_BATCH,
    SMALL_CLASSES,
    SMALL_FEATURES,
    Victim,
    other_classes,
)
from exercises.testing.probes import Probe, parameter_id, test_named


def _victim(rng: np.random.Generator, hidden_sizes: list[int]) -> Victim:
    """MLPClassifier(16, hidden_sizes, 4) with drawn parameters, 6 drawn images in [0, 1], drawn
    labels and, for each, another class as its target."""
    model = models.MLPClassifier(SMALL_FEATURES, hidden_sizes, SMALL_CLASSES)
    randomize_parameters(model, rng)
    x = rng.uniform(0, 1, (SMALL_BATCH, SMALL_FEATURES)).astype(np.float32)
    labels = rng.integers(0, SMALL_CLASSES, SMALL_BATCH)
    return Victim(model, x, labels, other_classes(labels, SMALL_CLASSES, int(rng.integers(2**31))))


ARCHITECTURES = {"linear": [], "one hidden layer": [12]}


def _attack(name: str, options: Callable[[np.random.Generator], dict[str, dict]]):
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        """analysis.<name> of drawn images against MLPClassifier(16, [], 4) and (16, [12], 4)
        with drawn parameters, untargeted and targeted, at a drawn ε in [0.1, 0.4] (so that
        some pixels are clipped), for each set of options; then against a fresh (16, [12], 4)
        with drawn gradients already on its parameters and its first layer frozen: the result
        at ε = 0, whether it is float32, and whether the images, labels, targets, gradients and
        every requires_grad are as they were."""
        attack = getattr(analysis, name)
        values = {}
        for architecture, hidden_sizes in ARCHITECTURES.items():
            victim = _victim(rng, hidden_sizes)
            epsilon = float(rng.uniform(0.1, 0.4))
            for title, extra in options(rng).items():
                for targeted, labels in [(False, victim.labels), (True, victim.targets)]:
                    key = f"{architecture}{title}, {'targeted' if targeted else 'untargeted'}"
                    values[key] = attack(
                        victim.model, victim.x, labels, epsilon, targeted=targeted, **extra
                    )
        victim = _victim(rng, [12])
        parameters = list(victim.model.parameters())
        for parameter in parameters:
            parameter.grad = rng.standard_normal(parameter.shape).astype(np.float32)
        victim.model.get_submodule("layers.0").requires_grad_(False)
        before = [(p.grad.copy(), p.requires_grad) for p in parameters]
        given = victim.x.copy(), victim.labels.copy(), victim.targets.copy()
        unmoved = attack(victim.model, victim.x, victim.labels, 0.0)
        moved = attack(
            victim.model, victim.x, victim.targets, 0.2, targeted=True, **options(rng)[""]
        )
        values["epsilon 0"] = unmoved
        values["float32"] = flag(unmoved.dtype == moved.dtype == np.float32)
        values["inputs unchanged"] = flag(
            all(
                np.array_equal(a, b)
                for a, b in zip(given, (victim.x, victim.labels, victim.targets))
            )
        )
        values["gradients and flags unchanged"] = flag(
            all(
                p.grad is not None and np.array_equal(p.grad, grad) and p.requires_grad == trains
                for p, (grad, trains) in zip(parameters, before)
            )
        )
        return values

    return compute


def _no_options(rng: np.random.Generator) -> dict[str, dict]:
    return {"": {}}


def _steps(rng: np.random.Generator) -> dict[str, dict]:
    """A drawn number of steps, with a drawn step size and with the default one."""
    steps = int(rng.integers(2, 7))
    return {
        ", given step": {"steps": steps, "step_size": float(rng.uniform(0.02, 0.1))},
        "": {"steps": steps},
    }


PROBES = [
    Probe(
        "fgsm",
        parameter_id("fgsm")
        + "|"
        + test_named("test_fgsm_steps_epsilon_along_the_sign_of_the_input_gradient"),
        _attack("fgsm", _no_options),
    ),
    Probe(
        "iterative_fgsm",
        parameter_id("iterative_fgsm")
        + "|"
        + parameter_id("iterative")
        + "|"
        + test_named("test_iterative_fgsm_takes_projected_sign_steps"),
        _attack("iterative_fgsm", _steps),
    ),
]
