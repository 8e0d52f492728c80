"""The ``gradkit`` command line.

gradkit test ex01 [pytest options]   run one exercise's suite
gradkit plugins                      what is loaded: implementations, providers, failures
gradkit demo                         the reference engine fits a model (loss falls)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core import catalog, plugin_manager


def _test(args: argparse.Namespace) -> int:
    import pytest

    exercise = catalog.exercise(args.exercise)
    options = [str(exercise.tests_path), "--tb=short", *args.pytest_args]
    if args.impl:
        options.append(f"--gradkit-impl={args.impl}")
    return int(pytest.main(options))


def _plugins(args: argparse.Namespace) -> int:
    if args.impl:
        plugin_manager.activate(args.impl)
    for exercise_id, implementation in plugin_manager.choices().items():
        print(f"{exercise_id}: {implementation}  ({catalog.exercise(exercise_id).title})")
    for kind, registry in plugin_manager.registries.items():
        if len(registry):
            sources = sorted({registry.entry(name).source for name in registry})
            print(
                f"{kind:11s} {len(registry):3d} from {', '.join(sources)}: " + ", ".join(registry)
            )
    failures = plugin_manager.failures()
    for failure in failures:
        print(f"FAILED {failure}\n{failure.details}", file=sys.stderr)
    return 1 if failures else 0


def _demo(args: argparse.Namespace) -> int:
    from plugins import demo

    return demo.run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradkit", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    test = commands.add_parser("test", help="run one exercise's test suite")
    test.add_argument("exercise", help="exercise id, e.g. ex01")
    test.add_argument("--impl", help="selection, e.g. 'reference' (default: GRADKIT_IMPL)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    test.set_defaults(run=_test)

    plugins = commands.add_parser("plugins", help="show the loaded implementations")
    plugins.add_argument("--impl", help="selection to show (default: GRADKIT_IMPL)")
    plugins.set_defaults(run=_plugins)

    demo = commands.add_parser("demo", help="fit a small model with the reference engine")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, plugin_manager.MissingImplementationError) as error:
        print(f"gradkit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
