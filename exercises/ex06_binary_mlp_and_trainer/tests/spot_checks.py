"""ex06's spot checks: BinaryMLPClassifier's logits, gradients and predictions, count_correct,
and the Trainer's steps, validation and fit, up to a short run like the suite's toy-set goal, on
grader-drawn data and parameters (see exercises/testing/probes)."""

from __future__ import annotations

import itertools

import numpy as np

from core import Module, Parameter, Tensor, data, is_grad_enabled, models, nn, optim, training
from core.training import Callback, History
from exercises.ex03_modules_and_losses.tests.spot_checks import randomize_parameters
from exercises.testing.probes import Probe, test_named

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def _binary_data(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Drawn features (n, 3) float32 and 0/1 labels as float32."""
    x = rng.standard_normal((n, 3)).astype(np.float32)
    return x, (rng.random(n) < 0.5).astype(np.float32)


def _batches(x: np.ndarray, y: np.ndarray, sizes: list[int]) -> list[tuple[Tensor, Tensor]]:
    """A loader as a plain list of (x, y) Tensor pairs of the given sizes."""
    bounds = itertools.pairwise(np.cumsum([0, *sizes]))
    return [(Tensor(x[a:b], dtype=x.dtype), Tensor(y[a:b], dtype=y.dtype)) for a, b in bounds]


def _unequal_sizes(rng: np.random.Generator) -> list[int]:
    """Drawn batch sizes [b, b, r] with a shorter last batch r < b."""
    size = int(rng.integers(3, 7))
    return [size, size, int(rng.integers(1, size))]


class Affine(Module):
    """logits = x @ w + b with drawn w (3,) and b: (B, 3) -> (B,). Records, at every forward,
    whether autograd was on and whether the model was training."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.w = Parameter(rng.standard_normal(3).astype(np.float32))
        self.b = Parameter(np.float32(rng.standard_normal()))
        self.calls: list[tuple[bool, bool]] = []

    def forward(self, x: Tensor) -> Tensor:
        self.calls.append((is_grad_enabled(), self.training))
        return x @ self.w + self.b


# ----- the model --------------------------------------------------------------------------------


def binary_mlp(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """BinaryMLPClassifier(3, [6, 4], activation) for every activation, (2, []) (logistic
    regression) and (1, [2, 3, 2]), with drawn parameters: the parameters' shapes in order, the
    logits of drawn x (7, in_features), every parameter's gradient of BCEWithLogitsLoss against
    drawn labels, and whether logits and gradients are float32."""
    arguments = {
        **{activation: (3, [6, 4], activation) for activation in ACTIVATIONS},
        "logistic regression": (2, [], "relu"),
        "three hidden layers": (1, [2, 3, 2], "relu"),
    }
    values = {}
    for title, (in_features, hidden_sizes, activation) in arguments.items():
        model = models.BinaryMLPClassifier(in_features, hidden_sizes, activation=activation)
        randomize_parameters(model, rng)
        parameters = list(model.parameters())
        logits = model(Tensor(rng.standard_normal((7, in_features)).astype(np.float32)))
        nn.BCEWithLogitsLoss()(logits, (rng.random(7) < 0.5).astype(np.float32)).backward()
        grads = [p.grad for p in parameters]
        values[f"{title} shapes"] = np.array([d for p in parameters for d in p.shape], float)
        values[f"{title} logits"] = logits.data
        values[f"{title} gradients"] = np.concatenate([g.ravel() for g in grads])
        values[f"{title} float32"] = np.array(
            float(all(a.dtype == np.float32 for a in [logits.data, *grads]))
        )
    return values


def binary_mlp_predictions(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """predict_proba and predict of BinaryMLPClassifier(2, [5]) with drawn parameters on drawn x,
    as a Tensor and as an array (float32 and int64?); predict of BinaryMLPClassifier(1, [])
    with weight 1 and bias 0, whose logits are its drawn inputs, some of them in (0, 0.5)."""
    model = models.BinaryMLPClassifier(2, [5])
    randomize_parameters(model, rng)
    x = rng.standard_normal((30, 2)).astype(np.float32) * 2
    proba, predicted = model.predict_proba(Tensor(x)), model.predict(Tensor(x))
    identity = models.BinaryMLPClassifier(1, [])
    weight, bias = identity.parameters()
    weight.data[...], bias.data[...] = 1.0, 0.0
    logits = np.concatenate([rng.uniform(-2, 2, 20), rng.uniform(0, 0.5, 5)]).astype(np.float32)
    return {
        "predict_proba": proba,
        "predict_proba of an array": model.predict_proba(x),
        "predict": predicted,
        "predict of an array": model.predict(x),
        "float32 and int64": np.array(
            float(proba.dtype == np.float32 and predicted.dtype == np.int64)
        ),
        "predict with logits = x": identity.predict(Tensor(logits[:, None])),
    }


# ----- count_correct ----------------------------------------------------------------------------


def counts_of_correct_predictions(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """count_correct of drawn binary logits, some exactly 0, against 0/1 labels as int64,
    float32 and Tensors; of drawn (B, C) logits against class indices and their one-hot rows."""
    logits = rng.standard_normal(12).astype(np.float32)
    logits[rng.permutation(12)[:3]] = 0.0
    labels = rng.integers(0, 2, 12)
    scores = rng.standard_normal((10, 4)).astype(np.float32)
    classes = rng.integers(0, 4, 10)
    cases = {
        "binary int labels": (logits, labels),
        "binary float labels": (logits, labels.astype(np.float32)),
        "binary Tensors": (Tensor(logits), Tensor(labels, dtype=labels.dtype)),
        "class indices": (scores, classes),
        "one-hot": (scores, np.eye(4, dtype=np.float32)[classes]),
        "class indices as Tensors": (Tensor(scores), Tensor(classes, dtype=classes.dtype)),
    }
    return {name: np.array(float(training.count_correct(*case))) for name, case in cases.items()}


# ----- the Trainer ------------------------------------------------------------------------------


def train_steps(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Three Trainer.train_step calls of a drawn Affine with BCEWithLogitsLoss and SGD(lr=0.5) on
    one drawn batch: the losses returned (Python floats?) and w, b after each step."""
    model = Affine(rng)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.5))
    x, y = _binary_data(rng, 8)
    losses, visited = [], []
    for _ in range(3):
        losses.append(trainer.train_step(Tensor(x), Tensor(y)))
        visited.append(np.concatenate([model.w.data, [model.b.data]]))
    return {
        "losses": np.array(losses, float),
        "floats": np.array(float(all(isinstance(loss, float) for loss in losses))),
        "parameters after each step": np.stack(visited),
        "float32": np.array(float(model.w.dtype == model.b.dtype == np.float32)),
    }


def _mean_square(outputs: Tensor, targets: object) -> Tensor:
    """A loss that ignores the targets, for a validation whose accuracy only is looked at."""
    return (outputs * outputs).mean()


class Scores(Module):
    """Multiclass logits x @ W with drawn W (3, 4)."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.weight = Parameter(rng.standard_normal((3, 4)).astype(np.float32))

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight


def validation(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Trainer.validate of a drawn Affine (in training mode) with BCEWithLogitsLoss over drawn
    batches of unequal sizes, and over a DataLoader with a short last batch: the loss and
    accuracy; the share of the model's forwards run with autograd on and in training mode,
    whether it is back in training mode, and w, b and their gradients (none) after; the
    accuracy of a multiclass Scores model against class indices and one-hot targets."""
    model = Affine(rng)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.5))
    sizes = _unequal_sizes(rng)
    x, y = _binary_data(rng, sum(sizes))
    values = {}
    for title, loader in [
        ("batches", _batches(x, y, sizes)),
        ("DataLoader", data.DataLoader(data.ArrayDataset(x, y), batch_size=sizes[0])),
    ]:
        result = trainer.validate(loader)
        values.update({f"{title} {key}": np.array(result[key]) for key in ("loss", "accuracy")})
    calls = np.array(model.calls, float)
    values["forwards with autograd on, in training mode"] = calls.mean(axis=0)
    values["back in training mode"] = np.array(float(model.training))
    values["parameters after"] = np.concatenate([model.w.data, [model.b.data]])
    values["no gradients"] = np.array(float(model.w.grad is None and model.b.grad is None))
    scores = Scores(rng)
    multiclass = training.Trainer(scores, _mean_square, optim.SGD(scores.parameters(), lr=0.0))
    x = rng.standard_normal((20, 3)).astype(np.float32)
    classes = rng.integers(0, 4, 20)
    for title, targets in [("indices", classes), ("one-hot", np.eye(4, dtype=np.float32)[classes])]:
        result = multiclass.validate(_batches(x, targets, [6, 6, 6, 2]))
        values[f"multiclass accuracy, {title}"] = np.array(result["accuracy"])
    return values


class Recorder(Callback):
    """Logs every hook call as numbers: (callback, hook, arguments...), padded with -1."""

    HOOKS = ("on_fit_start", "on_epoch_start", "on_batch_end", "on_epoch_end", "on_fit_end")

    def __init__(self, number: int, log: list, trainer: object) -> None:
        self.number, self.log, self.trainer = number, log, trainer
        self.metrics: list[dict] = []
        self.ended: list[History] = []

    def _record(self, hook: str, *arguments: float) -> None:
        row = [self.number, self.HOOKS.index(hook), *arguments]
        self.log.append(row + [-1.0] * (5 - len(row)))

    def on_fit_start(self, trainer: object, epochs: int) -> None:
        self._record("on_fit_start", float(trainer is self.trainer), epochs)

    def on_epoch_start(self, epoch: int, num_batches: int) -> None:
        self._record("on_epoch_start", epoch, num_batches)

    def on_batch_end(self, batch_index: int, batch_size: int, loss: float) -> None:
        self._record("on_batch_end", batch_index, batch_size, float(loss))

    def on_epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        self._record("on_epoch_end", epoch)
        self.metrics.append(dict(metrics))

    def on_fit_end(self, history: History) -> None:
        self._record("on_fit_end")
        self.ended.append(history)


def fitting(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Trainer.fit of a drawn Affine with BCEWithLogitsLoss and SGD(lr=0.2), 2 epochs over drawn
    batches of unequal sizes, validated on other drawn batches, with two Recorder callbacks:
    each metric per epoch (seconds: whether > 0), every callback call in order, whether
    on_epoch_end got the History's metrics and on_fit_end the History; the metrics recorded
    by a fit without validation."""
    model = Affine(rng)
    trainer = training.Trainer(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.2))
    sizes = _unequal_sizes(rng)
    train, val = _binary_data(rng, sum(sizes)), _binary_data(rng, 9)
    log: list = []
    recorders = [Recorder(number, log, trainer) for number in range(2)]
    history = trainer.fit(
        _batches(*train, sizes), 2, val_loader=_batches(*val, [5, 4]), callbacks=recorders
    )
    values = {
        key: np.array(history[key])
        for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")
    }
    values["seconds > 0"] = (np.array(history["seconds"]) > 0).astype(float)
    values["callback calls"] = np.array(log, float)
    values["callbacks saw the History"] = np.array(
        float(all(r.metrics == history.epochs and r.ended == [history] for r in recorders))
    )
    alone = trainer.fit(_batches(*train, sizes), 1)
    values["without validation: train_loss"] = np.array(alone["train_loss"])
    values["without validation: metrics"] = np.array(float(len(alone.last())))
    return values


def _toy_set(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n drawn 2-D points, labelled 1 inside the circle of radius 1.2 (float32 labels)."""
    x = rng.uniform(-2, 2, (n, 2)).astype(np.float32)
    return x, (np.hypot(x[:, 0], x[:, 1]) < 1.2).astype(np.float32)


def short_run_on_a_toy_set(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """BinaryMLPClassifier(2, [16, 16], "tanh") with drawn parameters, trained as the suite's
    toy sets are, by Trainer.fit with Adam(lr=0.02), but for 2 epochs over 200 drawn points (a
    circle) in batches of 50 (no shuffling), validated on 200 others: the History's losses and
    accuracies, and the final logits of the validation points."""
    (x, y), (x_val, y_val) = _toy_set(rng, 200), _toy_set(rng, 200)
    model = models.BinaryMLPClassifier(2, [16, 16], activation="tanh")
    randomize_parameters(model, rng)
    trainer = training.Trainer(
        model, nn.BCEWithLogitsLoss(), optim.Adam(model.parameters(), lr=0.02)
    )
    history = trainer.fit(
        data.DataLoader(data.ArrayDataset(x, y), batch_size=50),
        epochs=2,
        val_loader=data.DataLoader(data.ArrayDataset(x_val, y_val), batch_size=200),
    )
    values = {
        key: np.array(history[key])
        for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")
    }
    values["validation logits"] = model(Tensor(x_val)).data
    return values


PROBES = [
    Probe(
        "BinaryMLPClassifier",
        test_named(
            "test_forward_gives_one_float32_logit_per_sample",
            "test_parameters_have_the_layer_shapes_in_order",
            "test_forward_matches_numpy_mlp_of_its_own_parameters",
            "test_every_parameter_receives_a_float32_gradient",
            "test_bad_arguments_raise_value_error_naming_the_class",
        ),
        binary_mlp,
    ),
    Probe(
        "BinaryMLPClassifier predictions",
        test_named(
            "test_predict_proba_is_float32_sigmoid_of_the_logits",
            "test_predict_is_int64_class_of_positive_logits",
            "test_predict_is_class_one_exactly_where_the_logit_is_positive",
            "test_predictions_accept_arrays_as_well_as_tensors",
        ),
        binary_mlp_predictions,
    ),
    Probe("count_correct", r"::test_count_correct_", counts_of_correct_predictions),
    Probe("Trainer.train_step", r"::test_train_step_", train_steps),
    Probe("Trainer.validate", r"::test_validate_", validation),
    Probe("Trainer.fit", r"::test_fit_", fitting),
    Probe(
        "short run on a toy set",
        test_named("test_small_mlp_reaches_target_validation_accuracy"),
        short_run_on_a_toy_set,
    ),
]
