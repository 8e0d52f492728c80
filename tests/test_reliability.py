"""Reliability of the engine on big graphs: no recursion limit, linear time on shared
subexpressions, no crash when a huge graph is dropped, no memory growth over many steps.

No test here measures time; they count work instead (backward calls, traced memory).
"""

from __future__ import annotations

import textwrap
import tracemalloc

import numpy as np

from core import Tensor, no_grad
from core.plugin_manager import registries

CHAIN_LENGTH = 100_000


def test_chain_of_100k_ops_backpropagates_without_recursion_error():
    x = Tensor([1.0], requires_grad=True)
    y = x
    for _ in range(CHAIN_LENGTH):
        y = y + x
    y.backward()
    np.testing.assert_array_equal(x.grad, [CHAIN_LENGTH + 1.0])


def test_dropping_a_100k_node_graph_without_backward_does_not_crash(tmp_path, run_python):
    code = textwrap.dedent(f"""
        from core import Tensor, use_implementation

        with use_implementation("reference"):
            y = x = Tensor([1.0], requires_grad=True)
            for _ in range({CHAIN_LENGTH}):
                y = y * 1.0
            del y
        print("dropped")
    """)
    result = run_python(code, cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "dropped"), result.stderr


def test_shared_subexpressions_are_differentiated_once_each(replace_registered):
    add_backward = registries["gradients"]["add"]
    calls = []

    def counting_add_backward(ctx, grad):
        calls.append(ctx.op)
        return add_backward(ctx, grad)

    replace_registered("gradients", "add", counting_add_backward)
    x = Tensor(np.array([1.0]), requires_grad=True)
    y = x
    for _ in range(60):
        y = y + y
    y.backward()
    assert len(calls) == 60, f"60 add nodes were differentiated {len(calls)} times"


def test_doubling_60_times_gives_the_gradient_two_to_the_60():
    x = Tensor(np.array([1.0]), requires_grad=True)
    y = x
    for _ in range(60):
        y = y + y
    y.backward()
    assert x.grad.tolist() == [2.0**60]


def _training_step(w: Tensor, inputs: Tensor, targets: Tensor) -> None:
    loss = (((inputs @ w).tanh() - targets) ** 2).mean()
    loss.backward()
    with no_grad():
        w.data -= 0.1 * w.grad
    w.zero_grad()


def test_many_training_steps_do_not_grow_memory():
    rng = np.random.default_rng(0)
    w = Tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    inputs = Tensor(rng.standard_normal((8, 3)).astype(np.float32))
    targets = Tensor(rng.standard_normal((8, 2)).astype(np.float32))
    tracemalloc.start()
    try:
        for step in range(1, 1001):
            _training_step(w, inputs, targets)
            if step == 100:
                after_warm_up, _ = tracemalloc.get_traced_memory()
        at_the_end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    growth = at_the_end - after_warm_up
    assert growth < 2**20, f"memory grew by {growth} bytes between step 100 and step 1000"
