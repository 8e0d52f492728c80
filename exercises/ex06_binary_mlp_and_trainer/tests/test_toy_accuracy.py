"""ex06: the goal — a small BinaryMLPClassifier trained by Trainer.fit classifies each toy 2-D
set (blobs, moons, circles; 1,000 points) with ≥95% accuracy on a validation set drawn with
another seed, within a fixed budget of epochs (a fraction of a second on the reference)."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, data, models, nn, optim, training
from core import random as gradkit_random

TARGET_ACCURACY = 0.95
N_POINTS = 1000
TRAIN_SEED, VAL_SEED = 0, 1
HIDDEN_SIZES = [16, 16]
EPOCHS = 25
BATCH_SIZE = 50
LR = 0.02


def loader(name: str, seed: int, shuffle: bool) -> tuple[data.DataLoader, np.ndarray, np.ndarray]:
    x, y = data.load_dataset(name, n=N_POINTS, seed=seed)
    y = y.astype(np.float32)  # BCEWithLogitsLoss compares float logits with float labels
    dataset = data.ArrayDataset(x, y)
    return data.DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=shuffle, seed=seed), x, y


@pytest.mark.points(3)  # the goal of the exercise
@pytest.mark.parametrize("name", ["blobs", "moons", "circles"])
def test_small_mlp_reaches_target_validation_accuracy(name):
    gradkit_random.manual_seed(0)
    model = models.BinaryMLPClassifier(2, HIDDEN_SIZES, activation="tanh")
    train_loader, _, _ = loader(name, TRAIN_SEED, shuffle=True)
    val_loader, x_val, y_val = loader(name, VAL_SEED, shuffle=False)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.Adam(model.parameters(), lr=LR))
    history = trainer.fit(train_loader, epochs=EPOCHS, val_loader=val_loader)
    logits = model(Tensor(x_val)).data
    accuracy = float(np.mean((logits > 0) == (y_val == 1)))
    assert accuracy >= TARGET_ACCURACY, (
        f"{name}: after {EPOCHS} epochs (BinaryMLPClassifier(2, {HIDDEN_SIZES}, 'tanh'), "
        f"Adam lr {LR}, batches of {BATCH_SIZE}) the validation accuracy is {accuracy:.3f}; "
        f"the goal is {TARGET_ACCURACY}. Training loss per epoch: "
        f"{np.round(history['train_loss'], 3).tolist()}"
    )
