"""Relevance from graph paths (scorer ``paths``): how strongly the graph connects a request to each model.

Named signals (:data:`SIGNALS`, weighed by :data:`MIX`), each scaled to [0, 1] over the candidates:

- ``walk``: personalized PageRank from the request's seeds (linked tasks, capabilities, domains,
  modalities, models, families, providers; :mod:`kg.recommend.needs` gives the default seeds of a
  request that names no need), divided by the best candidate's and square-rooted (the walk's mass
  is heavy-tailed);
- ``capabilities``: the meta-path Request→Task→Capability←Model, the share of the needed
  capabilities' weight that the model has;
- ``benchmarks``: the meta-path Request→Task→Benchmark←Result→Model, the relevance-weighted
  evidence the model has on the request's benchmarks (result confidence × benchmark relevance),
  divided by the best candidate's;
- ``embedding``: closeness in the graph embedding (:mod:`kg.embeddings`, trained by ``genre kg embed``):
  the plausibility of (model, hasCapability, needed capability), (model, scoresHighOn, needed benchmark),
  (model, inFamily / createdBy, named family / maker), (model, supportsInputModality, attached modality)
  and, for a user the embedding knows, (user, likes, model); each scaled to [0, 1] over the candidates
  and averaged with the needs' weights. Without an embeddings file for this graph it is left out.

Relevance = :data:`FLOOR` + (1 − FLOOR) × (the mix :data:`MIX` of the signals the graph gives, weights
renormalised over them), so a model the graph does not connect at all still gets a small, equal
relevance rather than zero. A signal is a function of the scoring context registered with
:func:`signal`; adding one is that function and its weight in :data:`MIX`.

Examples
--------
>>> import genre
>>> from kg.linking import Constraints, LinkResult, LinkedEntity
>>> from kg.recommend import Recommender
>>> code = LinkedEntity("https://w3id.org/genre/task/code-generation", "code generation", "task", 1.0)
>>> result = Recommender(genre.open(snapshot=FIXTURE)).recommend_linked(
...     LinkResult("write code", [code], ["text"], Constraints(), 10), k=3)
>>> all(0.0 <= r.relevance <= 1.0 for r in result)
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from kg.embeddings.signal import TARGET_RELATIONS, embedding_view, scaled
from kg.recommend.config import ScoringContext
from kg.recommend.past_requests import past_request_evidence, past_request_signal
from kg.recommend.performance import benchmark_relevance
from kg.recommend.projection import capability_columns, graph_projection, personalized_pagerank
from kg.recommend.quality import benchmark_matrix

FLOOR = 0.05
MIX = {"walk": 0.4, "capabilities": 0.3, "benchmarks": 0.3, "embedding": 0.2, "past_requests": 0.3}
"""Weight of each named signal in relevance; the weights of the signals a graph can give are renormalised."""

Signal = Callable[[ScoringContext], "np.ndarray | None"]
SIGNALS: dict[str, Signal] = {}
"""Signal name -> function of the scoring context giving one value in [0, 1] per candidate, or None
when this graph cannot give it (then it is left out and the other weights renormalised)."""

EMBEDDING_EVIDENCE = 0.8
"""An embedding closeness at least this high is worth an evidence sentence."""
EMBEDDING_TARGETS = 12
"""At most this many needed entities (the heaviest) are scored by the embedding."""
USER_WEIGHT = 1.0
"""Weight of (user, likes, model) among the embedding's targets, when the user was embedded."""


def signal(name: str) -> Callable[[Signal], Signal]:
    """Register a relevance signal under ``name`` (give it a weight in :data:`MIX`)."""

    def register(function: Signal) -> Signal:
        SIGNALS[name] = function
        return function

    return register


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


@signal("walk")
def walk_signal(context: ScoringContext) -> np.ndarray:
    """Personalized PageRank from the request's seeds, over the best candidate's, square-rooted."""
    projection = graph_projection(context.tables)
    walk = personalized_pagerank(projection, context.needs.seeds)[projection.model_nodes[context.candidates.models]]
    return np.sqrt(_scaled(walk))


@signal("capabilities")
def capabilities_signal(context: ScoringContext) -> np.ndarray:
    """The share of the needed capabilities' weight that the model has."""
    tables, models = context.tables, context.candidates.models
    columns = capability_columns(tables)
    need = np.zeros(len(columns))
    for iri, weight in context.needs.capabilities.items():
        if iri in columns:
            need[columns[iri]] = weight
    total = need.sum()
    if total <= 0:
        return np.zeros(len(models))
    values = (graph_projection(tables).model_capabilities @ need)[models] / total
    return np.clip(np.asarray(values).ravel(), 0.0, 1.0)


@signal("benchmarks")
def benchmarks_signal(context: ScoringContext) -> np.ndarray:
    """Relevance-weighted evidence on the request's benchmarks, over the best candidate's."""
    relevance = benchmark_relevance(context)
    return _scaled((benchmark_matrix(context.tables).sparse_confidence @ relevance)[context.candidates.models])


def embedding_targets(context: ScoringContext) -> list[tuple[float, str, str, str]]:
    """(weight, relation, target IRI, label) the embedding scores for this request, heaviest first."""
    needs, tables = context.needs, context.tables
    targets: dict[tuple[str, str], tuple[float, str]] = {}
    kinds = {"family": "family", "provider": "provider", "modality": "modality"}
    entries = [(w, "capability", iri) for iri, w in needs.capabilities.items()]
    entries += [(w, "benchmark", iri) for iri, w in needs.benchmarks.items()]
    entries += [(w, kinds[iri.split("/")[-2]], iri) for iri, w in needs.seeds.items() if iri.split("/")[-2] in kinds]
    for weight, kind, iri in entries:
        relation = TARGET_RELATIONS[kind]
        if weight > targets.get((relation, iri), (0.0, ""))[0]:
            label = tables.label(iri)
            if kind == "benchmark":
                reason = needs.reasons.get(iri)
                label = _benchmark_label(tables, iri) + (f", for {reason}" if reason else "")
            targets[(relation, iri)] = (float(weight), label)
    ranked = sorted(((w, rel, iri, label) for (rel, iri), (w, label) in targets.items()), key=lambda x: (-x[0], x[2]))
    return ranked[:EMBEDDING_TARGETS]


def _benchmark_label(tables: Any, iri: str) -> str:
    position = tables.benchmark_index.get(iri)
    return tables.benchmark_label[position] if position is not None else tables.label(iri)


def embedding_parts(context: ScoringContext) -> tuple[list[tuple[float, str]], np.ndarray] | None:
    """The embedding's targets ``(weight, label)`` and their closeness in [0, 1] (candidates × targets).

    None without embeddings for this graph. Computed once per request (the signal and every
    evidence sentence of the request share it).
    """
    last = getattr(_LAST_PARTS, "value", None)
    if last is not None and last[0] is context:
        return last[1]
    parts = _embedding_parts(context)
    _LAST_PARTS.value = (context, parts)
    return parts


_LAST_PARTS = threading.local()


def _embedding_parts(context: ScoringContext) -> tuple[list[tuple[float, str]], np.ndarray] | None:
    view = embedding_view(context.tables, context.store)
    if view is None:
        return None
    targets: list[tuple[float, str]] = []
    columns: list[np.ndarray] = []
    for weight, relation, iri, label in embedding_targets(context):
        raw = view.plausibility(relation, iri)
        if raw is not None:
            targets.append((weight, label))
            columns.append(raw)
    if context.user:
        from kg.recommend.personalization import user_iri

        raw = view.plausibility("likes", str(user_iri(context.user)))
        if raw is not None:
            targets.append((USER_WEIGHT, "what you liked"))
            columns.append(raw)
    models = context.candidates.models
    if not columns:
        return targets, np.zeros((len(models), 0))
    return targets, scaled(np.stack(columns, axis=1)[models])


@signal("embedding")
def embedding_signal(context: ScoringContext) -> np.ndarray | None:
    """Weighted mean closeness of the model to the request's needs (and the user) in the graph embedding."""
    parts = embedding_parts(context)
    if parts is None:
        return None
    targets, closeness = parts
    weights = np.array([weight for weight, _ in targets])
    if weights.sum() <= 0:
        return np.zeros(len(context.candidates.models))
    return np.clip(closeness @ weights / weights.sum(), 0.0, 1.0)


SIGNALS["past_requests"] = past_request_signal  # Request→similar past Request→Model, from imported outcomes


class PathRelevance:
    """Personalized PageRank, two weighted meta-paths and graph-embedding closeness (see the module docstring)."""

    part = "relevance"

    def signals(self, context: ScoringContext) -> dict[str, np.ndarray]:
        """The signals this graph gives (those in :data:`MIX`), each in [0, 1] per candidate."""
        found = {name: SIGNALS[name](context) for name in MIX}
        return {name: values for name, values in found.items() if values is not None}

    def __call__(self, context: ScoringContext) -> np.ndarray:
        signals = self.signals(context)
        total = sum(MIX[name] for name in signals)
        if total <= 0:
            return np.full(len(context.candidates.models), FLOOR)
        mixed = sum(MIX[name] * values for name, values in signals.items()) / total
        return np.clip(FLOOR + (1.0 - FLOOR) * mixed, 0.0, 1.0)

    def explain(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """Linked entities the model is directly tied to, and needed capabilities it has."""
        tables, needs = context.tables, context.needs
        model = int(context.candidates.models[row])
        found: list[tuple[float, str]] = []
        iri = tables.model_iri[model]
        if iri in needs.seeds:
            found.append((needs.seeds[iri], f"you named {tables.model_label[model]}"))
        for kind, value in (("made by", tables.model_creator[model]), ("in family", tables.model_family[model])):
            if value and value in needs.seeds:
                found.append((needs.seeds[value], f"asked for {tables.label(value)} → {kind} {tables.label(value)}"))
        mask = int(tables.model_capability_mask[model])
        offer = int(context.candidates.offers[row])
        mask |= int(tables.offer_feature_mask[offer])
        for capability, weight in sorted(needs.capabilities.items(), key=lambda item: (-item[1], item[0])):
            if mask & tables.bit(capability) and weight >= 0.5:
                reason = needs.reasons.get(capability, tables.label(capability))
                found.append((0.5 * weight, f"needs {reason} → {tables.model_label[model]} has it"))
        found.extend(self._embedding_evidence(context, row))
        found.extend(past_request_evidence(context, row))
        return found

    def _embedding_evidence(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """The need the embedding finds the model closest to, when close enough to say so."""
        if not MIX.get("embedding"):
            return []
        parts = embedding_parts(context)
        if parts is None or not parts[0]:
            return []
        targets, closeness = parts
        best = max(range(len(targets)), key=lambda i: (targets[i][0] * closeness[row, i], targets[i][1]))
        weight, label = targets[best]
        value = float(closeness[row, best])
        if value < EMBEDDING_EVIDENCE or weight <= 0:
            return []
        return [(MIX["embedding"] * value, f"graph embedding: close to {label} ({value:.2f})")]
