"""ex09's spot checks: a drawn MLP's layer activations and how the hook behaves, PCA, the
silhouette and the trustworthiness on drawn data, and what every seeded t-SNE of a small drawn
cloud agrees on (see exercises/testing/probes).

A t-SNE map is scikit-learn's iterations, so only what every correct wrapper agrees on is
compared: its shape and dtype, whether the same seed repeats it, and whether it keeps the
neighbourhoods of well-separated clusters.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from sklearn.manifold import trustworthiness as sklearn_trustworthiness

from core import Tensor, analysis, models
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex09_embedding_space.tests.networks import (
    CLASSES,
    HIDDEN_SIZES,
    IN_FEATURES,
    LAYER_WIDTHS,
    count_hook_calls,
    one_thread,
)
from exercises.ex09_embedding_space.tests.test_projections import correlated
from exercises.ex09_embedding_space.tests.test_scores import clustered
from exercises.testing.probes import Probe, test_named

DIGITS_GOAL = test_named(
    "test_trained_last_hidden_layer_separates_digits_better_than_pixels",
    "test_untrained_hidden_layer_separates_digits_no_better_than_pixels",
)


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def _fail(module, inputs, output) -> None:
    raise RuntimeError("a later layer fails")


def layer_activations(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """MLPClassifier(12, [10, 6], 4) with drawn parameters on drawn rows (N, 12), N drawn: the
    activations of every named layer in batches of a drawn size; those of "layers.1" for a
    Tensor input; how often the hook fired during the call and on a forward after it (also
    after a call whose forward raised); the model's logits while the hook was on; whether the
    parameters are unchanged and the activations float32."""
    model = models.MLPClassifier(IN_FEATURES, HIDDEN_SIZES, CLASSES)
    randomize_parameters(model, rng)
    state = model.state_dict()
    x = rng.standard_normal((int(rng.integers(15, 30)), IN_FEATURES)).astype(np.float32)
    batch_size = int(rng.integers(2, 10))
    values = {}
    for name in LAYER_WIDTHS:
        found = analysis.layer_activations(model, name, x, batch_size=batch_size)
        values[name or "model"] = found
        values[f"{name or 'model'} float32"] = flag(found.dtype == np.float32)
    values["Tensor input"] = analysis.layer_activations(model, "layers.1", Tensor(x))
    logits = []
    with model.register_forward_hook(lambda module, inputs, output: logits.append(output.data)):
        analysis.layer_activations(model, "layers.2", x, batch_size=batch_size)
    values["logits while the hook is on"] = np.concatenate(logits)
    with pytest.MonkeyPatch.context() as patch:
        calls = count_hook_calls(model.get_submodule("layers.3"), patch)
        analysis.layer_activations(model, "layers.3", x, batch_size=batch_size)
        during = len(calls)
        model(Tensor(x))
        values["hook calls during, after"] = np.array([during, len(calls) - during], float)
        failing = model.get_submodule("layers.4").register_forward_hook(_fail)
        with failing, contextlib.suppress(RuntimeError):
            analysis.layer_activations(model, "layers.3", x)
        raised = len(calls)
        model(Tensor(x))
        values["hook calls after a failed forward"] = np.array(float(len(calls) - raised))
    values["parameters unchanged"] = flag(
        all(np.array_equal(p.data, state[n]) for n, p in model.named_parameters())
    )
    return values


def pca(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """pca of drawn rows with distinct variances per direction and a mean far from 0: tall
    (30, 6) to 3 components, wide (8, 12) to 5, square (7, 7) to all 7; of the worked example;
    whether the results are float32."""
    shapes = {"tall": (30, 6, 3), "wide": (8, 12, 5), "square": (7, 7, 7)}
    values = {}
    for title, (samples, features, components) in shapes.items():
        values[title] = analysis.pca(correlated(samples, features, _seed(rng)), components)
    example = analysis.pca(np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]]), components=1)
    values["worked example"] = example
    values["float32"] = flag(all(v.dtype == np.float32 for v in values.values()))
    return values


def tsne(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """tsne of 40 drawn points in 3 well-separated clusters in 5-D (perplexity 10, 300
    iterations, a drawn seed), on one thread: the map's shape, whether it is finite float32,
    whether the same seed gives the same map, and whether scikit-learn's trustworthiness of it
    (5 neighbours) is at least 0.9."""
    centres = rng.standard_normal((3, 5)) * 10
    x = (centres[rng.integers(0, 3, 40)] + rng.standard_normal((40, 5))).astype(np.float32)
    seed = _seed(rng)
    with one_thread():
        first = analysis.tsne(x, perplexity=10, seed=seed, max_iter=300)
        again = analysis.tsne(x, perplexity=10, seed=seed, max_iter=300)
    return {
        "shape": np.array(first.shape, float),
        "finite float32": flag(first.dtype == np.float32 and np.isfinite(first).all()),
        "same seed, same map": flag(np.array_equal(first, again)),
        "trustworthy": flag(sklearn_trustworthiness(x, first, n_neighbors=5) >= 0.9),
    }


def silhouette(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """silhouette of drawn clustered points — (40, 4) in 3 classes named 7, -1 and 30, and
    (12, 3) in 9 classes, some of a single member — and of the worked example; whether each
    is a Python float."""
    x, labels = clustered(40, 4, 3, _seed(rng))
    few, many = clustered(12, 3, 9, _seed(rng))
    scores = {
        "3 classes": analysis.silhouette(x, np.array([7, -1, 30])[labels]),
        "9 classes": analysis.silhouette(few, many),
        "worked example": analysis.silhouette(
            np.array([[0.0], [1.0], [10.0], [11.0]]), [0, 0, 1, 1]
        ),
    }
    values = {title: np.array(score) for title, score in scores.items()}
    values["floats"] = flag(all(isinstance(score, float) for score in scores.values()))
    return values


def trustworthiness(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """trustworthiness of a drawn noisy 2-D map of drawn points (30, 6) for 1, 5 and 12
    neighbours, and of the points as their own map."""
    x = rng.standard_normal((30, 6)).astype(np.float32)
    mapped = x[:, :2] + 0.5 * rng.standard_normal((30, 2)).astype(np.float32)
    values = {
        f"{k} neighbours": np.array(analysis.trustworthiness(x, mapped, n_neighbors=k))
        for k in (1, 5, 12)
    }
    values["the space itself"] = np.array(analysis.trustworthiness(x, x))
    return values


PROBES = [
    Probe("layer_activations", r"test_layer_activations\.py::|" + DIGITS_GOAL, layer_activations),
    Probe("pca", r"::test_pca_", pca),
    Probe("tsne", r"::test_tsne_", tsne),
    Probe("silhouette", r"::test_silhouette_|" + DIGITS_GOAL, silhouette),
    Probe("trustworthiness", r"::test_trustworthiness_", trustworthiness),
]
