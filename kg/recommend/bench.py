"""Timing whole recommendations: linking, constraints, the three scorers, evidence and configuration.

:func:`benchmark_recommend` cycles over the labelled linking requests (English and Chinese, every
kind of need and constraint; :func:`kg.linking.evaluation.load_requests`), makes ``warmup`` untimed
recommendations, then times ``n``, and reports p50 and p99 milliseconds of the whole call and of
its two halves (linking; recommending from the linked request). A request whose constraints leave
no model counts as answered (its error is the answer).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from genre.errors import ConfigError, RecommendationError
from kg.recommend.tables import GraphTables


def benchmark_recommend(
    recommender: Any,
    *,
    n: int = 300,
    warmup: int = 20,
    semantic: bool = True,
    texts: Sequence[str] | None = None,
    k: int = 5,
    user: str | None = None,
) -> dict[str, Any]:
    """p50/p99 ms per recommendation over ``texts`` (default: the labelled linking requests), for ``user`` if given."""
    from kg.linking import linker_for

    if n < 1:
        raise ConfigError(f"the number of timed requests must be positive, got {n}")
    if texts is None:
        from kg.linking.evaluation import load_requests

        texts = [request.text for request in load_requests()]
    if not texts:
        raise ConfigError("no request to time")
    linker = linker_for(recommender.kg, semantic=semantic)

    def once(text: str) -> tuple[float, float, bool]:
        start = time.perf_counter()
        link = linker.link(text)
        linked = time.perf_counter()
        emptied = False
        try:
            recommender.recommend_linked(link, k=k, user=user)
        except RecommendationError:
            emptied = True
        done = time.perf_counter()
        return (done - start) * 1000, (linked - start) * 1000, emptied

    for index in range(warmup):
        once(texts[index % len(texts)])
    totals, links, emptied = [], [], 0
    for index in range(n):
        total, linking, empty = once(texts[index % len(texts)])
        totals.append(total)
        links.append(linking)
        emptied += empty
    total_ms = np.array(totals)
    link_ms = np.array(links)
    rest_ms = total_ms - link_ms
    tables = recommender.tables()
    return {
        "requests": n,
        "p50_ms": round(float(np.percentile(total_ms, 50)), 2),
        "p99_ms": round(float(np.percentile(total_ms, 99)), 2),
        "link_p50_ms": round(float(np.percentile(link_ms, 50)), 2),
        "link_p99_ms": round(float(np.percentile(link_ms, 99)), 2),
        "recommend_p50_ms": round(float(np.percentile(rest_ms, 50)), 2),
        "recommend_p99_ms": round(float(np.percentile(rest_ms, 99)), 2),
        "semantic_linking": bool(semantic and linker.semantic is not None),
        "emptied_by_constraints": emptied,
        "offers": len(tables.offer_iri),
        "offered_models": len(tables.model_iri),
    }


def scaled_tables(tables: GraphTables, factor: int) -> GraphTables:
    """A synthetic graph ``factor`` times as large: every offered model, offer and result copied.

    Copy ``i`` of a model gets the IRI ``<model>-copy<i>`` and the same maker, family, capabilities,
    modalities, offers (same providers and prices) and benchmark results; vocabulary, benchmarks and
    providers are shared. Nothing derived is copied: benchmark percentiles and the projection are
    rebuilt over the larger graph, as they would be for a real one.
    """
    if factor < 1:
        raise ConfigError(f"the scale factor must be a positive integer, got {factor}")
    n_models = len(tables.model_iri)

    def copies(values: list[Any], rename: Any = None) -> list[Any]:
        return [rename(v, i) if rename and i else v for i in range(factor) for v in values]

    def tiled(array: np.ndarray) -> np.ndarray:
        return np.concatenate([array] * factor)

    model_iri = copies(tables.model_iri, lambda v, i: f"{v}-copy{i}")
    results = {
        (model + i * n_models, benchmark): found
        for i in range(factor)
        for (model, benchmark), found in tables.results.items()
    }
    return replace(
        tables,
        fingerprint=f"{tables.fingerprint}x{factor}",
        offer_iri=copies(tables.offer_iri, lambda v, i: f"{v}-copy{i}"),
        offer_model=np.concatenate([tables.offer_model + i * n_models for i in range(factor)]),
        offer_provider=copies(tables.offer_provider),
        offer_call_id=copies(tables.offer_call_id),
        offer_source=copies(tables.offer_source),
        offer_input_price=tiled(tables.offer_input_price),
        offer_output_price=tiled(tables.offer_output_price),
        offer_context=tiled(tables.offer_context),
        offer_max_output=tiled(tables.offer_max_output),
        offer_input_mask=tiled(tables.offer_input_mask),
        offer_output_mask=tiled(tables.offer_output_mask),
        offer_feature_mask=tiled(tables.offer_feature_mask),
        model_iri=model_iri,
        model_index={iri: i for i, iri in enumerate(model_iri)},
        model_id=copies(tables.model_id, lambda v, i: f"{v}-copy{i}"),
        model_label=copies(tables.model_label, lambda v, i: f"{v} (copy {i})"),
        model_open=tiled(tables.model_open),
        model_creator=copies(tables.model_creator),
        model_family=copies(tables.model_family),
        model_input_mask=tiled(tables.model_input_mask),
        model_output_mask=tiled(tables.model_output_mask),
        model_capability_mask=tiled(tables.model_capability_mask),
        model_context=tiled(tables.model_context),
        model_max_output=tiled(tables.model_max_output),
        results=results,
        derived={},
    )


def benchmark_scaling(
    recommender: Any, factors: Sequence[int], *, n: int = 100, warmup: int = 10, semantic: bool = True
) -> list[dict[str, Any]]:
    """:func:`benchmark_recommend` on synthetic copies of the graph (see :func:`scaled_tables`), one row per factor."""
    from kg.recommend.recommender import Recommender

    base = recommender.tables()
    rows = []
    for factor in factors:
        start = time.perf_counter()
        scaled = Recommender(recommender.kg, config=recommender.config, tables=scaled_tables(base, factor)).warm()
        build = time.perf_counter() - start
        report = benchmark_recommend(scaled, n=n, warmup=warmup, semantic=semantic)
        rows.append({"scale": factor, "build_s": round(build, 1), **report})
    return rows
