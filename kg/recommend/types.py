"""Typed results of a recommendation.

Examples
--------
>>> offer = OfferChoice(provider="openai", call_id="openai/gpt-4o", input_price=2.5, output_price=10.0,
...                     context_window=128000, source="LiteLLM")
>>> offer.as_dict()["call_id"]
'openai/gpt-4o'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class OfferChoice:
    """The offer a recommendation uses: who serves the model, its call id, prices (USD per million tokens)."""

    provider: str
    call_id: str | None
    input_price: float | None
    output_price: float | None
    context_window: int | None
    source: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommended model, its score, the parts of the score, offer, cost, configuration and evidence."""

    rank: int
    model_iri: str
    model_id: str
    label: str
    score: float
    relevance: float
    performance: float
    personalization: float
    offer: OfferChoice
    estimated_cost_usd: float | None
    config: dict[str, Any]
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one recommendation."""
        return {
            "rank": self.rank,
            "model_id": self.model_id,
            "model_iri": self.model_iri,
            "label": self.label,
            "score": self.score,
            "relevance": self.relevance,
            "performance": self.performance,
            "personalization": self.personalization,
            "offer": self.offer.as_dict(),
            "estimated_cost_usd": self.estimated_cost_usd,
            "config": dict(self.config),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Recommendations:
    """The answer of :func:`genre.recommend`: the linked request, the ranked models and what each constraint removed."""

    request: dict[str, Any]
    recommendations: list[Recommendation]
    removed_by_constraint: dict[str, int]
    candidates: int

    def as_dict(self) -> dict[str, Any]:
        """``{"request", "recommendations", "removed_by_constraint"}``, ready for JSON."""
        return {
            "request": dict(self.request),
            "recommendations": [r.as_dict() for r in self.recommendations],
            "removed_by_constraint": dict(self.removed_by_constraint),
        }

    def __len__(self) -> int:
        return len(self.recommendations)

    def __iter__(self) -> Any:
        return iter(self.recommendations)

    def __getitem__(self, index: int) -> Recommendation:
        return self.recommendations[index]
