"""ex05's spot checks: ArrayDataset's indexing, what DataLoader yields (in order, shuffled, from a
sampler) and each transform, on grader-drawn data (see exercises/testing/probes).

A shuffled order is the loader's own draw, so only what every correct loader agrees on is
compared: which samples an epoch holds, in batches of which sizes, each still with its label,
and whether orders repeat where they must and differ where they must.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from core import Tensor, data
from core import random as gk_random
from exercises.testing.probes import Probe, test_named


def _samples(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Drawn features (n, 3) float32 and labels 0..n-1 (int64), which name the samples."""
    return rng.standard_normal((n, 3)).astype(np.float32), np.arange(n, dtype=np.int64)


def _truth(condition: bool) -> np.ndarray:
    return np.array(float(condition))


def _raises_value_error(action: Callable[[], object]) -> np.ndarray:
    """1.0 when ``action()`` raises ValueError (any other error propagates: a stub's fails the
    probe), 0.0 when it returns."""
    try:
        action()
    except ValueError:
        return _truth(True)
    return _truth(False)


def _epoch(loader: Iterable[tuple[Tensor, ...]]) -> dict[str, np.ndarray]:
    """One epoch: the batch sizes, the labels in the order given, the features concatenated."""
    batches = [(np.asarray(x.data), np.asarray(y.data)) for x, y in loader]
    return {
        "sizes": np.array([len(y) for _, y in batches], float),
        "labels": np.concatenate([y for _, y in batches]),
        "features": np.concatenate([x for x, _ in batches]),
    }


# ----- ArrayDataset -----------------------------------------------------------------------------


def array_dataset(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """ArrayDataset(x, y, z) on drawn arrays (6 samples): its len, a drawn int index (maybe
    negative) and a drawn index array with repeats; with a transform f -> 2f + 1, the same
    indices (the features transformed, the labels not)."""
    x, y, z = rng.standard_normal((6, 3)), rng.integers(0, 10, 6), rng.standard_normal(6)
    index, position = rng.integers(0, 6, 4), int(rng.integers(-6, 6))
    values = {"len": np.array(float(len(data.ArrayDataset(x, y, z))))}
    for name, dataset in [
        ("", data.ArrayDataset(x, y, z)),
        ("transformed ", data.ArrayDataset(x, y, transform=lambda f: f * 2 + 1)),
    ]:
        for label, selection in [("index array", index), ("int", position)]:
            items = dataset[selection]
            values[f"{name}{label}: length"] = np.array(float(len(items)))
            values.update({f"{name}{label}: {i}": item for i, item in enumerate(items)})
    return values


# ----- DataLoader -------------------------------------------------------------------------------


def _counting(*arrays: np.ndarray) -> data.ArrayDataset:
    """An ArrayDataset that counts the calls of __getitem__ (defined when the probe runs)."""

    class Counting(data.ArrayDataset):
        calls = 0

        def __getitem__(self, index):
            self.calls += 1
            return super().__getitem__(index)

    return Counting(*arrays)


def loader_in_order(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """An unshuffled DataLoader over n drawn samples, n not a multiple of the drawn batch size,
    with and without drop_last: each epoch's batch sizes, labels and features, len(loader) and
    the number of dataset calls; images (n, 2, 4, 4) batched through a transform x -> x - 1;
    whether batches are tuples of Tensors keeping each array's dtype (float64, int64, float32)."""
    batch_size = int(rng.integers(2, 6))
    n = batch_size * int(rng.integers(2, 5)) + int(rng.integers(1, batch_size))
    x, y = _samples(rng, n)
    values = {}
    for drop_last in (False, True):
        dataset = _counting(x, y)
        loader = data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
        epoch = _epoch(loader)
        values.update({f"drop_last={drop_last} {key}": value for key, value in epoch.items()})
        values[f"drop_last={drop_last} len"] = np.array(float(len(loader)))
        values[f"drop_last={drop_last} dataset calls"] = np.array(float(dataset.calls))
    images = rng.standard_normal((n, 2, 4, 4)).astype(np.float32)
    loader = data.DataLoader(data.ArrayDataset(images, y, transform=lambda a: a - 1), batch_size)
    values["images"] = np.concatenate([np.asarray(batch[0].data) for batch in loader])
    arrays = (x.astype(np.float64), y, rng.standard_normal(n).astype(np.float32))
    batch = next(iter(data.DataLoader(data.ArrayDataset(*arrays), batch_size)))
    values["tuple of Tensors, dtypes kept"] = _truth(
        isinstance(batch, tuple)
        and len(batch) == 3
        and all(isinstance(t, Tensor) and t.dtype == a.dtype for t, a in zip(batch, arrays))
    )
    return values


def loader_shuffled(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Three epochs of a DataLoader shuffling n drawn samples with a drawn seed: per epoch the
    batch sizes, the labels sorted and the features put back in label order (each row must travel
    with its label); whether a second loader with that seed gives the same orders, whether
    successive epochs differ, whether another seed differs, whether manual_seed fixes the order
    of a loader without a seed; with drop_last, the batch sizes and the number of distinct
    samples."""
    n, batch_size, seed = 23, int(rng.integers(3, 8)), int(rng.integers(2**32))
    x, y = _samples(rng, n)

    def loader(**options: object) -> data.DataLoader:
        return data.DataLoader(data.ArrayDataset(x, y), batch_size, shuffle=True, **options)

    first, second = loader(seed=seed), loader(seed=seed)
    epochs = [_epoch(first) for _ in range(3)]
    values = {}
    for number, epoch in enumerate(epochs):
        order = np.argsort(epoch["labels"], kind="stable")
        values[f"epoch {number} sizes"] = epoch["sizes"]
        values[f"epoch {number} labels sorted"] = epoch["labels"][order]
        values[f"epoch {number} features in label order"] = epoch["features"][order]
    orders = [epoch["labels"] for epoch in epochs]
    again = [_epoch(second)["labels"] for _ in range(3)]
    values["same seed, same orders"] = _truth(all(map(np.array_equal, orders, again)))
    values["epochs differ"] = _truth(not np.array_equal(orders[0], orders[1]))
    other = _epoch(loader(seed=seed + 1))["labels"]
    values["another seed differs"] = _truth(not np.array_equal(orders[0], other))
    unseeded = []
    for _ in range(2):
        gk_random.manual_seed(seed)
        unseeded.append(_epoch(loader())["labels"])
    values["manual_seed fixes an unseeded order"] = _truth(np.array_equal(*unseeded))
    dropped = _epoch(loader(seed=seed, drop_last=True))
    values["drop_last sizes"] = dropped["sizes"]
    values["drop_last distinct samples"] = np.array(float(len(set(dropped["labels"].tolist()))))
    return values


class _Sampler:
    """A sampler as PyTorch's DataLoader takes one: epoch k yields ``epochs[k]`` (the last one
    again after that); ``len`` is the first epoch's length."""

    def __init__(self, *epochs: np.ndarray) -> None:
        self.epochs, self.started = epochs, 0

    def __len__(self) -> int:
        return len(self.epochs[0])

    def __iter__(self) -> Iterator[int]:
        epoch = self.epochs[min(self.started, len(self.epochs) - 1)]
        self.started += 1
        return iter(epoch.tolist())


def loader_with_sampler(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A DataLoader over 10 drawn samples whose sampler yields 13 drawn indices (repeats
    included), another draw in the second epoch: both epochs' labels in order and len(loader),
    with and without drop_last; whether a sampler index outside the dataset and a sampler with
    shuffle=True raise ValueError."""
    x, y = _samples(rng, 10)
    draws = [rng.integers(0, 10, 13) for _ in range(2)]
    batch_size = int(rng.integers(2, 6))
    values = {}
    for drop_last in (False, True):
        loader = data.DataLoader(
            data.ArrayDataset(x, y), batch_size, drop_last=drop_last, sampler=_Sampler(*draws)
        )
        values[f"drop_last={drop_last} len"] = np.array(float(len(loader)))
        for number in range(2):
            epoch = _epoch(loader)
            values[f"drop_last={drop_last} epoch {number} labels"] = epoch["labels"]
    outside = data.DataLoader(data.ArrayDataset(x, y), batch_size, sampler=_Sampler(draws[0] + 10))
    values["index outside rejected"] = _raises_value_error(lambda: list(outside))
    values["sampler with shuffle rejected"] = _raises_value_error(
        lambda: data.DataLoader(data.ArrayDataset(x, y), 2, shuffle=True, sampler=_Sampler(*draws))
    )
    return values


# ----- transforms -------------------------------------------------------------------------------


def normalize(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Normalize with drawn per-feature and scalar mean and std on drawn x (5, 3), also given as
    float64 and int64 (float32 out?); from_data on features of very different scales, along
    axis 0 and, for images (10, 4, 3), along (0, 1); whether the input is left unchanged and
    whether a std of 0 raises ValueError."""
    x = (rng.standard_normal((5, 3)) * 4).astype(np.float32)
    mean, std = rng.standard_normal(3), rng.uniform(0.5, 3.0, 3)
    kept = x.copy()
    per_feature = data.Normalize(mean, std)
    values = {
        "per feature": per_feature(x),
        "scalars": data.Normalize(float(mean[0]), float(std[0]))(x),
        "int64 input": per_feature(x.astype(np.int64)),
        "float32 out": _truth(
            all(per_feature(x.astype(t)).dtype == np.float32 for t in (np.float32, np.float64, int))
        ),
        "input unchanged": _truth(np.array_equal(x, kept)),
        "zero std rejected": _raises_value_error(lambda: data.Normalize(mean, [1.0, 0.0, 1.0])),
    }
    scales = np.array([0.1, 1.0, 30.0])
    features = (rng.standard_normal((40, 3)) * scales + rng.standard_normal(3)).astype(np.float32)
    values["from_data"] = data.Normalize.from_data(features)(features)
    images = rng.uniform(0, 16, (10, 4, 3)).astype(np.float32)
    values["from_data over (0, 1)"] = data.Normalize.from_data(images, axis=(0, 1))(images)
    return values


def flatten(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Flatten() of drawn arrays of shapes (3, 5), (2, 3, 4) and (2, 1, 2, 3)."""
    shapes = [(3, 5), (2, 3, 4), (2, 1, 2, 3)]
    return {f"{shape}": data.Flatten()(rng.standard_normal(shape)) for shape in shapes}


def one_hot(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """OneHot(C) for a drawn C of drawn int labels and of the same labels as whole floats;
    whether it is float32; whether labels -1, C and 0.5, and OneHot(0), raise ValueError."""
    classes = int(rng.integers(3, 7))
    labels = rng.integers(0, classes, 8)
    encode = data.OneHot(classes)
    return {
        "int labels": encode(labels),
        "whole float labels": encode(labels.astype(np.float64)),
        "float32": _truth(encode(labels).dtype == np.float32),
        "label -1 rejected": _raises_value_error(lambda: encode(np.array([0, -1]))),
        "label C rejected": _raises_value_error(lambda: encode(np.array([classes, 0]))),
        "label 0.5 rejected": _raises_value_error(lambda: encode(np.array([0.5, 1.0]))),
        "OneHot(0) rejected": _raises_value_error(lambda: data.OneHot(0)),
    }


def compose(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Compose([Flatten(), Normalize(m, s)]) with drawn m, s on drawn x (2, 2, 2); Compose of
    "add a" then "times b" with drawn a, b; Compose([])."""
    x = rng.standard_normal((2, 2, 2)).astype(np.float32)
    m, s, a, b = (
        rng.standard_normal(),
        rng.uniform(0.5, 2),
        rng.standard_normal(),
        rng.uniform(2, 5),
    )
    return {
        "Flatten, Normalize": data.Compose([data.Flatten(), data.Normalize(m, s)])(x),
        "add, times": data.Compose([lambda v: v + a, lambda v: v * b])(x),
        "no transforms": data.Compose([])(x),
    }


PROBES = [
    Probe("ArrayDataset", r"test_array_dataset\.py::", array_dataset),
    Probe(
        "DataLoader in order",
        test_named(
            "test_batches_have_batch_size_rows_and_the_last_may_be_partial",
            "test_batches_keep_the_shape_of_each_sample",
            "test_len_is_the_number_of_batches",
            "test_without_shuffle_samples_come_in_order",
            "test_each_batch_is_fetched_with_exactly_one_dataset_call",
            "test_batches_are_tuples_of_tensors_one_per_array",
            "test_batches_keep_the_dtype_of_each_array",
            "test_the_datasets_transform_is_applied_to_every_batch",
            "test_an_empty_dataset_is_rejected",
            "test_a_batch_size_that_is_not_a_positive_integer_is_rejected",
        ),
        loader_in_order,
    ),
    Probe(
        "DataLoader shuffled",
        test_named(
            "test_without_drop_last_an_epoch_holds_every_sample_exactly_once",
            "test_with_drop_last_an_epoch_holds_distinct_samples_in_full_batches",
            "test_shuffled_batches_keep_each_features_row_with_its_label",
            "test_the_same_seed_gives_the_same_order_in_every_epoch",
            "test_successive_epochs_are_shuffled_differently",
            "test_different_seeds_give_different_orders",
            "test_without_a_seed_the_shared_generator_makes_the_order_reproducible",
        ),
        loader_shuffled,
    ),
    Probe(
        "DataLoader with a sampler",
        test_named(
            "test_a_sampler_decides_the_epochs_order_repeats_included",
            "test_the_sampler_is_iterated_anew_every_epoch",
            "test_len_counts_the_samplers_indices_not_the_dataset",
            "test_a_sampler_with_shuffle_is_rejected",
            "test_a_sampler_index_outside_the_dataset_is_rejected_with_the_index",
        ),
        loader_with_sampler,
    ),
    Probe("Normalize", r"::test_normalize_", normalize),
    Probe("Flatten", r"::test_flatten_", flatten),
    Probe("OneHot", r"::test_one_hot_", one_hot),
    Probe("Compose", r"::test_compose_", compose),
]
