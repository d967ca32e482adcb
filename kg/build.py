"""Build the knowledge graph from the public sources: load, resolve, write with provenance.

:func:`build_graph` runs the loaders named in ``locations`` (source name -> path or URL),
joins their model mentions (:mod:`loaders.resolve`), turns everything into quads
(:mod:`kg.triples`) and replaces, in the store, the named graphs of the sources it read,
together with the ontology graph. Graphs it did not read (user additions, feedback)
are left as they are.

Examples
--------
>>> from kg.store import Store
>>> report = build_graph(Store.open(), {})          # no source: just the ontology
>>> report.models
0
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from genre.errors import ConfigError
from kg.store import Store
from kg.triples import (
    RESOLUTION_GRAPH,
    Quad,
    benchmark_for,
    dedupe,
    model_quads,
    offer_quads,
    provider_quads,
    result_quads,
    source_quads,
)
from loaders import LOADERS
from loaders.records import ModelMention, SourceBatch
from loaders.resolve import Resolution, provider_id, resolve_mentions
from ontology.files import ontology_graph
from ontology.terms import ONTOLOGY_GRAPH, source_graph

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while building."""


@dataclass(slots=True)
class SourceReport:
    """What one source contributed."""

    name: str
    mentions: int
    offers: int
    results: int
    matched: int
    models: int
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def match_rate(self) -> float:
        """Share of the source's models that another source also mentions."""
        return self.matched / self.models if self.models else 0.0


@dataclass(slots=True)
class BuildReport:
    """What a build did: per-source figures, the number of models and quads, the time taken."""

    sources: list[SourceReport]
    models: int
    quads: int
    seconds: float


def default_locations(data_dir: Path | None, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where each source is read from: ``data_dir/<default_path>``, replaced by ``overrides``.

    Without a data folder only the overridden sources are read. Unknown source names raise
    :class:`ConfigError` listing the valid ones.
    """
    overrides = dict(overrides or {})
    for name in overrides:
        if name not in LOADERS:
            raise ConfigError(f"unknown source {name!r}", options=LOADERS.names())
    locations: dict[str, str] = {}
    if data_dir is not None:
        for name in LOADERS.names():
            locations[name] = str(Path(data_dir) / LOADERS.load(name).default_path)
    locations.update(overrides)
    return locations


def read_sources(locations: Mapping[str, str], progress: Progress | None = None) -> dict[str, SourceBatch]:
    """Run each named loader on its location; errors name the source and the file."""
    batches: dict[str, SourceBatch] = {}
    for done, (name, location) in enumerate(sorted(locations.items())):
        if progress:
            progress(f"reading {name}", done, len(locations))
        loader = LOADERS.load(name)()
        batch = loader.load(location)
        batch.skipped.update(getattr(loader, "skipped", {}))
        batches[name] = batch
    if progress:
        progress("reading sources", len(locations), len(locations))
    return batches


def _creator_ids(batches: Mapping[str, SourceBatch]) -> dict[str, str]:
    creators = {mention.creator for batch in batches.values() for mention in batch.models if mention.creator}
    return {creator: provider_id(creator) for creator in creators}


def _with_referenced_mentions(batch: SourceBatch) -> list[ModelMention]:
    """A batch's mentions plus a bare mention for any offer's or result's model the batch did not describe."""
    known = {mention.source_id for mention in batch.models}
    extra = {
        offer.model_source_id: ModelMention(source_id=offer.model_source_id)
        for offer in batch.offers
        if offer.model_source_id not in known
    }
    extra.update(
        {
            result.model_source_id: ModelMention(source_id=result.model_source_id)
            for result in batch.results
            if result.model_source_id not in known
        }
    )
    return [*batch.models, *extra.values()]


def graph_quads(
    batches: Mapping[str, SourceBatch], progress: Progress | None = None
) -> tuple[list[Quad], Resolution, list[SourceReport]]:
    """All quads for the given batches, the resolution of their models, and per-source reports."""
    resolution = resolve_mentions({name: _with_referenced_mentions(batch) for name, batch in batches.items()})
    creator_of = _creator_ids(batches)
    model_keys = set(resolution.models)
    quads: list[Quad] = []
    for name, batch in batches.items():
        quads.extend(source_quads(batch.source))
        for record in batch.providers:
            quads.extend(provider_quads(record, name, provider_id(record.provider_id)))
    total = len(resolution.models)
    for done, model in enumerate(resolution.models.values()):
        if progress and done % 2000 == 0:
            progress("writing models", done, total)
        quads.extend(model_quads(model, creator_of=creator_of, model_keys=model_keys))
    minted: dict[str, URIRef] = {}
    for name, batch in batches.items():
        for offer in batch.offers:
            key = resolution.key_of(name, offer.model_source_id)
            quads.extend(offer_quads(offer, source=name, model_key=key, provider_id=provider_id(offer.provider)))
        for result in batch.results:
            benchmark, new = benchmark_for(result.benchmark, name)
            if new and str(benchmark) not in minted:
                minted[str(benchmark)] = benchmark
                quads.extend(new)
            key = resolution.key_of(name, result.model_source_id)
            quads.extend(result_quads(result, source=name, model_key=key, benchmark=benchmark))
    if progress:
        progress("writing models", total, total)
    reports = []
    for name, batch in batches.items():
        matched, models = resolution.match_rate(name)
        reports.append(
            SourceReport(
                name=name,
                mentions=len(batch.models),
                offers=len(batch.offers),
                results=len(batch.results),
                matched=matched,
                models=models,
                skipped=dict(batch.skipped),
            )
        )
    return dedupe(quads), resolution, reports


def ontology_quads() -> list[Quad]:
    """The ontology and vocabularies as quads in the ontology graph."""
    return [(s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology_graph()]


def build_graph(store: Store, locations: Mapping[str, str], *, progress: Progress | None = None) -> BuildReport:
    """Read the sources at ``locations`` and replace their graphs (and the ontology) in ``store``.

    Everything is read and converted before the store is touched, so a bad source leaves
    the store as it was.
    """
    started = time.perf_counter()
    batches = read_sources(locations, progress)
    quads, resolution, reports = graph_quads(batches, progress)
    quads = ontology_quads() + quads
    if progress:
        progress("storing", 0, 1)
    for name in batches:
        store.remove_graph(source_graph(name))
    store.remove_graph(ONTOLOGY_GRAPH)
    if batches:
        store.remove_graph(RESOLUTION_GRAPH)
    store.add_quads(quads)
    if progress:
        progress("storing", 1, 1)
    return BuildReport(
        sources=reports, models=len(resolution.models), quads=len(quads), seconds=time.perf_counter() - started
    )
