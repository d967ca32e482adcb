"""Named SPARQL queries: ``queries/sparql/*.rq`` files with typed parameters.

A named query declares its parameters in comment lines at the top::

    # param capability: capability = vision
    # param max_input_price: decimal = 1000000

``name: type = default``. Types are ``decimal``, ``integer``, ``string``, ``boolean``,
``date``, or a kind of graph node (``model``, ``capability``, ``task``, ``domain``,
``modality``, ``benchmark``, ``family``, ``provider``) which the caller resolves to an
IRI. Values are bound as query substitutions, never pasted into the text.

Examples
--------
>>> query = named_query("best-on-benchmark")
>>> [(p.name, p.type, p.default) for p in query.parameters]
[('benchmark', 'benchmark', 'mmlu-pro')]
>>> named_query("cheapest")
Traceback (most recent call last):
...
genre.errors.NotFoundError: no named SPARQL query 'cheapest' (valid options: ...)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from genre.errors import NotFoundError, QueryError

SPARQL_FOLDER = Path(__file__).resolve().parent / "sparql"
LITERAL_TYPES = ("decimal", "integer", "string", "boolean", "date")
NODE_TYPES = ("model", "capability", "task", "domain", "modality", "benchmark", "family", "provider")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A declared parameter of a named query."""

    name: str
    type: str
    default: str | None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file: its name, description (the leading comments), parameters and text."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str


def query_names() -> list[str]:
    """Names of the shipped SPARQL queries."""
    return sorted(path.stem for path in SPARQL_FOLDER.glob("*.rq"))


@cache
def named_query(name: str) -> NamedQuery:
    """The shipped query called ``name``; :class:`NotFoundError` lists the valid names."""
    path = SPARQL_FOLDER / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"no named SPARQL query {name!r}", options=query_names())
    return parse_query_file(path)


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file with its ``# param`` declarations (see :mod:`queries.headers`)."""
    from queries.headers import parse_file  # headers builds on this module's types

    return parse_file(path, "#")


def literal_value(parameter: Parameter, value: object) -> Literal:
    """A typed literal for a literal-typed parameter; a clear error when the value does not fit."""
    text = str(value).strip()
    try:
        if parameter.type == "decimal":
            return Literal(Decimal(text), datatype=XSD.decimal)
        if parameter.type == "integer":
            return Literal(int(text), datatype=XSD.integer)
        if parameter.type == "boolean":
            if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(text)
            return Literal(text.lower() in {"true", "1", "yes"})
        if parameter.type == "date":
            return Literal(date.fromisoformat(text), datatype=XSD.date)
    except (ValueError, InvalidOperation) as error:
        raise QueryError(f"parameter {parameter.name!r} must be a {parameter.type}, got {text!r}") from error
    return Literal(text)
