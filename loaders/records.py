"""Plain records that every loader produces, before any RDF is written.

A loader reads one source (a file or a URL) and returns a :class:`SourceBatch`:
the models the source mentions, the provider offers it lists, and the benchmark
results it reports, each keyed by the *source's own* model id. Entity resolution
(:mod:`loaders.resolve`) then joins the mentions of all sources into models, and
:mod:`kg.build` turns the joined records into RDF with provenance.

Vocabulary used in records (they match the concept schemes in ``ontology/vocab``):

- modalities: ``text``, ``image``, ``audio``, ``video``, ``document``
- capabilities: the ids in :data:`CAPABILITY_IDS`

Examples
--------
>>> mention = ModelMention(source_id="gpt-4o", name="GPT-4o", creator="openai",
...                        input_modalities=frozenset({"text", "image"}))
>>> mention.name
'GPT-4o'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MODALITY_IDS: frozenset[str] = frozenset({"text", "image", "audio", "video", "document"})
"""Modalities a model can take in or give out."""

CAPABILITY_IDS: frozenset[str] = frozenset(
    {
        # features a catalog states directly
        "vision",  # understands images
        "audio-understanding",  # takes audio in
        "speech-generation",  # gives audio out
        "image-generation",
        "video-generation",
        "video-understanding",
        "document-understanding",  # reads PDFs and documents
        "function-calling",
        "parallel-function-calling",
        "structured-output",  # JSON mode / response schema
        "reasoning",  # extended thinking / reasoning tokens
        "web-search",
        "prompt-caching",
        "computer-use",
        "embedding",
        "text-generation",
        # abilities that benchmarks measure
        "code-generation",
        "mathematical-reasoning",
        "scientific-reasoning",
        "commonsense-reasoning",
        "reading-comprehension",
        "instruction-following",
        "multilingual",
        "long-context",
        "world-knowledge",
        "truthfulness",
        "creative-writing",
        "agentic-tool-use",
        "conversation",
    }
)
"""Capability ids loaders may emit; each is a skos:Concept in ``ontology/vocab/capabilities.ttl``."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where a batch came from: written as the provenance of every fact in it.

    ``name`` is the loader's registry name (``litellm``, ``models_dev``...), ``location``
    the path or URL actually read, ``retrieved`` when it was read (for a local file: its
    modification date).
    """

    name: str
    title: str
    location: str
    retrieved: date
    licence: str
    homepage: str


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """A company or platform that makes or serves models (``openai``, ``bedrock``...)."""

    provider_id: str
    name: str | None = None
    homepage: str | None = None


@dataclass(frozen=True, slots=True)
class ModelMention:
    """One model as one source describes it.

    ``source_id`` is unique within the source (the key offers and results refer to).
    ``creator`` is the organisation that made the model, as a provider id when the
    source gives one. Fields a source does not state stay ``None`` / empty.
    """

    source_id: str
    name: str | None = None
    creator: str | None = None
    family: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None
    release_date: date | None = None
    knowledge_cutoff: date | None = None
    parameter_count: int | None = None
    open_weights: bool | None = None
    licence: str | None = None
    input_modalities: frozenset[str] = frozenset()
    output_modalities: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    fine_tuned_from: str | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    homepage: str | None = None


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """A provider's way to call a model, with its prices (USD per million tokens) and limits.

    ``call_id`` is the id LiteLLM calls the model by (``anthropic/claude-3-5-sonnet-20241022``);
    ``provider_model_id`` the provider's own id for the model.
    """

    model_source_id: str
    provider: str
    provider_model_id: str
    call_id: str | None = None
    input_price_per_mtok: float | None = None
    output_price_per_mtok: float | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    input_modalities: frozenset[str] = frozenset()
    output_modalities: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()
    mode: str | None = None
    deprecation_date: date | None = None
    throughput_tokens_per_s: float | None = None
    latency_s: float | None = None


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """One score of one model on one benchmark, as the source reports it.

    ``benchmark`` is the source's own name for the benchmark (``MMLU-PRO``, ``GPQA diamond``);
    :mod:`kg.build` maps it onto a Benchmark node by its labels. ``value`` keeps the
    source's scale; ``scale_max`` says what a perfect score is (1, 100) when known, ``None``
    for open scales such as arena Elo.
    """

    model_source_id: str
    benchmark: str
    metric: str
    value: float
    scale_max: float | None = None
    date: date | None = None
    source_url: str | None = None
    self_reported: bool | None = None
    setting: str | None = None


@dataclass(slots=True)
class SourceBatch:
    """Everything one loader read from one source."""

    source: SourceInfo
    providers: list[ProviderRecord] = field(default_factory=list)
    models: list[ModelMention] = field(default_factory=list)
    offers: list[OfferRecord] = field(default_factory=list)
    results: list[ResultRecord] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    """Entries the loader left out, counted by reason (``{"mode=embedding": 157}``)."""
