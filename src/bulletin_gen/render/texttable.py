"""A table in plain text: aligned columns under an underlined header, or, when the columns
would not fit the width, each row as `Header: value` lines."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

GAP = "  "


class Cell(NamedTuple):
    text: str  # its words, single-spaced
    align: str  # "left", "center", "right" or "" (as the Markdown's `|:--:|` says)


def table_blocks(rows: list[list[Cell]], header_rows: int, width: int) -> list[tuple[str, str]]:
    """The table as (text, kind) blocks: one of lines kept as they are ("lines"), or a
    paragraph a row ("text", its lines separated by "\\n") when the columns are too wide."""
    rows = [row for row in rows if row]
    if not rows:
        return []
    count = max(len(row) for row in rows)
    grid = [row + [Cell("", "")] * (count - len(row)) for row in rows]
    widths = [max(columns(row[index].text) for row in grid) for index in range(count)]
    if sum(widths) + len(GAP) * (count - 1) <= width:
        return [(_aligned(grid, header_rows, widths), "lines")]
    return _records(grid, header_rows)


def columns(text: str) -> int:
    """How many columns text takes in a monospaced font: wide East Asian characters two,
    combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(char) else
               2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _aligned(grid: list[list[Cell]], header_rows: int, widths: list[int]) -> str:
    lines = []
    for number, row in enumerate(grid):
        if number == header_rows and header_rows:
            lines.append(GAP.join("-" * width for width in widths))
        lines.append(GAP.join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
                     .rstrip())
    return "\n".join(lines)


def _pad(cell: Cell, width: int) -> str:
    space = width - columns(cell.text)
    if cell.align == "right":
        return " " * space + cell.text
    if cell.align == "center":
        return " " * (space // 2) + cell.text + " " * (space - space // 2)
    return cell.text + " " * space


def _records(grid: list[list[Cell]], header_rows: int) -> list[tuple[str, str]]:
    names = [cell.text for cell in grid[header_rows - 1]] if header_rows else [""] * len(grid[0])
    records = []
    for row in grid[header_rows:]:
        lines = [f"{name}: {cell.text}" if name else cell.text
                 for name, cell in zip(names, row, strict=True) if cell.text]
        if lines:
            records.append(("\n".join(lines), "text"))
    return records
