"""Recommend models for a request: Score = Relevance × Performance × Personalization, over the graph.

A request is linked into the graph (:mod:`kg.linking`), then:

- :mod:`kg.recommend.tables`: one cached table of offers with their model facts, per graph;
- :mod:`kg.recommend.needs`: what the linked request needs (seeds, capabilities, benchmarks);
- :mod:`kg.recommend.candidates`: the hard constraints, in a fixed order, counting removals;
- :mod:`kg.recommend.relevance` (``paths``), :mod:`kg.recommend.performance` (``benchmarks``),
  :mod:`kg.recommend.personalization` (``feedback``): the three scorers, registered in
  :data:`kg.recommend.config.SCORERS`;
- :mod:`kg.recommend.presets`: the configuration handed out; evidence comes from the scorers.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)
>>> result = recommend("Write a Python function that parses dates", kg=kg, k=3, semantic=False)
>>> [r.rank for r in result], sorted(result.as_dict())
([1, 2, 3], ['recommendations', 'removed_by_constraint', 'request'])
>>> all(0 <= r.score <= 1 for r in result)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from genre.errors import RecommendationError
from kg.recommend.config import SCORERS, RecommendConfig
from kg.recommend.recommender import Recommender
from kg.recommend.types import OfferChoice, Recommendation, Recommendations

__all__ = [
    "SCORERS",
    "OfferChoice",
    "RecommendConfig",
    "Recommendation",
    "RecommendationError",
    "Recommendations",
    "Recommender",
    "recommend",
    "recommender_for",
]

_RECOMMENDERS: list[Recommender] = []


def recommender_for(kg: Any = None, *, config: RecommendConfig | None = None) -> Recommender:
    """The shared :class:`Recommender` of a KnowledgeGraph (default: ``genre.open()``)."""
    if kg is None:
        from kg.linking import linker_for

        kg = linker_for(None, semantic=False).store  # the linker's shared default graph
    store = getattr(kg, "store", kg)
    for recommender in _RECOMMENDERS:
        if recommender.store is store and (config is None or recommender.config == config):
            return recommender
    recommender = Recommender(kg, config=config)
    _RECOMMENDERS[:] = [recommender]
    return recommender


def recommend(
    text: str,
    *,
    user: str | None = None,
    attachments: Iterable[str | Path] = (),
    k: int = 5,
    cost_weight: float | None = None,
    kg: Any = None,
    semantic: bool = True,
    config: RecommendConfig | None = None,
) -> Recommendations:
    """Recommend ``k`` models for a request, best first.

    Parameters
    ----------
    text:
        The request, in English or Chinese.
    user:
        A user name or IRI whose feedback personalizes the ranking (none: personalization is 1).
    attachments:
        Paths of attached files (an image needs a vision model, audio an audio model...).
    k:
        How many models to return.
    cost_weight:
        From 0 (quality first) to 1 (cost first); default from the request and the config.
    kg:
        The KnowledgeGraph (default: ``genre.open()``).
    semantic:
        Also link with sentence embeddings (slower to start; the rules alone are exact-match).
    config:
        Scorers and part weights (default: :meth:`RecommendConfig.from_env`).

    Raises
    ------
    RecommendationError
        A hard constraint leaves no model; the message names it.
    LinkingError
        An attachment cannot be read.
    ConfigError
        ``k`` or ``cost_weight`` is out of range, or a scorer name is unknown.
    """
    if kg is None:
        from kg.linking import linker_for

        kg = linker_for(None, semantic=semantic).store
    return recommender_for(kg, config=config).recommend(
        text, user=user, attachments=attachments, k=k, cost_weight=cost_weight, semantic=semantic
    )
