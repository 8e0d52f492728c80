"""ex06: count_correct and the Trainer — train_step, validate's true per-sample mean, fit's
History and the order of its callbacks — against float64 NumPy computations."""

from __future__ import annotations

import numpy as np
import pytest

from core import Tensor, data, nn, optim, training
from exercises.ex03_modules_and_losses.tests.oracles import numpy_bce_with_logits as numpy_bce
from exercises.ex03_modules_and_losses.tests.oracles import numpy_sigmoid
from exercises.ex06_binary_mlp_and_trainer.tests.doubles import (
    Affine,
    ClassScores,
    RecordingCallback,
    RecordingOptimizer,
    batches,
    mean_square_of_outputs,
)
from exercises.testing.checks import assert_values

WEIGHTS = np.array([0.8, -0.5, 0.3])


def binary_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)).astype(np.float32)
    y = (rng.random(n) < 0.5).astype(np.float32)
    return x, y


def frozen_trainer(weights=WEIGHTS, bias=0.1):
    """A Trainer whose optimizer never changes the model (lr 0): every metric is the model's."""
    model = Affine(weights, bias)
    optimizer = RecordingOptimizer(model.parameters(), lr=0.0)
    return training.Trainer(model, nn.BCEWithLogitsLoss(), optimizer), model, optimizer


# ----- count_correct ----------------------------------------------------------------------------

COUNT_CASES = [
    pytest.param([2.0, -1.0, 0.5, -3.0], [1, 1, 0, 0], id="binary-int-labels"),
    pytest.param([2.0, -1.0, 0.5, 0.0], [1.0, 0.0, 1.0, 1.0], id="binary-float-labels-zero-logit"),
    pytest.param([[0.0, 3.0, 1.0], [2.0, 0.0, 1.0]], [1, 2], id="multiclass-indices"),
    pytest.param(
        [[0.0, 3.0, 1.0], [2.0, 0.0, 1.0], [0.0, 0.0, 5.0]],
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]],
        id="multiclass-one-hot",
    ),
]


def numpy_correct(outputs: np.ndarray, targets: np.ndarray) -> int:
    outputs, targets = np.asarray(outputs), np.asarray(targets)
    if outputs.ndim == 1:
        return int(((outputs > 0) == (targets == 1)).sum())
    labels = targets.argmax(axis=1) if targets.ndim == 2 else targets
    return int((outputs.argmax(axis=1) == labels).sum())


@pytest.mark.parametrize(("outputs", "targets"), COUNT_CASES)
@pytest.mark.parametrize("as_tensors", [False, True], ids=["arrays", "tensors"])
def test_count_correct_counts_right_predictions(outputs, targets, as_tensors):
    outputs, targets = np.asarray(outputs, np.float32), np.asarray(targets)
    wrap = (lambda a: Tensor(a, dtype=a.dtype)) if as_tensors else (lambda a: a)
    got = training.count_correct(wrap(outputs), wrap(targets))
    expected = numpy_correct(outputs, targets)
    assert isinstance(got, (int, np.integer)) and got == expected, (
        f"count_correct({outputs.tolist()}, {targets.tolist()}) = {got!r}, expected {expected}; "
        "binary: logit > 0 means class 1; multiclass: argmax of the logits vs the label "
        "(or the argmax of a one-hot target)"
    )


@pytest.mark.parametrize(
    ("outputs_shape", "targets_shape"), [((4,), (5,)), ((4, 3), (4, 2)), ((4, 3), (5,))]
)
def test_count_correct_rejects_shapes_that_do_not_fit(outputs_shape, targets_shape):
    with pytest.raises(ValueError, match="count_correct"):
        training.count_correct(np.zeros(outputs_shape, np.float32), np.zeros(targets_shape))


# ----- train_step -------------------------------------------------------------------------------


def test_train_step_returns_the_batch_loss_before_the_step_as_a_float():
    trainer, model, _ = frozen_trainer()
    x, y = binary_data(8)
    expected = numpy_bce(model.numpy_logits(x), y).mean()
    got = trainer.train_step(Tensor(x), Tensor(y))
    assert isinstance(got, float), f"train_step returned {type(got).__name__}, expected a float"
    assert_values("train_step's loss is wrong", expected, got, "loss.item() of the batch")


def test_train_step_calls_zero_grad_then_step_once():
    trainer, _, optimizer = frozen_trainer()
    x, y = binary_data(8)
    trainer.train_step(Tensor(x), Tensor(y))
    assert optimizer.events == ["zero_grad", "step"], (
        f"train_step called the optimizer as {optimizer.events}; expected "
        "['zero_grad', 'step']: clear old gradients, backward, then one step"
    )


def test_train_step_steps_with_this_batch_gradient_only():
    trainer, model, optimizer = frozen_trainer()
    x, y = binary_data(8)
    for _ in range(2):
        trainer.train_step(Tensor(x), Tensor(y))
    residual = (numpy_sigmoid(model.numpy_logits(x)) - y) / len(x)
    expected = [x.astype(np.float64).T @ residual, residual.sum()]
    for name, want, got in zip(("w", "b"), expected, optimizer.seen_grads[-1]):
        assert got is not None, f"at the second step, parameter {name} had no gradient"
        assert_values(
            f"gradient of {name} seen by the second optimizer.step() is wrong",
            want,
            got,
            "zero_grad must come before backward: otherwise the second step sees the sum of "
            "two batches' gradients",
        )


def test_train_step_decreases_the_loss_on_a_fixed_batch():
    model = Affine(WEIGHTS, 0.1)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=1.0))
    x, y = binary_data(16, seed=1)
    losses = [trainer.train_step(Tensor(x), Tensor(y)) for _ in range(30)]
    assert losses[-1] < 0.9 * losses[0], (
        f"30 train steps on one batch took the loss from {losses[0]:.4f} to {losses[-1]:.4f}; "
        "it should fall: does train_step call backward() and optimizer.step()?"
    )


def test_train_step_keeps_parameters_float32():
    model = Affine(WEIGHTS, 0.1)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.1))
    x, y = binary_data(8)
    trainer.train_step(Tensor(x), Tensor(y))
    dtypes = {name: p.dtype for name, p in model.named_parameters()}
    assert set(dtypes.values()) == {np.dtype(np.float32)}, (
        f"parameter dtypes after a step: {dtypes}"
    )


# ----- validate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "batch_sizes", [[4, 4, 2], [7, 3], [1, 9], [10]], ids=["4-4-2", "7-3", "1-9", "10"]
)
def test_validate_loss_is_the_mean_over_all_samples(batch_sizes):
    trainer, model, _ = frozen_trainer()
    x, y = binary_data(10, seed=2)
    expected = numpy_bce(model.numpy_logits(x), y).mean()
    got = trainer.validate(batches(x, y, batch_sizes))["loss"]
    assert_values(
        f"validate's loss with batches of {batch_sizes} is wrong",
        expected,
        got,
        "the mean over samples: weight each batch's mean loss by its size and divide by the "
        "number of samples; the mean of the batch means overweights a small last batch",
        rtol=1e-5,
        atol=1e-6,
    )


def test_validate_works_with_a_data_loader_with_a_short_last_batch():
    trainer, model, _ = frozen_trainer()
    x, y = binary_data(23, seed=3)
    loader = data.DataLoader(data.ArrayDataset(x, y), batch_size=5)
    expected = numpy_bce(model.numpy_logits(x), y).mean()
    got = trainer.validate(loader)["loss"]
    assert_values("validate's loss over a DataLoader is wrong", expected, got, "see above")


def test_validate_accuracy_is_the_fraction_of_correct_binary_predictions():
    trainer, model, _ = frozen_trainer()
    x, y = binary_data(30, seed=4)
    expected = float(np.mean((model.numpy_logits(x) > 0) == (y == 1)))
    got = trainer.validate(batches(x, y, [8, 8, 8, 6]))["accuracy"]
    assert got == pytest.approx(expected), (
        f"validate's accuracy is {got}, expected {expected}: correct predictions (logit > 0 "
        "means class 1) over all samples"
    )


@pytest.mark.parametrize("targets", ["indices", "one-hot"])
def test_validate_accuracy_of_a_multiclass_model(targets):
    rng = np.random.default_rng(5)
    weights = rng.standard_normal((3, 4))
    x = rng.standard_normal((20, 3)).astype(np.float32)
    labels = rng.integers(0, 4, 20)
    y = labels if targets == "indices" else np.eye(4, dtype=np.float32)[labels]
    model = ClassScores(weights)
    trainer = training.Trainer(model, mean_square_of_outputs, RecordingOptimizer([]))
    expected = float(np.mean((x @ model.weight.data).argmax(axis=1) == labels))
    got = trainer.validate(batches(x, y, [6, 6, 6, 2]))["accuracy"]
    assert got == pytest.approx(expected), (
        f"validate's accuracy with {targets} targets is {got}, expected {expected}: argmax of "
        "the logits (B, C) against the labels"
    )


def test_validate_builds_no_graph_and_changes_nothing():
    trainer, model, optimizer = frozen_trainer()
    before = {name: p.data.copy() for name, p in model.named_parameters()}
    x, y = binary_data(10)
    trainer.validate(batches(x, y, [5, 5]))
    assert model.calls and not any(call["grad_enabled"] for call in model.calls), (
        "validate ran the model with autograd on; wrap the loop in `with no_grad():`"
    )
    assert optimizer.events == [], f"validate called the optimizer: {optimizer.events}"
    for name, parameter in model.named_parameters():
        assert parameter.grad is None and np.array_equal(parameter.data, before[name]), (
            f"validate changed parameter {name} or its gradient"
        )


def test_validate_evaluates_in_eval_mode_and_restores_training_mode():
    trainer, model, _ = frozen_trainer()
    model.train()
    x, y = binary_data(6)
    trainer.validate(batches(x, y, [3, 3]))
    assert not any(call["training"] for call in model.calls), (
        "validate ran the model in training mode; call model.eval() first"
    )
    assert model.training, "after validate the model should be back in training mode"


def test_validate_on_an_empty_loader_raises_value_error():
    trainer, _, _ = frozen_trainer()
    with pytest.raises(ValueError, match="validate"):
        trainer.validate([])


# ----- fit --------------------------------------------------------------------------------------


def test_fit_history_has_one_entry_per_epoch_with_every_metric():
    trainer, _, _ = frozen_trainer()
    x, y = binary_data(12)
    history = trainer.fit(batches(x, y, [5, 5, 2]), epochs=3, val_loader=batches(x, y, [12]))
    keys = {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds"}
    assert len(history) == 3, f"fit(epochs=3) returned a History with {len(history)} epochs"
    for epoch, metrics in enumerate(history.epochs):
        assert set(metrics) == keys, f"epoch {epoch} has metrics {sorted(metrics)}; expected {keys}"
        assert metrics["seconds"] > 0, f"epoch {epoch} took {metrics['seconds']} seconds"


def test_fit_without_validation_records_train_metrics_only():
    trainer, _, _ = frozen_trainer()
    x, y = binary_data(12)
    history = trainer.fit(batches(x, y, [6, 6]), epochs=2)
    assert [set(m) for m in history.epochs] == [{"train_loss", "train_accuracy", "seconds"}] * 2, (
        f"fit without val_loader gave metrics {[sorted(m) for m in history.epochs]}"
    )


@pytest.mark.parametrize("metric", ["train_loss", "train_accuracy", "val_loss", "val_accuracy"])
def test_fit_metrics_equal_numpy_when_the_model_is_frozen(metric):
    trainer, model, _ = frozen_trainer()
    x_train, y_train = binary_data(14, seed=6)
    x_val, y_val = binary_data(9, seed=7)
    history = trainer.fit(
        batches(x_train, y_train, [4, 4, 4, 2]), epochs=2, val_loader=batches(x_val, y_val, [5, 4])
    )
    x, y = (x_train, y_train) if metric.startswith("train") else (x_val, y_val)
    logits = model.numpy_logits(x)
    if metric.endswith("loss"):
        expected = numpy_bce(logits, y).mean()
    else:
        expected = np.mean((logits > 0) == (y == 1))
    assert_values(
        f"history[{metric!r}] is wrong (the optimizer has lr 0, so each epoch's value is the "
        "model's metric over the whole set)",
        [expected, expected],
        history[metric],
        "weight each batch by its size; accuracy counts correct samples over all samples",
        rtol=1e-5,
        atol=1e-6,
    )


def call_summary(hook: str, args: tuple) -> tuple:
    """The arguments a hook call is compared on (values are checked in the next test)."""
    if hook == "on_batch_end":
        return args[:2]  # batch index and size
    if hook == "on_epoch_end":
        return args[:1]  # the epoch
    if hook == "on_fit_end":
        return ()
    return args


def test_fit_calls_every_callback_hook_in_order():
    trainer, _, _ = frozen_trainer()
    x, y = binary_data(10)
    log: list = []
    callbacks = [RecordingCallback("A", log), RecordingCallback("B", log)]
    trainer.fit(
        batches(x, y, [4, 4, 2]), epochs=2, val_loader=batches(x, y, [10]), callbacks=callbacks
    )
    expected = [("on_fit_start", (trainer, 2))]
    for epoch in range(2):
        expected.append(("on_epoch_start", (epoch, 3)))
        expected += [("on_batch_end", (index, size)) for index, size in enumerate([4, 4, 2])]
        expected.append(("on_epoch_end", (epoch,)))
    expected.append(("on_fit_end", ()))
    expected = [(name, hook, args) for hook, args in expected for name in ("A", "B")]
    got = [(name, hook, call_summary(hook, args)) for name, hook, args in log]
    assert got == expected, (
        "fit called the callbacks in the wrong order or with the wrong arguments."
        "\n  expected:\n    "
        + "\n    ".join(map(str, expected))
        + "\n  got:\n    "
        + "\n    ".join(map(str, got))
    )


def test_fit_callbacks_see_the_batch_losses_the_metrics_and_the_history():
    trainer, _, _ = frozen_trainer()
    x, y = binary_data(10)
    log: list = []
    history = trainer.fit(
        batches(x, y, [4, 4, 2]), epochs=2, callbacks=[RecordingCallback("A", log)]
    )
    losses = [args[2] for _, hook, args in log if hook == "on_batch_end"]
    epoch_metrics = [args[1] for _, hook, args in log if hook == "on_epoch_end"]
    ends = [args[0] for _, hook, args in log if hook == "on_fit_end"]
    assert all(isinstance(loss, float) for loss in losses), (
        f"on_batch_end got losses {losses}; expected Python floats (loss.item())"
    )
    assert epoch_metrics == history.epochs, (
        f"on_epoch_end got {epoch_metrics}; expected the metrics appended to the History, "
        f"{history.epochs}"
    )
    assert ends == [history], "on_fit_end must receive the History that fit returns"


@pytest.mark.parametrize("epochs", [0, -1, 1.5])
def test_fit_rejects_epochs_that_are_not_positive_integers(epochs):
    trainer, _, _ = frozen_trainer()
    x, y = binary_data(4)
    with pytest.raises(ValueError, match="epochs"):
        trainer.fit(batches(x, y, [4]), epochs=epochs)


def test_fit_on_an_empty_loader_raises_value_error():
    trainer, _, _ = frozen_trainer()
    with pytest.raises(ValueError, match="fit"):
        trainer.fit([], epochs=1)
