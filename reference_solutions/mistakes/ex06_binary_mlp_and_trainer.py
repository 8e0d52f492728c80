"""Known ex06 mistakes: a trainer and a classifier that still train, but report or step wrong."""

from __future__ import annotations

import numpy as np

from core import Tensor, no_grad
from reference_solutions import ex06_binary_mlp_and_trainer as reference
from reference_solutions.mistakes import mistake


@mistake("training", "Trainer", "never calls optimizer.zero_grad(): gradients add up over steps")
class TrainerWithoutZeroGrad(reference.Trainer):
    def _train_batch(self, x, y):
        outputs = self.model(reference._as_tensor(x))
        loss = self.loss_fn(outputs, y)
        loss.backward()
        self.optimizer.step()
        return loss.item(), outputs.data


@mistake("training", "Trainer", "validate runs the model without no_grad(), building a graph")
class TrainerValidatesWithAGraph(reference.Trainer):
    def validate(self, loader):
        was_training = self.model.training
        self.model.eval()
        total_loss, correct, count = 0.0, 0, 0
        for x, y in loader:
            outputs = self.model(reference._as_tensor(x))
            total_loss += self.loss_fn(outputs, y).item() * len(outputs.data)
            correct += reference.count_correct(outputs, y)
            count += len(outputs.data)
        self.model.train(was_training)
        if count == 0:
            raise ValueError("Trainer.validate: the loader gave no batch")
        return {"loss": total_loss / count, "accuracy": correct / count}


@mistake("training", "Trainer", "validate forgets model.eval(): it evaluates in training mode")
class TrainerValidatesInTrainingMode(reference.Trainer):
    def validate(self, loader):
        total_loss, correct, count = 0.0, 0, 0
        with no_grad():
            for x, y in loader:
                outputs = self.model(reference._as_tensor(x))
                total_loss += self.loss_fn(outputs, y).item() * len(outputs.data)
                correct += reference.count_correct(outputs, y)
                count += len(outputs.data)
        if count == 0:
            raise ValueError("Trainer.validate: the loader gave no batch")
        return {"loss": total_loss / count, "accuracy": correct / count}


@mistake(
    "training",
    "Trainer",
    "validate's loss is the mean of the batch means, so a small last batch weighs too much",
)
class TrainerAveragesBatchMeans(reference.Trainer):
    def validate(self, loader):
        was_training = self.model.training
        self.model.eval()
        losses, correct, count = [], 0, 0
        with no_grad():
            for x, y in loader:
                outputs = self.model(reference._as_tensor(x))
                losses.append(self.loss_fn(outputs, y).item())
                correct += reference.count_correct(outputs, y)
                count += len(outputs.data)
        self.model.train(was_training)
        if count == 0:
            raise ValueError("Trainer.validate: the loader gave no batch")
        return {"loss": float(np.mean(losses)), "accuracy": correct / count}


@mistake("models", "BinaryMLPClassifier", "predict compares the logits with 0.5, not with 0")
class PredictThresholdsLogitsAtHalf(reference.BinaryMLPClassifier):
    def predict(self, x):
        with no_grad():
            x = x if isinstance(x, Tensor) else Tensor(x)
            return (self(x).data > 0.5).astype(np.int64)


@mistake("training", "count_correct", "binary: counts a logit of exactly 0 as class 1 (>= 0)")
def count_correct_zero_logit_is_class_one(outputs, targets):
    outputs, targets = reference._array(outputs), reference._array(targets)
    if outputs.ndim == 1 and targets.shape == outputs.shape:
        return int(np.count_nonzero((outputs >= 0) == (targets > 0.5)))
    return reference.count_correct(outputs, targets)
