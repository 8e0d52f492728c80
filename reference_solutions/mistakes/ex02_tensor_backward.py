"""Known ex02 mistakes: backward rules that look right on simple inputs."""

from __future__ import annotations

from reference_solutions.mistakes import mistake


@mistake("gradients", "add", "forgets to undo broadcasting: returns grad for both inputs")
def add_without_unbroadcast(ctx, grad):
    return grad, grad
