"""ex14: freezing — freeze/unfreeze switch every parameter of a module tree; the transfer
classifier's encoder is frozen, gets no gradient and stays bit-for-bit the same through
training, with plain SGD, momentum, weight decay and Adam alike; only the head trains."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, analysis, data, models, nn, optim, training
from core import random as gradkit_random
from exercises.ex14_transfer_learning.tests.setups import (
    copy_of_trained_autoencoder,
    digits,
    small_autoencoder,
    small_images,
)

OPTIMIZERS = [
    pytest.param(lambda ps: optim.SGD(ps, lr=0.1), id="sgd"),
    pytest.param(
        lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1), id="sgd-momentum-decay"
    ),
    pytest.param(lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1), id="adam-decay"),
    pytest.param(lambda ps: optim.AdamW(ps, lr=0.01, weight_decay=0.1), id="adamw"),
]


def small_classifier(freeze_encoder: bool = True, seed: int = 0):
    gradkit_random.manual_seed(seed)
    return models.TransferClassifier(
        small_autoencoder(seed=seed).encoder, 3, hidden=5, freeze_encoder=freeze_encoder
    )


def labels(count: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 3, count)


def test_freeze_switches_off_every_parameter_of_the_tree_and_drops_its_gradients():
    autoencoder = small_autoencoder()
    nn.BCEWithLogitsLoss()(autoencoder(small_images()), small_images()).backward()
    returned = analysis.freeze(autoencoder)
    assert returned is autoencoder, "freeze returns the module it froze"
    states = [(name, p.requires_grad, p.grad) for name, p in autoencoder.named_parameters()]
    assert all(not flag and grad is None for _, flag, grad in states), (
        "every parameter, also inside the encoder's and decoder's Sequential, needs "
        f"requires_grad False and grad None: {[(n, f) for n, f, _ in states]}"
    )


def test_unfreeze_makes_every_parameter_trainable_again():
    autoencoder = analysis.freeze(small_autoencoder())
    assert analysis.unfreeze(autoencoder) is autoencoder
    assert all(p.requires_grad for p in autoencoder.parameters())


def test_trainable_parameters_lists_only_the_unfrozen_ones_in_order():
    autoencoder = small_autoencoder()
    analysis.freeze(autoencoder.encoder)
    found = analysis.trainable_parameters(autoencoder)
    expected = list(autoencoder.decoder.parameters())
    assert [id(p) for p in found] == [id(p) for p in expected]


@pytest.mark.parametrize("freeze_encoder", [True, False], ids=["frozen", "from-scratch"])
def test_the_classifier_freezes_its_encoder_only_when_asked(freeze_encoder):
    model = small_classifier(freeze_encoder)
    flags = {name: p.requires_grad for name, p in model.named_parameters()}
    assert all(flag for name, flag in flags.items() if name.startswith("head.")), flags
    assert all(
        flag is not freeze_encoder for name, flag in flags.items() if name.startswith("encoder.")
    ), f"freeze_encoder={freeze_encoder}: {flags}"


def test_only_the_heads_parameters_receive_gradients():
    model = small_classifier()
    nn.CrossEntropyLoss()(model(Tensor(small_images())), labels()).backward()
    grads = {name: p.grad is not None for name, p in model.named_parameters()}
    assert grads == {name: name.startswith("head.") for name in grads}, (
        f"which parameters got a gradient: {grads}"
    )


@pytest.mark.parametrize("make_optimizer", OPTIMIZERS)
def test_frozen_parameters_are_bit_for_bit_unchanged_after_training(make_optimizer):
    model = small_classifier()
    before = model.state_dict()
    # every parameter, frozen or not: the optimizer must skip the frozen ones by itself
    trainer = training.Trainer(model, nn.CrossEntropyLoss(), make_optimizer(model.parameters()))
    loader = data.DataLoader(data.ArrayDataset(small_images(24), labels(24)), batch_size=6)
    trainer.fit(loader, 3)
    after = model.state_dict()
    for name in before:
        same = np.array_equal(before[name], after[name])
        assert same is not name.startswith("head."), (
            f"{name} {'did not change' if same else 'changed'}: the frozen encoder must stay "
            "bit-for-bit the same (momentum and weight decay included), the head must train"
        )


def test_the_head_trains_on_a_frozen_trained_encoder():
    images = digits()
    index = np.concatenate([np.flatnonzero(images.y_train == c)[:20] for c in range(10)])
    gradkit_random.manual_seed(0)
    model = models.TransferClassifier(copy_of_trained_autoencoder().encoder, 10, hidden=32)
    optimizer = optim.Adam(analysis.trainable_parameters(model), lr=0.01)
    trainer = training.Trainer(model, nn.CrossEntropyLoss(), optimizer)
    loader = data.DataLoader(
        data.ArrayDataset(images.x_train[index], images.y_train[index]),
        batch_size=50,
        shuffle=True,
        seed=0,
    )
    history = trainer.fit(loader, 40)
    accuracy = float(np.mean(model.predict(images.x_test) == images.y_test))
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert accuracy > 0.6, f"a head on the trained code with 20 labels per class: {accuracy:.3f}"
