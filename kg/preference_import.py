"""Pairwise-vote logs into the store: each vote a Feedback node of its voter, one named graph per import.

:func:`resolve_vote_models` maps every model a log names to a graph model: first by the name
(:meth:`queries.api.KnowledgeGraph.find_model`: exact labels, then the normalised key of
:mod:`loaders.names`), then by the API id the log gives for it; a model the graph does not know
becomes a new ``genre:Model`` node in the import's graph (label, API id as an alias, maker from the
log's organisation through :func:`loaders.resolve.provider_id`).

:func:`import_votes` turns each vote into a :class:`kg.feedback.events.FeedbackEvent` of user
``<prefix>-<worker>`` — ``prefer`` (winner over loser) or ``tie`` — with the prompt as its request,
and writes all of them, with the new models and the import's provenance, into the named graph
``graph/feedback/<name>`` in one transaction (:func:`kg.feedback.quads.event_quads`). Feedback ids
are derived from the import's name and the vote's row, so importing the same file under the same
name again writes the same nodes; an existing graph of that name is refused unless ``replace``.

Examples
--------
>>> from kg.store import Store
>>> from loaders.llmfao import read_votes
>>> store = Store.open()
>>> report = import_votes(store, read_votes("tests/data/preferences/llmfao_sample.csv"), name="sample")
>>> report.votes, report.ties, report.users, report.new_models
(20, 7, 16, 8)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from genre.errors import ConfigError
from kg.feedback.events import FeedbackEvent, new_event
from kg.feedback.quads import event_quads
from kg.store import Quad, Store
from loaders.llmfao import LlmfaoModel, PairwiseVote
from loaders.names import model_key
from loaders.resolve import provider_id
from ontology.terms import BASE, GENRE, individual, slug


def import_graph(name: str) -> URIRef:
    """The named graph of the import called ``name``."""
    return URIRef(f"{BASE}graph/feedback/{slug(name)}")


@dataclass(frozen=True, slots=True)
class ModelMatch:
    """How one model name of a log was placed in the graph."""

    name: str
    iri: str
    known: bool
    matched_by: str
    """``"name"``, ``"api id"`` or ``"new"``."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import wrote."""

    name: str
    graph: str
    votes: int
    ties: int
    users: int
    feedback: int
    known_models: int
    new_models: int
    quads: int
    models: tuple[ModelMatch, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields (models as name -> IRI and how it was matched)."""
        data = {key: getattr(self, key) for key in self.__dataclass_fields__ if key != "models"}
        data["models"] = {m.name: {"iri": m.iri, "matched_by": m.matched_by} for m in self.models}
        return data


def resolve_vote_models(
    store: Store, names: Iterable[str], info: dict[str, LlmfaoModel] | None = None
) -> dict[str, ModelMatch]:
    """Each model name -> the graph model it denotes, or a new model IRI (see the module docstring)."""
    from queries.api import KnowledgeGraph

    kg = KnowledgeGraph(store)
    info = info or {}
    matches = {}
    for name in sorted(set(names)):
        found, how = kg.find_model(name), "name"
        api_id = info[name].api_id if name in info else None
        if found is None and api_id:
            found, how = kg.find_model(api_id), "api id"
        if found is not None:
            matches[name] = ModelMatch(name, str(found), True, how)
        else:
            key = model_key(name) or slug(name)
            matches[name] = ModelMatch(name, str(individual("model", slug(key))), False, "new")
    return matches


def _model_quads(match: ModelMatch, model: LlmfaoModel | None, graph: URIRef) -> list[Quad]:
    node = URIRef(match.iri)
    quads: list[Quad] = [
        (node, RDF.type, GENRE.Model, graph),
        (node, SKOS.prefLabel, Literal(match.name), graph),
        (node, DCTERMS.identifier, Literal(node.rsplit("/", 1)[-1]), graph),
        (node, PROV.wasDerivedFrom, graph, graph),
    ]
    if model is not None and model.api_id:
        quads.append((node, SKOS.altLabel, Literal(model.api_id), graph))
    if model is not None and model.org:
        maker = individual("provider", slug(provider_id(model.org)))
        quads += [
            (node, GENRE.createdBy, maker, graph),
            (maker, RDF.type, GENRE.Provider, graph),
            (maker, RDFS.label, Literal(model.org), graph),
        ]
    return quads


def vote_event(vote: PairwiseVote, matches: dict[str, ModelMatch], *, name: str, user_prefix: str) -> FeedbackEvent:
    """The feedback event of one vote: its winner preferred over its loser, or a tie."""
    winner, other = matches[vote.preferred].iri, matches[vote.other].iri
    user = f"{user_prefix}-{vote.worker}"
    if winner == other:  # two names of one model: a preference says nothing about it
        event = new_event(user, winner, comment=f"{vote.model_x} vs {vote.model_y}: same model")
    elif vote.is_tie:
        event = new_event(user, winner, tie=other, request=vote.prompt_text)
    else:
        event = new_event(user, winner, prefer=other, request=vote.prompt_text)
    digest = hashlib.sha1(f"{slug(name)}\n{vote.row}\n{vote.pair_id}\n{vote.worker}".encode()).hexdigest()[:32]
    return replace(event, id=digest)


def import_votes(
    store: Store,
    votes: Sequence[PairwiseVote],
    *,
    name: str,
    models: dict[str, LlmfaoModel] | None = None,
    source: str = "",
    user_prefix: str = "llmfao",
    replace_graph: bool = False,
) -> ImportReport:
    """Write ``votes`` as feedback into the graph ``graph/feedback/<name>`` in one transaction.

    ``models`` (display name -> :class:`LlmfaoModel`) gives API ids and makers. Raises
    :class:`ConfigError` when the graph exists and ``replace_graph`` is false.
    """
    graph = import_graph(name)
    if str(graph) in store.graph_names():
        if not replace_graph:
            raise ConfigError(
                f"an import named {name!r} is already in the store ({graph}); choose another --name or --replace it"
            )
        store.remove_graph(graph)
    names = {vote.model_x for vote in votes} | {vote.model_y for vote in votes}
    matches = resolve_vote_models(store, names, models)
    quads: list[Quad] = [
        (graph, RDF.type, GENRE.Source, graph),
        (graph, DCTERMS.title, Literal(f"pairwise votes: {name}"), graph),
        (
            graph,
            PROV.generatedAtTime,
            Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime),
            graph,
        ),
    ]
    if source:
        quads.append((graph, DCTERMS.source, Literal(source), graph))
    for match in matches.values():
        if not match.known:
            quads += _model_quads(match, (models or {}).get(match.name), graph)
    events = [vote_event(vote, matches, name=name, user_prefix=user_prefix) for vote in votes]
    for event in events:
        quads += event_quads(event, graph)
    written = store.add_quads(list(dict.fromkeys(quads)))  # a voter's User node once, not once per vote
    return ImportReport(
        name=name,
        graph=str(graph),
        votes=len(votes),
        ties=sum(vote.is_tie for vote in votes),
        users=len({event.user for event in events}),
        feedback=len(events),
        known_models=sum(m.known for m in matches.values()),
        new_models=sum(not m.known for m in matches.values()),
        quads=written,
        models=tuple(matches.values()),
    )
