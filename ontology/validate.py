"""Validation of additions against the SHACL shapes and the ontology's vocabulary.

:func:`validate` returns every problem found, each with its focus node, path and
message; an empty list means the data may be written. Two kinds of check run:

1. SHACL (pyshacl) with ``shapes.ttl``, over the data plus ``context``: the types
   the store already knows for the nodes the data points at, so that links to existing
   providers, models or concepts satisfy ``sh:class`` constraints (no inference is
   needed, which keeps a check well under a second);
2. the vocabulary: every ``genre:`` class and property used must be defined in
   ``genre.ttl``, and every capability, modality, task or domain IRI must exist.

Examples
--------
>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix genre: <https://w3id.org/genre/ontology#> .
... <https://w3id.org/genre/model/x> a genre:Model ; genre:openWeigths true .
... ''')
>>> [problem.message for problem in validate(data)][:2]  # doctest: +NORMALIZE_WHITESPACE
['unknown ontology term genre:openWeigths', ...]
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ontology.files import concept_ids, ontology_graph, shapes_graph
from ontology.terms import BASE, GENRE

_VOCABULARY_KINDS = ("capability", "modality", "task", "domain", "language", "benchmark", "preset")


@dataclass(frozen=True, slots=True)
class Problem:
    """One violation: the node it is about, the property path, and what is wrong."""

    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


def _short(term: object) -> str:
    text = str(term)
    for prefix, short in ((str(GENRE), "genre:"), (BASE, "genre/")):
        if text.startswith(prefix):
            return short + text[len(prefix) :]
    return text


def _known_terms() -> set[str]:
    graph = ontology_graph()
    return {str(subject) for subject in graph.subjects() if str(subject).startswith(str(GENRE))}


def vocabulary_problems(data: Graph) -> list[Problem]:
    """Unknown ``genre:`` terms and dangling vocabulary IRIs in ``data``."""
    known = _known_terms()
    problems: list[Problem] = []
    for subject, predicate, obj in data:
        for term in (predicate, obj):
            if isinstance(term, URIRef) and str(term).startswith(str(GENRE)) and str(term) not in known:
                problems.append(Problem(_short(subject), _short(predicate), f"unknown ontology term {_short(term)}"))
        if isinstance(obj, URIRef) and str(obj).startswith(BASE):
            kind, _, identifier = str(obj)[len(BASE) :].partition("/")
            if kind in _VOCABULARY_KINDS and identifier not in concept_ids(kind):
                problems.append(Problem(_short(subject), _short(predicate), _unknown_concept(kind, identifier)))
    return problems


def _unknown_concept(kind: str, identifier: str) -> str:
    """``unknown capability 'visoin'; did you mean vision? (valid options: ...)``."""
    valid = sorted(concept_ids(kind))
    close = difflib.get_close_matches(identifier, valid, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"unknown {kind} {identifier!r}{hint} (valid options: {', '.join(valid)})"


def shacl_problems(data: Graph, context: Graph | None = None) -> list[Problem]:
    """Violations of ``shapes.ttl`` by ``data`` (``context`` adds what the store knows)."""
    from pyshacl import validate as shacl_validate

    graph = Graph()
    graph += data
    if context is not None:
        graph += context
    conforms, report, _ = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if context is not None and focus is not None and (focus, None, None) not in data:
            continue  # a problem of existing data, not of this addition
        problems.append(
            Problem(
                _short(focus),
                _short(report.value(result, SH.resultPath) or ""),
                str(report.value(result, SH.resultMessage) or "does not conform"),
            )
        )
    return sorted(set(problems), key=lambda problem: (problem.focus, problem.path, problem.message))


def validate(data: Graph, context: Graph | None = None) -> list[Problem]:
    """Every problem with ``data``: vocabulary first, then SHACL; empty when it conforms."""
    return vocabulary_problems(data) + shacl_problems(data, context)
