"""Benchmark evidence made comparable: one percentile per (offered model, benchmark), with a confidence.

Scales differ (percent, fractions, Elo ratings, minutes), so each benchmark is normalised on its own:

1. a result's value is divided by its ``scaleMax`` when it has one (percent and fractions agree);
2. a model's results on a benchmark are averaged, each weighed by recency (half-life
   :data:`HALF_LIFE_YEARS`, counted back from the newest result in the graph, so the same graph
   always gives the same weights; :data:`UNDATED_WEIGHT` when undated) and source
   (:data:`SELF_REPORTED_WEIGHT` for results the model's maker reported, 1 otherwise);
3. the averages are ranked among the offered models evaluated on that benchmark (mid-rank
   percentile, reversed where ``higherIsBetter`` is false) and shrunk towards 0.5 by
   ``n / (n + SMALL_SAMPLE)`` so a benchmark with two models says little;
4. the confidence of a (model, benchmark) percentile is the largest weight among its results.

Examples
--------
>>> import numpy as np
>>> import genre
>>> from kg.recommend.tables import graph_tables
>>> matrix = benchmark_matrix(graph_tables(genre.open(snapshot=FIXTURE).store))
>>> bool(np.all((matrix.percentile >= 0) & (matrix.percentile <= 1)))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from scipy.stats import rankdata

from kg.recommend.tables import GraphTables, Result

HALF_LIFE_YEARS = 1.5
UNDATED_WEIGHT = 0.5
SELF_REPORTED_WEIGHT = 0.5
SMALL_SAMPLE = 2.0


@dataclass(frozen=True, slots=True)
class BenchmarkMatrix:
    """Percentiles and confidences (models × benchmarks, 0 without a result); ``shown``: the result evidence cites."""

    percentile: np.ndarray
    confidence: np.ndarray
    shown: dict[tuple[int, int], Result]
    sparse_confidence: sp.csr_matrix
    """``confidence`` as CSR, for the per-request products."""
    sparse_evidence: sp.csr_matrix
    """``confidence × percentile`` as CSR."""


def result_weight(result: Result, newest: date | None) -> float:
    """Recency × source weight of one result, in (0, 1]."""
    if result.date is None or newest is None:
        weight = UNDATED_WEIGHT
    else:
        years = max(0.0, (newest - result.date).days / 365.25)
        weight = 0.5 ** (years / HALF_LIFE_YEARS)
    return weight * (SELF_REPORTED_WEIGHT if result.self_reported else 1.0)


def _normalised(result: Result) -> float:
    return result.value / result.scale_max if result.scale_max else result.value


def build_benchmark_matrix(tables: GraphTables) -> BenchmarkMatrix:
    """Compute the matrix (use :func:`benchmark_matrix`, which caches it on the tables)."""
    shape = (len(tables.model_iri), len(tables.benchmark_iri))
    percentile = np.zeros(shape)
    confidence = np.zeros(shape)
    shown: dict[tuple[int, int], Result] = {}
    by_benchmark: dict[int, list[tuple[int, float]]] = {}
    for (model, benchmark), results in sorted(tables.results.items()):
        weights = np.array([result_weight(r, tables.newest_result) for r in results])
        values = np.array([_normalised(r) for r in results])
        if not np.isfinite(values).all():
            keep = np.isfinite(values)
            weights, values = weights[keep], values[keep]
            if not len(values):
                continue
        by_benchmark.setdefault(benchmark, []).append((model, float(np.average(values, weights=weights))))
        confidence[model, benchmark] = float(weights.max())
        shown[(model, benchmark)] = max(results, key=lambda r: (result_weight(r, tables.newest_result), r.value))
    for benchmark, pairs in by_benchmark.items():
        models = np.array([m for m, _ in pairs])
        values = np.array([v for _, v in pairs])
        n = len(values)
        ranks = (rankdata(values, method="average") - 0.5) / n
        if not tables.benchmark_higher[benchmark]:
            ranks = 1.0 - ranks
        percentile[models, benchmark] = 0.5 + (ranks - 0.5) * n / (n + SMALL_SAMPLE)
    return BenchmarkMatrix(
        percentile=percentile,
        confidence=confidence,
        shown=shown,
        sparse_confidence=sp.csr_matrix(confidence),
        sparse_evidence=sp.csr_matrix(confidence * percentile),
    )


def benchmark_matrix(tables: GraphTables) -> BenchmarkMatrix:
    """The :class:`BenchmarkMatrix` of a graph, computed once per tables."""
    return tables.cached("benchmark_matrix", build_benchmark_matrix)


def describe_result(result: Result) -> str:
    """A result in words: ``"90.2% (Epoch AI Benchmarking Hub, 2025-03)"``.

    >>> describe_result(Result(0.902, 1.0, "accuracy", date(2025, 3, 1), False, "Epoch AI Benchmarking Hub"))
    '90.2% (Epoch AI Benchmarking Hub, 2025-03)'
    >>> describe_result(Result(1287.0, None, "elo", None, True, "LMArena"))
    '1287 elo (LMArena, self-reported)'
    """
    if result.scale_max:
        value = f"{100 * result.value / result.scale_max:.1f}%"
    else:
        value = f"{result.value:g}" + (f" {result.metric}" if result.metric else "")
    notes = [result.source]
    if result.date is not None:
        notes.append(result.date.strftime("%Y-%m"))
    if result.self_reported:
        notes.append("self-reported")
    return f"{value} ({', '.join(notes)})"
