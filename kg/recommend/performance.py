"""Performance (scorer ``benchmarks``): benchmark evidence for what the request needs, and its cost.

Quality. Each benchmark gets a relevance ``r_b`` to the request (:class:`kg.recommend.needs.Needs`:
1 for a benchmark of a linked task, the capability's weight for one measuring a needed capability).
A model's quality is the relevance- and confidence-weighted mean of its percentiles on those
benchmarks (:mod:`kg.recommend.quality`: per-benchmark percentiles, recency and source weights),
shrunk towards its prior with strength :data:`PRIOR_STRENGTH`::

    quality = (Σ_b r_b c_mb p_mb + κ · prior_m) / (Σ_b r_b c_mb + κ)

The prior of a model is :data:`PRIOR` (0.3: below the median of evaluated models, since a model
nobody measured on what the request needs is a riskier choice) moved by at most
± :data:`GENERAL_SPAN` / 2 by its general standing (its confidence-weighted mean percentile over
every benchmark; 0.5 when it has none). So a model without any evidence gets exactly 0.3, one
with only unrelated evidence between 0.2 and 0.4, and one measured a lot on the request's
benchmarks keeps its own percentile.

Cost. The estimated price of this request at the chosen offer (estimated input tokens × input
price + estimated output tokens × output price) is ranked among the candidates: the cheapest
gets 1, the dearest :data:`CHEAPNESS_FLOOR`; an offer without a price gets :data:`UNKNOWN_PRICE`, and so
does one listed at $0 (a subscription such as GitHub Copilot or a free tier, not a per-token price)
unless the request asks for something free.

Performance = quality^(1 − w) × cheapness^w, with ``w`` the cost weight: 0 is quality first,
1 cost first.

Examples
--------
>>> import genre
>>> from kg.linking import Constraints, LinkResult
>>> from kg.recommend import Recommender
>>> result = Recommender(genre.open(snapshot=FIXTURE)).recommend_linked(
...     LinkResult("hello", [], ["text"], Constraints(), 5), k=3, cost_weight=1.0)
>>> all(0.0 <= r.performance <= 1.0 for r in result)
True
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from kg.recommend.config import ScoringContext
from kg.recommend.quality import benchmark_matrix, describe_result

PRIOR = 0.3
GENERAL_SPAN = 0.2
PRIOR_STRENGTH = 0.25
UNKNOWN_PRICE = 0.5
CHEAPNESS_FLOOR = 0.2


def benchmark_relevance(context: ScoringContext) -> np.ndarray:
    """Relevance of every benchmark to the request (0 for the unrelated)."""
    tables = context.tables
    relevance = np.zeros(len(tables.benchmark_iri))
    for iri, weight in context.needs.benchmarks.items():
        position = tables.benchmark_index.get(iri)
        if position is not None:
            relevance[position] = weight
    return relevance


def general_standing(tables: object) -> np.ndarray:
    """Every offered model's confidence-weighted mean percentile over all benchmarks (0.5 without any)."""
    matrix = benchmark_matrix(tables)  # type: ignore[arg-type]
    weight = matrix.confidence.sum(axis=1)
    total = (matrix.confidence * matrix.percentile).sum(axis=1)
    return np.divide(total, weight, out=np.full(len(weight), 0.5), where=weight > 0)


def cheapness(costs: np.ndarray) -> np.ndarray:
    """1 for the cheapest candidate down to :data:`CHEAPNESS_FLOOR` for the dearest (mid-rank); unknown: 0.5.

    >>> cheapness(np.array([1.0, 2.0, np.nan, 0.5])).round(3).tolist()
    [0.6, 0.2, 0.5, 1.0]
    """
    known = ~np.isnan(costs)
    result = np.full(len(costs), UNKNOWN_PRICE)
    n = int(known.sum())
    if n == 1:
        result[known] = 1.0
    elif n > 1:
        ranks = rankdata(costs[known], method="average")
        result[known] = 1.0 - (1.0 - CHEAPNESS_FLOOR) * (ranks - 1.0) / (n - 1.0)
    return result


class BenchmarkPerformance:
    """Relevance-weighted benchmark percentiles with a prior, mixed with the request's estimated cost."""

    part = "performance"

    def quality(self, context: ScoringContext) -> np.ndarray:
        """The quality of every candidate in [0, 1] (see the module docstring)."""
        matrix = benchmark_matrix(context.tables)
        models = context.candidates.models
        relevance = benchmark_relevance(context)
        weights = (matrix.sparse_confidence @ relevance)[models]
        evidence = (matrix.sparse_evidence @ relevance)[models]
        standing = context.tables.cached("general_standing", general_standing)[models]
        prior = PRIOR + GENERAL_SPAN * (standing - 0.5)
        return (evidence + PRIOR_STRENGTH * prior) / (weights + PRIOR_STRENGTH)

    def __call__(self, context: ScoringContext) -> np.ndarray:
        weight = float(context.cost_weight)
        quality = np.clip(self.quality(context), 1e-9, 1.0)
        costs = context.candidates.costs
        if getattr(context.request.constraints, "budget", None) != "free":
            listed_free = context.tables.offer_input_price[context.candidates.offers] == 0
            costs = np.where(listed_free, np.nan, costs)
        cheap = np.clip(cheapness(costs), 1e-9, 1.0)
        return np.clip(quality ** (1.0 - weight) * cheap**weight, 0.0, 1.0)

    def explain(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """The results that weigh most for this model, as "needs X → Benchmark → 90.2% (source, date)"."""
        tables, needs = context.tables, context.needs
        matrix = benchmark_matrix(tables)
        model = int(context.candidates.models[row])
        found: list[tuple[float, str]] = []
        for iri, relevance in needs.benchmarks.items():
            b = tables.benchmark_index.get(iri)
            if b is None or matrix.confidence[model, b] == 0:
                continue
            weight = relevance * matrix.confidence[model, b] * matrix.percentile[model, b]
            result = matrix.shown[(model, b)]
            reason = needs.reasons.get(iri, "")
            found.append(
                (
                    float(weight),
                    f"needs {reason} → {tables.benchmark_label[b]} → {describe_result(result)}, "
                    f"percentile {100 * matrix.percentile[model, b]:.0f} among offered models measured",
                )
            )
        found.sort(key=lambda item: (-item[0], item[1]))
        if not found:
            found.append((0.0, f"no benchmark evidence for this request: prior quality {PRIOR}"))
        return found[:2]
