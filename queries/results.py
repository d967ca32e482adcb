"""Typed results of the Python query API.

Each is a frozen dataclass with an ``as_dict()`` for JSON output.

Examples
--------
>>> offer = OfferInfo(provider="openai", call_id="openai/gpt-4o", input_price=2.5, output_price=10.0,
...                   context_window=128000, max_output_tokens=16384, source="LiteLLM")
>>> offer.as_dict()["call_id"]
'openai/gpt-4o'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


class _AsDict:
    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return _jsonable(asdict(self))  # type: ignore[call-overload]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class OfferInfo(_AsDict):
    """A provider's offer of a model: how to call it and what it costs (USD per million tokens)."""

    provider: str
    call_id: str | None
    input_price: float | None
    output_price: float | None
    context_window: int | None
    max_output_tokens: int | None
    source: str


@dataclass(frozen=True, slots=True)
class ModelSummary(_AsDict):
    """A model in a list, with the offer that qualified it."""

    iri: str
    id: str
    label: str
    offer: OfferInfo | None = None


@dataclass(frozen=True, slots=True)
class BenchmarkScore(_AsDict):
    """One reported score of a model on a benchmark, with where it came from."""

    benchmark: str
    benchmark_label: str
    value: float
    metric: str
    scale_max: float | None
    setting: str | None
    date: date | None
    reported_as: str | None
    source: str
    source_url: str | None


@dataclass(frozen=True, slots=True)
class ModelCard(_AsDict):
    """Everything the graph knows about one model."""

    iri: str
    id: str
    label: str
    aliases: list[str]
    creator: str | None
    family: str | None
    release_date: date | None
    knowledge_cutoff: date | None
    parameter_count: int | None
    open_weights: bool | None
    licence: str | None
    input_modalities: list[str]
    output_modalities: list[str]
    capabilities: list[str]
    offers: list[OfferInfo] = field(default_factory=list)
    benchmarks: list[BenchmarkScore] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GraphStats(_AsDict):
    """Counts of the main kinds of node, and of distinct triples."""

    models: int
    providers: int
    offers: int
    benchmarks: int
    benchmark_results: int
    capabilities: int
    tasks: int
    domains: int
    modalities: int
    triples: int
