"""Exercise 09 — embedding space: what does a trained network's hidden layer do to the digits?

What you write, and how it reaches the library (all through ``from core import analysis``):

- ``layer_activations`` (``analysis.layer_activations``): the output of any named layer of a
  model for a whole data set, caught with a forward hook. In ``MLPClassifier`` the layer
  ``"layers.0"`` is the first Linear (the pre-activation of hidden layer 1) and ``"layers.1"``
  the ReLU after it (its post-activation); ``model.named_modules()`` lists every name.
- ``pca`` (``analysis.pca``): a projection on the first principal directions, in NumPy (centre,
  SVD), with a fixed sign so that two runs and scikit-learn agree.
- ``tsne`` (``analysis.tsne``): scikit-learn's t-SNE map to 2-D, seeded.
- ``silhouette`` (``analysis.silhouette``): how well the true classes form separate groups in a
  representation, in [-1, 1].
- ``trustworthiness`` (``analysis.trustworthiness``): how faithful a 2-D map is to the
  neighbourhoods of the space it came from, in [0, 1].

Rules (the tests check them):

- The hook is removed when ``layer_activations`` returns (and when it raises): a removed hook
  never fires again. The hook only reads: the model's output is the same with it as without.
- Every result is a float32 NumPy array (a float for a score), one row per sample.
- Bad arguments raise ``ValueError`` naming the function, the value got and the fix: data of the
  wrong shape for the model, more PCA components than features or samples, a t-SNE perplexity
  that is not below the number of samples. An unknown layer name is a ``KeyError`` that lists the
  names there are.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex09``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core import Module, Tensor, hookimpl, nn, no_grad  # noqa: F401 - yours to use
from exercises.stub import todo

MIN_TSNE_ITERATIONS = 250  # scikit-learn (>= 1.5) refuses fewer

# ----- activations of a named layer ---------------------------------------------------------


def layer_activations(model: Module, layer_name: str, x: Any, batch_size: int = 1024) -> np.ndarray:
    """The output of the submodule ``layer_name`` of ``model`` for every row of ``x``.

    Find the layer with ``model.get_submodule(layer_name)`` (``""`` is the model itself), register
    a forward hook on it that records ``output.data``, run the model on ``x`` in batches of
    ``batch_size`` rows without a graph (``with no_grad():``), remove the hook, and stack the
    recorded batches. Use the handle as ``with layer.register_forward_hook(hook):`` so the hook
    is removed however the block ends. The hook must return None: a hook that returns a value
    replaces the layer's output, and with it everything the model computes after it.

    In ``MLPClassifier(64, [128], 10)``: ``"layers.0"`` is the Linear, so its output
    h = x Wᵀ + b is hidden layer 1 *before* the activation (pre-activation, any sign);
    ``"layers.1"`` is the ReLU, max(h, 0) (post-activation, ≥ 0); ``"layers.2"`` gives the
    logits.

    Args:
        model: a Module taking (B, D) float32 rows (an MLPClassifier, say).
        layer_name: a dotted name from ``model.named_modules()``, e.g. ``"layers.1"``.
        x: (N, D) float32 array (or Tensor), one flat image per row; D is what the model's first
            Linear takes.
        batch_size: rows per forward pass, a positive integer.

    Returns:
        (N, H) float32 array: row i is the layer's output for x[i]; H is the layer's width.

    Raises:
        KeyError: no layer has that name; the message lists the names there are (the error of
            ``get_submodule`` says so already: let it surface, or re-raise it naming
            layer_activations).
        ValueError: x is not 2-D, is empty, or has a width other than the first Linear's
            in_features (name the shape got and the width expected, and say how to flatten
            images); batch_size < 1 (name batch_size).

    Example:
        model = MLPClassifier(12, [10, 6], 4); x: (5, 12)
        layer_activations(model, "layers.0", x).shape == (5, 10)   # any sign
        layer_activations(model, "layers.1", x).min() >= 0          # after the ReLU
        layer_activations(model, "layers.9", x)  ->  KeyError listing 'layers.0', ...
        layer_activations(model, "layers.1", x[:, :5])  ->  ValueError: layer_activations: the
            model takes rows (N, 12) ...; got x of shape (5, 5) ...
    """
    raise todo()


# ----- projections to a few dimensions ------------------------------------------------------


def pca(features: Any, components: int = 2) -> np.ndarray:
    """The rows of ``features``, centred, on their first ``components`` principal directions.

    With X the (N, H) features and μ their column means (H,)::

        C = X - μ                    (N, H)  centred
        C = U S Vᵀ                   np.linalg.svd(C, full_matrices=False); S decreasing
        Z = C V[:, :k]               (N, k)  the projections, k = components

    The rows of Vᵀ are the principal directions, the first with the most variance. A direction
    v and -v explain the same variance, and the SVD returns either: fix the sign of each
    direction so that its entry of largest absolute value is positive (scikit-learn's
    convention), then project. Compute in float64, return float32.

    Args:
        features: (N, H) array, one row per sample.
        components: k, an integer from 1 to min(N, H).

    Returns:
        (N, k) float32 array; column j has mean 0 and variance S_j² / N, decreasing in j.

    Raises:
        ValueError: features not 2-D or empty (say "2-D" and give the shape got);
            components not an integer in [1, min(N, H)] (name components and min(N, H)).

    Example:
        pca([[0., 0.], [2., 0.], [4., 0.]], components=1) = [[-2.], [0.], [2.]]
        (the direction is (1, 0): its largest entry, 1, is positive)
    """
    raise todo()


def tsne(
    features: Any, perplexity: float = 30.0, seed: int = 0, max_iter: int = 1000
) -> np.ndarray:
    """scikit-learn's t-SNE map of the rows of ``features`` to 2-D.

    Wrap ``sklearn.manifold.TSNE(n_components=2, perplexity=perplexity, init="pca",
    random_state=seed, max_iter=max_iter).fit_transform(features)`` (scikit-learn ≥ 1.5 calls
    the number of iterations ``max_iter``; ``n_iter`` no longer exists). t-SNE places points so
    that each point's neighbours (about ``perplexity`` of them, weighted by a Gaussian) stay its
    neighbours in 2-D (with a heavy-tailed Student-t kernel). ``init="pca"`` and the seed make
    the map the same on every run.

    Args:
        features: (N, H) array, one row per sample.
        perplexity: the effective number of neighbours, above 0 and below N (scikit-learn needs
            perplexity < N; 5 to 50 is usual).
        seed: random_state of the optimisation.
        max_iter: optimisation steps, at least 250 (scikit-learn's minimum). The first 250
            steps exaggerate the attractions (early exaggeration): a map is formed only after
            them, so use 300 or more for a usable map (1000 is the default).

    Returns:
        (N, 2) float32 array.

    Raises:
        ValueError: features not 2-D or empty; perplexity not in (0, N) (name perplexity, N
            and the fix); max_iter < 250 (name max_iter and 250).

    Example:
        tsne(x) with x (150, 64): (150, 2), the same on every call with the same seed
        tsne(x[:10], perplexity=30)  ->  ValueError: perplexity must be ... below N = 10
    """
    raise todo()


# ----- scores -------------------------------------------------------------------------------


def silhouette(features: Any, labels: Any) -> float:
    """The mean silhouette of the rows of ``features`` grouped by ``labels``, in [-1, 1].

    Computed in the space of ``features`` itself (a layer's H dimensions, or the 2 of a map:
    whatever you pass), with Euclidean distances d. For sample i of class c::

        a_i = mean of d(i, j) over the other members j of c           (0 if i is alone)
        b_i = min over classes c' ≠ c of the mean of d(i, j), j in c'
        s_i = (b_i - a_i) / max(a_i, b_i)         s_i = 0 if i is alone in its class

    and the score is the mean of s_i over all N samples: near 1 when each class is a tight group
    far from the others, near 0 when the classes overlap. The study and the tests score a layer
    in its own space: on the 450 test digits, raw pixels give about 0.16 and the last hidden
    layer of a trained MLP 0.3 to 0.4 (a t-SNE map of the same points scores higher, about 0.4
    and 0.6: a map's silhouette measures the map, not the layer). It equals
    ``sklearn.metrics.silhouette_score(features, labels)``: wrap it, or write it (the N x N
    distances come from ‖x_i‖² + ‖x_j‖² - 2 x_i·x_j).

    Args:
        features: (N, H) array.
        labels: (N,) class labels (any values; each distinct value is one group).

    Returns:
        a Python float.

    Raises:
        ValueError: features not 2-D or empty (say "2-D"); labels not of shape (N,) (name N
            and the length got); fewer than 2 or more than N - 1 distinct labels (name the
            bounds and the count got). Each message mentions the labels.

    Example:
        silhouette([[0.], [1.], [10.], [11.]], [0, 0, 1, 1]):
        s_0 = (10.5 - 1) / 10.5 = 0.904762, s_1 = (9.5 - 1) / 9.5 = 0.894737, symmetric for
        class 1: mean 0.899749
    """
    raise todo()


def trustworthiness(features: Any, embedding: Any, n_neighbors: int = 5) -> float:
    """How well the map ``embedding`` keeps the neighbourhoods of ``features``, in [0, 1].

    Wrap ``sklearn.manifold.trustworthiness(features, embedding, n_neighbors=n_neighbors)``.
    With k = n_neighbors, r(i, j) the rank of j among i's neighbours in the original space and
    U_i the k nearest neighbours of i in the map that are not among its k nearest in the
    original space::

        T = 1 - 2 / (N k (2N - 3k - 1)) · Σ_i Σ_{j in U_i} (r(i, j) - k)

    1 means no point gets false neighbours in the map. The order matters: the original space
    first, the map second.

    Args:
        features: (N, H) array, the original space.
        embedding: (N, 2) (or any (N, h)) array, the map of the same rows.
        n_neighbors: k, at least 1 and below N / 2.

    Returns:
        a Python float.

    Raises:
        ValueError: either array not 2-D or empty; a different number of rows (name both);
            n_neighbors not in [1, N / 2) (name n_neighbors and the value got).

    Example:
        trustworthiness(x, x[:, :2]) <= 1.0;  trustworthiness(x, x) == 1.0
    """
    raise todo()


@hookimpl
def gradkit_register_analysis(register):
    register("layer_activations", layer_activations)
    register("pca", pca)
    register("tsne", tsne)
    register("silhouette", silhouette)
    register("trustworthiness", trustworthiness)
