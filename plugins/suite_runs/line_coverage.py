"""The lines of one source file that a run executes, saved as coverage.py data.

``gradkit verify`` asks which lines of the reference plugin its suite runs. coverage.py's tracer
answers by seeing every line that runs, pytest's and Hypothesis's too, which made the reference
runs 1.3 to 1.9 times slower. slipcover answers for the one file alone: it adds a probe to that
file's bytecode as it is imported and takes each probe out once its line has run, so the rest
of the run costs what it costs unmeasured. The lines go into a coverage.py data file, which
coverage.py analyses as usual (statements, missing lines, the percentage).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def lines_run(source: Path, data_file: Path) -> Iterator[None]:
    """Record which lines of ``source`` run inside the block (``source`` must be imported
    inside it, not before) and write them to the coverage.py data file ``data_file``."""
    import coverage
    import slipcover

    measured = slipcover.Slipcover()
    try:
        with slipcover.ImportManager(measured, slipcover.FileMatcher(sources=[str(source)])):
            yield
    finally:
        files = measured.get_coverage()["files"]
        executed = sorted({line for entry in files.values() for line in entry["executed_lines"]})
        data = coverage.CoverageData(basename=str(data_file))
        data.add_lines({str(source.resolve()): executed})
        data.write()
