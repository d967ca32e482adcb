"""Records to RDF: the one place that decides how models, offers and results are written.

Every fact is a quad whose graph is the named graph of the source that stated it
(:func:`ontology.terms.source_graph`), so provenance is never lost. When sources
disagree on a single-valued attribute (release date, parameter count...), the value of
the most authoritative source is kept (:data:`SOURCE_PRIORITY`) and written in that
source's graph; multi-valued facts are written in the graph of every source that states
them: every alias, and the capabilities and modalities enough sources agree on.

Examples
--------
>>> from datetime import date
>>> from loaders.records import SourceInfo
>>> info = SourceInfo("litellm", "LiteLLM", "prices.json", date(2026, 1, 2), "MIT", "https://x.org")
>>> quads = list(source_quads(info))
>>> (source_graph("litellm"), DCTERMS.title, Literal("LiteLLM"), source_graph("litellm")) in quads
True
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timezone
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from loaders.names import model_key
from loaders.records import OfferRecord, ProviderRecord, ResultRecord, SourceInfo
from loaders.resolve import ResolvedModel, mention_names
from ontology.files import match_benchmark
from ontology.terms import GENRE, SCHEMA, individual, slug, source_graph

Quad = tuple[Node, Node, Node, Node]

SOURCE_PRIORITY = (
    "user",
    "models_dev",
    "llmstats",
    "helm",
    "litellm",
    "epoch",
    "lmarena_text",
    "lmarena_vision",
    "open_llm_v2",
    "open_llm_v1",
)
"""Whose word wins for single-valued model attributes, most authoritative first."""

RESOLUTION_GRAPH = source_graph("resolution")
"""Graph of the facts GENRE derives itself while joining sources (a model's common id)."""


_WEB_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def web_iri(text: str | None) -> URIRef | None:
    """An http(s) IRI from a source's link cell, or ``None`` when blank or not a valid IRI."""
    if not text:
        return None
    text = text.strip()
    return URIRef(text) if _WEB_IRI.match(text) else None


def _priority(source: str) -> int:
    return SOURCE_PRIORITY.index(source) if source in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def decimal(value: float) -> Literal:
    """An ``xsd:decimal`` literal without float noise (``2.5e-06 * 1e6`` -> ``2.5``)."""
    return Literal(Decimal(repr(round(float(value), 9))).normalize(), datatype=XSD.decimal)


def model_iri(key: str) -> URIRef:
    """IRI of the model with resolution key ``key``."""
    return individual("model", key)


def provider_iri(provider_id: str) -> URIRef:
    """IRI of a provider."""
    return individual("provider", slug(provider_id))


def concept(kind: str, identifier: str) -> URIRef:
    """IRI of a vocabulary concept (``concept("modality", "image")``)."""
    return individual(kind, identifier)


def source_quads(info: SourceInfo) -> Iterator[Quad]:
    """The provenance of a source: title, licence, where and when it was retrieved."""
    graph = source_graph(info.name)
    retrieved = datetime.combine(info.retrieved, time(0, 0), tzinfo=timezone.utc)
    yield from (
        (graph, RDF.type, GENRE.Source, graph),
        (graph, RDF.type, DCAT.Dataset, graph),
        (graph, DCTERMS.title, Literal(info.title), graph),
        (graph, DCTERMS.license, Literal(info.licence), graph),
        (graph, DCAT.landingPage, URIRef(info.homepage), graph),
        (graph, DCTERMS.source, Literal(info.location.rsplit("/", 1)[-1] or info.location), graph),
        (graph, PROV.generatedAtTime, Literal(retrieved, datatype=XSD.dateTime), graph),
    )


def provider_quads(record: ProviderRecord, source: str, provider_id: str) -> Iterator[Quad]:
    """A provider node (``provider_id`` is the canonical id from :func:`loaders.resolve.provider_id`)."""
    graph = source_graph(source)
    node = provider_iri(provider_id)
    yield (node, RDF.type, GENRE.Provider, graph)
    if record.name:
        yield (node, SKOS.altLabel, Literal(record.name), graph)
    homepage = web_iri(record.homepage)
    if homepage is not None:
        yield (node, SCHEMA.url, homepage, graph)


def _first(model: ResolvedModel, attribute: str) -> tuple[Any, str] | None:
    """The value of ``attribute`` from the most authoritative mention that states it."""
    for source, mention in sorted(model.mentions, key=lambda item: _priority(item[0])):
        value = getattr(mention, attribute)
        if value not in (None, "", ()):
            return value, source
    return None


def preferred_label(model: ResolvedModel) -> tuple[str, str]:
    """The display name of a model and the source it comes from.

    Display names (not ids) win; among them a plain name ("GPT-4o") beats one carrying a
    date or setting in parentheses ("GPT-4o (2024-05-13)"); then the source priority decides.
    """
    accepted = {name for _, mention in model.mentions for name in mention_names(mention)}
    candidates = [
        (name, source) for source, mention in model.mentions for name in (mention.name,) if name and name in accepted
    ]
    if candidates:
        return min(candidates, key=lambda item: ("(" in item[0], _priority(item[1]), len(item[0]), item[0]))
    source, mention = min(model.mentions, key=lambda item: (_priority(item[0]), len(item[1].source_id)))
    return mention.source_id, source


def model_quads(model: ResolvedModel, *, creator_of: dict[str, str], model_keys: set[str]) -> Iterator[Quad]:
    """Every fact about one resolved model, each in the graph of the source that states it.

    ``creator_of`` maps raw creator spellings to canonical provider ids; ``model_keys`` lets
    ``fineTunedFrom`` point only at models that exist.
    """
    node = model_iri(model.key)
    label, label_source = preferred_label(model)
    yield (node, SKOS.prefLabel, Literal(label), source_graph(label_source))
    yield (node, DCTERMS.identifier, Literal(model.key), RESOLUTION_GRAPH)
    for source in sorted(model.sources):
        yield (node, RDF.type, GENRE.Model, source_graph(source))
    for source, mention in model.mentions:
        graph = source_graph(source)
        # names a person typed are all kept; a catalog's loose display names are not
        names = [mention.source_id, mention.name, *mention.aliases] if source == "user" else mention_names(mention)
        for name in filter(None, names):
            if name != label:
                yield (node, SKOS.altLabel, Literal(name), graph)
    yield from _voted_quads(node, model)
    yield from _single_valued_quads(node, model, creator_of=creator_of, model_keys=model_keys)


AGREEMENT = 0.25
"""Share of a model's describing mentions that must state a capability or modality for the model to get it."""


def _voted_quads(node: URIRef, model: ResolvedModel) -> Iterator[Quad]:
    """Capabilities and modalities that enough of a model's mentions agree on.

    A model served by 60 providers is described 60 times; one provider's entry that
    claims vision for Llama 3.1 8B is noise, while 64 of 70 entries claiming vision for
    GPT-4o is a fact. A value is kept when at least :data:`AGREEMENT` of the mentions that
    describe capabilities or modalities state it (any one, for a model described up to
    three times), and written in the graph of every source that states it.
    """
    fields = (
        ("input_modalities", GENRE.supportsInputModality, "modality"),
        ("output_modalities", GENRE.supportsOutputModality, "modality"),
        ("capabilities", GENRE.hasCapability, "capability"),
    )
    for attribute, predicate, kind in fields:
        describing = [
            (source, getattr(mention, attribute)) for source, mention in model.mentions if getattr(mention, attribute)
        ]
        counts = Counter(value for _, values in describing for value in values)
        needed = 1 if len(describing) <= 3 else AGREEMENT * len(describing)
        for value in sorted(counts):
            if counts[value] >= needed:
                for source in sorted({source for source, values in describing if value in values}):
                    yield (node, predicate, concept(kind, value), source_graph(source))


def _single_valued_quads(
    node: URIRef, model: ResolvedModel, *, creator_of: dict[str, str], model_keys: set[str]
) -> Iterator[Quad]:
    simple = {
        "release_date": (GENRE.releaseDate, lambda v: Literal(v, datatype=XSD.date)),
        "knowledge_cutoff": (GENRE.knowledgeCutoff, lambda v: Literal(v, datatype=XSD.date)),
        "parameter_count": (GENRE.parameterCount, lambda v: Literal(int(v), datatype=XSD.integer)),
        "open_weights": (GENRE.openWeights, lambda v: Literal(bool(v))),
        "licence": (GENRE.licence, Literal),
        "description": (SCHEMA.description, Literal),
        "context_window": (GENRE.contextWindow, lambda v: Literal(int(v), datatype=XSD.integer)),
        "max_output_tokens": (GENRE.maxOutputTokens, lambda v: Literal(int(v), datatype=XSD.integer)),
    }
    for attribute, (predicate, make) in simple.items():
        found = _first(model, attribute)
        if found is not None:
            yield (node, predicate, make(found[0]), source_graph(found[1]))
    creator = _first(model, "creator")
    if creator is not None:
        provider = provider_iri(creator_of.get(creator[0], creator[0]))
        graph = source_graph(creator[1])
        yield (node, GENRE.createdBy, provider, graph)
        yield (provider, RDF.type, GENRE.Provider, graph)
    family = _first(model, "family")
    if family is not None:
        family_node = individual("family", slug(family[0]))
        graph = source_graph(family[1])
        yield (node, GENRE.inFamily, family_node, graph)
        yield (family_node, RDF.type, GENRE.ModelFamily, graph)
        yield (family_node, SKOS.prefLabel, Literal(family[0]), graph)
    parent = _first(model, "fine_tuned_from")
    if parent is not None:
        parent_key = model_key(parent[0])
        if parent_key in model_keys and parent_key != model.key:
            yield (node, GENRE.fineTunedFrom, model_iri(parent_key), source_graph(parent[1]))


def offer_iri(source: str, offer: OfferRecord) -> URIRef:
    """IRI of an offer: one per source, provider and the id it is called by.

    The call id (LiteLLM's key) is unique within a catalog where the provider's own model id
    is not (``azure/gpt-4o`` and ``azure/eu/gpt-4o`` are both Azure's ``gpt-4o``).
    """
    return individual("offer", f"{source}/{slug(offer.provider)}/{slug(offer.call_id or offer.provider_model_id)}")


def offer_quads(offer: OfferRecord, *, source: str, model_key: str, provider_id: str) -> Iterator[Quad]:
    """An offer with its prices, limits, modalities and features, linked to its model and provider."""
    graph = source_graph(source)
    node = offer_iri(source, offer)
    model = model_iri(model_key)
    provider = provider_iri(provider_id)
    yield from (
        (node, RDF.type, GENRE.Offer, graph),
        (node, GENRE.offerOf, model, graph),
        (model, GENRE.hasOffer, node, graph),
        (node, GENRE.offeredBy, provider, graph),
        (provider, GENRE.offers, node, graph),
        (provider, RDF.type, GENRE.Provider, graph),
        (node, GENRE.providerModelId, Literal(offer.provider_model_id), graph),
        (node, PROV.wasDerivedFrom, graph, graph),
    )
    optional: list[tuple[URIRef, Any]] = [
        (GENRE.callId, offer.call_id and Literal(offer.call_id)),
        (GENRE.inputPricePerMillionTokens, _price(offer.input_price_per_mtok)),
        (GENRE.outputPricePerMillionTokens, _price(offer.output_price_per_mtok)),
        (GENRE.contextWindow, _positive_int(offer.context_window)),
        (GENRE.maxOutputTokens, _positive_int(offer.max_output_tokens)),
        (GENRE.apiMode, offer.mode and Literal(offer.mode)),
        (GENRE.deprecationDate, offer.deprecation_date and Literal(offer.deprecation_date, datatype=XSD.date)),
        (GENRE.throughputTokensPerSecond, offer.throughput_tokens_per_s and decimal(offer.throughput_tokens_per_s)),
        (GENRE.latencySeconds, offer.latency_s and decimal(offer.latency_s)),
    ]
    for predicate, value in optional:
        if value is not None and value is not False and value != "":
            yield (node, predicate, value, graph)
    for modality in sorted(offer.input_modalities):
        yield (node, GENRE.supportsInputModality, concept("modality", modality), graph)
    for modality in sorted(offer.output_modalities):
        yield (node, GENRE.supportsOutputModality, concept("modality", modality), graph)
    for feature in sorted(offer.features):
        yield (node, GENRE.supportsFeature, concept("capability", feature), graph)


def _price(value: float | None) -> Literal | None:
    return None if value is None else decimal(value)


def _positive_int(value: int | None) -> Literal | None:
    return None if value is None else Literal(int(value), datatype=XSD.integer)


def benchmark_for(name: str, source: str) -> tuple[URIRef, list[Quad]]:
    """The Benchmark node a source's benchmark name denotes, minting one when the vocabulary lacks it."""
    known = match_benchmark(name)
    if known is not None:
        return known, []
    graph = source_graph(source)
    node = individual("benchmark", slug(name))
    return node, [
        (node, RDF.type, GENRE.Benchmark, graph),
        (node, SKOS.prefLabel, Literal(name), graph),
    ]


def result_quads(result: ResultRecord, *, source: str, model_key: str, benchmark: URIRef) -> Iterator[Quad]:
    """One benchmark result: model, benchmark, metric, value, scale, date and where it came from."""
    graph = source_graph(source)
    model = model_iri(model_key)
    # every row of a source is its own fact: two rows differing only in value or link are two results
    parts = (source, result.model_source_id, benchmark, result.metric, result.setting, result.date, result.value)
    fingerprint = "|".join(str(part) for part in (*parts, result.source_url))
    node = individual("result", hashlib.sha1(fingerprint.encode()).hexdigest()[:16])
    yield from (
        (node, RDF.type, GENRE.BenchmarkResult, graph),
        (node, GENRE.evaluatedModel, model, graph),
        (model, GENRE.hasBenchmarkResult, node, graph),
        (node, GENRE.evaluatedOn, benchmark, graph),
        (node, GENRE.metric, Literal(result.metric), graph),
        (node, GENRE.value, decimal(result.value), graph),
        (node, PROV.wasDerivedFrom, graph, graph),
        (node, DCTERMS.identifier, Literal(result.model_source_id), graph),
    )
    if result.scale_max is not None:
        yield (node, GENRE.scaleMax, decimal(result.scale_max), graph)
    if result.date is not None:
        yield (node, GENRE.resultDate, Literal(result.date, datatype=XSD.date), graph)
    if result.setting:
        yield (node, GENRE.evaluationSetting, Literal(result.setting), graph)
    if result.self_reported is not None:
        yield (node, GENRE.selfReported, Literal(result.self_reported), graph)
    source_url = web_iri(result.source_url)
    if source_url is not None:
        yield (node, DCTERMS.source, source_url, graph)


def dedupe(quads: Iterable[Quad]) -> list[Quad]:
    """Quads without repeats, in first-seen order."""
    return list(dict.fromkeys(quads))
