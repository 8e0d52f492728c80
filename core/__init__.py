"""gradkit's core: tensors, the autograd engine, registries, hooks and plugin selection.

>>> from core import Tensor, no_grad
>>> x = Tensor([[1.0, 2.0]], requires_grad=True)
>>> (x * 3).sum().backward()
>>> x.grad
array([[3., 3.]], dtype=float32)
"""

from core.autograd import is_grad_enabled, no_grad, unbroadcast
from core.gradcheck import GradcheckError, gradcheck
from core.hookspecs import hookimpl
from core.module import Module, Parameter
from core.plugin_manager import MissingImplementationError, use_implementation
from core.tensor import Tensor, apply_op

__all__ = [
    "GradcheckError",
    "MissingImplementationError",
    "Module",
    "Parameter",
    "Tensor",
    "apply_op",
    "gradcheck",
    "hookimpl",
    "is_grad_enabled",
    "no_grad",
    "unbroadcast",
    "use_implementation",
]
