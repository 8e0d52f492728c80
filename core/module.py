"""``Module`` and ``Parameter``: the base every layer, loss and model builds on (given code)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import numpy as np

from core.tensor import Tensor


class Parameter(Tensor):
    """A tensor a ``Module`` owns and trains: ``requires_grad`` is True unless said otherwise."""

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter" + super().__repr__()[len("Tensor") :]


class Module:
    """Base class of layers and models. Assigning a ``Parameter`` or ``Module`` attribute
    registers it, so ``parameters()`` finds every weight in the tree::

        class Affine(Module):
            def __init__(self):
                super().__init__()
                self.w = Parameter(np.zeros((3, 2)))

            def forward(self, x):          # x: (B, 3) -> (B, 2)
                return x @ self.w
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes"
            )
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        output = self.forward(*args, **kwargs)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                replaced = hook(self, args, output)
                if replaced is not None:
                    output = replaced
        return output

    def register_forward_hook(self, hook: Callable[[Module, tuple, Any], Any]) -> HookHandle:
        """Call ``hook(module, inputs, output)`` after every forward of this module, as PyTorch
        does; a hook that returns something other than None replaces the output. Returns a
        handle whose ``remove()`` takes the hook away (also usable as ``with ...:``)::

            seen = []
            handle = model.get_submodule("layers.1").register_forward_hook(
                lambda module, inputs, output: seen.append(output.data)
            )
            model(x)          # seen now holds layer 1's output: (B, H)
            handle.remove()
        """
        if not callable(hook):
            raise TypeError(f"register_forward_hook needs a callable, got {type(hook).__name__}")
        return HookHandle(self._forward_hooks, hook)

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every submodule, depth first, with dotted names."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def get_submodule(self, target: str) -> Module:
        """The submodule with the dotted name ``target`` (as ``named_modules`` spells it, e.g.
        ``"layers.0"``); ``""`` is this module. An unknown name is a ``KeyError`` that lists the
        names there are."""
        modules = dict(self.named_modules())
        if target not in modules:
            names = ", ".join(repr(name) for name in modules if name) or "none"
            raise KeyError(
                f"{type(self).__name__} has no submodule {target!r}; its submodules are: {names}"
            )
        return modules[target]

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def children(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Every parameter in the tree, once each, as ``("layer.weight", p)``."""
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for name, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{prefix}.{name}" if prefix else name), parameter

    def parameters(self) -> Iterator[Parameter]:
        for _, parameter in self.named_parameters():
            yield parameter

    def zero_grad(self) -> None:
        for parameter in self.parameters():
            parameter.grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` of every parameter (False freezes the module: its parameters
        get no gradient, so optimizers leave them alone). Returns the module."""
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter's array, by dotted name."""
        return {name: parameter.data.copy() for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy arrays into the parameters; names and shapes must match exactly."""
        own = dict(self.named_parameters())
        missing, unexpected = sorted(own.keys() - state.keys()), sorted(state.keys() - own.keys())
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, parameter in own.items():
            value = np.asarray(state[name])
            if value.shape != parameter.shape:
                raise ValueError(
                    f"load_state_dict: {name!r} has shape {parameter.shape} but the "
                    f"state gives {value.shape}"
                )
            parameter.data = value.astype(parameter.dtype, copy=True)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in self._modules.items():
            child_lines = repr(child).split("\n")
            lines.append(f"  ({name}): " + "\n  ".join(child_lines))
        return "\n".join(lines) + ("\n)" if self._modules else ")")


class HookHandle:
    """What ``register_forward_hook`` returns: ``remove()`` takes the hook away."""

    _ids = count()

    def __init__(self, hooks: dict[int, Callable], hook: Callable) -> None:
        self._hooks = hooks
        self.id = next(self._ids)
        hooks[self.id] = hook

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()
