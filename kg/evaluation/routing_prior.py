"""A graph performance prior for the models of a routing log: their standing on the graph's benchmarks.

For each benchmark on which at least one of the given models has a result, every model of the graph
with a result there is ranked (values divided by ``scaleMax`` when known, reversed where
``higherIsBetter`` is false; mid-rank percentiles); a model's prior is the mean of its percentiles,
shrunk towards 0.5 by ``n / (n + 2)`` over its ``n`` benchmarks (0.5 without any). This is the
"general standing" of :mod:`kg.recommend.performance`, read straight from the store so that models
without offers (open checkpoints) have one too.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)
>>> prior = graph_prior(kg.store, [str(kg.find_model("gpt-4o")), "https://w3id.org/genre/model/none"])
>>> 0.0 <= prior[str(kg.find_model("gpt-4o"))] <= 1.0, prior["https://w3id.org/genre/model/none"]
(True, 0.5)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata

from kg.store import Store
from ontology.terms import GENRE

SMALL_SAMPLE = 2.0


def _objects(store: Store, predicate: str) -> dict[str, object]:
    """Subject -> object value of every quad with ``predicate`` (one value per subject)."""
    return {subject.value: obj.value for subject, _, obj, _ in store.quads(predicate=predicate)}


def graph_prior(store: Store, models: Sequence[str]) -> dict[str, float]:
    """Each model IRI's mean benchmark percentile in ``store``, shrunk towards 0.5 (see the module docstring)."""
    wanted = set(models)
    benchmark_of = _objects(store, str(GENRE.evaluatedOn))
    model_of = _objects(store, str(GENRE.evaluatedModel))
    value_of = _objects(store, str(GENRE.value))
    scale_of = _objects(store, str(GENRE.scaleMax))
    lower_better = {name for name, value in _objects(store, str(GENRE.higherIsBetter)).items() if value == "false"}
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for result, benchmark in benchmark_of.items():
        model, value = model_of.get(result), value_of.get(result)
        if model is None or value is None:
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
            scale = float(scale_of.get(benchmark, 0) or 0)  # type: ignore[arg-type]
        except ValueError:
            continue
        values[benchmark][model].append(number / scale if scale > 0 else number)  # type: ignore[index]
    percentiles: dict[str, list[float]] = defaultdict(list)
    for benchmark, by_model in values.items():
        if not wanted & set(by_model) or len(by_model) < 2:
            continue
        names = list(by_model)
        means = np.array([np.mean(by_model[name]) for name in names])
        if benchmark in lower_better:
            means = -means
        ranks = (rankdata(means) - 0.5) / len(names)
        for name, rank in zip(names, ranks, strict=True):
            if name in wanted:
                percentiles[name].append(float(rank))
    prior = {}
    for model in models:
        found = percentiles.get(model, [])
        share = len(found) / (len(found) + SMALL_SAMPLE)
        prior[model] = share * float(np.mean(found)) + (1 - share) * 0.5 if found else 0.5
    return prior
