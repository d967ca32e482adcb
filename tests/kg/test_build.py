"""Building the graph from real source samples: resolution, provenance, reports, bad sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre.errors import ConfigError, LoaderError
from kg.build import build_graph, default_locations
from kg.store import Store


@pytest.fixture(scope="module")
def built(sample_locations: dict[str, str]) -> tuple[Store, object]:
    store = Store.open()
    report = build_graph(store, sample_locations)
    return store, report


def test_every_source_is_reported_with_a_match_rate(built) -> None:
    _, report = built
    names = {source.name for source in report.sources}
    assert names == {
        "litellm",
        "models_dev",
        "helm",
        "llmstats",
        "open_llm_v1",
        "open_llm_v2",
        "lmarena_text",
        "lmarena_vision",
        "epoch",
    }
    litellm = next(source for source in report.sources if source.name == "litellm")
    assert litellm.offers == 15 and 0 < litellm.match_rate <= 1
    assert litellm.skipped["mode=embedding"] == 1


def test_one_model_for_the_many_names_of_gpt_4o(built) -> None:
    store, _ = built
    rows = store.select(
        "SELECT DISTINCT ?m WHERE { ?m skos:altLabel|skos:prefLabel ?name . "
        "VALUES ?name { 'gpt-4o' 'azure/gpt-4o' 'gpt-4o-2024-08-06' 'GPT-4o' } }"
    ).rows
    assert [str(row[0]) for row in rows] == ["https://w3id.org/genre/model/gpt-4o"]


def test_every_fact_is_in_a_described_source_graph(built) -> None:
    store, _ = built
    graphs = store.graph_names()
    described = {
        str(row[0])
        for row in store.select(
            "SELECT ?g WHERE { ?g a genre:Source ; prov:generatedAtTime ?t ; dcterms:license ?l }"
        ).rows
    }
    for graph in graphs:
        if graph.endswith("/graph/ontology") or graph.endswith("/source/resolution"):
            continue
        assert graph in described, graph
    import pyoxigraph

    assert list(store._ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())) == []


def test_offers_carry_the_litellm_call_id_and_prices(built) -> None:
    store, _ = built
    rows = store.select(
        "SELECT ?call ?in ?out WHERE { <https://w3id.org/genre/model/gpt-4o> genre:hasOffer ?o . "
        "?o genre:callId ?call ; genre:inputPricePerMillionTokens ?in ; genre:outputPricePerMillionTokens ?out . "
        "GRAPH ?g { ?o a genre:Offer } FILTER(?g = <https://w3id.org/genre/source/litellm>) }"
    ).dicts()
    calls = {row["call"]: (float(row["in"]), float(row["out"])) for row in rows}
    assert calls["gpt-4o"] == (2.5, 10.0)
    assert "azure/gpt-4o" in calls


def test_results_have_model_benchmark_value_and_provenance(built) -> None:
    store, _ = built
    rows = store.select(
        "SELECT ?r ?b ?v ?src WHERE { ?r a genre:BenchmarkResult ; genre:evaluatedModel ?m ; "
        "genre:evaluatedOn ?b ; genre:value ?v ; prov:wasDerivedFrom ?src }"
    ).rows
    total = store.select("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a genre:BenchmarkResult }").rows[0][0]
    assert len({row[0] for row in rows}) == int(total) > 100


def test_catalog_models_have_capability_and_modality_edges(built) -> None:
    store, _ = built
    missing = store.select(
        "SELECT DISTINCT ?m WHERE { VALUES ?g { <https://w3id.org/genre/source/litellm> "
        "<https://w3id.org/genre/source/models_dev> } GRAPH ?g { ?m a genre:Model } "
        "FILTER NOT EXISTS { ?m genre:supportsInputModality ?x } }"
    ).rows
    assert missing == []


def test_benchmark_names_map_onto_the_vocabulary(built) -> None:
    store, _ = built
    rows = store.select(
        "SELECT DISTINCT ?b WHERE { ?r genre:evaluatedOn ?b ; genre:evaluatedModel ?m . ?r prov:wasDerivedFrom "
        "<https://w3id.org/genre/source/open_llm_v2> }"
    ).rows
    ids = {str(row[0]).rsplit("/", 1)[-1] for row in rows}
    assert {"ifeval", "bbh", "gpqa", "mmlu-pro"} <= ids


def test_a_bad_source_leaves_the_store_as_it_was(built, tmp_path: Path, sample_locations) -> None:
    store = Store.open()
    build_graph(store, {"litellm": sample_locations["litellm"]})
    before = len(store)
    broken = tmp_path / "prices.json"
    broken.write_text("{ not json")
    with pytest.raises(LoaderError, match="not valid JSON"):
        build_graph(store, {"litellm": str(broken)})
    assert len(store) == before


def test_rebuilding_a_source_replaces_its_graph(sample_locations) -> None:
    store = Store.open()
    build_graph(store, {"litellm": sample_locations["litellm"]})
    once = len(store)
    build_graph(store, {"litellm": sample_locations["litellm"]})
    assert len(store) == once


def test_unknown_source_names_list_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="valid options: epoch, helm, litellm"):
        default_locations(None, {"wikipedia": "x.json"})


def test_default_locations_follow_the_data_folder() -> None:
    locations = default_locations(Path("/data"), {"helm": "/elsewhere/helm.yaml"})
    assert locations["litellm"] == "/data/catalogs/litellm_model_prices_and_context_window.json"
    assert locations["helm"] == "/elsewhere/helm.yaml"
    assert set(locations) == set(default_locations(Path("/data")))
