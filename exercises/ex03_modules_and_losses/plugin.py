"""Exercise 03 — modules & losses: the layers a network is made of and the losses it learns from.

You write, as ``Module`` subclasses (``Module`` and ``Parameter`` are given in ``core``):

- ``Linear``: a fully connected layer, y = x @ Wᵀ + b, with PyTorch's initialisation;
- ``ReLU``, ``Sigmoid``, ``Tanh``: the activations of ex01 as modules;
- ``Sequential``: modules applied one after another;
- ``MSELoss`` and ``BCEWithLogitsLoss``: losses with ``reduction="mean" | "sum" | "none"``.

Rules (the tests check them):

- Compute every output with tensor ops (``@``, ``+``, ``*``, ``.exp()``, ``F.maximum``, ...) so
  that autograd (your ex02) gives the gradients: no NumPy on ``.data`` in a forward.
- Assign parameters and submodules as attributes (``self.weight = Parameter(...)``) after
  ``super().__init__()``: that registers them, so ``named_parameters()`` finds them.
- float32 stays float32: parameters, outputs and gradients.
- Random numbers come from the shared generator ``core.random.generator()``, so that
  ``core.random.manual_seed(s)`` makes initialisation reproducible.
- Bad input raises ``ValueError`` naming the class, what was expected and what came.

Replace each ``raise todo()`` with your code; write any helper you want (name it with a leading
underscore). Read ``README.md`` in this folder, then run ``tox -e ex03``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np  # noqa: F401 - yours to use below

from core import Module, Parameter, Tensor, hookimpl  # noqa: F401 - yours to use below
from core import functional as F  # noqa: F401 - F.maximum, F.relu, ... for your forwards
from core.random import generator  # noqa: F401 - the shared generator for initialisation
from exercises.stub import todo

REDUCTIONS = ("mean", "sum", "none")

# ----- layers -------------------------------------------------------------------------------


class Linear(Module):
    """A fully connected layer: y = x @ weight.T + bias.

    Parameters (both ``Parameter``, float32, drawn from the shared generator
    ``generator().uniform(low, high, size)``, weight first, then bias)::

        weight: (out_features, in_features)   uniform(-1/sqrt(in_features), 1/sqrt(in_features))
        bias:   (out_features,)               the same distribution; None if bias=False

    Attributes:
        in_features, out_features: the sizes given.
        weight, bias: the parameters (``bias`` is None when ``bias=False``).

    Example:
        layer = Linear(3, 2)
        layer.weight.shape, layer.bias.shape          # (2, 3), (2,)
        layer(Tensor(np.ones((5, 3)))).shape          # (5, 2)
        [name for name, _ in layer.named_parameters()]  # ["weight", "bias"]
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        """Create weight (out_features, in_features) and bias (out_features,), both uniform(±1/√in).

        Call ``super().__init__()`` first. The bound is 1/sqrt(in_features) — the number of
        inputs, not of outputs — so that each output starts with a variance that does not
        grow with the layer's width.

        Args:
            in_features: number of input features per sample (a positive int).
            out_features: number of outputs per sample (a positive int).
            bias: whether to add a learned bias.

        Raises:
            ValueError: a size that is not a positive integer, naming Linear and the value.

        Example:
            Linear(4, 3): bound = 1/sqrt(4) = 0.5, every weight and bias in [-0.5, 0.5].
        """
        raise todo()

    def forward(self, x: Tensor) -> Tensor:
        """The affine map x @ weight.T + bias: (B, in_features) -> (B, out_features).

        x of shape (in_features,) (one sample without a batch axis) gives (out_features,).
        weight is stored (out, in), so it is transposed: (B, in) @ (in, out) -> (B, out), and
        the bias (out,) broadcasts over the batch. A NumPy array is accepted as x too.

        Args:
            x: (B, in_features) or (in_features,) float32.

        Returns:
            (B, out_features) or (out_features,) float32 Tensor that autograd can go back through.

        Raises:
            ValueError: x's last dimension is not in_features; the message names Linear, the
                expected in_features and the shape got, e.g. "Linear: expected input with last
                dimension in_features=3, got shape (5, 4)".

        Example:
            weight = [[1, 0, 2], [0, 1, -1]], bias = [0.5, -0.5], x = [[1, 2, 3]]
            -> [[1 + 0 + 6 + 0.5, 0 + 2 - 3 - 0.5]] = [[7.5, -1.5]]
        """
        raise todo()

    def extra_repr(self) -> str:
        """What repr() shows inside the parentheses: "in_features=3, out_features=2, bias=True".

        ``Module.__repr__`` (given) calls it, so ``repr(Linear(3, 2))`` is
        ``"Linear(in_features=3, out_features=2, bias=True)"``, as in PyTorch.
        """
        raise todo()


class ReLU(Module):
    """The rectifier as a module: max(x, 0) elementwise, any shape.

    No parameters, so no ``__init__`` is needed (``Module.__init__`` runs).

    Example:
        ReLU()(Tensor([-1.0, 0.0, 2.0]))  ->  [0., 0., 2.]
    """

    def forward(self, x: Tensor) -> Tensor:
        """max(x, 0) elementwise, through the registered op (``x.relu()`` or ``F.relu(x)``)."""
        raise todo()


class Sigmoid(Module):
    """The logistic function as a module: 1 / (1 + e^-x) elementwise, any shape.

    Example:
        Sigmoid()(Tensor([0.0]))  ->  [0.5]
    """

    def forward(self, x: Tensor) -> Tensor:
        """1 / (1 + e^-x) elementwise, through the registered op (``x.sigmoid()``)."""
        raise todo()


class Tanh(Module):
    """The hyperbolic tangent as a module: tanh(x) elementwise, any shape.

    Example:
        Tanh()(Tensor([0.0]))  ->  [0.]
    """

    def forward(self, x: Tensor) -> Tensor:
        """tanh(x) elementwise, through the registered op (``x.tanh()``)."""
        raise todo()


class Sequential(Module):
    """Modules applied one after another: Sequential(a, b, c)(x) = c(b(a(x))).

    The modules are registered as submodules named "0", "1", "2", ... (so the parameters of
    ``Sequential(Linear(2, 3), ReLU(), Linear(3, 1))`` are named "0.weight", "0.bias",
    "2.weight", "2.bias"). ``len``, indexing (``seq[0]``, ``seq[-1]``) and iteration
    (``for layer in seq``) work as on a list of the modules, in order.

    Example:
        model = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
        model(Tensor(np.zeros((4, 2)))).shape   # (4, 1)
        len(model), type(model[1]).__name__     # 3, "ReLU"
    """

    def __init__(self, *modules: Module) -> None:
        """Register each module as a submodule named by its position: "0", "1", ...

        Call ``super().__init__()`` first, then ``setattr(self, str(i), module)``: assigning a
        Module attribute registers it (in ``self._modules``, in order).

        Raises:
            TypeError: an argument is not a Module (e.g. the class ``ReLU`` instead of the
                instance ``ReLU()``), naming Sequential, the position and the type got.
        """
        raise todo()

    def forward(self, x: Tensor) -> Tensor:
        """Feed x through every module in order and return the last output.

        Example:
            Sequential(Linear(2, 3), ReLU())(x) is ReLU()(Linear(2, 3)(x)).
        """
        raise todo()

    def __len__(self) -> int:
        """The number of modules: len(Sequential(Linear(2, 3), ReLU())) == 2."""
        raise todo()

    def __getitem__(self, index: int) -> Module:
        """The module at position ``index`` (negative indices count from the end)."""
        raise todo()

    def __iter__(self) -> Iterator[Module]:
        """The modules, in order."""
        raise todo()


# ----- losses -------------------------------------------------------------------------------


class MSELoss(Module):
    """Mean squared error: (prediction - target)² elementwise, then reduced.

    ``reduction``: "mean" (the default) averages over every element, "sum" adds them up,
    "none" returns the elementwise losses with the prediction's shape.

    Example:
        prediction = [1., 2., 4.], target = [1., 0., 1.]  ->  elementwise [0., 4., 9.]
        mean: 13/3 = 4.3333,  sum: 13.,  none: [0., 4., 9.]
    """

    def __init__(self, reduction: str = "mean") -> None:
        """Store the reduction after checking it is one of REDUCTIONS ("mean", "sum", "none").

        Raises:
            ValueError: any other value, naming MSELoss, the value and the allowed ones.
        """
        raise todo()

    def forward(self, prediction: Tensor, target: Any) -> Tensor:
        """(prediction - target)² elementwise, reduced: a scalar Tensor, or (*S) for "none".

        Args:
            prediction: (*S) float32 Tensor (the gradient flows back to it).
            target: (*S) Tensor or array; converted to the prediction's dtype; it receives no
                gradient.

        Raises:
            ValueError: prediction.shape != target.shape (no broadcasting: (B, 1) against (B,)
                would silently compare every prediction with every target), naming MSELoss and
                both shapes.
        """
        raise todo()


class BCEWithLogitsLoss(Module):
    """Binary cross-entropy on logits: -[y log σ(z) + (1 - y) log(1 - σ(z))], stably, reduced.

    With z the logit and y ∈ [0, 1] the target, the same value in a form that never overflows::

        loss(z, y) = max(z, 0) - z·y + log(1 + e^(-|z|))

    (e^(-|z|) is in (0, 1], so nothing overflows, and log(1 + ...) never sees 0.) Its gradient
    is σ(z) - y. ``reduction`` as in MSELoss.

    Example:
        z = [0., 2., -3.], y = [0., 1., 1.]
        elementwise: [log 2, log(1 + e^-2), 3 + log(1 + e^-3)] = [0.693147, 0.126928, 3.048587]
        mean: 1.289554
    """

    def __init__(self, reduction: str = "mean") -> None:
        """Store the reduction after checking it is one of REDUCTIONS ("mean", "sum", "none").

        Raises:
            ValueError: any other value, naming BCEWithLogitsLoss, the value and the allowed ones.
        """
        raise todo()

    def forward(self, logits: Tensor, target: Any) -> Tensor:
        """max(z, 0) - z·y + log(1 + e^(-|z|)) elementwise, reduced.

        Build it from tensor ops so that autograd gives the gradient σ(z) - y: ``F.maximum(z,
        0.0)`` for max(z, 0), ``F.maximum(z, -z)`` for |z|, ``.exp()``, ``.log()``. Use
        ``F.maximum`` rather than ``relu`` for max(z, 0): at z = 0 it shares the gradient
        between its inputs, which gives the right σ(0) - y = 0.5 - y there. Finite (and no
        RuntimeWarning) for logits of ±1e4.

        Args:
            logits: z, (*S) float32 Tensor of any real numbers.
            target: y, (*S) Tensor or array of values in [0, 1] (0/1 labels); converted to
                the logits' dtype; it receives no gradient.

        Raises:
            ValueError: logits.shape != target.shape, naming BCEWithLogitsLoss and both shapes.
        """
        raise todo()


@hookimpl
def gradkit_register_layers(register):
    register("Linear", Linear)
    register("ReLU", ReLU)
    register("Sigmoid", Sigmoid)
    register("Tanh", Tanh)
    register("Sequential", Sequential)


@hookimpl
def gradkit_register_losses(register):
    register("MSELoss", MSELoss)
    register("BCEWithLogitsLoss", BCEWithLogitsLoss)
