"""The whole extension surface of gradkit: one hook per kind of thing a plugin can give.

Every hook receives a ``register`` callback and calls it once per thing it provides::

    @hookimpl
    def gradkit_register_ops(register):
        register("add", add_forward)

``register(name, value, replace=False)`` records which plugin supplied ``name``; registering a
name twice is an error unless the later plugin passes ``replace=True``.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "gradkit"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def gradkit_register_ops(register):
    """Give op forwards: ``forward(*arrays, **params) -> ndarray``."""


@hookspec
def gradkit_register_gradients(register):
    """Give op vector-Jacobian products: ``backward(ctx, grad) -> tuple of input gradients``."""


@hookspec
def gradkit_register_functions(register):
    """Give composite functions for ``core.functional`` (built from registered ops)."""


@hookspec
def gradkit_register_layers(register):
    """Give ``Module`` subclasses for ``core.nn`` (Linear, ReLU, Sequential, ...)."""


@hookspec
def gradkit_register_losses(register):
    """Give loss ``Module`` subclasses for ``core.nn`` (MSELoss, CrossEntropyLoss, ...)."""


@hookspec
def gradkit_register_optimizers(register):
    """Give optimizer classes for ``core.optim`` (SGD, Adam, ...)."""


@hookspec
def gradkit_register_data(register):
    """Give data-pipeline classes for ``core.data`` (Dataset, DataLoader, transforms)."""


@hookspec
def gradkit_register_datasets(register):
    """Give dataset loaders for ``core.data.load_dataset`` (toy 2-D sets, digits, MNIST)."""


@hookspec
def gradkit_register_models(register):
    """Give ready-made model classes for ``core.models`` (MLP classifiers, ...)."""


@hookspec
def gradkit_register_training(register):
    """Give training tools for ``core.training`` (Trainer, ...)."""
