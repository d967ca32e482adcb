"""Term constants for code: GENRE's ontology terms and the IRIs of its individuals.

:class:`GENRE` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo such
as ``GENRE.Modle`` raises at once instead of minting a term nobody defined. Each
term here is declared, labelled and commented in ``ontology/genre.ttl`` (a test
checks both directions).

Individuals (models, providers, concepts...) live under :data:`BASE`; the helpers
below mint their IRIs from ids so every module spells them the same way.

Examples
--------
>>> str(GENRE.Model)
'https://w3id.org/genre/ontology#Model'
>>> str(individual("capability", "function-calling"))
'https://w3id.org/genre/capability/function-calling'
>>> slug("Claude 3.5 Sonnet (2024/10/22)")
'claude-3.5-sonnet-2024-10-22'
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/genre/"
"""Namespace of GENRE's individuals: ``{BASE}{kind}/{id}``."""

SCHEMA = Namespace("https://schema.org/")
FAIR4ML = Namespace("https://w3id.org/fair4ml#")
MLS = Namespace("http://www.w3.org/ns/mls#")


class GENRE(DefinedNamespace):
    """GENRE's ontology terms (``https://w3id.org/genre/ontology#``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/genre/ontology#")

    # classes
    Model: URIRef
    ModelFamily: URIRef
    Provider: URIRef
    Offer: URIRef
    Capability: URIRef
    Task: URIRef
    Domain: URIRef
    Modality: URIRef
    Language: URIRef
    Benchmark: URIRef
    BenchmarkResult: URIRef
    ConfigurationPreset: URIRef
    User: URIRef
    Request: URIRef
    Feedback: URIRef
    Outcome: URIRef
    Source: URIRef

    # concept schemes
    CapabilityScheme: URIRef
    TaskScheme: URIRef
    DomainScheme: URIRef
    ModalityScheme: URIRef
    LanguageScheme: URIRef

    # model and offer structure
    offers: URIRef  # Provider -> Offer
    offeredBy: URIRef  # Offer -> Provider
    offerOf: URIRef  # Offer -> Model
    hasOffer: URIRef  # Model -> Offer
    createdBy: URIRef  # Model -> Provider (the organisation that made it)
    inFamily: URIRef  # Model -> ModelFamily
    fineTunedFrom: URIRef  # Model -> Model
    hasCapability: URIRef  # Model -> Capability
    supportsFeature: URIRef  # Offer -> Capability
    supportsInputModality: URIRef  # Model | Offer -> Modality
    supportsOutputModality: URIRef  # Model | Offer -> Modality

    # vocabulary structure
    taskRequiresCapability: URIRef  # Task -> Capability
    taskInDomain: URIRef  # Task -> Domain
    domainNeedsCapability: URIRef  # Domain -> Capability
    measuresCapability: URIRef  # Benchmark -> Capability
    benchmarkForTask: URIRef  # Benchmark -> Task
    benchmarkInDomain: URIRef  # Benchmark -> Domain
    presetForTask: URIRef  # ConfigurationPreset -> Task

    # benchmark results
    evaluatedModel: URIRef  # BenchmarkResult -> Model
    evaluatedOn: URIRef  # BenchmarkResult -> Benchmark
    hasBenchmarkResult: URIRef  # Model -> BenchmarkResult

    # users, requests, feedback
    requestedBy: URIRef  # Request -> User
    mentions: URIRef  # Request -> any linked entity
    givenBy: URIRef  # Feedback -> User
    aboutModel: URIRef  # Feedback -> Model
    aboutRequest: URIRef  # Feedback -> Request
    preferredOver: URIRef  # Feedback -> Model (the loser of a pairwise vote)

    # routing outcomes
    outcomeOf: URIRef  # Outcome -> Request
    outcomeModel: URIRef  # Outcome -> Model

    # model data
    releaseDate: URIRef
    knowledgeCutoff: URIRef
    parameterCount: URIRef
    openWeights: URIRef
    licence: URIRef

    # offer data
    callId: URIRef
    providerModelId: URIRef
    inputPricePerMillionTokens: URIRef
    outputPricePerMillionTokens: URIRef
    contextWindow: URIRef
    maxOutputTokens: URIRef
    apiMode: URIRef
    deprecationDate: URIRef
    throughputTokensPerSecond: URIRef
    latencySeconds: URIRef

    # benchmark and result data
    metric: URIRef
    value: URIRef
    scaleMax: URIRef
    higherIsBetter: URIRef
    selfReported: URIRef
    evaluationSetting: URIRef
    resultDate: URIRef

    # configuration presets
    temperature: URIRef
    topP: URIRef
    maxTokens: URIRef
    reasoningEffort: URIRef

    # feedback data
    feedbackKind: URIRef
    rating: URIRef
    requestText: URIRef
    comment: URIRef
    createdAt: URIRef

    # outcome data
    outcomeScore: URIRef
    costUsd: URIRef


_SLUG_DROP = re.compile(r"[^a-z0-9.\-_:]+")


def slug(text: str) -> str:
    """A lower-case IRI-safe id for ``text``: runs of other characters become ``-``."""
    lowered = text.strip().lower().replace("/", "-").replace(" ", "-")
    return re.sub(r"-{2,}", "-", _SLUG_DROP.sub("-", lowered)).strip("-") or "unnamed"


def individual(kind: str, identifier: str) -> URIRef:
    """The IRI of an individual of ``kind`` (``model``, ``provider``, ``capability``...)."""
    return URIRef(f"{BASE}{kind}/{identifier}")


def source_graph(source_name: str) -> URIRef:
    """The named graph that holds every fact loaded from the source ``source_name``."""
    return individual("source", source_name)


ONTOLOGY_GRAPH = URIRef(f"{BASE}graph/ontology")
"""Named graph holding the ontology and its controlled vocabularies."""
