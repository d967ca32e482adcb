"""How a recommendation is scored: the scorer registry, the frozen configuration and what scorers see.

Score = Relevance^a × Performance^b × Personalization^c, each part in [0, 1] and produced by a
scorer registered by name in :data:`SCORERS` (one registry for the family):

============  ===================  ===============================================
part          default scorer       module
============  ===================  ===============================================
relevance     ``paths``            :mod:`kg.recommend.relevance`
performance   ``benchmarks``       :mod:`kg.recommend.performance`
personal.     ``feedback``         :mod:`kg.recommend.personalization`
============  ===================  ===============================================

The exponents ``a, b, c`` are :attr:`RecommendConfig.weights` (default 1: the plain product; 0
switches a part off). :meth:`RecommendConfig.from_env` reads ``GENRE_RECOMMEND_*`` variables, so
a scorer can be swapped or weighed without code.

A scorer is a class with ``part`` (which of the three it computes), ``__call__(context)`` returning
one value in [0, 1] per candidate, and ``explain(context, row)`` returning ``(weight, text)``
evidence for one candidate.

Examples
--------
>>> config = RecommendConfig.from_env({"GENRE_RECOMMEND_COST_WEIGHT": "0.5", "GENRE_RECOMMEND_WEIGHTS": "1,1,0"})
>>> config.cost_weight, config.weights
(0.5, (1.0, 1.0, 0.0))
>>> RecommendConfig(relevance="embeddings")
Traceback (most recent call last):
...
genre.errors.ConfigError: unknown relevance scorer 'embeddings' (valid options: benchmarks, feedback, paths)
>>> sorted(SCORERS.names())
['benchmarks', 'feedback', 'paths']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from genre.errors import ConfigError
from genre.registry import Registry

SCORERS = Registry("scorer")
SCORERS.register("paths", "kg.recommend.relevance:PathRelevance")
SCORERS.register("benchmarks", "kg.recommend.performance:BenchmarkPerformance")
SCORERS.register("feedback", "kg.recommend.personalization:FeedbackPersonalization")

PARTS = ("relevance", "performance", "personalization")


class Scorer(Protocol):
    """What a registered scorer provides."""

    part: str

    def __call__(self, context: ScoringContext) -> np.ndarray:
        """One value in [0, 1] per candidate, in the order of ``context.candidates.models``."""

    def explain(self, context: ScoringContext, row: int) -> list[tuple[float, str]]:
        """Evidence for the candidate at position ``row``: ``(weight, sentence)`` pairs."""


@dataclass(frozen=True, slots=True)
class RecommendConfig:
    """Which scorer computes each part, how much each part weighs, and the default cost weight.

    Attributes
    ----------
    relevance, performance, personalization:
        Registered scorer names (:data:`SCORERS`).
    weights:
        Exponents of the three parts in the product, in :data:`PARTS` order (default ``(1, 1, 1)``).
    cost_weight:
        From 0 (quality first) to 1 (cost first), when the request does not set one; a request
        that asks for something cheap raises it to at least :attr:`budget_cost_weight`.
    budget_cost_weight:
        The cost weight of requests that say "cheap" (``budget == "low"``); "free" uses 1.
    evidence:
        How many evidence sentences each recommendation carries.
    """

    relevance: str = "paths"
    performance: str = "benchmarks"
    personalization: str = "feedback"
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0)
    cost_weight: float = 0.25
    budget_cost_weight: float = 0.6
    evidence: int = 3
    _scorers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for part in PARTS:
            name = getattr(self, part)
            if name not in SCORERS:
                raise ConfigError(f"unknown {part} scorer {name!r}", options=SCORERS.names())
        if len(self.weights) != 3 or any(not 0 <= float(w) <= 10 for w in self.weights):
            raise ConfigError(f"weights must be three exponents between 0 and 10, got {self.weights!r}")
        for name in ("cost_weight", "budget_cost_weight"):
            value = getattr(self, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ConfigError(f"{name} must lie between 0 and 1, got {value!r}")
        if self.evidence < 0:
            raise ConfigError(f"evidence must be a count of sentences, got {self.evidence!r}")

    def scorer(self, part: str) -> Scorer:
        """The scorer instance of ``part`` (created once per config)."""
        if part not in PARTS:
            raise ConfigError(f"unknown part {part!r}", options=PARTS)
        if part not in self._scorers:
            scorer = SCORERS.load(getattr(self, part))()
            if scorer.part != part:
                raise ConfigError(f"scorer {getattr(self, part)!r} computes {scorer.part}, not {part}")
            self._scorers[part] = scorer
        return self._scorers[part]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RecommendConfig:
        """Read ``GENRE_RECOMMEND_<FIELD>`` variables (``WEIGHTS`` as ``"1,1,0.5"``); unset ones keep their defaults.

        ``[genre.recommend]`` of ``genre.toml`` comes through :attr:`genre.settings.Settings.recommend`.
        """
        from genre.settings import read_section

        return read_section(cls, "recommend", env=env)


@dataclass(frozen=True, slots=True)
class ScoringContext:
    """Everything a scorer may read for one request."""

    tables: Any
    request: Any
    needs: Any
    candidates: Any
    store: Any
    user: str | None
    cost_weight: float
    output_tokens: int
