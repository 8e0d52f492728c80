"""ex07: the "digits-split" dataset against scikit-learn's own split, and the goal — an
MLPClassifier trained with CrossEntropyLoss by Trainer.fit reaches ≥97% test accuracy on it
within a fixed budget of epochs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import Tensor, data, models, nn, optim, training
from core import random as gradkit_random

TARGET_ACCURACY = 0.97
HIDDEN_SIZES = [256]
EPOCHS = 40
BATCH_SIZE = 128
LR = 3e-3


def sklearn_split(test_fraction: float, seed: int):
    """The oracle: digits scaled by 16, one-hot labels, scikit-learn's stratified split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = digits.data / 16.0
    y = np.eye(10)[digits.target]
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=digits.target
    )
    return (x_train, y_train), (x_test, y_test)


@pytest.mark.parametrize(("test_fraction", "seed"), [(0.25, 0), (0.2, 3)])
def test_split_has_the_documented_shapes_and_float32(test_fraction, seed):
    (x_train, y_train), (x_test, y_test) = data.load_dataset(
        "digits-split", test_fraction=test_fraction, seed=seed
    )
    n_test = math.ceil(test_fraction * 1797)
    expected = {
        "x_train": (1797 - n_test, 64),
        "y_train": (1797 - n_test, 10),
        "x_test": (n_test, 64),
        "y_test": (n_test, 10),
    }
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    got = {name: (np.shape(a), getattr(a, "dtype", None)) for name, a in arrays.items()}
    wanted = {name: (shape, np.dtype(np.float32)) for name, shape in expected.items()}
    assert got == wanted, f"digits-split gave {got}; expected {wanted}"


@pytest.mark.parametrize(("test_fraction", "seed"), [(0.25, 0), (0.2, 3)])
@pytest.mark.parametrize("part", ["x_train", "y_train", "x_test", "y_test"])
def test_split_equals_sklearn_stratified_split(test_fraction, seed, part):
    (x_train, y_train), (x_test, y_test) = data.load_dataset(
        "digits-split", test_fraction=test_fraction, seed=seed
    )
    got = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}[part]
    (ox_train, oy_train), (ox_test, oy_test) = sklearn_split(test_fraction, seed)
    expected = {"x_train": ox_train, "y_train": oy_train, "x_test": ox_test, "y_test": oy_test}
    assert_close = np.shape(got) == expected[part].shape and np.allclose(got, expected[part])
    assert assert_close, (
        f"digits-split(test_fraction={test_fraction}, seed={seed}): {part} differs from "
        "scikit-learn's train_test_split(x, y, test_size=test_fraction, random_state=seed, "
        "stratify=labels) of images / 16 flattened to (N, 64) and one-hot labels"
    )


@pytest.mark.parametrize("test_fraction", [0.0, 1.0, -0.1, 1.5])
def test_test_fraction_outside_zero_one_raises_value_error(test_fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        data.load_dataset("digits-split", test_fraction=test_fraction)


@pytest.mark.points(5)  # the goal of the exercise
def test_mlp_reaches_target_test_accuracy_on_digits():
    (x_train, y_train), (x_test, y_test) = data.load_dataset("digits-split")
    gradkit_random.manual_seed(0)
    model = models.MLPClassifier(64, HIDDEN_SIZES, 10)
    trainer = training.Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=LR))
    loader = data.DataLoader(
        data.ArrayDataset(x_train, y_train), batch_size=BATCH_SIZE, shuffle=True, seed=0
    )
    history = trainer.fit(loader, epochs=EPOCHS)
    predicted = model(Tensor(x_test)).data.argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test.argmax(axis=1)))
    assert accuracy >= TARGET_ACCURACY, (
        f"after {EPOCHS} epochs (MLPClassifier(64, {HIDDEN_SIZES}, 10), Adam lr {LR}, batches "
        f"of {BATCH_SIZE}) the test accuracy is {accuracy:.3f}; the goal is "
        f"{TARGET_ACCURACY}. Training loss per epoch: "
        f"{np.round(history['train_loss'], 3).tolist()}"
    )
