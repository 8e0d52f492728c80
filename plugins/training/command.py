"""``gradkit train RECIPE``: train a classifier with the selected implementation, show its
progress and final accuracy, write its plots; on an unfinished exercise, name the first one the
recipe needs."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from core import catalog, plugin_manager, use_implementation
from plugins.training import MNIST_DATASETS, RECIPE_NEEDS, SHIPPED_DATASETS, TOY_DATASETS


def add_parser(commands: argparse._SubParsersAction) -> None:
    train = commands.add_parser(
        "train", help="train a classifier with the selected implementation (a recipe)"
    )
    recipes = train.add_subparsers(dest="recipe", required=True, metavar="RECIPE")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--epochs", type=int, help="epochs (default: the recipe's)")
    common.add_argument("--lr", type=float, help="Adam's learning rate (default: the recipe's)")
    common.add_argument("--batch-size", type=int, help="training batch size")
    common.add_argument("--seed", type=int, default=0, help="seed of weights and shuffle (0)")
    common.add_argument("--out", help="folder for the plots (default: gradkit-output/<run>/)")
    common.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    common.add_argument("--quiet", action="store_true", help="no per-epoch progress")

    toy = recipes.add_parser(
        "toy", parents=[common], help="a binary MLP on a toy 2-D set; plots the decision boundary"
    )
    toy.add_argument("--dataset", choices=TOY_DATASETS, default="moons", help="(default: moons)")
    digits = recipes.add_parser(
        "digits", parents=[common], help="a multiclass MLP on scikit-learn's 8x8 digits"
    )
    digits.set_defaults(dataset="digits")
    mnist = recipes.add_parser(
        "mnist",
        parents=[common],
        help="a multiclass MLP on MNIST-family IDX files, or on the 5,000 digits of mnist-5k",
    )
    mnist.add_argument(
        "--data-dir", help="folder with the IDX files (.gz or uncompressed); not for mnist-5k"
    )
    mnist.add_argument(
        "--dataset", choices=MNIST_DATASETS, default="mnist", help="(default: mnist)"
    )
    mnist.add_argument("--subset", help="EMNIST subset, e.g. balanced, digits, letters")
    train.set_defaults(run=run_train)


def run_train(args: argparse.Namespace) -> int:
    from plugins.training import recipes

    options = {
        "epochs": args.epochs,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "out_dir": args.out,
        "callbacks": () if args.quiet else None,
    }
    if args.recipe == "toy":
        options["dataset"] = args.dataset
    elif args.recipe == "mnist":
        if args.data_dir is None and args.dataset not in SHIPPED_DATASETS:
            raise ValueError(
                f"train mnist --dataset {args.dataset} reads IDX files: give --data-dir DIR "
                f"(or --dataset {SHIPPED_DATASETS[0]}, which needs none)"
            )
        options.update(data_dir=args.data_dir, dataset=args.dataset)
        if args.subset:
            options["subset"] = args.subset
    selection = use_implementation(args.impl) if args.impl else nullcontext()
    with selection:
        settings = recipes.settings_for(
            args.recipe, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size, seed=args.seed
        )
        what = f"{args.recipe} ({args.dataset})" if args.recipe != "digits" else args.recipe
        print(
            f"gradkit train {what}: {settings.epochs} epochs, Adam lr {settings.lr:g}, "
            f"batch {settings.batch_size}, seed {settings.seed}; implementation: "
            f"{plugin_manager.active_selection()}",
            flush=True,
        )
        try:
            result = recipes.RECIPES[args.recipe](**options)
        except NotImplementedError as error:
            print(unfinished(args.recipe, error), file=sys.stderr)
            return 1
        except OSError as error:  # a missing or unreadable data file
            print(f"gradkit train {args.recipe}: {error}", file=sys.stderr)
            return 1
    print(
        f"{result.dataset}: {result.model_name}, {len(result.history)} epochs in "
        f"{result.seconds:.1f} s\nfinal accuracy: train {result.train_accuracy:.2%}, "
        f"{result.val_split} {result.val_accuracy:.2%}"
    )
    print("plots:")
    for path in result.figures.values():
        print(f"  {path}")
    return 0


def unfinished(recipe: str, error: NotImplementedError) -> str:
    """What to finish before ``recipe`` can run (see ``what_to_finish``)."""
    from plugins.ladder.standing import what_to_finish

    return what_to_finish(f"train {recipe}", catalog.exercise(RECIPE_NEEDS[recipe]), error)
