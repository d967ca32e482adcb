"""Routing outcomes into the store: past requests and how each model did on them.

One import of a routing log (:mod:`loaders.routing`) becomes one named graph,
``https://w3id.org/genre/graph/outcomes/<name>`` (:func:`outcome_graph`), holding:

- the provenance of the import (the graph is a ``genre:Source`` and ``dcat:Dataset`` with a title,
  the files read and when), as every source graph has;
- one ``genre:Request`` per prompt (``genre:requestText``, ``dcterms:identifier`` = the log's sample
  id, ``genre:mentions`` the benchmark its task names when the vocabulary has it);
- one ``genre:Outcome`` per known (prompt, model) score: ``genre:outcomeOf`` the request,
  ``genre:outcomeModel`` the model, ``genre:outcomeScore`` in [0, 1] and ``genre:costUsd`` when known
  (both ``xsd:decimal``). Missing scores write nothing and are counted;
- a ``genre:Model`` node with a ``skos:prefLabel`` for each model name the graph does not know.

Model names are resolved by ``resolve`` (in the CLI: :meth:`queries.api.KnowledgeGraph.find_model`,
which forgives hosting prefixes, dates and case); without one, a name matches the model whose
resolution key (:func:`loaders.names.model_key`) it has. Re-importing under the same name replaces
the graph.

Examples
--------
>>> from pathlib import Path
>>> from kg.store import Store
>>> from loaders.routing import read_routing
>>> sample = Path(__file__).resolve().parents[1] / "tests" / "data" / "routing" / "open7b_sample.json"
>>> store = Store.open()
>>> report = import_routing(store, read_routing("open7b", [sample]), name="sample")
>>> report.requests, report.outcomes, report.missing, len(report.created)
(5, 33, 2, 7)
>>> str(report.graph)
'https://w3id.org/genre/graph/outcomes/sample'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from genre.errors import ValidationError
from kg.store import Store
from kg.triples import Quad, model_iri
from loaders.names import model_key
from loaders.routing import RoutingLog
from ontology.files import match_benchmark
from ontology.terms import BASE, GENRE, individual, slug

OUTCOME_GRAPH_PREFIX = f"{BASE}graph/outcomes/"
"""Every outcome graph's IRI starts with this."""

Resolver = Callable[[str], URIRef | None]


def outcome_graph(name: str) -> URIRef:
    """The named graph of the routing-log import ``name``."""
    return URIRef(OUTCOME_GRAPH_PREFIX + slug(name))


def outcome_graphs(store: Store) -> list[str]:
    """IRIs of the outcome graphs in ``store``."""
    return [name for name in store.graph_names() if name.startswith(OUTCOME_GRAPH_PREFIX)]


def import_time(store: Store, graph: str) -> str:
    """When the outcome graph ``graph`` was written (its ``prov:generatedAtTime``; empty when unknown)."""
    node = URIRef(graph)
    return next((str(obj) for _, _, obj, _ in store.dataset.quads((node, PROV.generatedAtTime, None, node))), "")


@dataclass(slots=True)
class ImportReport:
    """What one import wrote."""

    name: str
    graph: URIRef
    requests: int
    outcomes: int
    missing: int
    matched: dict[str, str] = field(default_factory=dict)
    """Log model name -> IRI of the graph model it resolved to."""
    created: list[str] = field(default_factory=list)
    """Log model names the graph lacked, written as new Model nodes."""
    quads: int = 0
    models: dict[str, str] = field(default_factory=dict)
    """Every log model name -> the IRI its outcomes point to."""


def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(round(float(value), 12))).normalize(), datatype=XSD.decimal)


def _is_model(store: Store, iri: URIRef) -> bool:
    return bool(store.select("ASK { ?m a genre:Model }", {"m": iri}).rows[0][0].toPython())  # type: ignore[union-attr]


def resolve_models(
    store: Store, names: list[str], resolve: Resolver | None = None, *, replacing: URIRef | None = None
) -> tuple[dict[str, URIRef], list[str]]:
    """Graph IRI of every log model name, and the names the graph lacks (given a fresh ``model/<key>`` IRI).

    A name is tried whole, then without its organisation prefix (``mistralai/mistral-7b-chat`` ->
    ``mistral-7b-chat``). A model typed only in the graph ``replacing`` (an earlier import of the
    same name) counts as lacking, so that it is written again.
    """
    found: dict[str, URIRef] = {}
    created: list[str] = []
    for name in names:
        iri = None
        for candidate in dict.fromkeys([name, name.rsplit("/", 1)[-1]]):
            if resolve is not None:
                iri = resolve(candidate)
            else:
                keyed = model_iri(model_key(candidate)) if model_key(candidate) else None
                iri = keyed if keyed is not None and _is_model(store, keyed) else None
            if iri is not None:
                break
        if iri is not None and replacing is not None and not _typed_outside(store, URIRef(iri), replacing):
            created.append(name)  # known only from the graph being replaced: written again
        elif iri is None:
            iri = model_iri(model_key(name) or slug(name))
            created.append(name)
        found[name] = URIRef(iri)
    return found, created


def _typed_outside(store: Store, iri: URIRef, graph: URIRef) -> bool:
    """True when some graph other than ``graph`` says ``iri`` is a genre:Model."""
    return any(context != graph for *_, context in store.dataset.quads((iri, RDF.type, GENRE.Model, None)))


def request_iri(name: str, position: int) -> URIRef:
    """IRI of the ``position``-th request of the import ``name``."""
    return individual("request", f"{slug(name)}-{position}")


def outcome_quads(
    log: RoutingLog, *, name: str, models: dict[str, URIRef], created: list[str], retrieved: datetime | None = None
) -> list[Quad]:
    """Every quad of the import ``name`` of ``log`` (see the module docstring)."""
    graph = outcome_graph(name)
    when = retrieved or datetime.now(timezone.utc)  # to the microsecond: caches of the graph key on it
    files = ", ".join(Path(file).name for file in log.files)
    quads: list[Quad] = [
        (graph, RDF.type, GENRE.Source, graph),
        (graph, RDF.type, DCAT.Dataset, graph),
        (graph, DCTERMS.title, Literal(f"routing outcomes '{name}' ({log.format} format)"), graph),
        (graph, DCTERMS.source, Literal(files), graph),
        (graph, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime), graph),
    ]
    for model in created:
        node = models[model]
        quads += [
            (node, RDF.type, GENRE.Model, graph),
            (node, SKOS.prefLabel, Literal(model), graph),
            (node, DCTERMS.identifier, Literal(str(node).rsplit("/", 1)[-1]), graph),
        ]
    for model, node in models.items():
        quads.append((node, SKOS.altLabel, Literal(model), graph))
    benchmarks: dict[str, URIRef | None] = {}
    for position, record in enumerate(log.records):
        request = request_iri(name, position)
        quads += [
            (request, RDF.type, GENRE.Request, graph),
            (request, GENRE.requestText, Literal(record.prompt), graph),
            (request, PROV.wasDerivedFrom, graph, graph),
        ]
        if record.sample_id:
            quads.append((request, DCTERMS.identifier, Literal(record.sample_id), graph))
        if record.task:
            if record.task not in benchmarks:
                benchmarks[record.task] = match_benchmark(record.task)
            benchmark = benchmarks[record.task]
            if benchmark is not None:
                quads.append((request, GENRE.mentions, benchmark, graph))
        for model, score in record.scores.items():
            outcome = individual("outcome", f"{slug(name)}-{position}-{_short(model)}")
            quads += [
                (outcome, RDF.type, GENRE.Outcome, graph),
                (outcome, GENRE.outcomeOf, request, graph),
                (outcome, GENRE.outcomeModel, models[model], graph),
                (outcome, GENRE.outcomeScore, _decimal(score), graph),
            ]
            cost = record.costs.get(model)
            if cost is not None:
                quads.append((outcome, GENRE.costUsd, _decimal(cost), graph))
    return quads


def _short(model: str) -> str:
    return hashlib.sha1(model.encode()).hexdigest()[:8]


def import_routing(
    store: Store, log: RoutingLog, *, name: str | None = None, resolve: Resolver | None = None
) -> ImportReport:
    """Write ``log`` into ``store`` as the outcome graph ``name`` (default: the first file's stem).

    Everything is converted before the store is touched; the previous graph of that name is
    replaced. Raises :class:`ValidationError` for a log without any known outcome.
    """
    name = name or Path(log.files[0]).stem
    outcomes = sum(len(record.scores) for record in log.records)
    if outcomes == 0:
        raise ValidationError(f"routing log {', '.join(log.files)} has no known outcome; nothing was written")
    graph = outcome_graph(name)
    models, created = resolve_models(store, log.models, resolve, replacing=graph)
    quads = outcome_quads(log, name=name, models=models, created=created)
    store.remove_graph(graph)
    store.add_quads(quads)
    return ImportReport(
        name=name,
        graph=graph,
        requests=len(log.records),
        outcomes=outcomes,
        missing=log.missing,
        matched={model: str(iri) for model, iri in models.items() if model not in created},
        created=created,
        quads=len(quads),
        models={model: str(iri) for model, iri in models.items()},
    )
