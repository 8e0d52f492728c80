"""ex03's spot checks: Linear (initialisation, forward, gradients, repr), the activations,
Sequential and both losses on grader-drawn values (see exercises/testing/probes)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core import Module, Parameter, Tensor, nn
from core.random import manual_seed
from exercises.testing.probes import Probe, parameter_id, test_named

REDUCTIONS = ("mean", "sum", "none")


def flag(condition: bool) -> np.ndarray:
    """A yes/no fact about the student's code as a number: 1.0 or 0.0."""
    return np.array(float(condition))


def all_float32(*arrays: np.ndarray | None) -> np.ndarray:
    """1.0 when every array is float32 (a probe's values are compared as float64, so a dtype is
    only seen this way)."""
    return flag(all(getattr(a, "dtype", None) == np.float32 for a in arrays))


def randomize_parameters(model: Module, rng: np.random.Generator) -> None:
    """Overwrite every parameter of ``model``, in place, with uniform(-1, 1) / sqrt(its last
    dimension) drawn from ``rng``: the probe then does not depend on how the model was
    initialised, only on what it computes."""
    for parameter in model.parameters():
        bound = 1.0 / np.sqrt(parameter.shape[-1]) if parameter.ndim else 1.0
        parameter.data[...] = rng.uniform(-bound, bound, parameter.shape)


def _normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# ----- Linear -----------------------------------------------------------------------------------


def linear_init(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Linear's initialisation, through what every correct way of drawing it agrees on (not the
    draws themselves): for a wide Linear(a, b) with drawn a < b, the weights' extremes times
    sqrt(a) (±1 within 1e-4), whether they fill 10 equal bins evenly (0.1 ± 0.01 each), whether
    the biases stay within ±1/sqrt(a) and come within 10% of both ends; for Linear(c, d) with
    drawn sizes, the parameters' names and shapes, whether they are float32 Parameters that
    require grad, whether the same manual_seed gives the same layer again and whether the next
    layer differs; the names of a layer with bias=False."""
    a, b = int(rng.integers(300, 400)), int(rng.integers(450, 550))
    manual_seed(int(rng.integers(2**32)))  # so that each yes/no below is the same in every run
    wide = nn.Linear(a, b)
    weight, bias = wide.weight.data * np.sqrt(a), wide.bias.data * np.sqrt(a)
    counts, _ = np.histogram(weight, bins=10, range=(-1, 1))
    values = {
        "wide weight extremes": np.array([weight.min(), weight.max()]),
        "wide weight bins even": flag(np.all(np.abs(counts / weight.size - 0.1) < 0.01)),
        "wide bias within bound": flag(np.abs(bias).max() <= 1 + 1e-6),
        "wide bias reaches both ends": flag(bias.min() < -0.9 and bias.max() > 0.9),
    }
    c, d = (int(size) for size in rng.integers(1, 8, size=2))
    seed = int(rng.integers(2**32))
    manual_seed(seed)
    layer, following = nn.Linear(c, d), nn.Linear(c, d)
    manual_seed(seed)
    again = nn.Linear(c, d)
    parameters = dict(layer.named_parameters())
    values["names"] = flag(list(parameters) == ["weight", "bias"])
    values["shapes"] = np.array([*layer.weight.shape, *layer.bias.shape], float)
    values["float32 Parameters that require grad"] = flag(
        all(isinstance(p, Parameter) and p.requires_grad for p in parameters.values())
    ) * all_float32(*(p.data for p in parameters.values()))
    values["same seed, same layer"] = flag(
        np.array_equal(layer.weight.data, again.weight.data)
        and np.array_equal(layer.bias.data, again.bias.data)
    )
    values["next layer differs"] = flag(
        not np.array_equal(layer.weight.data, following.weight.data)
    )
    no_bias = nn.Linear(c, d, bias=False)
    values["names without bias"] = flag([n for n, _ in no_bias.named_parameters()] == ["weight"])
    values["bias=False gives None"] = flag(no_bias.bias is None)
    return values


def linear_forward(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Linear(4, 3) with drawn parameters: its output on drawn x (5, 4), on one sample (4,) and
    on an array; the gradients of weight, bias and x for a drawn upstream gradient;
    Linear(3, 2, bias=False) on drawn x (2, 3); whether outputs and gradients stay float32."""
    layer = nn.Linear(4, 3)
    randomize_parameters(layer, rng)
    x = Tensor(_normal(rng, (5, 4)), requires_grad=True)
    out = layer(x)
    out.backward(_normal(rng, out.shape))
    no_bias = nn.Linear(3, 2, bias=False)
    randomize_parameters(no_bias, rng)
    one_sample = layer(Tensor(_normal(rng, (4,)))).data
    from_array = layer(_normal(rng, (2, 4)))
    grads = (layer.weight.grad, layer.bias.grad, x.grad)
    return {
        "output": out.data,
        "weight gradient": layer.weight.grad,
        "bias gradient": layer.bias.grad,
        "input gradient": x.grad,
        "one sample": one_sample,
        "array input": from_array.data,
        "without bias": no_bias(Tensor(_normal(rng, (2, 3)))).data,
        "float32": all_float32(out.data, one_sample, from_array.data, *grads),
    }


def linear_repr(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The characters (as code points) of repr(Linear(a, b)) and repr(Linear(b, a, bias=False))
    for drawn sizes a and b."""
    a, b = (int(size) for size in rng.integers(1, 200, size=2))
    texts = {"bias": repr(nn.Linear(a, b)), "no bias": repr(nn.Linear(b, a, bias=False))}
    return {name: np.array([ord(c) for c in text], float) for name, text in texts.items()}


# ----- activations and Sequential ---------------------------------------------------------------


def _activation(name: str) -> Callable[[np.random.Generator], dict[str, np.ndarray]]:
    def compute(rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The activation module's output on drawn x of shapes (5,), (3, 4) and (2, 3, 2); the
        gradient of the (3, 4) input for a drawn upstream gradient; float32 kept; its number
        of parameters."""
        module = getattr(nn, name)()
        values = {}
        for shape in [(5,), (2, 3, 2)]:
            values[f"output {shape}"] = module(Tensor(_normal(rng, shape, 2.0))).data
        x = Tensor(_normal(rng, (3, 4), 2.0), requires_grad=True)
        out = module(x)
        out.backward(_normal(rng, out.shape))
        values["output (3, 4)"] = out.data
        values["gradient (3, 4)"] = x.grad
        values["float32"] = all_float32(out.data, x.grad)
        values["parameters"] = np.array(float(len(list(module.parameters()))))
        return values

    return compute


def sequential(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Sequential(Linear(3, 4), Tanh(), Linear(4, 2)) with drawn parameters: its output on drawn
    x (5, 3); each parameter's gradient, by name, for a drawn upstream gradient; its length; the
    output recomputed module by module through iteration and through negative indexing."""
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    randomize_parameters(model, rng)
    x = Tensor(_normal(rng, (5, 3)))
    out = model(x)
    out.backward(_normal(rng, out.shape))
    values = {"output": out.data, "length": np.array(float(len(model)))}
    values.update({f"{name} gradient": p.grad for name, p in model.named_parameters()})
    h = x
    for module in model:
        h = module(h)
    values["through iteration"] = h.data
    h = x
    for index in range(-len(model), 0):
        h = model[index](h)
    values["through indexing"] = h.data
    return values


# ----- losses -----------------------------------------------------------------------------------


def _loss_values(
    name: str, prediction: np.ndarray, target: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """``nn.<name>`` for every reduction: the loss and the prediction's gradient (a drawn
    upstream gradient for "none"); with the default reduction and a Tensor target, the loss and
    whether the target got no gradient; float32 kept with a float64 target."""
    values = {}
    for reduction in REDUCTIONS:
        x = Tensor(prediction, requires_grad=True)
        loss = getattr(nn, name)(reduction=reduction)(x, target)
        loss.backward(_normal(rng, loss.shape) if reduction == "none" else None)
        values[f"{reduction} loss"] = loss.data
        values[f"{reduction} gradient"] = x.grad
    target_tensor = Tensor(target, requires_grad=True)
    loss = getattr(nn, name)()(Tensor(prediction, requires_grad=True), target_tensor)
    loss.backward()
    values["default reduction, Tensor target"] = loss.data
    values["no gradient for the target"] = flag(target_tensor.grad is None)
    x = Tensor(prediction, requires_grad=True)
    loss = getattr(nn, name)()(x, target.astype(np.float64))
    loss.backward()
    values["float32 with a float64 target"] = all_float32(loss.data, x.grad)
    return values


def mse_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """MSELoss on a drawn prediction (3, 4) and target (see _loss_values)."""
    return _loss_values("MSELoss", _normal(rng, (3, 4), 2.0), _normal(rng, (3, 4)), rng)


def bce_with_logits_loss(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """BCEWithLogitsLoss (see _loss_values) on drawn logits (4, 5), among them exact zeros and
    ±50 and ±1e4, against drawn targets: 0/1 labels and soft ones in [0, 1]."""
    logits = _normal(rng, (4, 5), 3.0).ravel()
    places = rng.permutation(logits.size)
    logits[places[:3]] = 0.0
    logits[places[3:9]] = [1e4, -1e4, 1e4, -1e4, 50.0, -50.0]
    labels = rng.integers(0, 2, logits.size).astype(np.float32)
    soft = rng.random(logits.size) < 0.3
    labels[soft] = rng.random(soft.sum())
    return _loss_values("BCEWithLogitsLoss", logits.reshape(4, 5), labels.reshape(4, 5), rng)


PROBES = [
    Probe(
        "Linear initialisation",
        test_named(
            "test_parameters_have_pytorch_shapes",
            "test_parameters_are_float32_parameters_that_require_grad",
            "test_init_never_leaves_the_bound_one_over_sqrt_in_features",
            "test_init_reaches_both_ends_of_the_bound",
            "test_init_weights_are_spread_uniformly",
            "test_init_is_reproducible_with_manual_seed",
            "test_two_layers_get_different_weights",
            "test_named_parameters_are_weight_and_bias",
            "test_named_parameters_without_bias_is_weight_only",
            "test_sizes_that_are_not_positive_integers_are_rejected",
        ),
        linear_init,
    ),
    Probe(
        "Linear forward and gradients",
        r"test_linear\.py::test_(forward|gradients)_"
        + "|"
        + test_named("test_input_with_the_wrong_last_dimension_is_a_clear_error"),
        linear_forward,
    ),
    Probe("Linear repr", test_named("test_repr_shows_the_sizes_like_pytorch"), linear_repr),
    *(
        Probe(f"{name} module", parameter_id(name), _activation(name))
        for name in ("ReLU", "Sigmoid", "Tanh")
    ),
    Probe("Sequential", r"::test_sequential_", sequential),
    Probe("MSELoss", parameter_id("MSELoss"), mse_loss),
    Probe(
        "BCEWithLogitsLoss",
        parameter_id("BCEWithLogitsLoss") + r"|::test_bce_",
        bce_with_logits_loss,
    ),
]
