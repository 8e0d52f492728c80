"""A pytest plugin that runs one collected suite several times, each on other implementations.

``-p plugins.suite_runs.variants --gradkit-variants FILE``, FILE a JSON object::

    {"order": [test ids that a first_failure variant runs first, in that order],
     "variants": [{"name": "stubs", "selection": "student,ex01=reference",
                   "plugins": [], "first_failure": false}, ...]}

For each variant the implementations are loaded anew (``GRADKIT_IMPL`` as ``selection``, the
``plugins`` as ``GRADKIT_PLUGINS``) and every test runs through pytest's usual protocol, its
result streamed by the recorder under the variant's name; with ``first_failure`` the variant
stops at its first failing test. ``gradkit verify`` checks a suite on the stubs and against each
catalogued mistake this way: one process and one collection instead of one of each per check.
The suite must bind no implementation at import (collection loads none), so each variant sees
only its own; what a suite's modules cache (``functools.cache``, say a model trained once per
process) is cleared before each variant, so no variant reuses what another one computed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from core import plugin_manager
from core.plugin_manager import EXTRA_PLUGINS_VARIABLE

RESULT_STREAM = "gradkit-results"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradkit").addoption(
        "--gradkit-variants",
        metavar="FILE",
        default=None,
        help="run the suite once per variant in FILE (JSON; see plugins/suite_runs/variants.py)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    path = session.config.getoption("--gradkit-variants")
    if not path or session.config.option.collectonly:
        return None
    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    rank = {nodeid: i for i, nodeid in enumerate(plan.get("order", []))}
    ordered = sorted(session.items, key=lambda item: rank.get(item.nodeid, len(rank)))
    stream = session.config.pluginmanager.get_plugin(RESULT_STREAM)
    for variant in plan["variants"]:
        _clear_suite_caches()
        os.environ[EXTRA_PLUGINS_VARIABLE] = ",".join(variant.get("plugins", []))
        plugin_manager.activate(variant["selection"])
        stream.begin_variant(variant["name"])
        failed_before = session.testsfailed
        for item in ordered if variant.get("first_failure") else session.items:
            item.ihook.pytest_runtest_protocol(item=item, nextitem=None)
            if variant.get("first_failure") and session.testsfailed > failed_before:
                break
        stream.end_variant(variant["name"])
    return True


def _clear_suite_caches() -> None:
    """Empty every ``functools.cache`` of the exercises' test modules and helpers."""
    for name, module in list(sys.modules.items()):
        if name.startswith("exercises.") and ".tests" in name:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
