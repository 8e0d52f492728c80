"""ex14: the auto-encoder — two Linear layers each way with a ReLU between, codes of the
bottleneck's width, reconstruction logits and sigmoid pixels, and training that lowers the
per-pixel BCE without ever reaching the BCE floor."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, analysis, is_grad_enabled, nn, training
from exercises.ex14_transfer_learning.tests.setups import (
    DIGITS_EPOCHS,
    copy_of_trained_autoencoder,
    digits,
    linears,
    numpy_mlp,
    reconstruction_bce,
    small_autoencoder,
    small_images,
    trained_autoencoder,
)

SIZES = [
    pytest.param(16, 12, 4, id="16-12-4"),
    pytest.param(64, 32, 1, id="64-32-1"),
    pytest.param(10, 3, 7, id="bottleneck-wider-than-hidden"),
]


@pytest.mark.parametrize(("features", "hidden", "bottleneck"), SIZES)
def test_encoder_and_decoder_are_two_linear_layers_each_way(features, hidden, bottleneck):
    autoencoder = small_autoencoder(features, hidden, bottleneck)
    shapes = {
        part: [layer.weight.shape for layer in linears(getattr(autoencoder, part))]
        for part in ("encoder", "decoder")
    }
    assert shapes == {
        "encoder": [(hidden, features), (bottleneck, hidden)],
        "decoder": [(hidden, bottleneck), (features, hidden)],
    }, "encoder: Linear(in, hidden), Linear(hidden, bottleneck); decoder: the mirror image"
    relus = [
        m
        for part in (autoencoder.encoder, autoencoder.decoder)
        for m in part.modules()
        if isinstance(m, nn.ReLU)
    ]
    assert len(relus) == 2, f"one ReLU between the two Linear layers of each part, got {relus}"
    assert (autoencoder.in_features, autoencoder.hidden, autoencoder.bottleneck) == (
        features,
        hidden,
        bottleneck,
    )


@pytest.mark.parametrize(("features", "hidden", "bottleneck"), SIZES)
def test_encode_gives_the_encoders_code_for_every_image(features, hidden, bottleneck):
    autoencoder, x = small_autoencoder(features, hidden, bottleneck), small_images(5, features)
    code = autoencoder.encode(x)
    assert isinstance(code, Tensor) and code.shape == (5, bottleneck)
    assert code.dtype == np.float32
    expected = numpy_mlp(linears(autoencoder.encoder), x)
    np.testing.assert_allclose(code.data, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("features", "hidden", "bottleneck"), SIZES)
def test_forward_gives_the_logits_of_decoder_after_encoder(features, hidden, bottleneck):
    autoencoder, x = small_autoencoder(features, hidden, bottleneck), small_images(5, features)
    layers = linears(autoencoder.encoder)
    code = numpy_mlp(layers, x)
    expected = numpy_mlp(linears(autoencoder.decoder), code)
    logits = autoencoder(Tensor(x))
    assert logits.shape == (5, features) and logits.dtype == np.float32
    np.testing.assert_allclose(
        logits.data,
        expected,
        rtol=1e-5,
        atol=1e-5,
        err_msg="forward must return the decoder's last Linear output (logits), no sigmoid",
    )


def test_reconstruct_is_the_sigmoid_of_the_logits_as_an_array_without_a_graph():
    autoencoder, x = small_autoencoder(), small_images()
    seen = []
    autoencoder.decoder.register_forward_hook(lambda m, i, out: seen.append(is_grad_enabled()))
    pixels = autoencoder.reconstruct(x)
    assert isinstance(pixels, np.ndarray) and pixels.dtype == np.float32
    assert pixels.shape == x.shape
    logits = autoencoder(Tensor(x)).data.astype(np.float64)
    np.testing.assert_allclose(pixels, 1 / (1 + np.exp(-logits)), rtol=1e-5, atol=1e-6)
    assert seen[0] is False, "reconstruct must run under no_grad(): it builds no graph"


def test_train_autoencoder_returns_one_loss_per_epoch_and_the_loss_falls():
    losses = trained_autoencoder()[2]
    assert len(losses) == DIGITS_EPOCHS and all(isinstance(v, float) for v in losses)
    assert losses[-1] < 0.75 * losses[0], (
        f"the per-pixel BCE should fall clearly over {DIGITS_EPOCHS} epochs; got {losses}"
    )


def test_training_lowers_the_reconstruction_loss_of_unseen_images():
    autoencoder, before, _ = trained_autoencoder()
    after = reconstruction_bce(autoencoder, digits().x_test)
    assert after < before - 0.15, f"test BCE before training {before:.3f}, after {after:.3f}"


def test_the_reconstruction_loss_stays_above_the_bce_floor():
    autoencoder, _, _ = trained_autoencoder()
    x = digits().x_test
    floor, achieved = analysis.bce_floor(x), reconstruction_bce(autoencoder, x)
    assert 0.1 < floor < achieved, (
        f"floor {floor:.4f} must be > 0 and below the loss {achieved:.4f}"
    )


def test_train_autoencoder_leaves_a_frozen_encoder_unchanged_and_trains_the_decoder():
    autoencoder = copy_of_trained_autoencoder()
    analysis.freeze(autoencoder.encoder)
    before = autoencoder.state_dict()
    training.train_autoencoder(autoencoder, digits().x_train[:128], epochs=1, seed=3)
    after = autoencoder.state_dict()
    changed = [name for name in before if not np.array_equal(before[name], after[name])]
    assert changed and all(name.startswith("decoder.") for name in changed), (
        f"only the decoder may change when the encoder is frozen; changed: {changed}"
    )


def test_train_autoencoder_is_seeded():
    runs = []
    for _ in range(2):
        autoencoder = small_autoencoder(seed=5)
        runs.append(training.train_autoencoder(autoencoder, small_images(32, seed=2), epochs=2))
    assert runs[0] == runs[1], "the same model, data and seed must give the same losses"
