"""Plain-text tables for the command line: columns as wide as their widest cell."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: str = "") -> str:
    """Rows under a header line; columns whose index is in ``right`` ("234") align right.

    >>> print(format_table(["name", "n"], [["ex01", 3]], right="1"))
    name  n
    ex01  3
    """
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        padded = [
            cell.rjust(width) if str(i) in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)
