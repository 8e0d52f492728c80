"""ex14's spot checks: drawn auto-encoders' codes, logits and reconstructions, a short seeded
training run of one, freezing, the transfer classifier on a drawn encoder and the BCE floor of
drawn pixels (see exercises/testing/probes).

The training run uses one batch per epoch, so that no value depends on the order in which the
DataLoader shuffles the images, only on the images it holds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from core import Tensor, analysis, is_grad_enabled, models, nn, optim, training
from exercises.ex03_modules_and_losses.tests.spot_checks import flag, randomize_parameters
from exercises.ex14_transfer_learning.tests.setups import (
    SMALL_BOTTLENECK,
    SMALL_FEATURES,
    SMALL_HIDDEN,
    linears,
    numpy_mlp,
)
from exercises.testing.probes import Probe, test_named

SIZES = {"16-12-4": (16, 12, 4), "64-32-1": (64, 32, 1), "bottleneck wider": (10, 3, 7)}
OPTIMIZERS = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.1),
    "SGD with momentum and decay": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    "Adam with decay": lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1),
    "AdamW": lambda ps: optim.AdamW(ps, lr=0.01, weight_decay=0.1),
}


def _autoencoder(rng: np.random.Generator, sizes=(SMALL_FEATURES, SMALL_HIDDEN, SMALL_BOTTLENECK)):
    """AutoEncoder(*sizes) with drawn parameters."""
    autoencoder = models.AutoEncoder(*sizes)
    randomize_parameters(autoencoder, rng)
    return autoencoder


def _images(rng: np.random.Generator, count: int, features: int = SMALL_FEATURES) -> np.ndarray:
    return rng.uniform(0, 1, (count, features)).astype(np.float32)


def _weight_shapes(*modules: nn.Module) -> np.ndarray:
    """The weight shapes of the Linear layers of ``modules``, in order, one after the other."""
    return np.array([s for m in modules for layer in linears(m) for s in layer.weight.shape], float)


def _relus(*modules: nn.Module) -> np.ndarray:
    """How many ReLU modules ``modules`` hold."""
    return np.array(float(sum(isinstance(m, nn.ReLU) for n in modules for m in n.modules())))


def _raises_value_error(action: Callable[[], object]) -> bool:
    """Whether ``action()`` raises ValueError (any other error propagates: a stub's fails the
    probe)."""
    try:
        action()
    except ValueError:
        return True
    return False


def autoencoder(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """AutoEncoder of three sizes with drawn parameters: the weight shapes of the encoder's and
    the decoder's Linear layers, their number of ReLUs and the sizes kept; encode, forward and
    reconstruct of 5 drawn images; whether codes and logits are float32 Tensors,
    reconstructions float32 arrays computed without a graph; whether each method refuses
    pixels of 0 to 16."""
    values, kinds = {}, []
    for title, sizes in SIZES.items():
        model = _autoencoder(rng, sizes)
        x = _images(rng, 5, sizes[0])
        values[f"{title} weight shapes"] = _weight_shapes(model.encoder, model.decoder)
        values[f"{title} ReLUs"] = _relus(model.encoder, model.decoder)
        values[f"{title} sizes"] = np.array(
            [model.in_features, model.hidden, model.bottleneck], float
        )
        graphs: list[bool] = []
        with model.decoder.register_forward_hook(
            lambda m, i, out, graphs=graphs: graphs.append(is_grad_enabled())
        ):
            pixels = model.reconstruct(x)
        code, logits = model.encode(x), model(Tensor(x))
        values[f"{title} code"], values[f"{title} logits"] = code.data, logits.data
        values[f"{title} reconstruction"] = pixels
        kinds += [isinstance(t, Tensor) and t.dtype == np.float32 for t in (code, logits)]
        kinds += [isinstance(pixels, np.ndarray), pixels.dtype == np.float32, not any(graphs)]
    values["float32, no graph"] = flag(all(kinds))
    bright = x * 16
    values["pixels 0 to 16 refused"] = flag(
        all(
            _raises_value_error(lambda m=m: getattr(model, m)(bright))
            for m in ("encode", "forward", "reconstruct")
        )
    )
    return values


def train_autoencoder(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """train_autoencoder of a drawn AutoEncoder(16, 12, 4) on 32 drawn images, 3 epochs of one
    batch, a drawn seed and learning rate: the losses and the parameters after; whether the
    losses are Python floats and the same run repeats them; with the encoder frozen, which
    parameters one more epoch changes; whether a fully frozen auto-encoder is a ValueError."""
    x = _images(rng, 32)
    seed, lr = int(rng.integers(2**31)), float(rng.uniform(1e-3, 1e-2))
    state = _autoencoder(rng).state_dict()
    runs = []
    for _ in range(2):
        model = models.AutoEncoder(SMALL_FEATURES, SMALL_HIDDEN, SMALL_BOTTLENECK)
        model.load_state_dict(state)
        runs.append(training.train_autoencoder(model, x, epochs=3, lr=lr, batch_size=32, seed=seed))
    values = {"losses": np.array(runs[0], float)}
    values["parameters after"] = np.concatenate([p.data.ravel() for p in model.parameters()])
    values["floats, repeated"] = flag(
        all(isinstance(v, float) for v in runs[0]) and runs[0] == runs[1]
    )
    analysis.freeze(model.encoder)
    before = model.state_dict()
    training.train_autoencoder(model, x, epochs=1, batch_size=32, seed=seed)
    values["changed with the encoder frozen"] = np.array(
        [not np.array_equal(p.data, before[n]) for n, p in model.named_parameters()], float
    )
    analysis.freeze(model)
    values["frozen is an error"] = flag(
        _raises_value_error(lambda: training.train_autoencoder(model, x, epochs=1))
    )
    return values


def freeze(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """freeze of a drawn AutoEncoder(16, 12, 4) with gradients from a backward: each
    parameter's requires_grad and whether its grad is None, in order; whether it returns the
    module."""
    model = _autoencoder(rng)
    x = _images(rng, 6)
    nn.BCEWithLogitsLoss()(model(Tensor(x)), x).backward()
    returned = analysis.freeze(model)
    return {
        "requires_grad": np.array([p.requires_grad for p in model.parameters()], float),
        "grad is None": np.array([p.grad is None for p in model.parameters()], float),
        "returns the module": flag(returned is model),
    }


def unfreeze(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """unfreeze of a drawn AutoEncoder(16, 12, 4) whose parameters were all switched off:
    each parameter's requires_grad, in order; whether it returns the module."""
    model = _autoencoder(rng)
    model.requires_grad_(False)
    returned = analysis.unfreeze(model)
    return {
        "requires_grad": np.array([p.requires_grad for p in model.parameters()], float),
        "returns the module": flag(returned is model),
    }


def trainable_parameters(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """trainable_parameters of an AutoEncoder(16, 12, 4) with a drawn part (encoder or
    decoder) switched off: the positions of the parameters found among model.parameters();
    whether an auto-encoder and a TransferClassifier with every parameter switched off are a
    ValueError."""
    model = _autoencoder(rng)
    getattr(model, str(rng.choice(["encoder", "decoder"]))).requires_grad_(False)
    every = [id(p) for p in model.parameters()]
    found = [every.index(id(p)) for p in analysis.trainable_parameters(model)]
    classifier = models.TransferClassifier(_autoencoder(rng).encoder, 3)
    return {
        "positions found": np.array(found, float),
        "nothing to train is an error": flag(
            all(
                _raises_value_error(
                    lambda m=m: analysis.trainable_parameters(m.requires_grad_(False))
                )
                for m in (model, classifier)
            )
        ),
    }


def _classifier(rng: np.random.Generator, freeze_encoder: bool = True):
    """TransferClassifier on a drawn AutoEncoder(16, 12, 4)'s encoder, for a drawn number of
    classes and hidden width, with drawn parameters."""
    classes, hidden = (int(n) for n in rng.integers(2, 8, size=2))
    model = models.TransferClassifier(_autoencoder(rng).encoder, classes, hidden, freeze_encoder)
    randomize_parameters(model.head, rng)
    return model


def transfer_classifier(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """TransferClassifier on a drawn encoder (see _classifier): its features, the head's weight
    shapes and ReLUs, the default head's weight shapes; logits, predict_proba and predict of 20
    drawn images — 0.5 for an image whose two largest float64 logits lie within 1e-3, where
    rounding may decide; whether it keeps the encoder it was given, probabilities are float32
    and classes int64; requires_grad of each parameter, frozen and from scratch; which
    parameters get a gradient from a backward; which parameters stay bit for bit the same through
    three training steps with SGD, SGD with momentum and weight decay, Adam with weight decay
    and AdamW, each given every parameter."""
    model = _classifier(rng)
    x = _images(rng, 20)
    exact = numpy_mlp(linears(model.head), numpy_mlp(linears(model.encoder), x))
    top = np.sort(exact, axis=1)
    predicted = np.where(top[:, -1] - top[:, -2] < 1e-3, 0.5, model.predict(x))
    probabilities = model.predict_proba(x)
    encoder = _autoencoder(rng).encoder
    default = models.TransferClassifier(encoder, 3)
    values = {
        "features": np.array(float(model.features)),
        "head weight shapes": _weight_shapes(model.head),
        "head ReLUs": _relus(model.head),
        "default head weight shapes": _weight_shapes(default.head),
        "logits": model(Tensor(x)).data,
        "predict_proba": probabilities,
        "predict": predicted,
        "keeps the encoder, float32 and int64": flag(
            default.encoder is encoder
            and probabilities.dtype == np.float32
            and model.predict(x).dtype == np.int64
        ),
    }
    for freeze_encoder in (True, False):
        flags = [p.requires_grad for p in _classifier(rng, freeze_encoder).parameters()]
        values[f"requires_grad, freeze_encoder={freeze_encoder}"] = np.array(flags, float)
    labels = rng.integers(0, 2, 20)
    nn.CrossEntropyLoss()(model(Tensor(x)), labels).backward()
    values["gradients"] = np.array([p.grad is not None for p in model.parameters()], float)
    for title, make in OPTIMIZERS.items():
        model = _classifier(rng)
        before = model.state_dict()
        trainer = training.Trainer(model, nn.CrossEntropyLoss(), make(model.parameters()))
        for _ in range(3):
            trainer.train_step(Tensor(x), Tensor(labels, dtype=labels.dtype))
        values[f"{title}: unchanged"] = np.array(
            [np.array_equal(p.data, before[n]) for n, p in model.named_parameters()], float
        )
    return values


def bce_floor(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """bce_floor of the worked example, of drawn pixels (some exactly 0 and 1), of black,
    white and drawn black-and-white images; whether those gave no warning; the mean BCE of
    predictions p = t against the floor, and whether drawn predictions stay above it."""
    pixels = rng.uniform(0, 1, (6, 10))
    pixels[rng.uniform(size=pixels.shape) < 0.2] = 0.0
    pixels[rng.uniform(size=pixels.shape) < 0.2] = 1.0
    binary = (rng.uniform(size=(3, 8)) < 0.5).astype(np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        floors = {
            "worked example": analysis.bce_floor(np.array([[0.0, 1.0, 0.5, 0.5]])),
            "drawn": analysis.bce_floor(pixels),
            "black": analysis.bce_floor(np.zeros((2, 5))),
            "white": analysis.bce_floor(np.ones((2, 5))),
            "binary": analysis.bce_floor(binary),
        }
    values = {title: np.array(floor) for title, floor in floors.items()}
    values["no warnings"] = flag(not caught)
    inner = np.clip(pixels, 1e-6, 1 - 1e-6)
    at_targets = np.mean(-pixels * np.log(inner) - (1 - pixels) * np.log(1 - inner))
    guesses = rng.uniform(0.05, 0.95, pixels.shape)
    elsewhere = np.mean(-pixels * np.log(guesses) - (1 - pixels) * np.log(1 - guesses))
    values["BCE at p = t minus the floor"] = np.array(at_targets - floors["drawn"])
    values["drawn predictions above the floor"] = flag(elsewhere > floors["drawn"])
    return values


AUTOENCODER_GOAL = test_named(
    "test_train_autoencoder_returns_one_loss_per_epoch_and_the_loss_falls",
    "test_training_lowers_the_reconstruction_loss_of_unseen_images",
    "test_the_reconstruction_loss_stays_above_the_bce_floor",
)
PROBES = [
    Probe(
        "AutoEncoder",
        test_named(
            "test_encoder_and_decoder_are_two_linear_layers_each_way",
            "test_encode_gives_the_encoders_code_for_every_image",
            "test_forward_gives_the_logits_of_decoder_after_encoder",
            "test_reconstruct_is_the_sigmoid_of_the_logits_as_an_array_without_a_graph",
            "test_a_size_below_one_is_an_error_naming_the_size",
            "test_images_that_do_not_fit_the_autoencoder_are_an_error",
        ),
        autoencoder,
    ),
    Probe(
        "train_autoencoder",
        AUTOENCODER_GOAL
        + "|"
        + test_named(
            "test_train_autoencoder_leaves_a_frozen_encoder_unchanged_and_trains_the_decoder",
            "test_train_autoencoder_is_seeded",
            "test_train_autoencoder_rejects_images_that_do_not_fit",
            "test_train_autoencoder_rejects_a_bad_epoch_count",
            "test_training_a_frozen_autoencoder_is_an_error_naming_the_fix",
        ),
        train_autoencoder,
    ),
    Probe(
        "freeze",
        test_named("test_freeze_switches_off_every_parameter_of_the_tree_and_drops_its_gradients"),
        freeze,
    ),
    Probe("unfreeze", test_named("test_unfreeze_makes_every_parameter_trainable_again"), unfreeze),
    Probe(
        "trainable_parameters",
        test_named(
            "test_trainable_parameters_lists_only_the_unfrozen_ones_in_order",
            "test_a_model_with_every_parameter_frozen_has_nothing_to_train",
        ),
        trainable_parameters,
    ),
    Probe(
        "TransferClassifier",
        r"test_transfer_classifier\.py::|"
        + test_named(
            "test_the_classifier_freezes_its_encoder_only_when_asked",
            "test_only_the_heads_parameters_receive_gradients",
            "test_frozen_parameters_are_bit_for_bit_unchanged_after_training",
            "test_the_head_trains_on_a_frozen_trained_encoder",
            "test_a_bad_transfer_classifier_is_an_error",
        ),
        transfer_classifier,
    ),
    Probe(
        "bce_floor",
        r"test_bce_floor\.py::|"
        + test_named(
            "test_bce_floor_rejects_targets_outside_zero_one",
            "test_the_reconstruction_loss_stays_above_the_bce_floor",
        ),
        bce_floor,
    ),
]
