"""The training tools that are not exercises: progress bars, plots and ready-made recipes.

- ``progress``: ``ProgressBar``, a ``core.training.Callback`` with a live bar per epoch;
- ``plots``: learning curves, decision boundaries and image predictions as PNG files;
- ``recipes``: named, seeded runs (``toy``, ``digits``, ``mnist``) used by ``gradkit train``
  and ``gradkit demo``.

This module stays light (no matplotlib) so that the command line can read the names below
without importing the tools.
"""

TOY_DATASETS = ("blobs", "moons", "circles")
# The exercise whose suite a recipe's model and trainer need, with all before it.
RECIPE_NEEDS = {"toy": "ex06", "digits": "ex07", "mnist": "ex07"}
MNIST_DATASETS = ("mnist", "fashion-mnist", "kmnist", "emnist", "mnist-5k")
SHIPPED_DATASETS = ("mnist-5k",)  # need no --data-dir: the file comes with a dependency
