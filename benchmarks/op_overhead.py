"""Per-op autograd overhead on tiny tensors: gradkit (reference) vs bare NumPy vs PyTorch.

What it measures: a chain of elementwise ops on shape-(8,) float32 tensors,
``y = x; repeat BLOCKS times: y = y * a; y = y + b; y = y.tanh()``, then ``y.sum()`` and the
backward pass to the three leaves ``x, a, b``. The time of one pass divided by the number of ops
in it (3 * BLOCKS + 1) is the cost per op; on tensors this small it is almost all bookkeeping.

- gradkit: the reference implementation, ``Tensor`` ops and ``loss.backward()``.
- numpy: the same arithmetic on bare arrays, forward and a hand-written backward (no autograd):
  the floor that any NumPy-based autograd pays.
- torch: the same ops, float32, ``torch.set_num_threads(1)`` (only if PyTorch is installed).

Timing follows ``timeit``: the garbage collector is off. The row "gc on" repeats forward +
backward with it on, as in a training loop (a graph of Python objects triggers collections).
Also reported: forward only (graph recorded, then dropped) and forward under ``no_grad``.

The last row is the chain students write most: Python numbers as operands,
``y = x; repeat STEPS times: y = y * 1.0001 + 0.5``, then ``y.sum()`` and the backward to ``x``
alone, on a shape-(4,) float32 ``x``, with the garbage collector on. Each number becomes a
constant tensor that needs no gradient; per op is per the 2 * STEPS + 1 ops of that chain.

Targets (PRODUCT.md, "Speed"): per-op autograd overhead on tiny tensors no worse than PyTorch's,
i.e. gradkit/torch <= 1.0 for forward + backward; and, with Python-number operands and the
collector on, gradkit/torch <= 0.8. gradkit/numpy is printed for information.

Run from the repository root: ``python benchmarks/op_overhead.py [--quick]``.
Exit code 1 if a target is missed; without PyTorch the comparisons are skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import (  # noqa: E402 - needs REPO_ROOT on sys.path
    Targets,
    Timed,
    interleaved_medians,
    loops_for,
    use_reference,
    with_collector,
)
from core import Tensor, no_grad  # noqa: E402

if TYPE_CHECKING:
    import torch

OPS_PER_BLOCK = 3  # mul, add, tanh
TARGET_VS_TORCH = 1.0
FORWARD_BACKWARD = "forward + backward"
FORWARD_BACKWARD_GC = "forward + backward, gc on"
FORWARD_GRAPH = "forward (graph)"
FORWARD_NO_GRAD = "forward (no_grad)"
NUMBERS_GC = "Python numbers, gc on"
MODES = (FORWARD_BACKWARD, FORWARD_BACKWARD_GC, FORWARD_GRAPH, FORWARD_NO_GRAD, NUMBERS_GC)
NUMBERS_SIZE = 4
SCALE, SHIFT = 1.0001, 0.5
TARGET_NUMBERS_VS_TORCH = 0.8
TARGETS = {FORWARD_BACKWARD: TARGET_VS_TORCH, NUMBERS_GC: TARGET_NUMBERS_VS_TORCH}  # gradkit/torch
LEAVES = ("x", "a", "b", "x in the number chain")


def make_inputs(size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The leaves ``x, a, b``: (size,) float32 each; ``a`` near 1 so the chain stays in range."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(size).astype(np.float32)
    a = rng.uniform(0.8, 1.2, size).astype(np.float32)
    b = rng.uniform(-0.1, 0.1, size).astype(np.float32)
    return x, a, b


def number_chain(x, steps: int):
    """``y = y * 1.0001 + 0.5``, ``steps`` times, then the sum: the same code for every library
    (a gradkit Tensor, a torch tensor or a NumPy array)."""
    y = x
    for _ in range(steps):
        y = y * SCALE + SHIFT
    return y.sum()


# ----- gradkit ------------------------------------------------------------------------------
def gradkit_forward(x: Tensor, a: Tensor, b: Tensor, blocks: int) -> Tensor:
    """The chain, ending in a scalar."""
    y = x
    for _ in range(blocks):
        y = y * a
        y = y + b
        y = y.tanh()
    return y.sum()


def gradkit_cases(arrays: tuple[np.ndarray, ...], blocks: int, steps: int) -> dict[str, Timed]:
    """One callable per mode, each one pass of the chain."""
    x, a, b = (Tensor(array, requires_grad=True) for array in arrays)
    leaves = (x, a, b)
    x_alone = Tensor(arrays[0][:NUMBERS_SIZE], requires_grad=True)

    def forward_backward() -> None:
        for leaf in leaves:
            leaf.grad = None
        gradkit_forward(x, a, b, blocks).backward()

    def forward_graph() -> None:
        gradkit_forward(x, a, b, blocks)

    def forward_no_grad() -> None:
        with no_grad():
            gradkit_forward(x, a, b, blocks)

    def numbers() -> None:
        x_alone.grad = None
        number_chain(x_alone, steps).backward()

    return {
        FORWARD_BACKWARD: forward_backward,
        FORWARD_GRAPH: forward_graph,
        FORWARD_NO_GRAD: forward_no_grad,
        NUMBERS_GC: with_collector(numbers),
    }


def gradkit_grads(arrays: tuple[np.ndarray, ...], blocks: int, steps: int) -> list[np.ndarray]:
    """d(chain)/d(x, a, b) and d(number chain)/dx from gradkit, to compare with the others."""
    leaves = [Tensor(array, requires_grad=True) for array in arrays]
    gradkit_forward(*leaves, blocks).backward()
    x_alone = Tensor(arrays[0][:NUMBERS_SIZE], requires_grad=True)
    number_chain(x_alone, steps).backward()
    return [leaf.grad for leaf in leaves] + [x_alone.grad]


# ----- bare NumPy ---------------------------------------------------------------------------
def numpy_forward(
    x: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: int, saved: list | None = None
) -> np.ndarray:
    """The chain on arrays; appends (input of mul, output of tanh) per block to ``saved``."""
    y = x
    for _ in range(blocks):
        before = y
        y = y * a
        y = y + b
        y = np.tanh(y)
        if saved is not None:
            saved.append((before, y))
    return y.sum()


def numpy_forward_backward(
    x: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: int
) -> list[np.ndarray]:
    """Forward, then the hand-written backward: gradients of the sum w.r.t. ``x, a, b``."""
    saved: list[tuple[np.ndarray, np.ndarray]] = []
    numpy_forward(x, a, b, blocks, saved)
    grad = np.ones_like(x)  # d sum / d y
    grad_a = np.zeros_like(a)
    grad_b = np.zeros_like(b)
    for before, t in reversed(saved):
        grad = grad * (1 - t * t)  # tanh' = 1 - tanh^2
        grad_b += grad  # y + b
        grad_a += grad * before  # y * a, w.r.t. a
        grad = grad * a  # y * a, w.r.t. y
    return [grad, grad_a, grad_b]


def numpy_number_chain_grad(x: np.ndarray, steps: int) -> np.ndarray:
    """The number chain's forward, then its hand-written backward: d(sum)/dx."""
    number_chain(x, steps)
    grad = np.ones_like(x)
    for _ in range(steps):
        grad = grad * SCALE  # (y * SCALE + SHIFT)' = SCALE
    return grad


def numpy_cases(arrays: tuple[np.ndarray, ...], blocks: int, steps: int) -> dict[str, Timed]:
    """Bare NumPy has no graph to record, so both forward-only modes run the same code."""
    x, a, b = arrays
    x_alone = x[:NUMBERS_SIZE]

    def forward_backward() -> None:
        numpy_forward_backward(x, a, b, blocks)

    def forward() -> None:
        numpy_forward(x, a, b, blocks)

    def numbers() -> None:
        numpy_number_chain_grad(x_alone, steps)

    return {
        FORWARD_BACKWARD: forward_backward,
        FORWARD_GRAPH: forward,
        FORWARD_NO_GRAD: forward,
        NUMBERS_GC: with_collector(numbers),
    }


def numpy_grads(arrays: tuple[np.ndarray, ...], blocks: int, steps: int) -> list[np.ndarray]:
    """d(chain)/d(x, a, b) and d(number chain)/dx, by hand."""
    return [
        *numpy_forward_backward(*arrays, blocks),
        numpy_number_chain_grad(arrays[0][:NUMBERS_SIZE], steps),
    ]


# ----- PyTorch ------------------------------------------------------------------------------
def import_torch() -> ModuleType | None:
    """PyTorch on one thread (fair to single-threaded NumPy), or None if it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def torch_forward(x: torch.Tensor, a: torch.Tensor, b: torch.Tensor, blocks: int) -> torch.Tensor:
    """The same chain as :func:`gradkit_forward`, in PyTorch."""
    y = x
    for _ in range(blocks):
        y = y * a
        y = y + b
        y = y.tanh()
    return y.sum()


def torch_cases(
    torch: ModuleType, arrays: tuple[np.ndarray, ...], blocks: int, steps: int
) -> dict[str, Timed]:
    """One callable per mode, each one pass of the chain, as in :func:`gradkit_cases`."""
    x, a, b = (torch.tensor(array, requires_grad=True) for array in arrays)
    leaves = (x, a, b)
    x_alone = torch.tensor(arrays[0][:NUMBERS_SIZE], requires_grad=True)

    def forward_backward() -> None:
        for leaf in leaves:
            leaf.grad = None
        torch_forward(x, a, b, blocks).backward()

    def forward_graph() -> None:
        torch_forward(x, a, b, blocks)

    def forward_no_grad() -> None:
        with torch.no_grad():
            torch_forward(x, a, b, blocks)

    def numbers() -> None:
        x_alone.grad = None
        number_chain(x_alone, steps).backward()

    return {
        FORWARD_BACKWARD: forward_backward,
        FORWARD_GRAPH: forward_graph,
        FORWARD_NO_GRAD: forward_no_grad,
        NUMBERS_GC: with_collector(numbers),
    }


def torch_grads(
    torch: ModuleType, arrays: tuple[np.ndarray, ...], blocks: int, steps: int
) -> list[np.ndarray]:
    """d(chain)/d(x, a, b) and d(number chain)/dx from PyTorch."""
    leaves = [torch.tensor(array, requires_grad=True) for array in arrays]
    torch_forward(*leaves, blocks).backward()
    x_alone = torch.tensor(arrays[0][:NUMBERS_SIZE], requires_grad=True)
    number_chain(x_alone, steps).backward()
    return [leaf.grad.numpy() for leaf in [*leaves, x_alone]]


# ----- the run ------------------------------------------------------------------------------
def check_same_gradients(candidates: dict[str, list[np.ndarray]]) -> None:
    """Refuse to time implementations that do not compute the same thing."""
    (first_name, expected), *others = candidates.items()
    for name, grads in others:
        for leaf, got, want in zip(LEAVES, grads, expected, strict=True):
            if got.dtype != np.float32 or not np.allclose(got, want, rtol=1e-4, atol=1e-6):
                raise SystemExit(
                    f"{name} and {first_name} disagree on d(loss)/d({leaf}): {got} vs {want}"
                )


def ratio_text(numerator: float | None, denominator: float | None) -> str:
    """``numerator / denominator`` with two decimals, or "-" when one is missing."""
    if numerator is None or denominator is None:
        return "-"
    return f"{numerator / denominator:.2f}"


def print_table(
    per_op: dict[str, dict[str, tuple[float, float]]], names: list[str], title: str
) -> None:
    """Rows: modes; columns: µs/op (± interquartile spread) per implementation, then ratios."""
    print(title)
    header = f"{'µs per op (median ± IQR)':<26}"
    header += "".join(f"{name:>17}" for name in names)
    header += f"{'gradkit/numpy':>15}{'gradkit/torch':>15}"
    print(header)
    print("-" * len(header))
    for mode in MODES:
        cells = ""
        for name in names:
            median, iqr = per_op[name][mode]
            cells += f"{median * 1e6:>9.2f} ± {iqr * 100:>3.0f}%  "
        gradkit = per_op["gradkit"][mode][0]
        torch_median = per_op["torch"][mode][0] if "torch" in per_op else None
        print(
            f"{mode:<26}{cells}{ratio_text(gradkit, per_op['numpy'][mode][0]):>15}"
            f"{ratio_text(gradkit, torch_median):>15}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few-second smoke run")
    parser.add_argument("--size", type=int, default=8, help="elements per tensor (default 8)")
    parser.add_argument("--blocks", type=int, default=None, help="[mul, add, tanh] blocks")
    parser.add_argument("--steps", type=int, default=None, help="steps of the number chain")
    parser.add_argument("--repeat", type=int, default=None, help="timed rounds (median taken)")
    args = parser.parse_args(argv)
    blocks = args.blocks or (20 if args.quick else 100)
    steps = args.steps or (200 if args.quick else 2000)
    repeat = args.repeat or (3 if args.quick else 11)
    seconds_per_round = 0.01 if args.quick else 0.15

    use_reference()
    torch = import_torch()
    arrays = make_inputs(args.size)

    grads = {
        "gradkit": gradkit_grads(arrays, blocks, steps),
        "numpy": numpy_grads(arrays, blocks, steps),
    }
    implementations: dict[str, dict[str, Timed]] = {
        "gradkit": gradkit_cases(arrays, blocks, steps),
        "numpy": numpy_cases(arrays, blocks, steps),
    }
    if torch is not None:
        grads["torch"] = torch_grads(torch, arrays, blocks, steps)
        implementations["torch"] = torch_cases(torch, arrays, blocks, steps)
    check_same_gradients(grads)
    for cases in implementations.values():
        cases[FORWARD_BACKWARD_GC] = with_collector(cases[FORWARD_BACKWARD])

    functions = {
        (name, mode): function
        for name, cases in implementations.items()
        for mode, function in cases.items()
    }
    loops = {key: loops_for(function, seconds_per_round) for key, function in functions.items()}
    medians = interleaved_medians(functions, loops, repeat)

    ops = OPS_PER_BLOCK * blocks + 1
    number_ops = 2 * steps + 1
    per_op: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in implementations}
    for (name, mode), (median, iqr) in medians.items():
        per_op[name][mode] = (median / (number_ops if mode == NUMBERS_GC else ops), iqr)

    versions = f"numpy {np.__version__}" + (
        f", torch {torch.__version__} (1 thread)" if torch else ""
    )
    print_table(
        per_op,
        list(implementations),
        f"Per-op overhead: chain of {ops} ops ({blocks} x [mul, add, tanh] + sum) on "
        f"({args.size},) float32;\nlast row: {number_ops} ops ({steps} x [* {SCALE}, + {SHIFT}] "
        f"+ sum) on ({NUMBERS_SIZE},) float32\nmedian of {repeat} interleaved rounds, each >= "
        f"{seconds_per_round:g} s; {versions}\n",
    )
    if torch is None:
        print("\ntorch not installed: skipped")

    targets = Targets()
    for mode, target in TARGETS.items():
        name = f"per-op overhead, {mode}, gradkit/torch"
        if torch is None:
            targets.skip(name, "torch not installed: skipped")
            continue
        ratio = per_op["gradkit"][mode][0] / per_op["torch"][mode][0]
        relation = "<=" if ratio <= target else ">"
        targets.check(name, ratio <= target, f"{ratio:.2f} {relation} {target:.2f}")
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
