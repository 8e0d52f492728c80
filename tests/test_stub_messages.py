"""What a stub raises: the exercise, the function (a method by the class that defines it), the
first line of its docstring, and where to read and run."""

from __future__ import annotations

import re

import pytest

from exercises.ex05_data_pipeline.plugin import ArrayDataset
from exercises.stub import STUB_ERROR


class CountingDataset(ArrayDataset):
    """A subclass, as a test or a student's own code would write one."""


@pytest.mark.parametrize("cls", [ArrayDataset, CountingDataset])
def test_a_method_stub_is_named_by_the_class_that_defines_it(cls) -> None:
    with pytest.raises(NotImplementedError) as raised:
        cls([[1.0]], [0])
    message = str(raised.value)
    assert STUB_ERROR.match(message).groups() == ("ex05", "ArrayDataset.__init__")
    assert "Read exercises/ex05_data_pipeline/README.md" in message
    assert re.search(r"run: tox -e ex05$", message)
