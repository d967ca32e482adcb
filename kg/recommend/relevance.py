"""Relevance from graph paths (scorer ``paths``): how strongly the graph connects a request to each model.

Three signals over :mod:`kg.recommend.projection`, each scaled to [0, 1] over the candidates:

- ``walk``: personalized PageRank from the request's seeds (linked tasks, capabilities, domains,
  modalities, models, families, providers; :mod:`kg.recommend.needs` gives the default seeds of a
  request that names no need), divided by the best candidate's and square-rooted (the walk's mass
  is heavy-tailed);
- ``capabilities``: the meta-path Request→Task→Capability←Model, the share of the needed
  capabilities' weight that the model has;
- ``benchmarks``: the meta-path Request→Task→Benchmark←Result→Model, the relevance-weighted
  evidence the model has on the request's benchmarks (result confidence × benchmark relevance),
  divided by the best candidate's.

Relevance = :data:`FLOOR` + (1 − FLOOR) × (the mix :data:`MIX` of the three), so a model the graph
does not connect at all still gets a small, equal relevance rather than zero.

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

import numpy as np

from kg.recommend.config import ScoringContext
from kg.recommend.projection import capability_columns, graph_projection, personalized_pagerank
from kg.recommend.quality import benchmark_matrix

FLOOR = 0.05
MIX = {"walk": 0.4, "capabilities": 0.3, "benchmarks": 0.3}


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


class PathRelevance:
    """Personalized PageRank plus two weighted meta-paths (see the module docstring)."""

    part = "relevance"

    def signals(self, context: ScoringContext) -> dict[str, np.ndarray]:
        """The three signals, each in [0, 1] per candidate."""
        tables, needs, models = context.tables, context.needs, context.candidates.models
        projection = graph_projection(tables)
        walk = personalized_pagerank(projection, needs.seeds)[projection.model_nodes[models]]
        columns = capability_columns(tables)
        need = np.zeros(len(columns))
        for iri, weight in needs.capabilities.items():
            if iri in columns:
                need[columns[iri]] = weight
        total = need.sum()
        capabilities = (projection.model_capabilities @ need)[models] / total if total > 0 else np.zeros(len(models))
        matrix = benchmark_matrix(tables)
        relevance = np.zeros(len(tables.benchmark_iri))
        for iri, weight in needs.benchmarks.items():
            position = tables.benchmark_index.get(iri)
            if position is not None:
                relevance[position] = weight
        benchmarks = (matrix.sparse_confidence @ relevance)[models]
        return {
            "walk": np.sqrt(_scaled(walk)),
            "capabilities": np.clip(np.asarray(capabilities).ravel(), 0.0, 1.0),
            "benchmarks": _scaled(benchmarks),
        }

    def __call__(self, context: ScoringContext) -> np.ndarray:
        signals = self.signals(context)
        mixed = sum(MIX[name] * values for name, values in signals.items())
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
        return found
