"""The recommendation pipeline: linked request → needs → candidates → three scorers → ranked models.

:class:`Recommender` holds one graph; :meth:`Recommender.recommend_linked` takes a
:class:`kg.linking.LinkResult` (so it can be tested with a hand-made request), and
:meth:`Recommender.recommend` links text and attachments first.

Score = Relevance^a × Performance^b × Personalization^c (:class:`~kg.recommend.config.RecommendConfig`);
ties are broken by model id, so the same input always gives the same ranking.

The cost weight of a request is, in order: the one given; 1 when the request asks for something
free, :attr:`RecommendConfig.budget_cost_weight` when it asks for something cheap; else
:attr:`RecommendConfig.cost_weight`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from genre.errors import ConfigError
from genre.settings import Settings
from kg.recommend.candidates import select_candidates
from kg.recommend.config import PARTS, RecommendConfig, ScoringContext
from kg.recommend.needs import request_needs
from kg.recommend.presets import choose_preset, expected_output_tokens, model_config
from kg.recommend.tables import GraphTables, graph_tables
from kg.recommend.types import OfferChoice, Recommendation, Recommendations


def _id_rank(tables: Any) -> np.ndarray:
    """Each offered model's position in the order of model ids (the tie-breaker of equal scores)."""
    ranks = np.empty(len(tables.model_id), dtype=np.int64)
    ranks[sorted(range(len(tables.model_id)), key=tables.model_id.__getitem__)] = np.arange(len(tables.model_id))
    return ranks


def _number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


class Recommender:
    """Recommends models from one knowledge graph.

    Parameters
    ----------
    kg:
        A :class:`~queries.api.KnowledgeGraph` (or its :class:`~kg.store.Store`).
    config:
        Scorers, part weights and cost weight (default: ``Settings.load().recommend``, from the settings).
    tables:
        Score over these tables instead of the store's (synthetic copies of the graph, for
        :func:`kg.recommend.bench.scaled_tables`); feedback is still read from the store.
    """

    def __init__(self, kg: Any, *, config: RecommendConfig | None = None, tables: GraphTables | None = None) -> None:
        self.kg = kg
        self.store = getattr(kg, "store", kg)
        self.config = config if config is not None else Settings.load().recommend
        self.fixed_tables = tables

    def tables(self) -> GraphTables:
        """The tables scored over: the store's (rebuilt when the graph changes), or the fixed ones."""
        return self.fixed_tables if self.fixed_tables is not None else graph_tables(self.store)

    def warm(self) -> Recommender:
        """Build the tables, benchmark matrix and projection now rather than on the first request."""
        from kg.recommend.projection import graph_projection

        graph_projection(self.tables())
        return self

    def recommend(
        self,
        text: str,
        *,
        user: str | None = None,
        attachments: Iterable[str | Path] = (),
        k: int = 5,
        cost_weight: float | None = None,
        semantic: bool = True,
    ) -> Recommendations:
        """Link ``text`` and ``attachments`` into the graph, then :meth:`recommend_linked`."""
        from kg.linking import linker_for

        link = linker_for(self.kg, semantic=semantic).link(text, attachments=attachments)
        return self.recommend_linked(link, user=user, k=k, cost_weight=cost_weight)

    def recommend_linked(
        self, link: Any, *, user: str | None = None, k: int = 5, cost_weight: float | None = None
    ) -> Recommendations:
        """Rank the models for an already linked request (a :class:`kg.linking.LinkResult`).

        Raises
        ------
        ConfigError
            ``k`` is not a positive integer or ``cost_weight`` lies outside [0, 1].
        RecommendationError
            A hard constraint leaves no model (the error names it).
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ConfigError(f"k must be a positive integer, got {k!r}")
        weight = self._cost_weight(link, cost_weight)
        tables = self.tables()
        needs = request_needs(link, tables)
        preset = choose_preset(tables, needs.tasks)
        output_tokens = expected_output_tokens(preset)
        candidates = select_candidates(
            tables, link, output_modalities=needs.output_modalities, output_tokens=output_tokens
        )
        context = ScoringContext(
            tables=tables,
            request=link,
            needs=needs,
            candidates=candidates,
            store=self.store,
            user=user,
            cost_weight=weight,
            output_tokens=output_tokens,
        )
        parts = {part: np.asarray(self.config.scorer(part)(context), dtype=float) for part in PARTS}
        score = np.ones(len(candidates.models))
        for part, exponent in zip(PARTS, self.config.weights, strict=True):
            score = score * np.clip(parts[part], 0.0, 1.0) ** float(exponent)
        id_rank = tables.cached("model_id_rank", _id_rank)[candidates.models]
        order = np.lexsort((id_rank, -np.round(score, 12)))[:k]
        recommendations = [
            self._recommendation(
                context, rank, row, float(score[row]), {p: float(parts[p][row]) for p in PARTS}, preset
            )
            for rank, row in enumerate(order.tolist(), start=1)
        ]
        request = {"text": getattr(link, "text", ""), **link.as_dict()}
        request["cost_weight"] = weight
        request["output_modalities"] = sorted(needs.output_modalities)
        if needs.default_seeded:
            request["default_needs"] = sorted(needs.seeds)
        return Recommendations(
            request=request,
            recommendations=recommendations,
            removed_by_constraint=candidates.removed,
            candidates=len(candidates.models),
        )

    def _cost_weight(self, link: Any, given: float | None) -> float:
        if given is not None:
            if isinstance(given, bool) or not isinstance(given, (int, float)) or not 0.0 <= float(given) <= 1.0:
                raise ConfigError(
                    f"cost_weight must be a number between 0 (quality first) and 1 (cost first), got {given!r}"
                )
            return float(given)
        budget = getattr(link.constraints, "budget", None)
        if budget == "free":
            return 1.0
        if budget == "low":
            return max(self.config.cost_weight, self.config.budget_cost_weight)
        return self.config.cost_weight

    def _recommendation(
        self, context: ScoringContext, rank: int, row: int, score: float, parts: dict[str, float], preset: Any
    ) -> Recommendation:
        tables, candidates = context.tables, context.candidates
        model, offer = int(candidates.models[row]), int(candidates.offers[row])
        evidence: list[tuple[float, str]] = []
        for part in PARTS:
            evidence.extend(self.config.scorer(part).explain(context, row))
        evidence.sort(key=lambda item: (-item[0], item[1]))
        sentences = list(dict.fromkeys(text for _, text in evidence))[: self.config.evidence]
        cost = _number(candidates.costs[row])
        provider = tables.label(tables.offer_provider[offer])
        if cost is not None and tables.offer_input_price[offer] == 0:
            sentences.append(f"listed at $0 by {provider}: a free tier or a subscription, not a per-token price")
        elif cost is not None:
            sentences.append(
                f"estimated ${cost:.6f} for this request ({context.request.estimated_input_tokens} input + "
                f"{context.output_tokens} output tokens) at {provider}"
            )
        context_window = int(tables.offer_context[offer]) or int(tables.model_context[model]) or None
        return Recommendation(
            rank=rank,
            model_iri=tables.model_iri[model],
            model_id=tables.model_id[model],
            label=tables.model_label[model],
            score=round(score, 6),
            relevance=round(parts["relevance"], 6),
            performance=round(parts["performance"], 6),
            personalization=round(parts["personalization"], 6),
            offer=OfferChoice(
                provider=tables.offer_provider[offer].rsplit("/", 1)[-1],
                call_id=tables.offer_call_id[offer],
                input_price=_number(tables.offer_input_price[offer]),
                output_price=_number(tables.offer_output_price[offer]),
                context_window=context_window,
                source=tables.offer_source[offer],
            ),
            estimated_cost_usd=None if cost is None else round(cost, 8),
            config=model_config(tables, preset, model=model, offer=offer),
            evidence=sentences,
        )
