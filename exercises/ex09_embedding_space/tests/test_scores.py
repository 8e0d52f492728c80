"""ex09: the scores — the silhouette of labelled features against scikit-learn's, and the
trustworthiness of a map — and their bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis

# (samples, features, classes): a few clusters, many, two, and classes of a single member
SILHOUETTE_CASES = [(60, 5, 3), (80, 10, 10), (30, 2, 2), (12, 3, 9)]
SILHOUETTE_PARAMS = [
    pytest.param(*case, id=f"{case[0]}x{case[1]}-{case[2]}-classes") for case in SILHOUETTE_CASES
]


def clustered(samples: int, features: int, classes: int, seed: int):
    """Points around ``classes`` random centres, and their labels (every class present)."""
    rng = np.random.default_rng(seed)
    labels = np.concatenate([np.arange(classes), rng.integers(0, classes, samples - classes)])
    labels = rng.permutation(labels)
    centres = rng.standard_normal((classes, features)) * 2
    x = centres[labels] + rng.standard_normal((samples, features))
    return x.astype(np.float32), labels


# ----- silhouette -----------------------------------------------------------------------------


@pytest.mark.parametrize(("samples", "features", "classes"), SILHOUETTE_PARAMS)
def test_silhouette_equals_sklearn_silhouette_score(samples, features, classes):
    from sklearn.metrics import silhouette_score

    x, labels = clustered(samples, features, classes, seed=samples)
    got = analysis.silhouette(x, labels)
    expected = silhouette_score(x.astype(np.float64), labels)
    assert isinstance(got, float), f"silhouette should return a Python float; got {type(got)}"
    assert got == pytest.approx(expected, abs=1e-4), (
        f"silhouette = {got:.5f}, sklearn.metrics.silhouette_score = {expected:.5f}: a_i is the "
        "mean distance to the *other* members of i's class (divide by size - 1), b_i the "
        "smallest mean distance to another class, s_i = 0 for a class of one"
    )


def test_silhouette_gives_the_documented_example():
    got = analysis.silhouette(np.array([[0.0], [1.0], [10.0], [11.0]]), [0, 0, 1, 1])
    assert got == pytest.approx(0.899749, abs=1e-5), (
        f"silhouette([[0], [1], [10], [11]], [0, 0, 1, 1]) should be 0.899749; got {got}"
    )


def test_silhouette_accepts_any_label_values():
    x, labels = clustered(40, 3, 4, seed=2)
    names = np.array(["zero", "one", "two", "three"])[labels]
    assert analysis.silhouette(x, names) == pytest.approx(analysis.silhouette(x, labels)), (
        "silhouette should group by label value, whatever the values are (strings, 7, -1)"
    )


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        pytest.param([0, 0, 0, 0, 0], ["2", "1"], id="one-class"),
        pytest.param([0, 1, 2, 3, 4], ["4", "5"], id="one-class-per-sample"),
        pytest.param([0, 1, 0], ["5", "3"], id="wrong-length"),
    ],
)
def test_silhouette_with_unusable_labels_is_a_value_error(labels, named):
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    with pytest.raises(ValueError, match=r"silhouette.*label") as caught:
        analysis.silhouette(x, labels)
    assert all(number in str(caught.value) for number in named), (
        f"for labels {labels} of 5 samples the error should name {' and '.join(named)} (the "
        f"bound and the value got); got: {caught.value}"
    )


def test_silhouette_of_features_that_are_not_rows_is_a_value_error():
    with pytest.raises(ValueError, match=r"silhouette.*2-D"):
        analysis.silhouette(np.ones(6, np.float32), [0, 1, 0, 1, 0, 1])


# ----- trustworthiness ------------------------------------------------------------------------


@pytest.mark.parametrize("n_neighbors", [1, 5, 12])
def test_trustworthiness_equals_sklearn(n_neighbors):
    from sklearn.manifold import trustworthiness

    x, _ = clustered(40, 6, 3, seed=3)
    embedding = x[:, :2] + np.random.default_rng(0).standard_normal((40, 2)).astype(np.float32)
    got = analysis.trustworthiness(x, embedding, n_neighbors=n_neighbors)
    expected = trustworthiness(x, embedding, n_neighbors=n_neighbors)
    assert isinstance(got, float), f"trustworthiness should return a Python float; got {type(got)}"
    assert got == pytest.approx(expected, abs=1e-6), (
        f"trustworthiness = {got:.5f}, scikit-learn's = {expected:.5f} (original space first, "
        "map second)"
    )


def test_trustworthiness_of_the_space_itself_is_one():
    x, _ = clustered(30, 4, 3, seed=4)
    assert analysis.trustworthiness(x, x) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("embedding_rows", "n_neighbors", "named"),
    [
        pytest.param(19, 5, ["19", "20"], id="rows-differ"),
        pytest.param(20, 10, ["n_neighbors", "10"], id="too-many-neighbours"),
        pytest.param(20, 0, ["n_neighbors", "0"], id="no-neighbours"),
    ],
)
def test_trustworthiness_with_bad_arguments_is_a_value_error(embedding_rows, n_neighbors, named):
    x, _ = clustered(20, 4, 2, seed=5)
    embedding = np.zeros((embedding_rows, 2), np.float32)
    with pytest.raises(ValueError, match="trustworthiness") as caught:
        analysis.trustworthiness(x, embedding, n_neighbors=n_neighbors)
    assert all(word in str(caught.value) for word in named), (
        f"the error should name {' and '.join(named)}; got: {caught.value}"
    )
