"""What a linked request needs, in graph terms: seeds, capabilities, benchmarks and output modalities.

:func:`request_needs` reads a :class:`kg.linking.LinkResult` and the vocabulary links of the
graph and returns :class:`Needs`:

- ``seeds``: linked entity IRI -> weight (its linking confidence), the restart vector of
  personalized PageRank. A request that links no task, capability or domain is seeded with
  :data:`DEFAULT_SEEDS` (the chat task and the text-generation and general-reasoning capabilities),
  so "help me" still ranks models by general ability.
- ``capabilities``: capability IRI -> weight, from linked capabilities (weight 1 × confidence), the
  capabilities linked tasks require and linked domains need (:data:`DERIVED_WEIGHT` × confidence),
  modalities of attachments (image -> vision, audio -> audio understanding...), and multilingual
  when the request asks for an output language.
- ``benchmarks``: benchmark IRI -> relevance to the request in [0, 1]: a benchmark for a needed task
  counts 1, one measuring a needed capability its capability weight, one in a needed domain
  :data:`DOMAIN_BENCHMARK_WEIGHT`; each times the confidence, maximum over the routes. Each also
  remembers the chain of needs it came from (``reasons``: "summarization → reading comprehension"),
  which evidence prints.
- ``output_modalities``: ``{"text"}``, or the media a generation task or capability asks for
  (image generation -> image...).

Examples
--------
>>> from kg.linking import LinkResult, LinkedEntity, Constraints
>>> import genre
>>> from kg.recommend.tables import graph_tables
>>> tables = graph_tables(genre.open(snapshot=FIXTURE).store)
>>> code = LinkedEntity("https://w3id.org/genre/task/code-generation", "code generation", "task", 1.0)
>>> needs = request_needs(LinkResult("write code", [code], ["text"], Constraints(), 3), tables)
>>> needs.benchmarks["https://w3id.org/genre/benchmark/humaneval"]
1.0
>>> needs.default_seeded
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.recommend.tables import BENCHMARK, CAPABILITY, MODALITY, TASK, GraphTables

DEFAULT_SEEDS = {
    f"{TASK}chat": 1.0,
    f"{CAPABILITY}text-generation": 0.5,
    f"{CAPABILITY}general-reasoning": 1.0,
}
"""Seeds of a request that names no task, capability or domain."""

DERIVED_WEIGHT = 0.6
"""Weight of a capability that a linked task requires or a linked domain needs."""
DOMAIN_BENCHMARK_WEIGHT = 0.5
"""Weight of a benchmark in a linked domain."""

MODALITY_CAPABILITY = {
    "image": "vision",
    "audio": "audio-understanding",
    "video": "video-understanding",
    "document": "document-understanding",
}
"""Capability needed to read an input modality."""

OUTPUT_FOR = {
    "image-generation": "image",
    "image-editing": "image",
    "speech-generation": "audio",
    "text-to-speech": "audio",
    "video-generation": "video",
}
"""Task or capability id -> the output modality it asks for (everything else: text)."""

SEED_TYPES = ("task", "capability", "domain", "modality", "model", "family", "provider")
"""Linked entity types that seed relevance."""


@dataclass(slots=True)
class Needs:
    """A request's needs in graph terms (see the module docstring)."""

    seeds: dict[str, float]
    capabilities: dict[str, float]
    benchmarks: dict[str, float]
    reasons: dict[str, str]
    output_modalities: frozenset[str]
    tasks: list[str] = field(default_factory=list)
    default_seeded: bool = False


def request_needs(link: Any, tables: GraphTables) -> Needs:
    """The :class:`Needs` of a linked request (``link`` is a :class:`kg.linking.LinkResult`)."""
    seeds: dict[str, float] = {}
    tasks: dict[str, float] = {}
    capabilities: dict[str, float] = {}
    domains: dict[str, float] = {}
    for entity in link.entities:
        if entity.type not in SEED_TYPES:
            continue
        weight = max(0.05, min(1.0, float(entity.confidence)))
        seeds[entity.iri] = max(seeds.get(entity.iri, 0.0), weight)
        target = {"task": tasks, "capability": capabilities, "domain": domains}.get(entity.type)
        if target is not None:
            target[entity.iri] = max(target.get(entity.iri, 0.0), weight)
    default_seeded = not (tasks or capabilities or domains)
    if default_seeded:
        for iri, weight in DEFAULT_SEEDS.items():
            seeds.setdefault(iri, weight)
            kind = tasks if iri.startswith(TASK) else capabilities
            kind[iri] = weight
    reasons: dict[str, str] = {iri: tables.label(iri) for iri in (*tasks, *capabilities, *domains)}

    needed: dict[str, float] = dict(capabilities)

    def need(capability: str, weight: float, reason: str) -> None:
        if weight > needed.get(capability, 0.0):
            needed[capability] = weight
            reasons[capability] = f"{reason} → {tables.label(capability)}"

    for task, capability in tables.links.get("taskRequiresCapability", []):
        if task in tasks:
            need(capability, DERIVED_WEIGHT * tasks[task], tables.label(task))
    for domain, capability in tables.links.get("domainNeedsCapability", []):
        if domain in domains:
            need(capability, DERIVED_WEIGHT * domains[domain], tables.label(domain))
    for modality in link.modalities:
        capability = MODALITY_CAPABILITY.get(modality)
        if capability is not None:
            need(f"{CAPABILITY}{capability}", 1.0, f"{modality} input")
            seeds.setdefault(f"{MODALITY}{modality}", 1.0)
    language = getattr(link.constraints, "output_language", None)
    if language and not str(language).endswith("/en"):
        need(f"{CAPABILITY}multilingual", DERIVED_WEIGHT, f"answers in {tables.label(str(language))}")

    benchmarks: dict[str, float] = {}
    benchmark_reason: dict[str, str] = {}

    def weigh(benchmark: str, weight: float, because: str) -> None:
        if weight > benchmarks.get(benchmark, 0.0):
            benchmarks[benchmark] = round(weight, 6)
            benchmark_reason[benchmark] = because

    for benchmark, task in tables.links.get("benchmarkForTask", []):
        if task in tasks:
            weigh(benchmark, tasks[task], task)
    for benchmark, capability in tables.links.get("measuresCapability", []):
        if capability in needed:
            weigh(benchmark, needed[capability], capability)
    for benchmark, domain in tables.links.get("benchmarkInDomain", []):
        if domain in domains:
            weigh(benchmark, DOMAIN_BENCHMARK_WEIGHT * domains[domain], domain)
    for benchmark, because in benchmark_reason.items():
        reasons[benchmark] = reasons.get(because) or tables.label(because)
    # a benchmark's reason reads "summarization → reading comprehension": the need it serves

    outputs = {
        OUTPUT_FOR[iri.rsplit("/", 1)[-1]]
        for iri in (*tasks, *capabilities)
        if iri.startswith((TASK, CAPABILITY)) and iri.rsplit("/", 1)[-1] in OUTPUT_FOR
    }
    return Needs(
        seeds=seeds,
        capabilities=needed,
        benchmarks={iri: w for iri, w in benchmarks.items() if iri.startswith(BENCHMARK)},
        reasons=reasons,
        output_modalities=frozenset(outputs or {"text"}),
        tasks=sorted(tasks, key=lambda iri: (-tasks[iri], iri)),
        default_seeded=default_seeded,
    )
