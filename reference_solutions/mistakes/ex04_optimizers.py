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


@mistake("optimizers", "Adam", "skips the bias correction: steps with m / (sqrt(v) + eps)")
class AdamWithoutBiasCorrection(reference.Adam):
    def _direction(self, m, v, t):
        return m / (np.sqrt(v) + self.eps)


@mistake(
    "optimizers",
    "Adam",
    "counts steps once for the whole optimizer, so a parameter that starts late gets a big t",
)
class AdamWithOneStepCount(reference.Adam):
    def step(self):
        self.t = getattr(self, "t", 0) + 1
        super().step()

    def _direction(self, m, v, t):
        return super()._direction(m, v, self.t)


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
