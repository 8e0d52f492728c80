"""The whole extension surface of gradkit: one hook per kind of thing a plugin can give.

Every hook receives a ``register`` callback and calls it once per thing it provides::

    @hookimpl
    def gradkit_register_ops(register):
        register("add", add_forward)

``register(name, value, replace=False)`` records which plugin supplied ``name``; registering a
name twice is an error unless the later plugin passes ``replace=True``. Each hook fills the
registry named by its suffix (``gradkit_register_ops`` fills ``ops``); a plugin function marked
``@hookimpl`` whose name is not one of these hooks is an error, as a misspelling would be.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "gradkit"

HOOK_PREFIX = "gradkit_register_"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


def registry_hook(singular: str):
    """A hook that fills one registry; ``singular`` names one entry in messages ("no op named
    'add' is registered")."""

    def mark(spec):
        spec.singular = singular
        return hookspec(spec)

    return mark


@registry_hook("op")
def gradkit_register_ops(register):
    """Give op forwards: ``forward(*arrays, **params) -> ndarray``."""


@registry_hook("gradient")
def gradkit_register_gradients(register):
    """Give op vector-Jacobian products: ``backward(ctx, grad) -> tuple of input gradients``."""


@registry_hook("function")
def gradkit_register_functions(register):
    """Give composite functions for ``core.functional`` (built from registered ops)."""


@registry_hook("layer")
def gradkit_register_layers(register):
    """Give ``Module`` subclasses for ``core.nn`` (Linear, ReLU, Sequential, ...)."""


@registry_hook("loss")
def gradkit_register_losses(register):
    """Give loss ``Module`` subclasses for ``core.nn`` (MSELoss, CrossEntropyLoss, ...)."""


@registry_hook("optimizer")
def gradkit_register_optimizers(register):
    """Give optimizer classes for ``core.optim`` (SGD, Adam, ...)."""


@registry_hook("data class")
def gradkit_register_data(register):
    """Give data-pipeline classes for ``core.data`` (Dataset, DataLoader, transforms)."""


@registry_hook("dataset")
def gradkit_register_datasets(register):
    """Give dataset loaders for ``core.data.load_dataset`` (toy 2-D sets, digits, MNIST)."""


@registry_hook("model")
def gradkit_register_models(register):
    """Give ready-made model classes for ``core.models`` (MLP classifiers, ...)."""


@registry_hook("training tool")
def gradkit_register_training(register):
    """Give training tools for ``core.training`` (Trainer, ...)."""


@registry_hook("analysis tool")
def gradkit_register_analysis(register):
    """Give the research electives' tools for ``core.analysis`` (confidence maps, FGSM, ...)."""
