"""Known ex04 mistakes: optimizers and schedules whose update rules are almost PyTorch's."""

from __future__ import annotations

import numpy as np

from core import no_grad
from reference_solutions import ex04_optimizers as reference
from reference_solutions.mistakes import mistake


@mistake(
    "optimizers",
    "SGD",
    "adds weight decay after the momentum buffer, so the buffer never sees weight_decay·p",
)
class SGDWeightDecayAfterMomentum(reference.SGD):
    def step(self):
        with no_grad():
            for p, state in self._active():
                g = p.grad
                if self.momentum:
                    buf = state.get("momentum_buffer")
                    buf = g.copy() if buf is None else self.momentum * buf + g
                    state["momentum_buffer"] = buf
                    g = g + self.momentum * buf if self.nesterov else buf
                if self.weight_decay:
                    g = g + self.weight_decay * p.data
                p.data -= self.lr * g


@mistake("optimizers", "SGD", "forgot the Nesterov branch: nesterov=True steps along the buffer")
class SGDNesterovAsPlainMomentum(reference.SGD):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nesterov = False  # accepted, then never used


class _AdamWithAnotherUpdate(reference.Adam):
    """Adam's step up to the moments; the update from them is each mistake's own."""

    def step(self):
        beta1, beta2 = self.betas
        with no_grad():
            for p, state in self._active():
                g = p.grad
                if self.weight_decay:
                    if self.decoupled_weight_decay:
                        p.data *= 1.0 - self.lr * self.weight_decay
                    else:
                        g = g + self.weight_decay * p.data
                if not state:
                    state.update(m=np.zeros_like(p.data), v=np.zeros_like(p.data))
                state["m"] = beta1 * state["m"] + (1.0 - beta1) * g
                state["v"] = beta2 * state["v"] + (1.0 - beta2) * g * g
                p.data -= self.lr * self.update(state["m"], state["v"])


@mistake("optimizers", "Adam", "skips the bias correction: steps with m / (sqrt(v) + eps)")
class AdamWithoutBiasCorrection(_AdamWithAnotherUpdate):
    def update(self, m, v):
        return m / (np.sqrt(v) + self.eps)


@mistake(
    "optimizers",
    "Adam",
    "counts steps once for the whole optimizer, so a parameter that starts late gets a big t",
)
class AdamWithOneStepCount(_AdamWithAnotherUpdate):
    def step(self):
        self.t = getattr(self, "t", 0) + 1
        super().step()

    def update(self, m, v):
        beta1, beta2 = self.betas
        m_hat = m / (1.0 - beta1**self.t)
        v_hat = v / (1.0 - beta2**self.t)
        return m_hat / (np.sqrt(v_hat) + self.eps)


@mistake(
    "optimizers", "AdamW", "made AdamW add weight_decay·p to the gradient, like Adam's L2 decay"
)
class AdamWWithL2InTheGradient(reference.AdamW):
    decoupled_weight_decay = False


@mistake(
    "optimizers", "StepLR", "counted epochs from 1: lr decays one epoch early, at step_size - 1"
)
class StepLRDecaysOneEpochEarly(reference.StepLR):
    def get_lr(self):
        return self.base_lr * self.gamma ** ((self.last_epoch + 1) // self.step_size)
