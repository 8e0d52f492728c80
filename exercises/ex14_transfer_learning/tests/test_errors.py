"""ex14: bad arguments are a ValueError that names the function, the value got and the fix —
a model with every parameter frozen (nothing left to train), a bottleneck or other size < 1,
images whose width is not the auto-encoder's, pixels outside [0, 1], a bad classifier."""

from __future__ import annotations

import numpy as np
import pytest

from core import analysis, models, nn, training
from exercises.ex14_transfer_learning.tests.setups import small_autoencoder, small_images

SIZE_MISTAKES = [
    pytest.param("bottleneck", 0, id="bottleneck-0"),
    pytest.param("bottleneck", -3, id="bottleneck-negative"),
    pytest.param("bottleneck", 2.5, id="bottleneck-fractional"),
    pytest.param("hidden", 0, id="hidden-0"),
    pytest.param("in_features", 0, id="in_features-0"),
]


@pytest.mark.parametrize(("size", "value"), SIZE_MISTAKES)
def test_a_size_below_one_is_an_error_naming_the_size(size, value):
    sizes = {"in_features": 16, "hidden": 12, "bottleneck": 4, size: value}
    with pytest.raises(ValueError, match=rf"AutoEncoder.*{size}.*positive integer.*{value}"):
        models.AutoEncoder(**sizes)


WIDTH_MISTAKES = [
    pytest.param(lambda x: x[:, :10], r"\(N, 16\).*\(6, 10\)", id="too-narrow"),
    pytest.param(lambda x: np.hstack([x, x]), r"\(N, 16\).*\(6, 32\)", id="too-wide"),
    pytest.param(lambda x: x[0], r"\(N, 16\).*\(16,\)", id="one-image-1-D"),
    pytest.param(lambda x: x.reshape(6, 4, 4), r"\(N, 16\).*\(6, 4, 4\)", id="not-flattened"),
    pytest.param(lambda x: x * 16, r"\[0, 1\]", id="pixels-0-to-16"),
]
METHODS = ["encode", "forward", "reconstruct"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("change", "shows"), WIDTH_MISTAKES)
def test_images_that_do_not_fit_the_autoencoder_are_an_error(method, change, shows):
    autoencoder, x = small_autoencoder(), small_images()
    with pytest.raises(ValueError, match=rf"AutoEncoder.*{shows}"):
        getattr(autoencoder, method)(change(x))


@pytest.mark.parametrize(("change", "shows"), WIDTH_MISTAKES)
def test_train_autoencoder_rejects_images_that_do_not_fit(change, shows):
    with pytest.raises(ValueError, match=rf"train_autoencoder.*{shows}"):
        training.train_autoencoder(small_autoencoder(), change(small_images()), epochs=1)


@pytest.mark.parametrize("epochs", [0, -1, 1.5])
def test_train_autoencoder_rejects_a_bad_epoch_count(epochs):
    with pytest.raises(ValueError, match=rf"train_autoencoder.*epochs.*{epochs}"):
        training.train_autoencoder(small_autoencoder(), small_images(), epochs=epochs)


FROZEN = [
    pytest.param(lambda: analysis.freeze(small_autoencoder()), "AutoEncoder", id="autoencoder"),
    pytest.param(
        lambda: analysis.freeze(models.TransferClassifier(small_autoencoder().encoder, 3)),
        "TransferClassifier",
        id="transfer-classifier",
    ),
]


@pytest.mark.parametrize(("make", "name"), FROZEN)
def test_a_model_with_every_parameter_frozen_has_nothing_to_train(make, name):
    with pytest.raises(ValueError, match=rf"trainable_parameters.*{name}.*frozen.*unfreeze"):
        analysis.trainable_parameters(make())


def test_training_a_frozen_autoencoder_is_an_error_naming_the_fix():
    autoencoder = analysis.freeze(small_autoencoder())
    with pytest.raises(ValueError, match=r"frozen.*nothing to train.*unfreeze"):
        training.train_autoencoder(autoencoder, small_images(), epochs=1)


CLASSIFIER_MISTAKES = [
    pytest.param({"classes": 1}, r"classes.*\b1\b", id="one-class"),
    pytest.param({"hidden": 0}, r"hidden.*\b0\b", id="hidden-0"),
    pytest.param({"encoder": lambda: nn.ReLU()}, r"encoder.*Linear", id="encoder-without-linear"),
    pytest.param(
        {"encoder": lambda: "encoder"}, r"encoder.*Module.*str", id="encoder-not-a-module"
    ),
]


@pytest.mark.parametrize(("changes", "shows"), CLASSIFIER_MISTAKES)
def test_a_bad_transfer_classifier_is_an_error(changes, shows):
    # layers are built inside the test: the suite binds no implementation at import
    call = {"encoder": small_autoencoder().encoder, "classes": 3}
    call.update({key: value() if callable(value) else value for key, value in changes.items()})
    with pytest.raises(ValueError, match=rf"TransferClassifier.*{shows}"):
        models.TransferClassifier(**call)


@pytest.mark.parametrize(
    ("pixels", "shows"),
    [
        pytest.param(np.array([[0.5, 1.5]]), r"\[0, 1\].*1\.5", id="above-1"),
        pytest.param(np.array([[-0.5, 0.5]]), r"\[0, 1\].*-0\.5", id="negative"),
        pytest.param(np.zeros((0, 4)), r"no pixels", id="empty"),
    ],
)
def test_bce_floor_rejects_targets_outside_zero_one(pixels, shows):
    with pytest.raises(ValueError, match=rf"bce_floor.*{shows}"):
        analysis.bce_floor(pixels)
