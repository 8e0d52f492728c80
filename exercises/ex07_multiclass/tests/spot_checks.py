"""ex07's spot checks: softmax and log-softmax, CrossEntropyLoss (values and gradients, also at
±1e4), MLPClassifier, the digits split and a short training run on it, on grader-drawn values
(see exercises/testing/probes)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import Tensor, data, models, nn, optim
from core import functional as F
from exercises.ex03_modules_and_losses.tests.spot_checks import randomize_parameters
from exercises.testing.probes import Probe, parameter_id, test_named

REDUCTIONS = ("mean", "sum", "none")
EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]], np.float32)


def _normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def _normalisation(name: str) -> Callable[[np.random.Generator], dict[str, np.ndarray]]:
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        """F.softmax or F.log_softmax of drawn x (2, 3, 4) scaled by 10, along every axis and by
        default; of logits at ±1e4; the gradient of drawn x (3, 5) and of the ±1e4 logits for
        drawn upstream gradients; whether the outputs are float32 Tensors."""
        function = getattr(F, name)
        x = _normal(rng, (2, 3, 4), 10.0)
        outputs = {f"axis {axis}": function(Tensor(x), axis=axis) for axis in (0, 1, -1)}
        outputs["default axis"] = function(Tensor(x))
        outputs["extreme logits"] = function(Tensor(EXTREME))
        values = {title: out.data for title, out in outputs.items()}
        for title, inputs in [
            ("gradient", _normal(rng, (3, 5))),
            ("gradient at extreme logits", EXTREME),
        ]:
            t = Tensor(inputs, requires_grad=True)
            function(t).backward(_normal(rng, inputs.shape))
            values[title] = t.grad
        values["float32 Tensors"] = np.array(
            float(all(isinstance(o, Tensor) and o.dtype == np.float32 for o in outputs.values()))
        )
        return values

    return compute


# ----- cross-entropy ----------------------------------------------------------------------------


def _targets(rng: np.random.Generator, batch: int, classes: int) -> dict[str, np.ndarray]:
    """Drawn class indices (int64), their one-hot rows, and drawn probabilities (float32)."""
    labels = rng.integers(0, classes, batch)
    weights = rng.random((batch, classes)) + 0.1
    return {
        "indices": labels,
        "one-hot": np.eye(classes, dtype=np.float32)[labels],
        "probabilities": (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32),
    }


def cross_entropy(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """nn.CrossEntropyLoss on drawn logits (6, 5) for each kind of target and reduction: the loss
    and the logits' gradient (drawn upstream gradient for "none"); labels as whole floats;
    logits at ±1e4; whether the loss is one "cross_entropy" op, stays float32 (with int64
    labels and float64 one-hot targets), sends no gradient to the target, modifies no input,
    and rejects labels -1 and C with ValueError."""
    logits = _normal(rng, (6, 5), 2.0)
    values = {}
    for kind, target in _targets(rng, 6, 5).items():
        for reduction in REDUCTIONS:
            x = Tensor(logits, requires_grad=True)
            loss = nn.CrossEntropyLoss(reduction=reduction)(x, target)
            loss.backward(_normal(rng, loss.shape) if reduction == "none" else None)
            values[f"{kind} {reduction} loss"] = loss.data
            values[f"{kind} {reduction} gradient"] = x.grad
    labels = rng.integers(0, 5, 6)
    values["whole float labels"] = nn.CrossEntropyLoss()(Tensor(logits), labels.astype(float)).data
    x = Tensor(EXTREME, requires_grad=True)
    loss = nn.CrossEntropyLoss(reduction="none")(x, np.array([0, 0, 2]))
    loss.backward(_normal(rng, (3,)))
    values["extreme losses"], values["extreme gradient"] = loss.data, x.grad
    values.update(_cross_entropy_facts(logits, labels))
    return values


def _cross_entropy_facts(logits: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """The yes/no properties of nn.CrossEntropyLoss (see cross_entropy), as 1.0 or 0.0."""
    facts: dict[str, bool] = {}
    x = Tensor(logits.copy(), requires_grad=True)
    one_hot64 = np.eye(logits.shape[1])[labels]
    target = Tensor(one_hot64.astype(np.float32), requires_grad=True)
    loss = nn.CrossEntropyLoss()(x, target)
    loss.backward()
    facts["one fused op"] = loss.grad_fn == "cross_entropy"
    facts["no gradient for the target"] = target.grad is None
    facts["inputs unchanged"] = np.array_equal(x.data, logits) and np.array_equal(
        target.data, one_hot64
    )
    for kind, given in [("int64 labels", labels), ("float64 one-hot", one_hot64)]:
        x = Tensor(logits, requires_grad=True)
        loss = nn.CrossEntropyLoss()(x, given)
        loss.backward()
        facts[f"float32 with {kind}"] = loss.dtype == x.grad.dtype == np.float32
    for label in (-1, logits.shape[1]):
        try:
            nn.CrossEntropyLoss()(Tensor(logits), np.where(labels == labels[0], label, labels))
            facts[f"label {label} rejected"] = False
        except ValueError:
            facts[f"label {label} rejected"] = True
    return {name: np.array(float(fact)) for name, fact in facts.items()}


# ----- MLPClassifier ----------------------------------------------------------------------------


def mlp_classifier(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """MLPClassifier(4, [8], 5) with drawn parameters on drawn x (30, 4): the parameters' shapes
    in order, the logits, predict_proba and predict (of a Tensor and of an array); one SGD step
    of MLPClassifier(8, [16, 12], 4, "tanh") with drawn parameters on CrossEntropyLoss against
    drawn int64 labels: the parameters after it, and whether every activation, the logits, the
    loss, each gradient and each parameter stayed float32."""
    model = models.MLPClassifier(4, [8], 5)
    randomize_parameters(model, rng)
    x = _normal(rng, (30, 4), 2.0)
    values = {
        "shapes": np.array([d for p in model.parameters() for d in p.shape], float),
        "logits": model(Tensor(x)).data,
        "predict_proba": model.predict_proba(Tensor(x)),
        "predict": model.predict(Tensor(x)),
        "predict of an array": model.predict(x),
    }
    model = models.MLPClassifier(8, [16, 12], 4, activation="tanh")
    randomize_parameters(model, rng)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    h = x = Tensor(_normal(rng, (10, 8)))
    dtypes = []
    for layer in model.layers:
        h = layer(h)
        dtypes.append(h.dtype)
    loss = nn.CrossEntropyLoss()(model(x), rng.integers(0, 4, 10))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    parameters = list(model.parameters())
    dtypes += [loss.dtype, *(p.grad.dtype for p in parameters), *(p.dtype for p in parameters)]
    values["parameters after a step"] = np.concatenate([p.data.ravel() for p in parameters])
    values["float32 throughout"] = np.array(float(all(d == np.float32 for d in dtypes)))
    values["float32 predictions"] = np.array(
        float(values["predict_proba"].dtype == np.float32 and values["predict"].dtype == np.int64)
    )
    return values


# ----- digits -----------------------------------------------------------------------------------


def digits_split(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """load_dataset("digits-split") for a drawn test_fraction and seed: all four parts; whether
    they are float32; whether test_fraction 0 and 1 raise ValueError."""
    fraction, seed = float(rng.choice([0.15, 0.2, 0.25, 0.3])), int(rng.integers(1000))
    parts = data.load_dataset("digits-split", test_fraction=fraction, seed=seed)
    (x_train, y_train), (x_test, y_test) = parts
    values = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    values["float32"] = np.array(float(all(a.dtype == np.float32 for a in values.values())))
    for bad in (0.0, 1.0):
        try:
            data.load_dataset("digits-split", test_fraction=bad)
            values[f"test_fraction {bad} rejected"] = np.array(0.0)
        except ValueError:
            values[f"test_fraction {bad} rejected"] = np.array(1.0)
    return values


def short_run_on_digits(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """MLPClassifier(64, [256], 10) with drawn parameters, trained as the suite's goal is, with
    CrossEntropyLoss and Adam(lr=0.003) on digits scaled to [0, 1], but only for 5 steps on
    drawn batches of 128 images (int64 labels): the losses, then the logits of 100 other drawn
    images. (The images come from load_dataset("digits"), so that this probe does not depend
    on the split.)"""
    images, labels = data.load_dataset("digits")
    x = images.reshape(len(images), 64) / np.float32(16)
    order = rng.permutation(len(x))
    model = models.MLPClassifier(64, [256], 10)
    randomize_parameters(model, rng)
    loss_fn, optimizer = nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for step in range(5):
        batch = order[128 * step : 128 * (step + 1)]
        optimizer.zero_grad()
        loss = loss_fn(model(Tensor(x[batch])), labels[batch])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": np.array(losses), "logits": model(Tensor(x[order[-100:]])).data}


PROBES = [
    Probe("softmax", parameter_id("softmax"), _normalisation("softmax")),
    Probe("log_softmax", parameter_id("log_softmax"), _normalisation("log_softmax")),
    Probe("CrossEntropyLoss", r"test_cross_entropy\.py::", cross_entropy),
    Probe("MLPClassifier", r"test_mlp_classifier\.py::", mlp_classifier),
    Probe(
        "digits split",
        test_named(
            "test_split_has_the_documented_shapes_and_float32",
            "test_split_equals_sklearn_stratified_split",
            "test_test_fraction_outside_zero_one_raises_value_error",
        ),
        digits_split,
    ),
    Probe(
        "short run on digits",
        test_named("test_mlp_reaches_target_test_accuracy_on_digits"),
        short_run_on_digits,
    ),
]
