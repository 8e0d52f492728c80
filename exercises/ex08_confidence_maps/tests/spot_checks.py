"""ex08's spot checks: the grid over drawn points and the confidence map of drawn classifiers on a
drawn grid (see exercises/testing/probes). The plot is not probed: a probe draws nothing."""

from __future__ import annotations

import numpy as np

from core import analysis
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex08_confidence_maps.tests.classifiers import MODELS, NX, NY
from exercises.testing.probes import Probe, test_named


def grid(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """grid_over of 30 drawn points in a box wider than tall, for a drawn (nx, ny) and margin;
    of one drawn point and of points on a vertical line (sides of length 0) at margin 0; the
    shapes of the default grid and of a single-number resolution; whether the points are left
    unchanged."""
    low = rng.uniform(-5, 5, 2)
    cloud = (low + rng.uniform(0, 1, (30, 2)) * rng.uniform([3, 0.5], [6, 2])).astype(np.float32)
    before = cloud.copy()
    nx, ny = (int(n) for n in rng.integers(2, 9, size=2))
    xx, yy = analysis.grid_over(cloud, (nx, ny), margin=float(rng.uniform(0, 1)))
    unchanged = np.array_equal(cloud, before)
    point_xx, point_yy = analysis.grid_over(rng.normal(size=(1, 2)), (NX, NY), margin=0.0)
    line = np.c_[np.full(4, rng.normal()), rng.normal(size=4)]
    line_xx, line_yy = analysis.grid_over(line, (NX, NY), margin=0.0)
    return {
        "xx": xx,
        "yy": yy,
        "one point xx": point_xx,
        "one point yy": point_yy,
        "vertical line xx": line_xx,
        "vertical line yy": line_yy,
        "default shape": np.array(analysis.grid_over(cloud)[0].shape, float),
        "one-number shape": np.array(analysis.grid_over(cloud, nx)[1].shape, float),
        "points unchanged": flag(unchanged),
    }


def confidence_maps(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """confidence_map of each suite classifier (two binary MLPs, a two-class MLPClassifier) with
    drawn parameters (times 3, so that the maps span much of [0, 1]) on a drawn (NY, NX) grid,
    in batches of a drawn size that leaves a shorter last batch; the batch sizes the model saw,
    how many of its forward passes built a graph, whether its parameters and the grid are
    unchanged and without gradients, and whether the map is float32."""
    xx, yy = np.meshgrid(np.sort(rng.uniform(-3.5, 1.5, NX)), np.sort(rng.uniform(0.0, 3.0, NY)))
    grid_before = xx.copy(), yy.copy()
    batch_size = int(rng.choice([3, 4, 6, 8, 9, 16]))  # none divides NX * NY = 35
    values = {}
    for name, build in MODELS.items():
        model = build()
        randomize_parameters(model, rng)
        for parameter in model.parameters():
            parameter.data *= np.float32(3)
        state = model.state_dict()
        seen = []

        def record(module, inputs, output, seen=seen):
            seen.append((len(inputs[0].data), output.requires_grad))

        with model.register_forward_hook(record):
            field = analysis.confidence_map(model, xx, yy, batch_size=batch_size)
        values[f"{name} map"] = field
        values[f"{name} batch sizes"] = np.array([size for size, _ in seen], float)
        values[f"{name} forwards with a graph"] = np.array(float(sum(g for _, g in seen)))
        values[f"{name} float32"] = flag(field.dtype == np.float32)
        values[f"{name} model unchanged"] = flag(
            all(
                np.array_equal(p.data, state[n]) and p.grad is None and p.requires_grad
                for n, p in model.named_parameters()
            )
        )
    values["grid unchanged"] = flag(
        np.array_equal(xx, grid_before[0]) and np.array_equal(yy, grid_before[1])
    )
    return values


PROBES = [
    Probe(
        "grid_over",
        r"test_grid\.py::|"
        + test_named("test_bad_grid_argument_raises_value_error_naming_grid_over_and_the_value"),
        grid,
    ),
    Probe(
        "confidence_map",
        r"test_confidence_map\.py::|"
        + test_named(
            "test_bad_map_argument_raises_value_error_naming_confidence_map_and_the_value"
        ),
        confidence_maps,
    ),
]
