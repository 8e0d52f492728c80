"""Module and Parameter: registration by attribute, traversal, modes, state dicts and repr."""

from __future__ import annotations

import numpy as np
import pytest

from core import MissingImplementationError, Module, Parameter, Tensor, nn, plugin_manager
from core.plugin_manager import registries


class Affine(Module):
    """x: (B, 3) -> (B, 2)."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = Parameter(np.arange(6.0, dtype=np.float32).reshape(3, 2))
        self.bias = Parameter(np.zeros(2, dtype=np.float32))

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias


class TwoLayers(Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = Parameter(np.ones(1, dtype=np.float32))
        self.first = Affine()
        self.second = Affine()
        self.note = Tensor([1.0])  # a plain tensor: not a parameter
        self.name = "two layers"

    def forward(self, x: Tensor) -> Tensor:
        return self.second(self.first(x)[:, [0, 1, 1]]) * self.scale


class Shared(Module):
    def __init__(self) -> None:
        super().__init__()
        self.left = Affine()
        self.right = Affine()
        self.right.weight = self.left.weight


@pytest.fixture
def model() -> TwoLayers:
    return TwoLayers()


# ----- Parameter -------------------------------------------------------------------------------


def test_parameter_requires_grad_by_default():
    assert Parameter(np.zeros(3)).requires_grad is True


def test_parameter_is_a_tensor():
    assert isinstance(Parameter([1.0]), Tensor)


def test_parameter_repr_says_parameter():
    assert repr(Parameter([1.0])).startswith("Parameter([1.]")


# ----- registration ----------------------------------------------------------------------------


def test_named_parameters_uses_dotted_names_in_definition_order(model):
    assert [name for name, _ in model.named_parameters()] == [
        "scale",
        "first.weight",
        "first.bias",
        "second.weight",
        "second.bias",
    ]


def test_parameters_yields_the_registered_objects(model):
    assert next(iter(model.parameters())) is model.scale


def test_plain_tensors_and_other_attributes_are_not_parameters(model):
    assert "note" not in dict(model.named_parameters())


def test_named_modules_lists_the_tree_depth_first(model):
    assert [name for name, _ in model.named_modules()] == ["", "first", "second"]


def test_children_are_the_direct_submodules(model):
    assert list(model.children()) == [model.first, model.second]


def test_shared_parameter_is_listed_once():
    shared = Shared()
    assert [name for name, _ in shared.named_parameters()] == [
        "left.weight",
        "left.bias",
        "right.bias",
    ]


def test_reassigning_a_parameter_attribute_to_something_else_unregisters_it(model):
    model.scale = 2.0
    assert "scale" not in dict(model.named_parameters())


def test_deleting_a_submodule_unregisters_its_parameters(model):
    del model.second
    assert [name for name, _ in model.named_parameters()] == ["scale", "first.weight", "first.bias"]


def test_assigning_an_attribute_before_super_init_raises_attribute_error():
    class Forgetful(Module):
        def __init__(self) -> None:
            self.weight = Parameter(np.zeros(2))

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Forgetful()


def test_forward_not_defined_raises_not_implemented_error():
    with pytest.raises(NotImplementedError, match="forward"):
        Module()(Tensor([1.0]))


def test_calling_a_module_runs_its_forward():
    out = Affine()(Tensor(np.ones((4, 3), dtype=np.float32)))
    np.testing.assert_array_equal(out.numpy(), np.tile([6.0, 9.0], (4, 1)))


# ----- gradients and modes ---------------------------------------------------------------------


def test_backward_through_a_module_reaches_every_parameter(model):
    model(Tensor(np.ones((4, 3), dtype=np.float32))).sum().backward()
    assert all(parameter.grad is not None for parameter in model.parameters())


def test_zero_grad_clears_every_parameter_grad(model):
    model(Tensor(np.ones((4, 3), dtype=np.float32))).sum().backward()
    model.zero_grad()
    assert [parameter.grad for parameter in model.parameters()] == [None] * 5


@pytest.mark.parametrize(("switch", "expected"), [("eval", False), ("train", True)])
def test_train_and_eval_set_the_flag_on_every_module(model, switch, expected):
    model.train(not expected)
    getattr(model, switch)()
    assert [module.training for module in model.modules()] == [expected] * 3


def test_modules_start_in_training_mode(model):
    assert all(module.training for module in model.modules())


@pytest.mark.parametrize("switch", ["eval", "train"])
def test_train_and_eval_return_the_module(model, switch):
    assert getattr(model, switch)() is model


# ----- state dicts -----------------------------------------------------------------------------


def test_state_dict_maps_dotted_names_to_arrays(model):
    state = model.state_dict()
    np.testing.assert_array_equal(state["first.weight"], model.first.weight.data)


def test_state_dict_holds_copies(model):
    state = model.state_dict()
    state["first.weight"][...] = -1.0
    assert not np.any(model.first.weight.data == -1.0)


def test_load_state_dict_round_trips_the_values():
    source, target = TwoLayers(), TwoLayers()
    for i, parameter in enumerate(source.parameters()):
        parameter.data = parameter.data + i + 1
    target.load_state_dict(source.state_dict())
    for name, parameter in target.named_parameters():
        np.testing.assert_array_equal(parameter.data, source.state_dict()[name], err_msg=name)


def test_load_state_dict_copies_the_given_arrays(model):
    state = model.state_dict()
    model.load_state_dict(state)
    state["scale"][...] = 5.0
    np.testing.assert_array_equal(model.scale.data, [1.0])


def test_load_state_dict_keeps_the_parameter_dtype(model):
    state = {name: value.astype(np.float64) for name, value in model.state_dict().items()}
    model.load_state_dict(state)
    assert {parameter.dtype for parameter in model.parameters()} == {np.dtype(np.float32)}


def test_load_state_dict_with_a_wrong_shape_raises_value_error_naming_the_parameter(model):
    state = model.state_dict()
    state["first.bias"] = np.zeros(3)
    with pytest.raises(ValueError, match=r"'first.bias'.*\(2,\).*\(3,\)"):
        model.load_state_dict(state)


def test_load_state_dict_with_a_missing_key_raises_key_error_naming_it(model):
    state = model.state_dict()
    del state["second.weight"]
    with pytest.raises(KeyError, match=r"missing keys \['second\.weight'\]"):
        model.load_state_dict(state)


def test_load_state_dict_with_an_unexpected_key_raises_key_error_naming_it(model):
    state = {**model.state_dict(), "third.weight": np.zeros(2)}
    with pytest.raises(KeyError, match=r"unexpected keys \['third\.weight'\]"):
        model.load_state_dict(state)


# ----- repr ------------------------------------------------------------------------------------


def test_repr_shows_the_tree_of_submodules(model):
    assert repr(model) == "TwoLayers(\n  (first): Affine()\n  (second): Affine()\n)"


def test_repr_indents_nested_submodules():
    outer = Module()
    outer.inner = TwoLayers()
    assert repr(outer) == (
        "Module(\n  (inner): TwoLayers(\n    (first): Affine()\n    (second): Affine()\n  )\n)"
    )


# ----- layers that no exercise has registered yet ----------------------------------------------


@pytest.fixture
def no_layers_loaded():
    """The layers table as it is before exercise 03: empty."""
    registries["layers"].clear()
    yield
    plugin_manager.activate(plugin_manager.active_selection())


def test_linear_before_it_is_registered_raises_missing_implementation_error(no_layers_loaded):
    with pytest.raises(MissingImplementationError, match="'Linear'"):
        nn.Linear  # noqa: B018


def test_linear_before_it_is_registered_is_an_attribute_error(no_layers_loaded):
    assert not hasattr(nn, "Linear")


def test_module_and_parameter_are_always_in_nn():
    assert (nn.Module, nn.Parameter) == (Module, Parameter)
