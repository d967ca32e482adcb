"""The Python query API and the named SPARQL queries on the fixture graph."""

from __future__ import annotations

import pytest

from genre.errors import NotFoundError, QueryError
from queries.named import named_query, query_names


@pytest.mark.parametrize("alias", ["gpt-4o", "GPT-4o", "openai/gpt-4o", "azure/gpt-4o", "gpt-4o-2024-08-06"])
def test_any_alias_resolves_to_one_model(kg, alias: str) -> None:
    assert kg.model_iri(alias).endswith("/model/gpt-4o")


def test_model_card(kg) -> None:
    card = kg.model("GPT-4o")
    assert card.label == "GPT-4o"
    assert {"image", "text"} <= set(card.input_modalities)
    assert "vision" in card.capabilities
    assert any(offer.call_id == "gpt-4o" and offer.input_price == 2.5 for offer in card.offers)
    assert all(offer.source for offer in card.offers)
    assert card.benchmarks and all(score.source for score in card.benchmarks)
    assert card.as_dict()["offers"][0]["provider"]


def test_unknown_model_lists_close_matches(kg) -> None:
    with pytest.raises(NotFoundError, match="close matches: .*gpt-4o"):
        kg.model("gpt-4oo")


def test_models_filters_by_capability_modality_and_price(kg) -> None:
    models = kg.models(capability="vision", input_modality="image", max_input_price=3)
    assert models, "the fixture has cheap vision models"
    for model in models:
        card = kg.model(model.iri)
        assert "vision" in card.capabilities and "image" in card.input_modalities
        assert model.offer is not None and model.offer.input_price <= 3
    prices = [model.offer.input_price for model in models]
    assert prices == sorted(prices)


def test_models_by_open_weights_and_labels_in_chinese(kg) -> None:
    open_models = kg.models(open_weights=True, limit=50)
    assert open_models
    assert all(kg.model(m.iri).open_weights for m in open_models[:10])
    assert kg.resolve("capability", "视觉") == kg.resolve("capability", "vision")


def test_unknown_capability_lists_the_valid_ones(kg) -> None:
    with pytest.raises(NotFoundError, match="unknown capability 'telepathy'.*function-calling"):
        kg.models(capability="telepathy")


def test_benchmarks_of_a_model(kg) -> None:
    scores = kg.benchmarks("gpt-4o")
    assert {score.benchmark for score in scores} >= {"mmlu"}
    assert all(score.value is not None and score.metric for score in scores)


def test_every_named_query_runs_with_its_defaults(kg) -> None:
    assert len(query_names()) >= 6
    for name in query_names():
        result = kg.query(name)
        assert result.variables, name


def test_named_queries_bind_parameters(kg) -> None:
    best = kg.query("best-on-benchmark", benchmark="MMLU").dicts()
    values = [float(row["value"]) for row in best]
    assert values == sorted(values, reverse=True) and values
    assert "benchmark" not in best[0]
    cheap = kg.query("models-by-capability", capability="vision", modality="image", max_input_price="1").dicts()
    assert all(float(row["input_price"]) <= 1 for row in cheap)


def test_named_query_parameter_errors(kg) -> None:
    with pytest.raises(QueryError, match="has no parameter colour"):
        kg.query("best-on-benchmark", colour="red")
    with pytest.raises(QueryError, match="must be a decimal"):
        kg.query("models-by-capability", max_input_price="cheap")
    with pytest.raises(NotFoundError, match="valid options"):
        named_query("no-such-query")


def test_sparql_text_with_bindings_and_prefixes(kg) -> None:
    result = kg.sparql("SELECT ?m ?label WHERE { ?m skos:prefLabel ?label }", m=kg.model_iri("gpt-4o"))
    assert [row[0].toPython() for row in result.rows] == ["GPT-4o"]


def test_sparql_updates_are_refused(kg) -> None:
    before = kg.stats().triples
    with pytest.raises(QueryError, match="read-only"):
        kg.sparql("DELETE WHERE { ?s ?p ?o }")
    assert kg.stats().triples == before


def test_stats_keys(kg) -> None:
    stats = kg.stats().as_dict()
    assert list(stats) == [
        "models",
        "providers",
        "offers",
        "benchmarks",
        "benchmark_results",
        "capabilities",
        "tasks",
        "domains",
        "modalities",
        "triples",
    ]
    assert stats["modalities"] == 5 and stats["models"] > 50 and stats["triples"] > 1000
