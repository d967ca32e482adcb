"""Declared parameters in a query file's leading comments, for any comment marker.

The header convention of the named queries, ``<marker> param name: type = default``, shared
by SPARQL (``#``) and Cypher (``//``) files. Types are those of :mod:`queries.named`.

Examples
--------
>>> description, params = parse_header("// Best models.\\n// param benchmark: benchmark = gpqa\\nMATCH (n)", "//")
>>> description, [(p.name, p.type, p.default) for p in params]
('Best models.', [('benchmark', 'benchmark', 'gpqa')])
>>> parse_header("// param n: colour\\n", "//")
Traceback (most recent call last):
...
genre.errors.QueryError: parameter 'n' has unknown type 'colour' (valid options: ...)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from genre.errors import QueryError
from queries.named import LITERAL_TYPES, NODE_TYPES, NamedQuery, Parameter


@cache
def _param_line(marker: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(marker)}\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:=\s*(.*?))?\s*$")


def parse_header(text: str, marker: str) -> tuple[str, tuple[Parameter, ...]]:
    """The description (other leading comment lines, joined) and the declared parameters."""
    description: list[str] = []
    parameters: list[Parameter] = []
    pattern = _param_line(marker)
    for line in text.splitlines():
        if not line.startswith(marker):
            break
        match = pattern.match(line)
        if match:
            name, kind, default = match.groups()
            if kind not in LITERAL_TYPES + NODE_TYPES:
                raise QueryError(f"parameter {name!r} has unknown type {kind!r}", options=LITERAL_TYPES + NODE_TYPES)
            parameters.append(Parameter(name, kind, default or None))
        else:
            description.append(line[len(marker) :].strip())
    return " ".join(part for part in description if part), tuple(parameters)


def parse_file(path: Path, marker: str) -> NamedQuery:
    """A query file as a :class:`~queries.named.NamedQuery` (name = file stem)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"cannot read the query file {path}: {error}") from error
    try:
        description, parameters = parse_header(text, marker)
    except QueryError as error:
        raise QueryError(f"{path.name}: {error}") from error
    return NamedQuery(path.stem, description, parameters, text)
