"""Relevance from similar past requests: how models did on requests like this one.

Routing logs imported with :mod:`kg.outcomes` put past requests in the store, each with the
outcome (a score in [0, 1], and a cost) of several models. For a new request:

1. its :func:`~kg.recommend.text_vectors.focus_text` is embedded with the packaged MiniLM and
   compared (cosine) with every past request's; requests that mention the same linked entities
   (``genre:mentions``: tasks, benchmarks...) get :data:`MENTION_BONUS` times the Jaccard overlap added;
2. the :data:`NEIGHBOURS` most similar past requests vote, each with weight
   ``exp((similarity - best) / TEMPERATURE)``;
3. a model's score is its weighted mean outcome over the neighbours where it has one, shrunk
   towards its overall mean outcome with strength :data:`SHRINK` (a pseudo-count)::

       score_m = (Σ_i w_i s_im + SHRINK · mean_m) / (Σ_i w_i [s_im known] + SHRINK)

The defaults of :data:`NEIGHBOURS`, :data:`TEMPERATURE` and :data:`SHRINK` are what leave-one-out
tuning on the training part of both routing logs chose (``genre eval routing``, which tunes them
again on each training set). The same weights give each model's expected cost (its neighbours' mean
cost). The outcome tables and past-request vectors are read once per set of outcome graphs and kept in
memory (:func:`past_requests`); vectors are cached on disk by text hash, a new request's is not.

:func:`past_request_signal` is the relevance signal over a recommendation's candidates (``None``
without outcomes, or when no candidate has any), :func:`past_request_evidence` its sentence.

Examples
--------
>>> from pathlib import Path
>>> from kg.store import Store
>>> from kg.outcomes import import_routing
>>> from loaders.routing import read_routing
>>> sample = Path(__file__).resolve().parents[2] / "tests" / "data" / "routing" / "routerbench_sample.csv"
>>> store = Store.open()
>>> _ = import_routing(store, read_routing("routerbench", [sample]), name="sample")
>>> past = PastRequests.from_store(store)
>>> len(past.table.requests), len(past.table.models)
(5, 11)
>>> estimate = past.estimate(["Write a python function to reverse a list."])
>>> estimate.scores.shape, bool(((0 <= estimate.scores) & (estimate.scores <= 1)).all())
((1, 11), True)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kg.outcomes import OUTCOME_GRAPH_PREFIX, import_time, outcome_graphs
from kg.recommend.text_vectors import embed_query, embed_texts, focus_text
from kg.store import Store
from ontology.terms import GENRE

NEIGHBOURS = 80
"""How many past requests vote."""
TEMPERATURE = 0.1
"""Softness of the similarity weights: a neighbour 0.1 less similar weighs e⁻¹ as much."""
SHRINK = 0.5
"""Pseudo-count pulling a model's neighbourhood mean towards its overall mean."""
MENTION_BONUS = 0.1
"""Similarity added for a past request with the same linked entities (times the Jaccard overlap)."""


@dataclass(slots=True)
class OutcomeTable:
    """The outcome subgraph as arrays: requests × models scores and costs (NaN when unknown)."""

    requests: list[str]
    texts: list[str]
    mentions: list[frozenset[str]]
    models: list[str]
    scores: np.ndarray
    costs: np.ndarray
    graphs: tuple[str, ...]

    @classmethod
    def read(cls, store: Store, graphs: Sequence[str] | None = None) -> OutcomeTable:
        """Read every outcome in ``graphs`` (default: all outcome graphs of ``store``)."""
        names = tuple(sorted(graphs if graphs is not None else outcome_graphs(store)))
        wanted = set(names)
        outcome_request: dict[str, str] = {}
        outcome_model: dict[str, str] = {}
        outcome_score: dict[str, float] = {}
        outcome_cost: dict[str, float] = {}
        texts: dict[str, str] = {}
        mentions: dict[str, set[str]] = {}
        for predicate, target in (
            (GENRE.outcomeOf, outcome_request),
            (GENRE.outcomeModel, outcome_model),
            (GENRE.requestText, texts),
            (GENRE.mentions, None),
        ):
            for subject, _, obj, graph in store.quads(predicate=str(predicate)):
                if graph is None or str(graph.value) not in wanted:
                    continue
                if target is None:
                    mentions.setdefault(subject.value, set()).add(obj.value)
                else:
                    target[subject.value] = obj.value
        for predicate, numbers in ((GENRE.outcomeScore, outcome_score), (GENRE.costUsd, outcome_cost)):
            for subject, _, obj, graph in store.quads(predicate=str(predicate)):
                if graph is not None and str(graph.value) in wanted:
                    numbers[subject.value] = float(obj.value)
        requests = sorted({request for request in outcome_request.values() if request in texts}, key=_natural)
        models = sorted(set(outcome_model.values()))
        row = {request: position for position, request in enumerate(requests)}
        column = {model: position for position, model in enumerate(models)}
        scores = np.full((len(requests), len(models)), np.nan)
        costs = np.full((len(requests), len(models)), np.nan)
        for outcome, request in outcome_request.items():
            if request not in row or outcome not in outcome_score or outcome not in outcome_model:
                continue
            i, j = row[request], column[outcome_model[outcome]]
            scores[i, j] = outcome_score[outcome]
            if outcome in outcome_cost:
                costs[i, j] = outcome_cost[outcome]
        return cls(
            requests=requests,
            texts=[texts[request] for request in requests],
            mentions=[frozenset(mentions.get(request, ())) for request in requests],
            models=models,
            scores=scores,
            costs=costs,
            graphs=names,
        )


def _natural(iri: str) -> tuple[str, int]:
    """Sort ``.../request/name-12`` after ``.../request/name-2``."""
    head, _, tail = iri.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (iri, -1)


@dataclass(slots=True)
class Estimate:
    """Per query × model: expected outcome, expected cost, and the neighbours behind them."""

    scores: np.ndarray
    costs: np.ndarray
    neighbours: np.ndarray
    weights: np.ndarray
    similarities: np.ndarray


class PastRequests:
    """A nearest-neighbour view of the outcome subgraph (see the module docstring)."""

    def __init__(
        self,
        table: OutcomeTable,
        *,
        cache_dir: Path | None = None,
        neighbours: int = NEIGHBOURS,
        temperature: float = TEMPERATURE,
        shrink: float = SHRINK,
        mention_bonus: float = MENTION_BONUS,
    ) -> None:
        self.table = table
        self.cache_dir = cache_dir
        self.neighbours = neighbours
        self.temperature = temperature
        self.shrink = shrink
        self.mention_bonus = mention_bonus
        self.vectors = embed_texts([focus_text(text) for text in table.texts], cache_dir=cache_dir)
        known = ~np.isnan(table.scores)
        self.model_mean = np.where(known.any(0), np.nanmean(np.where(known, table.scores, np.nan), 0), 0.5)
        priced = ~np.isnan(table.costs)
        with np.errstate(invalid="ignore"):
            self.model_cost = np.where(priced.sum(0) > 0, np.nansum(table.costs, 0) / np.maximum(priced.sum(0), 1), 0)
        self.column = {model: position for position, model in enumerate(table.models)}

    @classmethod
    def from_store(cls, store: Store, graphs: Sequence[str] | None = None, **options: Any) -> PastRequests:
        """Read the outcome graphs of ``store`` and embed their requests."""
        return cls(OutcomeTable.read(store, graphs), **options)

    def similarities(self, texts: Sequence[str], mentions: Sequence[frozenset[str]] | None = None) -> np.ndarray:
        """Queries × past requests: cosine of the focus texts plus the mention bonus."""
        if len(texts) == 1:
            queries = embed_query(focus_text(texts[0]))[None, :]
        else:
            queries = embed_texts([focus_text(text) for text in texts], cache_dir=self.cache_dir)
        similarity = queries @ self.vectors.T
        if mentions is not None and self.mention_bonus > 0:
            for row, wanted in enumerate(mentions):
                if not wanted:
                    continue
                overlap = np.array(
                    [len(wanted & have) / len(wanted | have) if have else 0.0 for have in self.table.mentions]
                )
                similarity[row] += self.mention_bonus * overlap
        return similarity

    def estimate(
        self,
        texts: Sequence[str],
        mentions: Sequence[frozenset[str]] | None = None,
        *,
        similarity: np.ndarray | None = None,
    ) -> Estimate:
        """Expected outcome and cost of every model for each query text."""
        if similarity is None:
            similarity = self.similarities(texts, mentions)
        count = min(self.neighbours, similarity.shape[1])
        if count == 0:
            empty = np.zeros((len(similarity), 0))
            return self.aggregate(empty.astype(int), empty)
        top = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
        return self.aggregate(top, np.take_along_axis(similarity, top, axis=1))

    def aggregate(
        self,
        top: np.ndarray,
        top_similarity: np.ndarray,
        *,
        temperature: float | None = None,
        shrink: float | None = None,
    ) -> Estimate:
        """The estimate from each query's neighbours ``top`` (row indices) and their similarities."""
        temperature = self.temperature if temperature is None else temperature
        shrink = self.shrink if shrink is None else shrink
        best = top_similarity.max(axis=1, keepdims=True) if top.shape[1] else np.zeros((len(top), 1))
        weights = np.exp((top_similarity - best) / temperature)
        outcomes = self.table.scores[top]  # queries × neighbours × models
        known = ~np.isnan(outcomes)
        total = (weights[:, :, None] * known).sum(axis=1)
        weighted = (np.where(known, outcomes, 0.0) * weights[:, :, None]).sum(axis=1)
        scores = (weighted + shrink * self.model_mean) / (total + shrink)
        neighbour_costs = self.table.costs[top]
        priced = ~np.isnan(neighbour_costs)
        cost_weight = (weights[:, :, None] * priced).sum(axis=1)
        cost_sum = (np.where(priced, neighbour_costs, 0.0) * weights[:, :, None]).sum(axis=1)
        costs = (cost_sum + shrink * self.model_cost) / (cost_weight + shrink)
        return Estimate(np.clip(scores, 0.0, 1.0), costs, top, weights, top_similarity)


_CACHE: dict[tuple[int, tuple[tuple[str, str], ...]], PastRequests] = {}
_CACHE_LOCK = threading.Lock()


def past_requests(store: Store) -> PastRequests | None:
    """The :class:`PastRequests` of ``store``'s outcome graphs, built once per set of graphs (``None`` without)."""
    graphs = outcome_graphs(store)
    if not graphs:
        return None
    key = (id(store), tuple((graph, import_time(store, graph)) for graph in graphs))
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = PastRequests.from_store(store, graphs)
        return _CACHE[key]


def _candidate_columns(context: Any, past: PastRequests) -> np.ndarray:
    """Column of each candidate in the outcome table (-1 when the model has no outcome)."""
    iris = context.tables.model_iri
    return np.array([past.column.get(str(iris[int(model)]), -1) for model in context.candidates.models], dtype=int)


def _mentions(context: Any) -> list[frozenset[str]]:
    request = context.request
    return [frozenset(request.iris()) if hasattr(request, "iris") else frozenset()]


def _request_estimate(past: PastRequests, context: Any) -> Estimate:
    """The estimate for this request, computed once per request (the signal and each evidence line share it)."""
    key = (id(past), context.request.text, _mentions(context)[0])
    last = _LAST[0]  # read once: other threads may replace it
    if last is None or last[0] != key:
        last = _LAST[0] = (key, past.estimate([context.request.text], _mentions(context)))
    return last[1]


_LAST: list[Any] = [None]


def past_request_signal(context: Any) -> np.ndarray | None:
    """Per candidate in [0, 1]: how the model did on the most similar past requests.

    ``context`` is a :class:`kg.recommend.config.ScoringContext`. Candidates without any outcome get
    the mean of those with one, so the signal neither favours nor punishes the unmeasured.
    ``None`` when the store holds no outcome, or none of the candidates has one.
    """
    past = past_requests(context.store)
    if past is None:
        return None
    columns = _candidate_columns(context, past)
    if not (columns >= 0).any():
        return None
    estimate = _request_estimate(past, context)
    values = np.where(columns >= 0, estimate.scores[0][np.maximum(columns, 0)], np.nan)
    return np.nan_to_num(values, nan=float(np.nanmean(values)))


def past_request_evidence(context: Any, row: int, *, weight: float = 0.25) -> list[tuple[float, str]]:
    """``(weight, "3 similar past requests: GPT-4 solved 3/3")`` for the candidate at ``row``, or nothing.

    The similar past requests are the neighbours whose vote weighs at least ``weight`` times the
    closest one's.
    """
    past = past_requests(context.store)
    if past is None:
        return []
    column = past.column.get(str(context.tables.model_iri[int(context.candidates.models[row])]))
    if column is None:
        return []
    estimate = _request_estimate(past, context)
    close = estimate.neighbours[0][estimate.weights[0] >= weight]
    outcomes = past.table.scores[close, column]
    outcomes = outcomes[~np.isnan(outcomes)]
    if not len(outcomes):
        return []
    label = context.tables.model_label[int(context.candidates.models[row])]
    return [(float((outcomes >= 0.5).mean()), evidence_sentence(label, outcomes.tolist()))]


def evidence_sentence(label: str, outcomes: Sequence[float]) -> str:
    """The evidence sentence for ``label``'s outcomes on similar past requests.

    >>> evidence_sentence("GPT-4", [1, 1, 1])
    '3 similar past requests: GPT-4 solved 3/3'
    """
    solved = sum(1 for value in outcomes if value >= 0.5)
    noun = "request" if len(outcomes) == 1 else "requests"
    return f"{len(outcomes)} similar past {noun}: {label} solved {solved}/{len(outcomes)}"


__all__ = [
    "OUTCOME_GRAPH_PREFIX",
    "Estimate",
    "OutcomeTable",
    "PastRequests",
    "evidence_sentence",
    "past_request_evidence",
    "past_request_signal",
    "past_requests",
]
