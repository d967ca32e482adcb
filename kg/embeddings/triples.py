"""The knowledge graph projected to (head, relation, tail) triples for PyKEEN.

Entities are the IRIs of models, families, providers, capabilities, tasks, domains, modalities,
benchmarks and users; offers and benchmark results are folded into direct model edges, so the
embedding sees the graph the recommender reasons over. Relations (:data:`RELATIONS`):

- model → capability ``hasCapability`` (the model's own, and the capability features its offers declare),
- model → modality ``supportsInputModality`` / ``supportsOutputModality`` (model's or its offers'),
- model → family ``inFamily``, model → provider ``createdBy``, provider → model ``offers`` (from offers),
- model → model ``fineTunedFrom``,
- model → benchmark ``evaluatedOn`` for every result, and ``scoresHighOn`` when the model's best result
  lies in the top :data:`HIGH_PERCENTILE` of the models evaluated on that benchmark (values divided by
  ``scaleMax`` when given, reversed where ``higherIsBetter`` is false),
- the vocabulary's own links: ``taskRequiresCapability``, ``taskInDomain``, ``domainNeedsCapability``,
  ``measuresCapability``, ``benchmarkForTask``, ``benchmarkInDomain``,
- user → model ``likes`` / ``dislikes`` from ``genre:Feedback`` nodes (``genre:givenBy`` the user,
  ``genre:aboutModel`` the model): a rating of 4–5, a thumbs up, a choice, or winning a pairwise
  preference is a like; a rating of 1–2, a thumbs down, or losing a preference (the
  ``genre:preferredOver`` model) is a dislike; ties and middle ratings say nothing.

The store is read with :meth:`kg.store.Store.quads` scans (one per predicate), several times faster
than SPARQL on the whole default graph.

Examples
--------
>>> import genre
>>> triples = graph_triples(genre.open(snapshot=FIXTURE).store)
>>> triples.shape[1], "hasCapability" in set(triples[:, 1])
(3, True)
>>> bool((triples[:, 0] != triples[:, 2]).all())
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pyoxigraph as ox
from scipy.stats import rankdata

from kg.recommend.personalization import CHOICES, DISLIKES, LIKES
from kg.store import Store
from ontology.terms import BASE

ONTOLOGY = f"{BASE}ontology#"

MODEL_EDGES = ("hasCapability", "supportsInputModality", "supportsOutputModality", "inFamily", "createdBy")
"""Model predicates copied as they are."""
VOCABULARY_EDGES = (
    "taskRequiresCapability",
    "taskInDomain",
    "domainNeedsCapability",
    "measuresCapability",
    "benchmarkForTask",
    "benchmarkInDomain",
)
"""Links among the vocabulary's concepts, copied as they are."""
RELATIONS = (
    *MODEL_EDGES,
    "offers",
    "fineTunedFrom",
    "evaluatedOn",
    "scoresHighOn",
    *VOCABULARY_EDGES,
    "likes",
    "dislikes",
)
"""Every relation of the projection."""
HIGH_PERCENTILE = 0.75
"""A result at or above this percentile of its benchmark adds ``scoresHighOn``."""
USER_RELATIONS = ("likes", "dislikes")


def _pairs(store: Store, predicate: str) -> Iterator[tuple[str, str]]:
    """(subject IRI, object IRI) of every quad with ``genre:<predicate>`` whose object is an IRI."""
    for quad in store.quads(predicate=f"{ONTOLOGY}{predicate}"):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            yield quad.subject.value, quad.object.value


def _values(store: Store, predicate: str) -> dict[str, object]:
    """Subject IRI or blank id -> the Python value of its ``genre:<predicate>`` literal (first one wins)."""
    found: dict[str, object] = {}
    for quad in store.quads(predicate=f"{ONTOLOGY}{predicate}"):
        if isinstance(quad.object, ox.Literal):
            found.setdefault(quad.subject.value, _literal(quad.object))
    return found


def _literal(value: ox.Literal) -> object:
    text = value.value
    kind = value.datatype.value.rsplit("#", 1)[-1]
    if kind in ("integer", "int", "long", "decimal", "double", "float", "short", "nonNegativeInteger"):
        try:
            return float(text)
        except ValueError:
            return None
    if kind == "boolean":
        return text in ("true", "1")
    return text


def _offer_edges(store: Store, edges: set[tuple[str, str, str]]) -> dict[str, str]:
    """Fold offers into model edges; returns offer IRI -> model IRI."""
    offer_model = dict(_pairs(store, "offerOf"))
    offer_model.update({offer: model for model, offer in _pairs(store, "hasOffer")})
    for provider, offer in _pairs(store, "offers"):
        if offer in offer_model:
            edges.add((provider, "offers", offer_model[offer]))
    for offer, provider in _pairs(store, "offeredBy"):
        if offer in offer_model:
            edges.add((provider, "offers", offer_model[offer]))
    for predicate in ("supportsInputModality", "supportsOutputModality"):
        for offer, modality in _pairs(store, predicate):
            if offer in offer_model:
                edges.add((offer_model[offer], predicate, modality))
    for offer, feature in _pairs(store, "supportsFeature"):
        if offer in offer_model and feature.startswith(f"{BASE}capability/"):
            edges.add((offer_model[offer], "hasCapability", feature))
    return offer_model


def _result_edges(store: Store, edges: set[tuple[str, str, str]]) -> None:
    result_model = dict(_pairs(store, "evaluatedModel"))
    result_benchmark = dict(_pairs(store, "evaluatedOn"))
    values, scales = _values(store, "value"), _values(store, "scaleMax")
    higher = _values(store, "higherIsBetter")
    best: dict[str, dict[str, float]] = defaultdict(dict)
    for result, benchmark in result_benchmark.items():
        model = result_model.get(result)
        if model is None:
            continue
        edges.add((model, "evaluatedOn", benchmark))
        value = values.get(result)
        if not isinstance(value, float) or np.isnan(value):
            continue
        scale = scales.get(result)
        if isinstance(scale, float) and scale > 0:
            value /= scale
        if higher.get(benchmark) is False:
            value = -value
        scores = best[benchmark]
        scores[model] = max(scores.get(model, -np.inf), value)
    for benchmark, scores in best.items():
        if len(scores) < 2:
            continue
        models = sorted(scores)
        ranks = rankdata([scores[m] for m in models], method="average")
        percentile = (ranks - 0.5) / len(models)
        for model, share in zip(models, percentile, strict=True):
            if share >= HIGH_PERCENTILE:
                edges.add((model, "scoresHighOn", benchmark))


def feedback_edges(store: Store) -> set[tuple[str, str, str]]:
    """(user, likes|dislikes, model) triples from the feedback nodes (see the module docstring)."""
    given_by = dict(_pairs(store, "givenBy"))
    about: dict[str, list[str]] = defaultdict(list)
    for feedback, model in _pairs(store, "aboutModel"):
        about[feedback].append(model)
    over: dict[str, list[str]] = defaultdict(list)
    for feedback, model in _pairs(store, "preferredOver"):
        over[feedback].append(model)
    ratings, kinds = _values(store, "rating"), _values(store, "feedbackKind")
    edges: set[tuple[str, str, str]] = set()
    for feedback, user in given_by.items():
        rating = ratings.get(feedback)
        kind = str(kinds.get(feedback) or "").strip().lower()
        losers = over.get(feedback, [])
        positive = (isinstance(rating, float) and rating >= 4) or kind in LIKES | CHOICES or bool(losers)
        negative = (isinstance(rating, float) and rating <= 2) or kind in DISLIKES
        for model in about.get(feedback, []):
            if negative:
                edges.add((user, "dislikes", model))
            elif positive:
                edges.add((user, "likes", model))
        for loser in losers:
            edges.add((user, "dislikes", loser))
    return edges


def graph_triples(store: Store) -> np.ndarray:
    """The projection of ``store`` as a sorted ``(n, 3)`` array of strings (head, relation, tail)."""
    edges: set[tuple[str, str, str]] = set()
    offers = _offer_edges(store, edges)
    for predicate in (*MODEL_EDGES, *VOCABULARY_EDGES, "fineTunedFrom"):
        edges.update((head, predicate, tail) for head, tail in _pairs(store, predicate) if head not in offers)
    _result_edges(store, edges)
    edges.update(feedback_edges(store))
    rows = sorted(edge for edge in edges if edge[0] != edge[2])
    return np.array(rows, dtype=str).reshape(-1, 3)
