"""Printing results: tables for people, JSON and CSV for programs.

Examples
--------
>>> print(render_rows(["model", "price"], [["gpt-4o", 2.5]], "csv").strip())
model,price
gpt-4o,2.5
>>> render_rows(["a"], [], "yaml")
Traceback (most recent call last):
...
genre.errors.ConfigError: unknown output format 'yaml' (valid options: csv, json, table)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from genre.errors import ConfigError

FORMATS = ("table", "json", "csv")


def plain(value: Any) -> Any:
    """A JSON-friendly version of a cell value."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "toPython"):
        return plain(value.toPython())
    return value


def to_json(data: Any) -> str:
    """Pretty JSON, with dates and decimals converted."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=plain)


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, *, title: str | None = None) -> str:
    """Rows as a table, JSON (a list of objects) or CSV."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}", options=FORMATS)
    cleaned = [[plain(cell) for cell in row] for row in rows]
    if fmt == "json":
        return to_json([dict(zip(columns, row, strict=True)) for row in cleaned])
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in cleaned)
        return buffer.getvalue()
    return table(columns, cleaned, title=title)


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None) -> str:
    """A box table rendered by rich, as text."""
    from rich.console import Console
    from rich.table import Table

    grid = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*("" if cell is None else _short_cell(cell) for cell in row))
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(grid)
    return console.export_text()


def _short_cell(value: Any) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    for prefix in ("https://w3id.org/genre/",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text
