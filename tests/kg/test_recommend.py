"""Recommendation on the fixture graph: parts in [0, 1], constraint counts, errors, presets, feedback, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from genre.errors import ConfigError, GenreError
from kg.linking import Constraints, LinkedEntity, LinkResult
from kg.recommend import RecommendationError, RecommendConfig, Recommender
from kg.recommend.candidates import ORDER
from kg.recommend.personalization import user_iri
from kg.recommend.tables import graph_tables
from ontology.terms import BASE, GENRE

CODE = LinkedEntity(f"{BASE}task/code-generation", "code generation", "task", 1.0)


def request(entities=(), modalities=("text",), tokens: int = 20, **constraints) -> LinkResult:
    return LinkResult("a request", list(entities), list(modalities), Constraints(**constraints), tokens)


@pytest.fixture()
def recommender(kg) -> Recommender:
    return Recommender(kg, config=RecommendConfig())


def test_every_part_lies_in_unit_interval_and_score_is_their_product(recommender: Recommender) -> None:
    result = recommender.recommend_linked(request([CODE]), k=50)
    assert len(result) > 3
    for r in result:
        for value in (r.score, r.relevance, r.performance, r.personalization):
            assert 0.0 <= value <= 1.0
        assert r.score == pytest.approx(r.relevance * r.performance * r.personalization, abs=1e-5)
    scores = [r.score for r in result]
    assert scores == sorted(scores, reverse=True)
    assert [r.rank for r in result] == list(range(1, len(result) + 1))


def test_removed_counts_add_up(recommender: Recommender, kg) -> None:
    tables = graph_tables(kg.store)
    result = recommender.recommend_linked(
        request(modalities=("text", "image"), max_input_price=3.0, open_weights=None), k=1000
    )
    assert list(result.removed_by_constraint) == list(ORDER)
    assert sum(result.removed_by_constraint.values()) + result.candidates == len(tables.model_iri)
    assert result.removed_by_constraint["input_modalities"] > 0
    assert result.removed_by_constraint["max_input_price"] > 0


def test_hard_constraints_hold_for_every_recommendation(recommender: Recommender, kg) -> None:
    tables = graph_tables(kg.store)
    result = recommender.recommend_linked(request(modalities=("text", "image"), max_input_price=2.0), k=1000)
    image = tables.bit(f"{BASE}modality/image")
    for r in result:
        assert r.offer.input_price is not None and r.offer.input_price <= 2.0
        model = tables.model_index[r.model_iri]
        offers = [i for i, m in enumerate(tables.offer_model) if m == model]
        assert any(int(tables.offer_input_mask[i] or tables.model_input_mask[model]) & image for i in offers), (
            r.model_id
        )


def test_a_constraint_that_empties_the_list_is_named(recommender: Recommender) -> None:
    with pytest.raises(RecommendationError) as caught:
        recommender.recommend_linked(request(providers_include=[f"{BASE}provider/no-such-provider"]))
    assert caught.value.constraint == "providers_include"
    assert "providers_include" in str(caught.value) and isinstance(caught.value, GenreError)
    with pytest.raises(RecommendationError, match="context"):
        recommender.recommend_linked(request(min_context_tokens=10**9))


def test_open_weights_and_provider_exclusion(recommender: Recommender, kg) -> None:
    tables = graph_tables(kg.store)
    result = recommender.recommend_linked(request(open_weights=True), k=1000)
    assert result.candidates > 0
    assert all(tables.model_open[tables.model_index[r.model_iri]] == 1 for r in result)
    excluded = f"{BASE}provider/openai"
    result = recommender.recommend_linked(request(providers_exclude=[excluded]), k=1000)
    assert result.removed_by_constraint["providers_exclude"] > 0
    for r in result:
        assert r.offer.provider != "openai"
        assert tables.model_creator[tables.model_index[r.model_iri]] != excluded


def test_preset_comes_from_the_task_and_is_clipped_to_the_model(recommender: Recommender, kg) -> None:
    tables = graph_tables(kg.store)
    result = recommender.recommend_linked(request([CODE]), k=1000)
    reasoning = tables.bit(f"{BASE}capability/reasoning")
    for r in result:
        assert r.config["preset"] == "precise-code"
        assert r.config["temperature"] == 0.2
        model = tables.model_index[r.model_iri]
        limits = [int(tables.offer_max_output[i]) for i, m in enumerate(tables.offer_model) if m == model]
        limits = [n for n in limits + [int(tables.model_max_output[model])] if n > 0]
        assert r.config["max_tokens"] <= min(4096, max(limits, default=4096))
        if "reasoning_effort" in r.config:
            assert int(tables.model_capability_mask[model]) & reasoning or any(
                int(tables.offer_feature_mask[i]) & reasoning for i, m in enumerate(tables.offer_model) if m == model
            )
    plain = recommender.recommend_linked(request(), k=1)
    assert plain[0].config["preset"] == "chat-default"
    assert plain.request["default_needs"]


def test_evidence_and_offer_are_filled(recommender: Recommender) -> None:
    result = recommender.recommend_linked(request([CODE]), k=3)
    for r in result:
        assert r.evidence and all(isinstance(line, str) and line for line in r.evidence)
        assert r.offer.provider
    data = result.as_dict()
    assert list(data) == ["request", "recommendations", "removed_by_constraint"]
    keys = {"rank", "model_id", "label", "score", "relevance", "performance", "personalization", "offer"}
    assert keys | {"estimated_cost_usd", "config", "evidence"} <= set(data["recommendations"][0])
    assert {"provider", "call_id", "input_price", "output_price", "context_window"} <= set(
        data["recommendations"][0]["offer"]
    )


def test_same_input_same_output(recommender: Recommender, kg) -> None:
    first = recommender.recommend_linked(request([CODE], max_input_price=5.0), k=10).as_dict()
    again = Recommender(kg, config=RecommendConfig()).recommend_linked(request([CODE], max_input_price=5.0), k=10)
    assert first == again.as_dict()


def test_cost_weight_moves_cheap_models_up(recommender: Recommender) -> None:
    quality = recommender.recommend_linked(request([CODE]), k=1000, cost_weight=0.0)
    cost = recommender.recommend_linked(request([CODE]), k=1000, cost_weight=1.0)
    priced = sorted((r.estimated_cost_usd, -r.performance) for r in cost if r.estimated_cost_usd)
    performance = [-p for _, p in priced]
    assert performance == sorted(performance, reverse=True)  # cost first: performance is cheapness
    assert performance[0] > 0.9
    listed_free = [r.performance for r in cost if r.estimated_cost_usd == 0]
    assert all(p == 0.5 for p in listed_free)  # $0 is a subscription or free tier: price unknown

    def top_cost(result) -> float:
        return float(np.median([r.estimated_cost_usd or 0.0 for r in result[:5]]))

    assert top_cost(cost) <= top_cost(quality)
    with pytest.raises(ConfigError):
        recommender.recommend_linked(request(), cost_weight=1.5)
    with pytest.raises(ConfigError):
        recommender.recommend_linked(request(), k=0)


def test_config_swaps_and_weighs_parts(kg) -> None:
    with pytest.raises(ConfigError, match="valid options"):
        RecommendConfig(relevance="no-such-scorer")
    without_performance = Recommender(kg, config=RecommendConfig(weights=(1.0, 0.0, 1.0)))
    for r in without_performance.recommend_linked(request([CODE]), k=5):
        assert r.score == pytest.approx(r.relevance * r.personalization, abs=1e-5)
    assert RecommendConfig.from_env({"GENRE_RECOMMEND_WEIGHTS": "1,2,0"}).weights == (1.0, 2.0, 0.0)
    with pytest.raises(ConfigError):
        RecommendConfig.from_env({"GENRE_RECOMMEND_COST_WEIGHT": "cheap"})


def _feedback(kg, user: str, model: str, index: int, **values) -> None:
    graph = URIRef(f"{BASE}graph/feedback")
    node = URIRef(f"{BASE}feedback/test-{user}-{index}")
    quads = [
        (node, RDF.type, GENRE.Feedback, graph),
        (node, GENRE.givenBy, user_iri(user), graph),
        (node, GENRE.aboutModel, URIRef(model), graph),
    ]
    if "rating" in values:
        quads.append((node, GENRE.rating, Literal(values["rating"]), graph))
    if "kind" in values:
        quads.append((node, GENRE.feedbackKind, Literal(values["kind"]), graph))
    if "over" in values:
        quads.append((node, GENRE.preferredOver, URIRef(values["over"]), graph))
    kg.store.add_quads(quads)


def test_personalization_is_one_without_feedback_and_follows_feedback(recommender: Recommender, kg) -> None:
    plain = recommender.recommend_linked(request([CODE]), k=1000)
    assert {r.personalization for r in plain} == {1.0}
    assert {r.personalization for r in recommender.recommend_linked(request([CODE]), k=1000, user="nobody")} == {1.0}
    ranked = [r.model_iri for r in plain]
    liked, disliked = ranked[2], ranked[0]
    for index in range(3):
        _feedback(kg, "ana", liked, index, rating=5)
    _feedback(kg, "ana", disliked, 10, kind="down")
    _feedback(kg, "ana", liked, 11, kind="preference", over=disliked)
    mine = {r.model_iri: r for r in recommender.recommend_linked(request([CODE]), k=1000, user="ana")}
    assert mine[liked].personalization == 1.0
    assert mine[disliked].personalization < min(
        r.personalization for iri, r in mine.items() if iri not in (liked, disliked)
    )
    second = ranked[1]
    assert mine[liked].score / mine[second].score > plain[2].score / plain[1].score
    assert mine[disliked].score / mine[second].score < plain[0].score / plain[1].score
    assert mine[liked].relevance == plain[2].relevance  # feedback changes personalization only
    assert any("your feedback" in line for line in mine[liked].evidence)
    others = {r.personalization for r in recommender.recommend_linked(request([CODE]), k=1000, user="ben")}
    assert others == {1.0}  # one user's feedback does not leak into another's ranking
    assert np.isclose(mine[liked].score, mine[liked].relevance * mine[liked].performance, atol=1e-5)


def test_synthetic_copies_scale_the_candidates(kg) -> None:
    from kg.recommend.bench import scaled_tables

    tables = graph_tables(kg.store)
    doubled = scaled_tables(tables, 2)
    assert len(doubled.model_iri) == 2 * len(tables.model_iri) and len(doubled.offer_iri) == 2 * len(tables.offer_iri)
    plain = Recommender(kg, config=RecommendConfig()).recommend_linked(request([CODE]), k=1000)
    copied = Recommender(kg, config=RecommendConfig(), tables=doubled).recommend_linked(request([CODE]), k=1000)
    assert copied.candidates == 2 * plain.candidates
    assert {r.model_id.split("-copy")[0] for r in copied[:4]} >= {plain[0].model_id}
