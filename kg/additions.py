"""Adding models by hand: read a Turtle or YAML description, validate it, write it atomically.

``genre model add FILE`` and :meth:`queries.api.KnowledgeGraph.add_model` end here.
A YAML description is turned into the same records the loaders produce and written by
the same code (:mod:`kg.triples`), so a hand-added model looks exactly like a loaded one.
Everything goes into the named graph ``source/user`` with its provenance. If any
problem is found, every problem is reported and nothing is written.

A YAML description (one model, or a list under ``models:``)::

    id: acme-chat-7b
    name: Acme Chat 7B
    creator: acme
    release_date: 2025-06-01
    parameter_count: 7000000000
    open_weights: true
    input_modalities: [text, image]
    output_modalities: [text]
    capabilities: [vision, function-calling]
    offers:
      - provider: acme
        call_id: openai/acme-chat-7b
        input_price_per_mtok: 0.10
        output_price_per_mtok: 0.20
        context_window: 32768

Examples
--------
>>> sorted(MODEL_KEYS)[:4]
['aliases', 'capabilities', 'context_window', 'creator']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from genre.errors import LoaderError, ValidationError
from kg.store import Quad, Store
from kg.triples import model_quads, offer_quads, source_quads
from loaders.base import parse_date, read_text
from loaders.names import model_key
from loaders.records import ModelMention, OfferRecord, SourceInfo
from loaders.resolve import ResolvedModel, provider_id
from ontology.terms import GENRE, individual, slug, source_graph
from ontology.validate import Problem, validate

USER_SOURCE = "user"
USER_GRAPH = source_graph(USER_SOURCE)
"""Named graph of everything added by hand."""

MODEL_KEYS = frozenset({f.name for f in fields(ModelMention)} - {"source_id"} | {"id", "offers"})
OFFER_KEYS = frozenset({f.name for f in fields(OfferRecord)} - {"model_source_id"})


def read_description(path: Path) -> tuple[Graph, list[Quad]]:
    """Parse a Turtle or YAML model description into a graph (for validation) and its quads."""
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        quads = _yaml_quads(path)
    elif suffix in {".ttl", ".turtle", ".nt"}:
        quads = _turtle_quads(path)
    else:
        raise LoaderError(f"{path.name}: unsupported file type {suffix or '(none)'}", options=[".ttl", ".yaml", ".yml"])
    graph = Graph()
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph, quads


def _turtle_quads(path: Path) -> list[Quad]:
    graph = Graph()
    try:
        graph.parse(data=read_text(path), format="turtle")
    except LoaderError:
        raise
    except Exception as error:  # noqa: BLE001 - rdflib raises many parser error types
        raise LoaderError(f"{path.name} is not valid Turtle: {error}") from error
    return [(s, p, o, USER_GRAPH) for s, p, o in graph]


def _yaml_quads(path: Path) -> list[Quad]:
    import yaml

    try:
        document = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        raise LoaderError(f"{path.name} is not valid YAML: {error}") from error
    entries = document.get("models", [document]) if isinstance(document, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise LoaderError(f"{path.name} must describe a model (a mapping) or a list of them under 'models:'")
    quads: list[Quad] = []
    for entry in entries:
        mention, offers = _records(entry, path.name)
        key = slug(str(entry["id"])) if entry.get("id") else model_key(mention.source_id)
        resolved = ResolvedModel(key=key, mentions=[(USER_SOURCE, mention)])
        creators = {mention.creator: provider_id(mention.creator)} if mention.creator else {}
        quads.extend(model_quads(resolved, creator_of=creators, model_keys=set()))
        for offer in offers:
            quads.extend(offer_quads(offer, source=USER_SOURCE, model_key=key, provider_id=provider_id(offer.provider)))
    return quads


def _records(entry: dict[str, Any], file_name: str) -> tuple[ModelMention, list[OfferRecord]]:
    unknown = sorted(set(entry) - MODEL_KEYS)
    if unknown:
        raise LoaderError(f"{file_name}: unknown key(s) {', '.join(unknown)}", options=MODEL_KEYS)
    identifier = entry.get("id") or entry.get("name")
    if not identifier:
        raise LoaderError(f"{file_name}: a model needs an 'id' or a 'name'")
    values = {key: value for key, value in entry.items() if key not in {"id", "offers"}}
    for key in ("input_modalities", "output_modalities", "capabilities"):
        values[key] = frozenset(str(item) for item in _list(values.get(key), key, file_name))
    values["aliases"] = tuple(str(item) for item in _list(values.get("aliases"), "aliases", file_name))
    for key in ("release_date", "knowledge_cutoff"):
        if key in values:
            values[key] = _date(values[key], key, file_name)
    mention = ModelMention(source_id=str(identifier), **values)
    offers = []
    for raw in _list(entry.get("offers"), "offers", file_name):
        if not isinstance(raw, dict):
            raise LoaderError(f"{file_name}: each offer must be a mapping")
        unknown = sorted(set(raw) - OFFER_KEYS)
        if unknown:
            raise LoaderError(f"{file_name}: unknown offer key(s) {', '.join(unknown)}", options=OFFER_KEYS)
        if "provider" not in raw:
            raise LoaderError(f"{file_name}: each offer needs a 'provider'")
        offer_values = dict(raw)
        for key in ("input_modalities", "output_modalities", "features"):
            offer_values[key] = frozenset(str(item) for item in _list(offer_values.get(key), key, file_name))
        if "deprecation_date" in offer_values:
            offer_values["deprecation_date"] = _date(offer_values["deprecation_date"], "deprecation_date", file_name)
        offer_values.setdefault("provider_model_id", str(identifier))
        offers.append(OfferRecord(model_source_id=str(identifier), **offer_values))
    return mention, offers


def _list(value: Any, key: str, file_name: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    raise LoaderError(f"{file_name}: '{key}' must be a list")


def _date(value: Any, key: str, file_name: str) -> date:
    parsed = parse_date(value)
    if parsed is None:
        raise LoaderError(f"{file_name}: '{key}' must be a date like 2025-06-01, got {value!r}")
    return parsed


def _context(store: Store, data: Graph) -> Graph:
    """What the store knows of the nodes the data points at: their types and concept schemes.

    With it, SHACL sees that a linked provider, model or concept exists (``sh:class``,
    ``skos:inScheme``) without loading the whole graph into the validator.
    """
    context = Graph()
    nodes = {o for o in data.objects() if isinstance(o, URIRef)} | {s for s in data.subjects() if isinstance(s, URIRef)}
    for node in nodes:
        rows = store.select(
            "SELECT ?node ?p ?o WHERE { ?node ?p ?o FILTER(?p IN (rdf:type, skos:inScheme)) }", {"node": node}
        ).rows
        for predicate, obj in rows:
            context.add((node, predicate, obj))
    return context


def check_description(store: Store, path: Path) -> tuple[list[Problem], list[Quad], list[str]]:
    """Validate a description against the shapes, the ontology and the store.

    Returns the problems (empty when valid), the quads that would be written, and the
    IRIs of the models it adds.
    """
    data, quads = read_description(path)
    new_models = sorted(str(s) for s in data.subjects(RDF.type, GENRE.Model))
    problems = validate(data, _context(store, data))
    if not new_models:
        problems.append(Problem(path.name, "rdf:type", "the file describes no genre:Model"))
    for iri in new_models:
        names = [str(label) for label in data.objects(URIRef(iri), SKOS.prefLabel | SKOS.altLabel)]
        candidates = [URIRef(iri)] + [individual("model", model_key(name)) for name in names]
        for candidate in dict.fromkeys(candidates):
            if store.select("ASK { ?m a genre:Model }", {"m": candidate}).rows[0][0].toPython():
                problems.append(Problem(iri, "", f"the graph already has this model as {candidate}; choose another id"))
                break
    return problems, quads, new_models


def add_model_file(store: Store, path: Path) -> list[str]:
    """Validate and add the models described in ``path``; returns their IRIs.

    Raises :class:`ValidationError` with every problem, having written nothing.
    """
    problems, quads, new_models = check_description(store, path)
    if problems:
        raise ValidationError(
            f"{path.name} is not a valid model description ({len(problems)} problem(s)); nothing was written",
            problems=problems,
        )
    info = SourceInfo(
        name=USER_SOURCE,
        title="Models added by users",
        location=path.name,
        retrieved=datetime.now(timezone.utc).date(),
        licence="as stated by the contributor",
        homepage="https://w3id.org/genre/",
    )
    store.add_quads([*_provenance(info, new_models), *quads])
    return new_models


def _provenance(info: SourceInfo, models: Iterable[str]) -> list[Quad]:
    """The user graph's description, and when and from which file each model was added."""
    added = Literal(datetime.now(timezone.utc).replace(microsecond=0), datatype=XSD.dateTime)
    quads = list(source_quads(info))
    for iri in models:
        quads.append((URIRef(iri), PROV.generatedAtTime, added, USER_GRAPH))
        quads.append((URIRef(iri), DCTERMS.source, Literal(info.location), USER_GRAPH))
    return quads


__all__ = ["USER_GRAPH", "add_model_file", "check_description", "read_description"]
