"""Reference solution of ex09 (embedding space): a layer's activations through a forward hook,
PCA by SVD, t-SNE (scikit-learn), the silhouette of labelled features (written out) and the
trustworthiness of a 2-D map (scikit-learn)."""

from __future__ import annotations

from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad

MIN_TSNE_ITERATIONS = 250  # scikit-learn (>= 1.5) refuses fewer


def _features(function: str, features: Any, name: str = "features") -> np.ndarray:
    """``features`` as a float32 (N, H) array with N ≥ 1, or a ValueError naming ``function``."""
    array = np.asarray(features, dtype=np.float32)
    if array.ndim != 2 or len(array) == 0:
        raise ValueError(
            f"{function}: {name} must be a 2-D array (N, H), one row per sample; got shape "
            f"{array.shape}"
        )
    return array


# ----- activations of a named layer ---------------------------------------------------------


def _images_for(model: Module, x: Any) -> np.ndarray:
    """``x`` as float32 rows (N, D), D being what the model's first Linear takes."""
    images = np.asarray(getattr(x, "data", x), dtype=np.float32)
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    width = None if first is None else first.weight.shape[1]  # weight: (out, in)
    if images.ndim != 2 or len(images) == 0 or (width is not None and images.shape[1] != width):
        raise ValueError(
            f"layer_activations: the model takes images as rows (N, {width or 'D'}), one flat "
            f"image per row; got x of shape {images.shape}. Flatten images with "
            "x.reshape(len(x), -1), at the size the model was trained on"
        )
    return images


def _check_batch_size(batch_size: Any) -> None:
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(
            f"layer_activations: batch_size must be a positive integer; got {batch_size!r}"
        )


def layer_activations(model: Module, layer_name: str, x: Any, batch_size: int = 1024) -> np.ndarray:
    """The output of the submodule ``layer_name`` for every row of ``x``: (N, H) float32."""
    try:
        layer = model.get_submodule(layer_name)
    except KeyError as error:
        raise KeyError(
            f"layer_activations: {error.args[0]}; pass one of those names as layer_name"
        ) from error
    images = _images_for(model, x)
    _check_batch_size(batch_size)
    batches: list[np.ndarray] = []

    def record(module: Module, inputs: tuple, output: Tensor) -> None:
        batches.append(output.data)

    # The handle's `with` removes the hook however the block ends, an error included.
    with layer.register_forward_hook(record), no_grad():
        for start in range(0, len(images), batch_size):
            model(Tensor(images[start : start + batch_size]))
    return np.concatenate(batches).astype(np.float32, copy=False)


# ----- projections to a few dimensions ------------------------------------------------------


def _check_components(x: np.ndarray, components: Any) -> None:
    most = min(x.shape)
    if not isinstance(components, (int, np.integer)) or not 1 <= components <= most:
        raise ValueError(
            f"pca: components must be an integer from 1 to min(N, H) = {most} for features of "
            f"shape {x.shape}; got {components!r}"
        )


def pca(features: Any, components: int = 2) -> np.ndarray:
    """The rows of centred ``features`` on their first principal directions: (N, components)."""
    x = _features("pca", features).astype(np.float64)
    _check_components(x, components)
    centred = x - x.mean(axis=0)
    # centred = U S Vᵀ; the rows of Vᵀ are the principal directions, by decreasing variance.
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    directions = directions[:components]
    # A direction and its negative explain the same variance; fix the sign, as scikit-learn
    # does, so that each direction's largest |loading| is positive.
    largest = np.abs(directions).argmax(axis=1)
    directions = directions * np.sign(directions[np.arange(components), largest])[:, None]
    return (centred @ directions.T).astype(np.float32)


def tsne(
    features: Any, perplexity: float = 30.0, seed: int = 0, max_iter: int = 1000
) -> np.ndarray:
    """scikit-learn's t-SNE of the rows of ``features`` to 2-D, PCA-initialised: (N, 2)."""
    from sklearn.manifold import TSNE

    x = _features("tsne", features)
    _check_tsne(len(x), perplexity, max_iter)
    embedding = TSNE(
        n_components=2, perplexity=perplexity, init="pca", random_state=seed, max_iter=max_iter
    ).fit_transform(x)
    return embedding.astype(np.float32, copy=False)


def _check_tsne(n: int, perplexity: float, max_iter: int) -> None:
    if not 0 < perplexity < n:
        raise ValueError(
            f"tsne: perplexity must be above 0 and below the number of samples N = {n} "
            f"(scikit-learn needs perplexity < N); got {perplexity}. Use a smaller perplexity "
            "(5 to 50 is usual) or more samples"
        )
    if max_iter < MIN_TSNE_ITERATIONS:
        raise ValueError(
            f"tsne: max_iter must be at least {MIN_TSNE_ITERATIONS} (scikit-learn's minimum); "
            f"got {max_iter}"
        )


# ----- scores -------------------------------------------------------------------------------


def _clusters(x: np.ndarray, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """The distinct labels (C,) and each row's index among them (N,), or a ValueError."""
    labels = np.asarray(labels)
    n = len(x)
    if labels.shape != (n,):
        raise ValueError(
            f"silhouette: labels must have shape ({n},), one per row of features {x.shape}; "
            f"got {labels.shape}"
        )
    classes, cluster = np.unique(labels, return_inverse=True)
    if not 2 <= len(classes) <= n - 1:
        raise ValueError(
            f"silhouette: needs from 2 to N - 1 = {n - 1} distinct labels; got {len(classes)}. "
            "Score samples of at least two classes, more samples than classes"
        )
    return classes, cluster


def silhouette(features: Any, labels: Any) -> float:
    """The mean silhouette (b - a) / max(a, b) of the rows of ``features`` grouped by ``labels``."""
    x = _features("silhouette", features).astype(np.float64)
    n = len(x)
    classes, cluster = _clusters(x, labels)
    squared = (x * x).sum(axis=1)
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * x @ x.T, 0))
    np.fill_diagonal(distances, 0)
    members = np.eye(len(classes))[cluster]  # (N, C) one-hot
    sizes = members.sum(axis=0)  # (C,)
    totals = distances @ members  # (N, C): the sum of distances from i to the members of c
    rows = np.arange(n)
    own = sizes[cluster]  # (N,): the size of i's own cluster
    a = totals[rows, cluster] / np.maximum(own - 1, 1)  # d(i, i) = 0 is in the sum, not counted
    mean_to = totals / sizes
    mean_to[rows, cluster] = np.inf
    b = mean_to.min(axis=1)
    largest = np.maximum(a, b)
    scores = np.divide(b - a, largest, out=np.zeros(n), where=(own > 1) & (largest > 0))
    return float(scores.mean())


def trustworthiness(features: Any, embedding: Any, n_neighbors: int = 5) -> float:
    """scikit-learn's trustworthiness of the map ``embedding`` of ``features``, in [0, 1]."""
    from sklearn.manifold import trustworthiness as sklearn_trustworthiness

    x = _features("trustworthiness", features)
    mapped = _features("trustworthiness", embedding, "embedding")
    if len(mapped) != len(x):
        raise ValueError(
            f"trustworthiness: embedding {mapped.shape} must have one row per row of features "
            f"{x.shape}"
        )
    if not 1 <= n_neighbors < len(x) / 2:
        raise ValueError(
            f"trustworthiness: n_neighbors must be at least 1 and below N / 2 = {len(x) / 2:g} "
            f"(scikit-learn's bound, which keeps the score in [0, 1]); got {n_neighbors}"
        )
    return float(sklearn_trustworthiness(x, mapped, n_neighbors=n_neighbors))


@hookimpl
def gradkit_register_analysis(register):
    register("layer_activations", layer_activations)
    register("pca", pca)
    register("tsne", tsne)
    register("silhouette", silhouette)
    register("trustworthiness", trustworthiness)
