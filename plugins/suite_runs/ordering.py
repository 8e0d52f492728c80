"""A pytest plugin that runs the tests in a given order: ``-p plugins.suite_runs.ordering
--gradkit-order FILE``, FILE a JSON list of test ids. Listed tests run first, in that order; the
others follow in their usual order.

``gradkit verify`` runs each mistake's suite with ``-x`` cheapest test first (as timed on the
reference run), so that a mistake caught by a quick test never waits for a training test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("gradkit").addoption(
        "--gradkit-order",
        metavar="FILE",
        default=None,
        help="a JSON list of test ids to run first, in that order",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    path = config.getoption("--gradkit-order")
    if not path:
        return
    rank = {nodeid: i for i, nodeid in enumerate(json.loads(Path(path).read_text()))}
    items.sort(key=lambda item: rank.get(item.nodeid, len(rank)))
