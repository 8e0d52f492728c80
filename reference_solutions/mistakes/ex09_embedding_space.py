"""Known ex09 mistakes: hooks that stay or read the wrong tensor, lost batches, an uncentred or
unsigned PCA, a silhouette that counts the sample itself, and an unseeded t-SNE."""

from __future__ import annotations

import numpy as np

from core import Tensor, no_grad
from reference_solutions import ex09_embedding_space as reference
from reference_solutions.mistakes import mistake


def _record_with(model, layer_name, x, batch_size, record_of):
    """layer_activations whose hook stores ``record_of(inputs, output)``; the hook is removed."""
    layer = model.get_submodule(layer_name)
    images = reference._images_for(model, x)
    reference._check_batch_size(batch_size)
    batches = []
    hook = layer.register_forward_hook(
        lambda m, inputs, out: batches.append(record_of(inputs, out))
    )
    with hook, no_grad():
        for start in range(0, len(images), batch_size):
            model(Tensor(images[start : start + batch_size]))
    return batches


@mistake("analysis", "layer_activations", "never removes the hook: it fires on every later call")
def layer_activations_hook_left_on(model, layer_name, x, batch_size=1024):
    layer = model.get_submodule(layer_name)
    images = reference._images_for(model, x)
    reference._check_batch_size(batch_size)
    batches = []
    layer.register_forward_hook(lambda module, inputs, output: batches.append(output.data))
    with no_grad():
        for start in range(0, len(images), batch_size):
            model(Tensor(images[start : start + batch_size]))
    return np.concatenate(batches).astype(np.float32)


@mistake("analysis", "layer_activations", "records the layer's input, not its output")
def layer_activations_of_the_input(model, layer_name, x, batch_size=1024):
    batches = _record_with(model, layer_name, x, batch_size, lambda inputs, out: inputs[0].data)
    return np.concatenate(batches).astype(np.float32)


@mistake("analysis", "layer_activations", "overwrites the record each batch: keeps the last one")
def layer_activations_of_the_last_batch(model, layer_name, x, batch_size=1024):
    batches = _record_with(model, layer_name, x, batch_size, lambda inputs, out: out.data)
    return batches[-1].astype(np.float32)


@mistake("analysis", "pca", "takes the SVD of the features without centring them")
def pca_without_centring(features, components=2):
    x = reference._features("pca", features).astype(np.float64)
    reference._check_components(x, components)
    _, _, directions = np.linalg.svd(x, full_matrices=False)
    return (x @ directions[:components].T).astype(np.float32)


@mistake("analysis", "pca", "keeps whatever sign the SVD returns for each direction")
def pca_with_the_svd_sign(features, components=2):
    x = reference._features("pca", features).astype(np.float64)
    reference._check_components(x, components)
    centred = x - x.mean(axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    return (centred @ directions[:components].T).astype(np.float32)


@mistake("analysis", "silhouette", "a_i divides by the class size, counting the sample itself")
def silhouette_counting_the_sample_itself(features, labels):
    x = reference._features("silhouette", features).astype(np.float64)
    labels = np.asarray(labels)
    reference._clusters(x, labels)
    distances = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    classes = np.unique(labels)
    means = np.stack([distances[:, labels == c].mean(axis=1) for c in classes], axis=1)
    own = np.searchsorted(classes, labels)
    a = means[np.arange(len(x)), own]
    means[np.arange(len(x)), own] = np.inf
    b = means.min(axis=1)
    return float(np.mean((b - a) / np.maximum(a, b)))


@mistake("analysis", "tsne", "does not pass the seed: every run gives another map")
def tsne_unseeded(features, perplexity=30.0, seed=0, max_iter=1000):
    from sklearn.manifold import TSNE

    x = reference._features("tsne", features)
    reference._check_tsne(len(x), perplexity, max_iter)
    embedding = TSNE(perplexity=perplexity, init="random", max_iter=max_iter).fit_transform(x)
    return embedding.astype(np.float32)
