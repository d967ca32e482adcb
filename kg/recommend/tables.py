"""The recommender's view of the graph: one table of offers with their model facts, read once per graph.

:func:`graph_tables` reads the store in a handful of SPARQL queries and keeps the answer as numpy
arrays (one row per offer, one per offered model, one per benchmark), cached by
:func:`graph_fingerprint`: the snapshot the store was loaded from plus the size of the graph of
hand-added models. Feedback graphs are not part of the fingerprint, so writing feedback never
rebuilds the tables (personalization reads feedback on every request instead).

Only models with at least one offer are candidates, so only they (and their benchmark results)
are read. Capabilities, modalities and features are bit masks over the vocabulary.

Examples
--------
>>> import genre
>>> tables = graph_tables(genre.open(snapshot=FIXTURE).store)
>>> len(tables.offer_model) == len(tables.offer_iri) > 0
True
>>> tables.model_label[tables.model_index["https://w3id.org/genre/model/gpt-4o"]]
'GPT-4o'
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from kg.store import Store
from ontology.terms import BASE

CAPABILITY = f"{BASE}capability/"
MODALITY = f"{BASE}modality/"
TASK = f"{BASE}task/"
DOMAIN = f"{BASE}domain/"
BENCHMARK = f"{BASE}benchmark/"
PROVIDER = f"{BASE}provider/"

_OFFERS = """
SELECT ?model ?offer ?provider ?call_id ?input_price ?output_price ?context_window ?max_output_tokens ?title WHERE {
  ?model genre:hasOffer ?offer . ?offer genre:offeredBy ?provider .
  OPTIONAL { ?offer genre:callId ?call_id }
  OPTIONAL { ?offer genre:inputPricePerMillionTokens ?input_price }
  OPTIONAL { ?offer genre:outputPricePerMillionTokens ?output_price }
  OPTIONAL { ?offer genre:contextWindow ?context_window }
  OPTIONAL { ?offer genre:maxOutputTokens ?max_output_tokens }
  OPTIONAL { ?offer prov:wasDerivedFrom ?graph . ?graph dcterms:title ?title }
}"""
_OFFER_LINKS = """
SELECT DISTINCT ?offer ?p ?x WHERE {
  VALUES ?p { genre:supportsInputModality genre:supportsOutputModality genre:supportsFeature }
  ?offer ?p ?x ; a genre:Offer .
}"""
_MODELS = """
SELECT ?model ?id ?label ?open ?creator ?family ?context_window ?max_output_tokens WHERE {
  { SELECT DISTINCT ?model WHERE { ?model genre:hasOffer ?offer } }
  OPTIONAL { ?model dcterms:identifier ?id }
  OPTIONAL { ?model skos:prefLabel ?label }
  OPTIONAL { ?model genre:openWeights ?open }
  OPTIONAL { ?model genre:createdBy ?creator }
  OPTIONAL { ?model genre:inFamily ?family }
  OPTIONAL { ?model genre:contextWindow ?context_window }
  OPTIONAL { ?model genre:maxOutputTokens ?max_output_tokens }
}"""
_MODEL_LINKS = """
SELECT DISTINCT ?model ?p ?x WHERE {
  { SELECT DISTINCT ?model WHERE { ?model genre:hasOffer ?offer } }
  VALUES ?p { genre:supportsInputModality genre:supportsOutputModality genre:hasCapability }
  ?model ?p ?x .
}"""
_RESULTS = """
SELECT ?model ?benchmark ?value ?scale_max ?date ?self_reported ?metric ?title WHERE {
  { SELECT DISTINCT ?model WHERE { ?model genre:hasOffer ?offer } }
  ?model genre:hasBenchmarkResult ?result .
  ?result genre:evaluatedOn ?benchmark ; genre:value ?value .
  OPTIONAL { ?result genre:scaleMax ?scale_max }
  OPTIONAL { ?result genre:resultDate ?date }
  OPTIONAL { ?result genre:selfReported ?self_reported }
  OPTIONAL { ?result genre:metric ?metric }
  OPTIONAL { ?result prov:wasDerivedFrom ?graph . ?graph dcterms:title ?title }
}"""
_BENCHMARKS = """
SELECT ?benchmark ?label ?higher ?scale_max WHERE {
  ?benchmark a genre:Benchmark .
  OPTIONAL { ?benchmark skos:prefLabel ?label FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?benchmark genre:higherIsBetter ?higher }
  OPTIONAL { ?benchmark genre:scaleMax ?scale_max }
}"""
_VOCABULARY_LINKS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { genre:taskRequiresCapability genre:taskInDomain genre:domainNeedsCapability
              genre:measuresCapability genre:benchmarkForTask genre:benchmarkInDomain }
  ?s ?p ?o .
}"""
_CONCEPT_LABELS = """
SELECT ?x ?label WHERE {
  VALUES ?cls { genre:Capability genre:Task genre:Domain genre:Modality genre:Provider genre:ModelFamily }
  ?x a ?cls ; skos:prefLabel|rdfs:label ?label .
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
_PRESETS = """
SELECT ?preset ?label ?task ?temperature ?top_p ?max_tokens ?effort WHERE {
  ?preset a genre:ConfigurationPreset .
  OPTIONAL { ?preset rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?preset genre:presetForTask ?task }
  OPTIONAL { ?preset genre:temperature ?temperature }
  OPTIONAL { ?preset genre:topP ?top_p }
  OPTIONAL { ?preset genre:maxTokens ?max_tokens }
  OPTIONAL { ?preset genre:reasoningEffort ?effort }
}"""


@dataclass(frozen=True, slots=True)
class Preset:
    """A configuration preset from the graph (``genre:ConfigurationPreset``)."""

    iri: str
    label: str
    temperature: float | None
    top_p: float | None
    max_tokens: int | None
    reasoning_effort: str | None


@dataclass(frozen=True, slots=True)
class Result:
    """One benchmark result of an offered model, as evidence shows it."""

    value: float
    scale_max: float | None
    metric: str | None
    date: date | None
    self_reported: bool
    source: str


@dataclass(slots=True)
class GraphTables:
    """Arrays describing every offer, offered model and benchmark of one graph.

    Offer arrays (``offer_*``) have one row per offer; model arrays (``model_*``) one row per
    model that has an offer; ``*_mask`` columns are bit masks over :attr:`bits`.
    """

    fingerprint: str
    bits: dict[str, int]
    # offers
    offer_iri: list[str]
    offer_model: np.ndarray
    offer_provider: list[str]
    offer_call_id: list[str | None]
    offer_source: list[str]
    offer_input_price: np.ndarray
    offer_output_price: np.ndarray
    offer_context: np.ndarray
    offer_max_output: np.ndarray
    offer_input_mask: np.ndarray
    offer_output_mask: np.ndarray
    offer_feature_mask: np.ndarray
    # models
    model_iri: list[str]
    model_index: dict[str, int]
    model_id: list[str]
    model_label: list[str]
    model_open: np.ndarray
    model_creator: list[str | None]
    model_family: list[str | None]
    model_input_mask: np.ndarray
    model_output_mask: np.ndarray
    model_capability_mask: np.ndarray
    model_context: np.ndarray
    model_max_output: np.ndarray
    # benchmarks and results
    benchmark_iri: list[str]
    benchmark_index: dict[str, int]
    benchmark_label: list[str]
    benchmark_higher: np.ndarray
    results: dict[tuple[int, int], list[Result]]
    # vocabulary
    links: dict[str, list[tuple[str, str]]]
    labels: dict[str, str]
    presets: dict[str, Preset]
    preset_for_task: dict[str, str]
    newest_result: date | None = None
    derived: dict[str, Any] = field(default_factory=dict)
    """What scorers compute once per graph from these tables (projections, benchmark matrices)."""

    def cached(self, key: str, build: Callable[[GraphTables], Any]) -> Any:
        """``build(self)``, computed once per tables and kept under ``key``."""
        if key not in self.derived:
            self.derived[key] = build(self)
        return self.derived[key]

    def bit(self, iri: str) -> int:
        """The mask bit of a capability or modality IRI (0 when the graph never uses it)."""
        return self.bits.get(iri, 0)

    def mask(self, iris: Any) -> int:
        """The mask of several capability or modality IRIs."""
        value = 0
        for iri in iris:
            value |= self.bit(iri)
        return value

    def label(self, iri: str) -> str:
        """The English label of any concept, provider or family (its id when it has none)."""
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]


def graph_fingerprint(store: Store) -> str:
    """A cheap fingerprint of what the tables are built from: the snapshot and the hand-added models.

    Feedback and imported logs are left out on purpose: only personalization and past-request
    relevance read them, live.
    """
    from kg.snapshot import content_fingerprint

    return content_fingerprint(store, (f"{BASE}source/user",))


_CACHE: list[tuple[Store, GraphTables]] = []
_LOCK = threading.Lock()


def graph_tables(store: Store) -> GraphTables:
    """The tables of ``store``, rebuilt only when :func:`graph_fingerprint` changes.

    One graph is cached at a time in memory (a process rarely serves two, and the tables are
    large); for a persistent store they are also kept on disk, so that the next process (a
    ``genre recommend`` call) reads them in a fraction of a second instead of rebuilding them.
    """
    fingerprint = graph_fingerprint(store)
    with _LOCK:
        if _CACHE and _CACHE[0][0] is store and _CACHE[0][1].fingerprint == fingerprint:
            return _CACHE[0][1]
        tables = _read_cached(fingerprint) if store.path is not None else None
        if tables is None:
            tables = read_tables(store, fingerprint)
            if store.path is not None:
                _write_cached(tables)
        _CACHE[:] = [(store, tables)]
    return tables


def _cache_folder() -> Path:
    """``$GENRE_HOME/cache/recommend``."""
    from genre.settings import Settings

    return Settings.load().home / "cache" / "recommend"


def _read_cached(fingerprint: str) -> GraphTables | None:
    path = _cache_folder() / f"tables-{fingerprint}.pickle"
    try:
        with path.open("rb") as stream:
            tables = pickle.load(stream)  # noqa: S301 - GENRE's own cache, written by _write_cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return tables if isinstance(tables, GraphTables) and tables.fingerprint == fingerprint else None


def _write_cached(tables: GraphTables) -> None:
    """Keep one cached table file: write the new one atomically, then drop the others."""
    folder = _cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"tables-{tables.fingerprint}.pickle"
        partial = target.with_suffix(".partial")
        with partial.open("wb") as stream:
            pickle.dump(tables, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(target)
        for old in folder.glob("tables-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _float(value: Any) -> float:
    return float(value.toPython()) if value is not None else float("nan")


def _int(value: Any) -> int:
    return int(value.toPython()) if value is not None else 0


def read_tables(store: Store, fingerprint: str = "") -> GraphTables:
    """Read the tables from ``store`` (use :func:`graph_tables`, which caches)."""
    bits: dict[str, int] = {}

    def bit(iri: str) -> int:
        if iri not in bits:
            bits[iri] = 1 << len(bits)
        return bits[iri]

    # the vocabulary's capabilities and modalities get the first bits, in a stable order
    for (iri,) in store.select(
        "SELECT ?x WHERE { VALUES ?c { genre:Capability genre:Modality } ?x a ?c } ORDER BY ?x"
    ).rows:
        if len(bits) < 63:
            bit(str(iri))

    models_rows = sorted(store.select(_MODELS).rows, key=lambda row: str(row[0]))
    model_iri: list[str] = []
    model_index: dict[str, int] = {}
    facts: list[tuple[Any, ...]] = []
    for row in models_rows:
        iri = str(row[0])
        if iri in model_index:
            continue  # several values of a single-valued fact: keep the first in IRI order
        model_index[iri] = len(model_iri)
        model_iri.append(iri)
        facts.append(row)
    n_models = len(model_iri)
    model_input = np.zeros(n_models, dtype=np.uint64)
    model_output = np.zeros(n_models, dtype=np.uint64)
    model_caps = np.zeros(n_models, dtype=np.uint64)
    predicate_column = {"supportsInputModality": model_input, "supportsOutputModality": model_output}
    for model, predicate, value in store.select(_MODEL_LINKS).rows:
        column = predicate_column.get(str(predicate).rsplit("#", 1)[-1], model_caps)
        index = model_index[str(model)]
        column[index] = column[index] | np.uint64(bit(str(value)))

    offer_rows = sorted(store.select(_OFFERS).rows, key=lambda row: (str(row[1]), str(row[0])))
    seen: set[str] = set()
    offers = []
    for row in offer_rows:
        if str(row[1]) not in seen and str(row[0]) in model_index:
            seen.add(str(row[1]))
            offers.append(row)
    offer_index = {str(row[1]): i for i, row in enumerate(offers)}
    n_offers = len(offers)
    offer_input = np.zeros(n_offers, dtype=np.uint64)
    offer_output = np.zeros(n_offers, dtype=np.uint64)
    offer_features = np.zeros(n_offers, dtype=np.uint64)
    offer_column = {"supportsInputModality": offer_input, "supportsOutputModality": offer_output}
    for offer, predicate, value in store.select(_OFFER_LINKS).rows:
        index = offer_index.get(str(offer))
        if index is None:
            continue
        column = offer_column.get(str(predicate).rsplit("#", 1)[-1], offer_features)
        column[index] = column[index] | np.uint64(bit(str(value)))

    benchmark_rows = sorted(store.select(_BENCHMARKS).rows, key=lambda row: str(row[0]))
    benchmark_iri: list[str] = []
    benchmark_index: dict[str, int] = {}
    benchmark_label: list[str] = []
    higher: list[bool] = []
    for iri, label, is_higher, _scale in benchmark_rows:
        if str(iri) in benchmark_index:
            continue
        benchmark_index[str(iri)] = len(benchmark_iri)
        benchmark_iri.append(str(iri))
        benchmark_label.append(str(label) if label is not None else str(iri).rsplit("/", 1)[-1])
        higher.append(bool(is_higher.toPython()) if is_higher is not None else True)

    results: dict[tuple[int, int], list[Result]] = {}
    newest: date | None = None
    for model, benchmark, value, scale, day, self_reported, metric, title in store.select(_RESULTS).rows:
        b = benchmark_index.get(str(benchmark))
        if b is None:
            continue
        when = day.toPython() if day is not None and isinstance(day.toPython(), date) else None
        if when is not None and (newest is None or when > newest):
            newest = when
        results.setdefault((model_index[str(model)], b), []).append(
            Result(
                value=_float(value),
                scale_max=_float(scale) if scale is not None else None,
                metric=str(metric) if metric is not None else None,
                date=when,
                self_reported=bool(self_reported.toPython()) if self_reported is not None else False,
                source=str(title) if title is not None else "unknown source",
            )
        )
    for key in results:
        results[key].sort(key=lambda r: (r.date or date.min, r.value, r.source), reverse=True)

    links: dict[str, list[tuple[str, str]]] = {}
    for subject, predicate, obj in sorted(store.select(_VOCABULARY_LINKS).rows):
        links.setdefault(str(predicate).rsplit("#", 1)[-1], []).append((str(subject), str(obj)))
    labels: dict[str, str] = {}
    for iri, label in sorted(store.select(_CONCEPT_LABELS).rows, key=lambda row: (str(row[0]), str(row[1]))):
        labels.setdefault(str(iri), str(label))

    presets: dict[str, Preset] = {}
    preset_for_task: dict[str, str] = {}
    for iri, label, task, temperature, top_p, max_tokens, effort in sorted(store.select(_PRESETS).rows):
        presets.setdefault(
            str(iri),
            Preset(
                iri=str(iri),
                label=str(label) if label is not None else str(iri).rsplit("/", 1)[-1],
                temperature=_float(temperature) if temperature is not None else None,
                top_p=_float(top_p) if top_p is not None else None,
                max_tokens=_int(max_tokens) if max_tokens is not None else None,
                reasoning_effort=str(effort) if effort is not None else None,
            ),
        )
        if task is not None:
            preset_for_task.setdefault(str(task), str(iri))

    return GraphTables(
        fingerprint=fingerprint,
        bits=bits,
        offer_iri=[str(row[1]) for row in offers],
        offer_model=np.array([model_index[str(row[0])] for row in offers], dtype=np.int64),
        offer_provider=[str(row[2]) for row in offers],
        offer_call_id=[str(row[3]) if row[3] is not None else None for row in offers],
        offer_source=[str(row[8]) if row[8] is not None else "unknown source" for row in offers],
        offer_input_price=np.array([_float(row[4]) for row in offers], dtype=float),
        offer_output_price=np.array([_float(row[5]) for row in offers], dtype=float),
        offer_context=np.array([_int(row[6]) for row in offers], dtype=np.int64),
        offer_max_output=np.array([_int(row[7]) for row in offers], dtype=np.int64),
        offer_input_mask=offer_input,
        offer_output_mask=offer_output,
        offer_feature_mask=offer_features,
        model_iri=model_iri,
        model_index=model_index,
        model_id=[str(row[1]) if row[1] is not None else str(row[0]).rsplit("/", 1)[-1] for row in facts],
        model_label=[str(row[2]) if row[2] is not None else str(row[0]).rsplit("/", 1)[-1] for row in facts],
        model_open=np.array(
            [
                1 if row[3] is not None and row[3].toPython() is True else (0 if row[3] is not None else -1)
                for row in facts
            ],
            dtype=np.int8,
        ),
        model_creator=[str(row[4]) if row[4] is not None else None for row in facts],
        model_family=[str(row[5]) if row[5] is not None else None for row in facts],
        model_input_mask=model_input,
        model_output_mask=model_output,
        model_capability_mask=model_caps,
        benchmark_iri=benchmark_iri,
        benchmark_index=benchmark_index,
        benchmark_label=benchmark_label,
        benchmark_higher=np.array(higher, dtype=bool),
        results=results,
        links=links,
        labels=labels,
        presets=presets,
        preset_for_task=preset_for_task,
        model_context=np.array([_int(row[6]) for row in facts], dtype=np.int64),
        model_max_output=np.array([_int(row[7]) for row in facts], dtype=np.int64),
        newest_result=newest,
    )
