"""Candidates: the offered models that meet a request's hard constraints, each with its best offer.

The constraints are applied to offers in this fixed order (:data:`ORDER`), and after each the
number of models that lost their last qualifying offer is counted, so the counts add up to the
number of models removed:

1. ``input_modalities``: the offer and its model both take every input modality of the request
   (text, and image, audio, video or document for attachments). The model's modalities are the
   ones enough sources agree on, so one provider's claim that o3-mini reads images is not enough;
   an offer (or model) that lists no modality is judged by the other.
2. ``output_modalities``: the offer gives what the request asks for (text, or an image, speech or
   video for generation tasks; see :data:`kg.recommend.needs.OUTPUT_FOR`).
3. ``context``: the context window (the offer's, else the model's; unknown counts as
   :data:`UNKNOWN_CONTEXT` tokens) holds ``max(min_context_tokens, estimated_input_tokens)``.
4. ``max_input_price``: the input price per million tokens is known and at most the ceiling.
5. ``open_weights``: the model's weights are open (also when the request wants to self-host).
6. ``providers_include``: the offer's provider, or the model's maker, is one the request names.
7. ``providers_exclude``: neither the offer's provider nor the model's maker is one it rules out.
8. ``features``: the offer declares every requested API feature (function calling, structured
   output...); an offer that declares none is judged by its model's capabilities.

When a constraint leaves nothing, :class:`~kg.recommend.types.RecommendationError` names it.
Each surviving model keeps one offer: offers listed at $0 come last (they are mostly subscriptions
such as GitHub Copilot and free tiers, not per-token prices) unless the request asks for something
free; then offers with a call id (which can be called); then the cheapest for this request
(estimated input tokens × input price + estimated output tokens × output price,
:func:`estimate_cost`); then by offer IRI.

Examples
--------
>>> import genre
>>> from kg.linking import Constraints, LinkResult
>>> from kg.recommend.tables import graph_tables
>>> tables = graph_tables(genre.open(snapshot=FIXTURE).store)
>>> request = LinkResult("describe this", [], ["image", "text"], Constraints(max_input_price=1.0), 500)
>>> found = select_candidates(tables, request, output_modalities={"text"}, output_tokens=500)
>>> sum(found.removed.values()) + len(found.models) == found.offered_models
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from genre.errors import RecommendationError
from kg.recommend.tables import MODALITY, GraphTables

ORDER = (
    "input_modalities",
    "output_modalities",
    "context",
    "max_input_price",
    "open_weights",
    "providers_include",
    "providers_exclude",
    "features",
)
"""The hard constraints, in the order they are applied."""

UNKNOWN_CONTEXT = 4096
"""Tokens an offer is assumed to hold when neither it nor its model states a context window."""


@dataclass(frozen=True, slots=True)
class Candidates:
    """The models left after the hard constraints.

    ``models`` are row indices into the model arrays of :class:`~kg.recommend.tables.GraphTables`
    (ascending), ``offers`` the chosen offer of each, ``costs`` the estimated USD of the request
    at that offer (NaN when the offer has no price).
    """

    models: np.ndarray
    offers: np.ndarray
    costs: np.ndarray
    removed: dict[str, int]
    offered_models: int
    needed_tokens: int


def estimate_cost(tables: GraphTables, offers: np.ndarray, input_tokens: int, output_tokens: int) -> np.ndarray:
    """Estimated USD of a request at each offer (output priced as input when only that is known).

    >>> import numpy as np
    >>> import genre
    >>> from kg.recommend.tables import graph_tables
    >>> tables = graph_tables(genre.open(snapshot=FIXTURE).store)
    >>> bool(np.all(estimate_cost(tables, np.arange(3), 0, 0)[~np.isnan(tables.offer_input_price[:3])] == 0))
    True
    """
    price_in = tables.offer_input_price[offers]
    price_out = tables.offer_output_price[offers]
    price_out = np.where(np.isnan(price_out), price_in, price_out)
    return (input_tokens * price_in + output_tokens * price_out) / 1e6


@dataclass(frozen=True, slots=True)
class ActorCodes:
    """Integer codes of every offer's provider and model maker (-1: none), for fast set tests."""

    codes: dict[str, int]
    offer_provider: np.ndarray
    offer_creator: np.ndarray
    no_call_id: np.ndarray

    def of(self, iris: Iterable[str]) -> np.ndarray:
        """The codes of some provider IRIs (unknown ones get a code no offer has)."""
        return np.array(sorted(self.codes.get(iri, -2) for iri in iris), dtype=np.int64)


def actor_codes(tables: GraphTables) -> ActorCodes:
    """Compute :class:`ActorCodes` (cached on the tables by :func:`constraint_checks`)."""
    names = sorted(set(tables.offer_provider) | {c for c in tables.model_creator if c})
    codes = {name: i for i, name in enumerate(names)}
    creators = [tables.model_creator[m] for m in tables.offer_model]
    return ActorCodes(
        codes=codes,
        offer_provider=np.array([codes[p] for p in tables.offer_provider], dtype=np.int64),
        offer_creator=np.array([codes[c] if c else -1 for c in creators], dtype=np.int64),
        no_call_id=np.array([call is None for call in tables.offer_call_id], dtype=bool),
    )


def _surviving_models(tables: GraphTables, alive: np.ndarray) -> int:
    return int(np.count_nonzero(np.bincount(tables.offer_model[alive], minlength=len(tables.model_iri))))


def _has_all(masks: np.ndarray, wanted: int) -> np.ndarray:
    want = np.uint64(wanted)
    return (masks & want) == want


def constraint_checks(
    tables: GraphTables, request: Any, *, output_modalities: Iterable[str]
) -> list[tuple[str, np.ndarray | None, str]]:
    """``(name, offers passing, description)`` for each constraint of :data:`ORDER` (``None``: not asked)."""
    constraints = request.constraints
    model = tables.offer_model
    checks: list[tuple[str, np.ndarray | None, str]] = []

    inputs = sorted(set(request.modalities) | {"text"})
    wanted = tables.mask(f"{MODALITY}{m}" for m in inputs)
    missing = [m for m in inputs if tables.bit(f"{MODALITY}{m}") == 0]
    offer_in = np.where(tables.offer_input_mask != 0, tables.offer_input_mask, tables.model_input_mask[model])
    model_in = np.where(tables.model_input_mask[model] != 0, tables.model_input_mask[model], offer_in)
    passing = np.zeros(len(model), dtype=bool) if missing else _has_all(offer_in, wanted) & _has_all(model_in, wanted)
    checks.append(("input_modalities", passing, f"input modalities {', '.join(inputs)}"))

    outputs = sorted(output_modalities)
    wanted = tables.mask(f"{MODALITY}{m}" for m in outputs)
    offer_out = np.where(tables.offer_output_mask != 0, tables.offer_output_mask, tables.model_output_mask[model])
    missing = [m for m in outputs if tables.bit(f"{MODALITY}{m}") == 0]
    passing = np.zeros(len(model), dtype=bool) if missing else _has_all(offer_out, wanted)
    checks.append(("output_modalities", passing, f"output modalities {', '.join(outputs)}"))

    needed = max(int(constraints.min_context_tokens or 0), int(request.estimated_input_tokens or 0))
    context = np.where(tables.offer_context > 0, tables.offer_context, tables.model_context[model])
    context = np.where(context > 0, context, UNKNOWN_CONTEXT)
    checks.append(("context", context >= needed, f"a context window of at least {needed:,} tokens"))

    ceiling = constraints.max_input_price
    price = tables.offer_input_price
    checks.append(
        (
            "max_input_price",
            None if ceiling is None else (~np.isnan(price)) & (price <= float(ceiling) + 1e-12),
            f"an input price of at most ${ceiling} per million tokens",
        )
    )
    wants_open = bool(constraints.open_weights) or bool(constraints.self_hosted)
    checks.append(("open_weights", tables.model_open[model] == 1 if wants_open else None, "open weights"))

    include = set(constraints.providers_include or ())
    exclude = set(constraints.providers_exclude or ())
    codes = tables.cached("actor_codes", actor_codes)
    provider, creator = codes.offer_provider, codes.offer_creator
    if include:
        chosen = codes.of(include)
        passing = np.isin(provider, chosen) | np.isin(creator, chosen)
        checks.append(
            ("providers_include", passing, "providers " + ", ".join(tables.label(p) for p in sorted(include)))
        )
    else:
        checks.append(("providers_include", None, "providers"))
    if exclude:
        banned = codes.of(exclude)
        passing = ~(np.isin(provider, banned) | np.isin(creator, banned))
        checks.append(("providers_exclude", passing, "not " + ", ".join(tables.label(p) for p in sorted(exclude))))
    else:
        checks.append(("providers_exclude", None, "excluded providers"))

    features = sorted(set(constraints.features or ()))
    if features:
        offer_features = np.where(
            tables.offer_feature_mask != 0, tables.offer_feature_mask, tables.model_capability_mask[model]
        )
        unknown = [f for f in features if tables.bit(f) == 0]
        passing = np.zeros(len(model), dtype=bool) if unknown else _has_all(offer_features, tables.mask(features))
        checks.append(("features", passing, "features " + ", ".join(tables.label(f) for f in features)))
    else:
        checks.append(("features", None, "features"))
    return checks


def select_candidates(
    tables: GraphTables, request: Any, *, output_modalities: Iterable[str], output_tokens: int
) -> Candidates:
    """Apply the hard constraints of ``request`` (a :class:`kg.linking.LinkResult`) in :data:`ORDER`.

    Raises
    ------
    RecommendationError
        When a constraint leaves no model; the message names it and what was left before it.
    """
    alive = np.ones(len(tables.offer_iri), dtype=bool)
    offered = _surviving_models(tables, alive)
    left = offered
    removed: dict[str, int] = {}
    for name, passing, description in constraint_checks(tables, request, output_modalities=output_modalities):
        if passing is None:
            removed[name] = 0
            continue
        alive &= passing
        now = _surviving_models(tables, alive)
        removed[name] = left - now
        if now == 0:
            raise RecommendationError(
                f"no model meets the request: the constraint {name!r} ({description}) removed the last "
                f"{left} candidate model(s)",
                constraint=name,
                removed=removed,
            )
        left = now
    offers = np.flatnonzero(alive)
    input_tokens = int(request.estimated_input_tokens or 0)
    costs = estimate_cost(tables, offers, input_tokens, output_tokens)
    no_call = tables.cached("actor_codes", actor_codes).no_call_id[offers]
    sort_cost = np.where(np.isnan(costs), np.inf, costs)
    listed_free = tables.offer_input_price[offers] == 0
    if getattr(request.constraints, "budget", None) == "free":
        listed_free = np.zeros(len(offers), dtype=bool)
    order = np.lexsort((offers, sort_cost, no_call, listed_free, tables.offer_model[offers]))
    ordered_models = tables.offer_model[offers][order]
    first = np.flatnonzero(np.r_[True, ordered_models[1:] != ordered_models[:-1]])
    chosen = order[first]
    return Candidates(
        models=ordered_models[first],
        offers=offers[chosen],
        costs=costs[chosen],
        removed=removed,
        offered_models=offered,
        needed_tokens=max(int(request.constraints.min_context_tokens or 0), input_tokens),
    )
