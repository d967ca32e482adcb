"""What calling a recommended model gives back: the answer, who gave it, why, what it cost, what failed first.

:meth:`CallResult.as_openai_response` is an OpenAI ``chat.completion`` object (what
``POST /v1/chat/completions`` with model ``genre/auto`` returns) with two additions: ``model`` and
``system_fingerprint`` name the model that answered, and a ``genre`` field says why it was chosen.

Examples
--------
>>> why = Reason(rank=2, of=5, score=0.41, relevance=0.8, performance=0.51, personalization=1.0,
...              evidence=["needs code generation → HumanEval → 90.2% (Epoch, 2025-03)"])
>>> print(why.summary())
rank 2 of 5: score 0.410 = relevance 0.80 × performance 0.51 × personalization 1.00
>>> failed = Attempt(model_id="gpt-4o", call_id="openai/gpt-4o", provider="openai", error="RateLimitError",
...                  message="slow down", status_code=429)
>>> str(failed)
'gpt-4o (openai/gpt-4o): RateLimitError 429: slow down'
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from kg.recommend.types import Recommendation


@dataclass(frozen=True, slots=True)
class Attempt:
    """A candidate that did not answer: not configured, or its call failed (``error`` is the exception's name)."""

    model_id: str
    call_id: str | None
    provider: str
    error: str
    message: str
    status_code: int | None = None

    def __str__(self) -> str:
        code = f" {self.status_code}" if self.status_code is not None else ""
        return f"{self.model_id} ({self.call_id or 'no call id'}): {self.error}{code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """``{"model_id", "call_id", "provider", "error", "message", "status_code"}``."""
        return {
            "model_id": self.model_id,
            "call_id": self.call_id,
            "provider": self.provider,
            "error": self.error,
            "message": self.message,
            "status_code": self.status_code,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the answering model was chosen: its rank among the candidates, its score parts and top evidence."""

    rank: int
    of: int
    score: float
    relevance: float
    performance: float
    personalization: float
    evidence: list[str] = field(default_factory=list)

    @classmethod
    def of_recommendation(cls, recommendation: Recommendation, *, of: int, evidence: int = 3) -> Reason:
        """The reason for one recommendation among ``of`` candidates, with its first ``evidence`` sentences."""
        return cls(
            rank=recommendation.rank,
            of=of,
            score=recommendation.score,
            relevance=recommendation.relevance,
            performance=recommendation.performance,
            personalization=recommendation.personalization,
            evidence=list(recommendation.evidence[:evidence]),
        )

    def summary(self) -> str:
        """One line: the rank and how the score is made."""
        return (
            f"rank {self.rank} of {self.of}: score {self.score:.3f} = relevance {self.relevance:.2f} × "
            f"performance {self.performance:.2f} × personalization {self.personalization:.2f}"
        )

    def as_dict(self) -> dict[str, Any]:
        """``{"rank", "of", "score", "relevance", "performance", "personalization", "evidence", "summary"}``."""
        return {
            "rank": self.rank,
            "of": self.of,
            "score": self.score,
            "relevance": self.relevance,
            "performance": self.performance,
            "personalization": self.personalization,
            "evidence": list(self.evidence),
            "summary": self.summary(),
        }


@dataclass(frozen=True, slots=True)
class CallResult:
    """The answer of a recommended model.

    Attributes
    ----------
    model_id, label, call_id, provider:
        The model that answered, and the offer it was called by (``call_id`` is its LiteLLM id).
    text:
        The answer (empty when the model only called tools; see ``choices``).
    usage:
        ``prompt_tokens``, ``completion_tokens`` and ``total_tokens`` as the server reported them.
    cost_usd, cost_source:
        The cost of this call when known: from the offer's prices in the graph (``"offer"``), else
        from LiteLLM's price list (``"litellm"``); None when neither knows.
    attempts:
        The candidates tried or skipped before this one, with their errors.
    why:
        Why this model was chosen.
    params:
        The generation settings sent (the preset, clipped to the model, and any overrides).
    seconds:
        How long the successful call took.
    choices:
        The OpenAI ``choices`` of the response (messages with tool calls, finish reasons).
    response_id, created:
        The server's completion id and time.
    recommendations:
        Every candidate, in rank order.
    """

    model_id: str
    label: str
    call_id: str
    provider: str
    text: str
    usage: dict[str, int]
    cost_usd: float | None
    cost_source: str | None
    attempts: list[Attempt]
    why: Reason
    params: dict[str, Any]
    seconds: float
    choices: list[dict[str, Any]]
    response_id: str | None = None
    created: int | None = None
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """``genre:<model id>@<provider>#<rank>``: which model answered, for ``system_fingerprint``."""
        return f"genre:{self.model_id}@{self.provider}#{self.why.rank}"

    def genre_info(self) -> dict[str, Any]:
        """Who answered and why: the ``genre`` field of the OpenAI response."""
        return {
            "model_id": self.model_id,
            "label": self.label,
            "call_id": self.call_id,
            "provider": self.provider,
            "why": self.why.as_dict(),
            "params": dict(self.params),
            "cost_usd": self.cost_usd,
            "cost_source": self.cost_source,
            "seconds": round(self.seconds, 4),
            "attempts": [attempt.as_dict() for attempt in self.attempts],
            "candidates": [r.model_id for r in self.recommendations],
        }

    def as_dict(self) -> dict[str, Any]:
        """The whole result, ready for JSON (``genre ask --json``)."""
        return {
            "text": self.text,
            **self.genre_info(),
            "usage": dict(self.usage),
            "recommendations": [r.as_dict() for r in self.recommendations],
        }

    def as_openai_response(self) -> dict[str, Any]:
        """An OpenAI ``chat.completion`` object, naming the answering model, with a ``genre`` field saying why."""
        return {
            "id": self.response_id or f"chatcmpl-genre-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": self.created or int(time.time()),
            "model": self.call_id,
            "system_fingerprint": self.fingerprint,
            "choices": [dict(choice) for choice in self.choices],
            "usage": dict(self.usage),
            "genre": self.genre_info(),
        }
