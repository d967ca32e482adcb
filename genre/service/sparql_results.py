"""SPARQL results in the W3C formats: JSON (``application/sparql-results+json``), CSV and TSV.

Examples
--------
>>> from rdflib import Literal, URIRef
>>> from kg.store import SelectResult
>>> model = URIRef("https://w3id.org/genre/model/a")
>>> result = SelectResult(("m", "n"), [(model, Literal(3)), (None, Literal("x", lang="en"))])
>>> results_json(result)["results"]["bindings"][1]
{'n': {'type': 'literal', 'value': 'x', 'xml:lang': 'en'}}
>>> results_csv(result).splitlines()
['m,n', 'https://w3id.org/genre/model/a,3', ',x']
>>> query_form("PREFIX x: <http://e/> # a comment\\nASK { ?s ?p ?o }")
'ASK'
>>> choose_format("text/csv;q=0.9, application/sparql-results+json", SELECT_FORMATS)
'application/sparql-results+json'
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.store import SelectResult

SELECT_FORMATS = ("application/sparql-results+json", "application/json", "text/csv", "text/tab-separated-values")
"""What a SELECT or ASK can be answered in, the first being the default."""

GRAPH_FORMATS = ("text/turtle", "application/n-triples")
"""What a CONSTRUCT or DESCRIBE can be answered in, the first being the default."""

_NOISE = re.compile(r"#[^\n]*|<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str | None:
    """The form of a SPARQL query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), or ``None``."""
    match = _FORM.search(_NOISE.sub(" ", text))
    return match.group(1).upper() if match else None


def choose_format(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offered for none or ``*/*``)."""
    if not accept or not accept.strip():
        return offered[0]
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        media, quality = pieces[0].lower(), 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, position, media))
    for _, _, media in sorted(ranked):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            found = next((o for o in offered if prefix == "*" or o.startswith(prefix + "/")), None)
            if found is not None:
                return found
    return None


def term_json(term: Any) -> dict[str, str]:
    """One RDF term in the SPARQL JSON results format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        found = {"type": "literal", "value": str(term)}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype is not None:
            found["datatype"] = str(term.datatype)
        return found
    return {"type": "literal", "value": str(term)}


def results_json(result: SelectResult, *, ask: bool = False) -> dict[str, Any]:
    """A SELECT result (or, with ``ask``, an ASK result) as SPARQL JSON results."""
    if ask:
        value = bool(result.rows and result.rows[0][0] is not None and result.rows[0][0].toPython())
        return {"head": {}, "boolean": value}
    bindings = [
        {name: term_json(value) for name, value in zip(result.variables, row, strict=True) if value is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def results_csv(result: SelectResult, *, tsv: bool = False) -> str:
    """A SELECT result as SPARQL CSV (plain values, CRLF line ends) or TSV (values in Turtle syntax)."""
    buffer = io.StringIO()
    if tsv:
        buffer.write("\t".join(f"?{name}" for name in result.variables) + "\n")
        for row in result.rows:
            buffer.write("\t".join("" if value is None else value.n3() for value in row) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if value is None else _csv_value(value) for value in row])
    return buffer.getvalue()


def _csv_value(term: Any) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)
