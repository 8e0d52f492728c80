"""ex09: the projections — PCA in NumPy against scikit-learn's, with a fixed sign, and
scikit-learn's t-SNE, seeded — and their bad arguments."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core import analysis

from .networks import TSNE_POINTS, digits_test_images, one_thread

# (samples, features, components): tall, wide, square, and every component of a small set
PCA_CASES = [(50, 8, 2), (20, 30, 3), (12, 12, 12), (40, 5, 1), (6, 10, 6)]
PCA_PARAMS = [pytest.param(*case, id=f"{case[0]}x{case[1]}-k{case[2]}") for case in PCA_CASES]
TSNE_ITERATIONS = 300  # 250 are all early exaggeration: the map is not formed yet


def correlated(samples: int, features: int, seed: int) -> np.ndarray:
    """Rows with distinct variances per direction (so principal directions are well defined)
    and a mean far from 0 (so forgetting to centre shows)."""
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.3, features)
    mixing = np.linalg.qr(rng.standard_normal((features, features)))[0]
    return (rng.standard_normal((samples, features)) * scales @ mixing + 5.0).astype(np.float32)


def sklearn_pca(x: np.ndarray, components: int) -> np.ndarray:
    """The oracle: scikit-learn's exact PCA; its directions' largest |loading| is positive."""
    from sklearn.decomposition import PCA

    return PCA(n_components=components, svd_solver="full").fit_transform(x.astype(np.float64))


@functools.cache
def _digits_map() -> tuple[np.ndarray, np.ndarray]:
    x, _ = digits_test_images()
    x = x[:TSNE_POINTS]
    with one_thread():
        return x, analysis.tsne(x, perplexity=20, seed=0, max_iter=TSNE_ITERATIONS)


# ----- PCA ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("samples", "features", "components"), PCA_PARAMS)
def test_pca_equals_sklearn_up_to_the_sign_of_each_component(samples, features, components):
    x = correlated(samples, features, seed=samples)
    got = np.asarray(analysis.pca(x, components), np.float64)
    expected = sklearn_pca(x, components)
    assert got.shape == expected.shape, (
        f"pca(x {x.shape}, components={components}) has shape {got.shape}; expected "
        f"{expected.shape}: one row per sample, one column per component"
    )
    signs = np.sign((got * expected).sum(axis=0))
    assert np.allclose(got, expected * signs, atol=1e-3), (
        "pca differs from sklearn.decomposition.PCA even after flipping columns: centre the "
        "columns, take the SVD, project the centred rows on the first rows of Vᵀ"
    )


@pytest.mark.parametrize("seed", range(6))
def test_pca_fixes_the_sign_so_the_largest_loading_is_positive(seed):
    x = correlated(30, 6, seed)
    got = np.asarray(analysis.pca(x, 3), np.float64)
    expected = sklearn_pca(x, 3)
    assert np.allclose(got, expected, atol=1e-3), (
        "pca's columns agree with scikit-learn's only up to sign: flip each principal direction "
        "so that its entry of largest absolute value is positive, then project"
    )


def test_pca_columns_have_mean_zero_and_decreasing_variance():
    got = np.asarray(analysis.pca(correlated(60, 7, seed=1), 4), np.float64)
    variances = got.var(axis=0)
    assert np.allclose(got.mean(axis=0), 0, atol=1e-4), "pca's columns should have mean 0"
    assert np.all(np.diff(variances) <= 1e-6), (
        f"pca's columns should come by decreasing variance; got variances {variances}"
    )


def test_pca_gives_the_documented_example_as_float32():
    got = analysis.pca(np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]]), components=1)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, "pca returns float32"
    assert np.allclose(got, [[-2.0], [0.0], [2.0]], atol=1e-6), (
        f"pca([[0, 0], [2, 0], [4, 0]], 1) should be [[-2], [0], [2]]; got {got.tolist()}"
    )


@pytest.mark.parametrize(
    ("shape", "components"),
    [
        pytest.param((10, 4), 5, id="more-than-features"),
        pytest.param((3, 8), 4, id="more-than-samples"),
        pytest.param((10, 4), 0, id="zero"),
    ],
)
def test_pca_with_too_many_or_no_components_is_a_value_error(shape, components):
    x = correlated(*shape, seed=0)
    most = min(shape)
    with pytest.raises(ValueError, match=rf"pca.*components.*{most}"):
        analysis.pca(x, components)


@pytest.mark.parametrize("shape", [(10,), (2, 3, 4), (0, 5)], ids=["1d", "3d", "empty"])
def test_pca_of_features_that_are_not_rows_is_a_value_error(shape):
    with pytest.raises(ValueError, match=r"pca.*2-D"):
        analysis.pca(np.ones(shape, np.float32))


# ----- t-SNE ----------------------------------------------------------------------------------


def test_tsne_gives_one_float32_point_per_row():
    x, embedding = _digits_map()
    assert isinstance(embedding, np.ndarray) and embedding.dtype == np.float32, (
        f"tsne should return a float32 array; got {getattr(embedding, 'dtype', embedding)}"
    )
    assert embedding.shape == (len(x), 2), f"tsne of {x.shape} gave {embedding.shape}"
    assert np.isfinite(embedding).all(), "tsne gave non-finite coordinates"


def test_tsne_is_the_same_for_the_same_seed():
    x, first = _digits_map()
    with one_thread():
        again = analysis.tsne(x, perplexity=20, seed=0, max_iter=TSNE_ITERATIONS)
    assert np.allclose(first, again, atol=1e-4), (
        "two t-SNE runs with seed=0 differ: pass random_state=seed (and init='pca') to TSNE"
    )


def test_tsne_keeps_the_neighbourhoods_of_the_digits():
    x, embedding = _digits_map()
    score = analysis.trustworthiness(x, embedding, n_neighbors=5)
    assert score >= 0.9, (
        f"the t-SNE map of {len(x)} digits has trustworthiness {score:.3f} < 0.9: is the map "
        "really scikit-learn's TSNE of the given features (not of a copy or a projection)?"
    )


@pytest.mark.parametrize(
    ("samples", "perplexity"),
    [
        pytest.param(10, 30.0, id="perplexity-above-n"),
        pytest.param(10, 10.0, id="perplexity-equal-n"),
        pytest.param(10, 0.0, id="perplexity-zero"),
    ],
)
def test_tsne_with_a_perplexity_the_samples_do_not_allow_is_a_value_error(samples, perplexity):
    x = correlated(samples, 4, seed=0)
    with pytest.raises(ValueError, match=r"tsne.*perplexity") as caught:
        analysis.tsne(x, perplexity=perplexity)
    assert str(samples) in str(caught.value), (
        f"the error should name the number of samples, {samples}; got: {caught.value}"
    )


def test_tsne_with_fewer_than_250_iterations_is_a_value_error():
    with pytest.raises(ValueError, match=r"tsne.*max_iter.*250"):
        analysis.tsne(correlated(20, 4, seed=0), perplexity=5, max_iter=100)
