"""Reliability of the autograd engine at its limits (the reference implementation).

What it measures, with the targets from PRODUCT.md ("Reliability"):

(a) Deep graphs: a chain of 100,000 ops (``y = y * 1.0001``) backpropagates without a
    RecursionError, under Python's default recursion limit, and gives the right gradient
    (1.0001 ** 100000); a 100,000-node graph that is built and dropped without a backward is
    freed without crashing the interpreter (checked in a child process, so a crash is reported
    as a FAIL instead of killing this script). Times are printed.
(b) Shared subexpressions: ``y = x; for _ in range(depth): y = y + y`` makes a graph whose
    number of paths is 2 ** depth. For depths 10, 20, ..., 60 the backward must visit each node
    once (``add``'s backward is called exactly ``depth`` times) and ``x.grad`` must be exactly
    ``2.0 ** depth`` in float64; the backward times are printed to show linear growth.
(c) No memory growth: 1,000 training steps of a small MLP built from Tensors
    (``x @ W1 + b1``, relu, ``@ W2 + b2``, mean of squared errors, backward, in-place update of
    ``W.data`` under ``no_grad``, grads reset to None). Memory traced by ``tracemalloc`` after step
    1,000 exceeds that after step 100 by less than 1 MiB.

Run from the repository root: ``python benchmarks/graph_limits.py [--quick]``
(``--quick`` uses a 20,000-op chain and fewer timing repeats). Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import Targets, use_reference  # noqa: E402 - needs REPO_ROOT on sys.path
from core import Tensor, no_grad  # noqa: E402
from core.autograd import Node  # noqa: E402
from core.plugin_manager import registries  # noqa: E402

MiB = 1024 * 1024
CHAIN_FACTOR = 1.0001
SHARED_DEPTHS = (10, 20, 30, 40, 50, 60)
MEMORY_GROWTH_LIMIT = 1 * MiB
MEMORY_FIRST_STEP = 100


# ----- (a) deep chains --------------------------------------------------------------------
def build_chain(length: int) -> tuple[Tensor, Tensor]:
    """``(x, y)`` with ``y = x * 1.0001 * 1.0001 * ...`` (``length`` ops), float64, shape (1,)."""
    x = Tensor(np.ones(1), requires_grad=True)
    y = x
    for _ in range(length):
        y = y * CHAIN_FACTOR
    return x, y


def deep_chain_backward(length: int, targets: Targets) -> None:
    """Build a ``length``-op chain, backpropagate through it, check the gradient."""
    name = f"backward through a {length:,}-op chain (recursion limit {sys.getrecursionlimit()})"
    start = time.perf_counter()
    x, y = build_chain(length)
    built = time.perf_counter()
    try:
        y.sum().backward()
    except RecursionError as error:
        targets.check(name, False, f"RecursionError: {error}")
        return
    done = time.perf_counter()
    expected = CHAIN_FACTOR**length
    got = None if x.grad is None else float(x.grad[0])
    ok = got is not None and bool(np.isclose(got, expected, rtol=1e-9, atol=0))
    print(
        f"  build {built - start:6.2f} s   backward {done - built:6.2f} s   "
        f"({(done - built) / length * 1e6:.2f} µs/node)   "
        f"x.grad = {got!r} (expected {expected!r})"
    )
    targets.check(
        name,
        ok,
        f"no RecursionError, backward {done - built:.2f} s, "
        f"gradient {'correct' if ok else 'WRONG'}",
    )


def delete_unused_chain(length: int) -> None:
    """Child-process body: build a chain, drop it without a backward, report the time."""
    _, y = build_chain(length)
    start = time.perf_counter()
    del y
    gc.collect()
    print(f"{time.perf_counter() - start:.3f}")


def deep_chain_deletion(length: int, targets: Targets) -> None:
    """Run :func:`delete_unused_chain` in a child process; a crash there is a FAIL here."""
    name = f"dropping a {length:,}-node graph that never ran backward"
    command = [sys.executable, __file__, "--delete-chain-child", str(length)]
    child = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if child.returncode != 0:
        last_lines = " | ".join(child.stderr.strip().splitlines()[-3:])
        targets.check(name, False, f"child process exited with {child.returncode}: {last_lines}")
        return
    seconds = float(child.stdout.strip().splitlines()[-1])
    print(f"  dropped {length:,} unused nodes in {seconds:.3f} s (child process, exit code 0)")
    targets.check(name, True, f"freed in {seconds:.3f} s, no crash")


# ----- (b) shared subexpressions -----------------------------------------------------------
class TooManyVisitsError(RuntimeError):
    """The backward visited far more nodes than the graph has: it is not linear."""


def counting_gradient(original: Callable, budget: int) -> tuple[Callable, list[int]]:
    """Wrap a registered backward so that it counts its calls (and stops past ``budget``)."""
    calls = [0]

    def counted(ctx: Node, grad: np.ndarray) -> tuple:
        calls[0] += 1
        if calls[0] > budget:
            raise TooManyVisitsError(f"more than {budget} calls of {ctx.op}'s backward")
        return original(ctx, grad)

    return counted, calls


def doubling_graph(depth: int) -> tuple[Tensor, Tensor]:
    """``(x, y)`` with ``y = x + x``, then ``y = y + y`` ... ``depth`` times: y = 2**depth * x."""
    x = Tensor(np.ones(1), requires_grad=True)
    y = x
    for _ in range(depth):
        y = y + y
    return x, y


def shared_subexpressions(repeat: int, targets: Targets) -> None:
    """Node visits, backward time and exact gradient of the doubling graph per depth."""
    registry = registries["gradients"]
    entry = registry.entry("add")
    visits: dict[int, int] = {}
    grads: dict[int, float] = {}
    try:
        for depth in SHARED_DEPTHS:
            counted, calls = counting_gradient(entry.value, budget=4 * depth)
            registry.register("add", counted, source="benchmarks.graph_limits", replace=True)
            x, y = doubling_graph(depth)
            try:
                y.sum().backward()
            except TooManyVisitsError as error:
                targets.check("linear-time backward on y = y + y", False, str(error))
                return
            visits[depth], grads[depth] = calls[0], float(x.grad[0])
    finally:
        registry.register("add", entry.value, source=entry.source, replace=True)
    seconds = median_backward_seconds(SHARED_DEPTHS, repeat)

    print(
        f"  {'depth':>5} {'paths':>7} {'add backward calls':>19} {'backward µs':>12} "
        f"{'µs per level':>13} {'x.grad':>20}"
    )
    for depth in SHARED_DEPTHS:
        exact = "(== 2**depth)" if grads[depth] == 2.0**depth else "(WRONG)"
        print(
            f"  {depth:>5} {f'2**{depth}':>7} {visits[depth]:>19} {seconds[depth] * 1e6:>12.1f} "
            f"{seconds[depth] / depth * 1e6:>13.2f} {grads[depth]:>20.0f} {exact}"
        )
    first, last = SHARED_DEPTHS[0], SHARED_DEPTHS[-1]
    print(
        f"  backward time, depth {last} / depth {first}: {seconds[last] / seconds[first]:.1f} "
        f"(linear: about {last / first:.0f}; exponential: 2**{last - first})"
    )
    linear = all(visits[depth] == depth for depth in SHARED_DEPTHS)
    targets.check(
        "linear-time backward on y = y + y",
        linear,
        f"add's backward ran once per node (depth times) for depths {SHARED_DEPTHS}"
        if linear
        else "add's backward ran more often than the graph has nodes",
    )
    exact = all(grads[depth] == 2.0**depth for depth in SHARED_DEPTHS)
    targets.check(
        f"x.grad == 2**{last} exactly (float64)",
        exact,
        f"x.grad = {grads[last]:.0f} = 2**{last}" if exact else f"x.grad = {grads[last]!r}",
    )


def median_backward_seconds(depths: tuple[int, ...], repeat: int) -> dict[int, float]:
    """``{depth: median wall time of one backward through a fresh doubling graph}``.

    The depths take turns in every round, so a slow spell of the machine hits them alike.
    """
    samples: dict[int, list[float]] = {depth: [] for depth in depths}
    for _ in range(repeat):
        for depth in depths:
            _, y = doubling_graph(depth)
            loss = y.sum()
            start = time.perf_counter()
            loss.backward()
            samples[depth].append(time.perf_counter() - start)
    return {depth: statistics.median(values) for depth, values in samples.items()}


# ----- (c) memory over many training steps -------------------------------------------------
def training_memory(steps: int, targets: Targets) -> None:
    """Train a small MLP for ``steps`` steps; compare traced memory at step 100 and at the end."""
    rng = np.random.default_rng(0)
    batch, inputs, hidden, outputs = 64, 16, 64, 4
    f32 = np.float32
    x = Tensor(rng.standard_normal((batch, inputs)), dtype=f32)
    target = Tensor(rng.standard_normal((batch, outputs)), dtype=f32)
    w1 = Tensor(rng.standard_normal((inputs, hidden)) * inputs**-0.5, True, f32)
    b1 = Tensor(np.zeros(hidden), True, f32)
    w2 = Tensor(rng.standard_normal((hidden, outputs)) * hidden**-0.5, True, f32)
    b2 = Tensor(np.zeros(outputs), True, f32)
    parameters = (w1, b1, w2, b2)
    learning_rate = 0.05

    def step() -> float:
        prediction = (x @ w1 + b1).relu() @ w2 + b2
        loss = ((prediction - target) ** 2).mean()
        loss.backward()
        with no_grad():
            for parameter in parameters:
                parameter.data -= learning_rate * parameter.grad
                parameter.grad = None
        return loss.item()

    # Nothing here may grow with the step count (not even a list of losses), or it would count
    # as the engine's growth.
    snapshots = {}
    tracemalloc.start()
    start = time.perf_counter()
    try:
        first_loss = last_loss = step()
        for number in range(2, steps + 1):
            last_loss = step()
            if number in (MEMORY_FIRST_STEP, steps):
                snapshots[number] = memory_snapshot()
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - start

    print(
        f"  MLP {inputs}-{hidden}-{outputs}, batch {batch}, float32; {steps} steps in "
        f"{seconds:.1f} s under tracemalloc; loss {first_loss:.4f} -> {last_loss:.4f}"
    )
    print(
        f"  {'after step':>10} {'traced memory':>14} {'peak so far':>12} {'live Tensors':>13} "
        f"{'live Nodes':>11} {'cycles freed by gc':>19}"
    )
    for number, (current, peak, tensors, nodes, freed) in snapshots.items():
        print(
            f"  {number:>10} {current / 1024:>11.1f} KiB {peak / 1024:>8.1f} KiB {tensors:>13} "
            f"{nodes:>11} {freed:>19}"
        )
    growth = snapshots[steps][0] - snapshots[MEMORY_FIRST_STEP][0]
    print(f"  growth from step {MEMORY_FIRST_STEP} to step {steps}: {growth / 1024:+.1f} KiB")
    targets.check(
        f"memory growth over training steps {MEMORY_FIRST_STEP}..{steps}",
        growth < MEMORY_GROWTH_LIMIT,
        f"{growth / 1024:+.1f} KiB {'<' if growth < MEMORY_GROWTH_LIMIT else '>='} "
        f"{MEMORY_GROWTH_LIMIT / 1024:.0f} KiB",
    )


def memory_snapshot() -> tuple[int, int, int, int, int]:
    """(traced bytes, peak bytes, live Tensors, live Nodes, objects gc had to free)."""
    freed = gc.collect()
    objects = gc.get_objects()
    tensors = sum(isinstance(o, Tensor) for o in objects)
    nodes = sum(type(o) is Node for o in objects)
    del objects
    current, peak = tracemalloc.get_traced_memory()
    return current, peak, tensors, nodes, freed


# ----- the run ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few-second smoke run")
    parser.add_argument("--delete-chain-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    use_reference()
    if args.delete_chain_child:
        delete_unused_chain(args.delete_chain_child)
        return 0
    chain = 20_000 if args.quick else 100_000
    steps = 1_000
    repeat = 5 if args.quick else 31

    targets = Targets()
    print(f"(a) deep chain of {chain:,} ops: y = y * {CHAIN_FACTOR}, float64")
    deep_chain_backward(chain, targets)
    deep_chain_deletion(chain, targets)
    print(f"\n(b) shared subexpressions: y = y + y, backward time is the median of {repeat}")
    shared_subexpressions(repeat, targets)
    print(f"\n(c) memory over {steps:,} training steps")
    training_memory(steps, targets)
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
