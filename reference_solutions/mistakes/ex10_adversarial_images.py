"""Known ex10 mistakes: adversarial steps that look right on a picture and break a promise — the
direction of a targeted step, the pixel range, the ε-ball, the caller's arrays and model."""

from __future__ import annotations

import numpy as np

from reference_solutions import ex10_adversarial_images as reference
from reference_solutions.mistakes import mistake


@mistake("analysis", "fgsm", "ignores targeted: steps up the target's loss, away from the target")
def fgsm_ignoring_targeted(model, x, labels, epsilon, targeted=False):
    epsilon = reference._checked_epsilon("fgsm", epsilon)
    x, labels = reference._checked_batch("fgsm", model, x, labels, targeted)
    return np.clip(reference._sign_step(model, x, labels, epsilon, targeted=False), 0.0, 1.0)


@mistake("analysis", "fgsm", "forgets to clip to [0, 1]: pixels below 0 and above 1")
def fgsm_without_clipping(model, x, labels, epsilon, targeted=False):
    epsilon = reference._checked_epsilon("fgsm", epsilon)
    x, labels = reference._checked_batch("fgsm", model, x, labels, targeted)
    return reference._sign_step(model, x, labels, epsilon, targeted)


@mistake("analysis", "fgsm", "steps along the gradient itself, not its sign: no pixel moves by ε")
def fgsm_along_the_gradient(model, x, labels, epsilon, targeted=False):
    epsilon = reference._checked_epsilon("fgsm", epsilon)
    x, labels = reference._checked_batch("fgsm", model, x, labels, targeted)
    direction = -1.0 if targeted else 1.0
    gradient = reference._input_gradient(model, x, labels)
    return np.clip(x + np.float32(direction * epsilon) * gradient, 0.0, 1.0)


@mistake("analysis", "fgsm", "adds the step in place (x += ...): the caller's images change")
def fgsm_in_place(model, x, labels, epsilon, targeted=False):
    epsilon = reference._checked_epsilon("fgsm", epsilon)
    x, labels = reference._checked_batch("fgsm", model, x, labels, targeted)
    direction = -1.0 if targeted else 1.0
    x += np.float32(direction * epsilon) * np.sign(reference._input_gradient(model, x, labels))
    return np.clip(x, 0.0, 1.0, out=x)


@mistake("analysis", "fgsm", "never freezes the model: every parameter collects a gradient")
def fgsm_with_parameter_gradients(model, x, labels, epsilon, targeted=False):
    epsilon = reference._checked_epsilon("fgsm", epsilon)
    x, labels = reference._checked_batch("fgsm", model, x, labels, targeted)
    image = reference.Tensor(x, requires_grad=True)
    reference.nn.CrossEntropyLoss(reduction="sum")(model(image), labels).backward()
    direction = -1.0 if targeted else 1.0
    return np.clip(x + np.float32(direction * epsilon) * np.sign(image.grad), 0.0, 1.0)


@mistake("analysis", "fgsm", "freezes the model and leaves it frozen: it can no longer train")
def fgsm_leaving_the_model_frozen(model, x, labels, epsilon, targeted=False):
    adversarial = reference.fgsm(model, x, labels, epsilon, targeted)
    model.requires_grad_(False)
    return adversarial


@mistake("analysis", "iterative_fgsm", "clips each step to [0, 1] only, never into the ε-ball")
def iterative_fgsm_without_the_ball(
    model, x, labels, epsilon, steps=10, step_size=None, targeted=False
):
    epsilon = reference._checked_epsilon("iterative_fgsm", epsilon)
    step_size = reference._checked_step_size(steps, step_size, epsilon)
    x, labels = reference._checked_batch("iterative_fgsm", model, x, labels, targeted)
    adversarial = x
    for _ in range(steps):
        stepped = reference._sign_step(model, adversarial, labels, step_size, targeted)
        adversarial = np.clip(stepped, 0.0, 1.0)
    return adversarial


@mistake("analysis", "iterative_fgsm", "takes every step's gradient at the original image")
def iterative_fgsm_with_a_fixed_gradient(
    model, x, labels, epsilon, steps=10, step_size=None, targeted=False
):
    epsilon = reference._checked_epsilon("iterative_fgsm", epsilon)
    step_size = reference._checked_step_size(steps, step_size, epsilon)
    x, labels = reference._checked_batch("iterative_fgsm", model, x, labels, targeted)
    step = reference._sign_step(model, x, labels, step_size, targeted) - x
    adversarial = x
    for _ in range(steps):
        adversarial = np.clip(np.clip(adversarial + step, x - epsilon, x + epsilon), 0.0, 1.0)
    return adversarial


@mistake(
    "analysis",
    "iterative_fgsm",
    "takes the default step as ε / steps: a pixel reaches ε only if all steps agree",
)
def iterative_fgsm_with_short_default_steps(
    model, x, labels, epsilon, steps=10, step_size=None, targeted=False
):
    reference._checked_step_size(steps, step_size, epsilon)
    if step_size is None:
        step_size = epsilon / steps if epsilon > 0 else None
    return reference.iterative_fgsm(model, x, labels, epsilon, steps, step_size, targeted)
