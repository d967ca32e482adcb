"""Every named Cypher query answers as its SPARQL twin does, on the fixture graph."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from queries.cypher import cypher_query_names, named_cypher_query
from queries.named import named_query, query_names

KEYS = {
    # the fixture holds one offer with two input prices and two call ids (conflicting source rows);
    # the projection keeps the smaller, so columns that can differ there are left out of the keys
    "models-by-capability": ("model", "label", "provider", "input_price", "source"),
    "best-on-benchmark": (
        "model",
        "label",
        "value",
        "metric",
        "scale_max",
        "date",
        "source",
        "source_url",
        "benchmark",
    ),
    "model-benchmarks": (
        "benchmark",
        "benchmark_label",
        "value",
        "metric",
        "scale_max",
        "setting",
        "date",
        "reported_as",
        "source",
        "source_url",
    ),
    "model-card": None,  # every column
    "model-offers": ("offer", "provider", "provider_model_id", "context_window", "source", "retrieved"),
    "model-providers": ("model", "provider", "provider_id", "offers", "cheapest_input_price"),
    "family-models": None,
}
LIST_COLUMNS = {"input_modalities", "output_modalities", "capabilities"}


def test_every_sparql_query_has_a_cypher_twin():
    assert cypher_query_names() == query_names()
    assert set(KEYS) == set(query_names())
    for name in query_names():
        assert named_cypher_query(name).parameters == named_query(name).parameters, name


def _normal(column: str, value: Any) -> Any:
    if column in LIST_COLUMNS:
        items = value.split() if isinstance(value, str) else (value or [])
        return tuple(sorted(items))
    if hasattr(value, "toPython"):
        value = value.toPython()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return round(float(value), 9)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows(columns, rows, wanted) -> set[tuple]:
    index = {column: i for i, column in enumerate(columns)}
    return {tuple(_normal(column, row[index[column]]) for column in wanted) for row in rows}


def _cases(kg) -> list[tuple[str, dict[str, Any]]]:
    models = [str(row[0]) for row in kg.sparql("SELECT DISTINCT ?m WHERE { ?m a genre:Model }").rows]
    families = [str(row[0]) for row in kg.sparql("SELECT DISTINCT ?f WHERE { ?f a genre:ModelFamily }").rows]
    benchmarks = [str(row[0]) for row in kg.sparql("SELECT DISTINCT ?b WHERE { ?r genre:evaluatedOn ?b }").rows]
    cases: list[tuple[str, dict[str, Any]]] = [(name, {}) for name in query_names()]
    for model in models:
        cases += [
            (name, {"model": model}) for name in ("model-card", "model-offers", "model-benchmarks", "model-providers")
        ]
    cases += [("family-models", {"family": family}) for family in families]
    cases += [("best-on-benchmark", {"benchmark": benchmark}) for benchmark in benchmarks]
    for capability in ("vision", "function-calling", "audio-understanding"):
        for modality in ("image", "text", "audio"):
            for price in ("0.5", "3", "1000000"):
                cases.append(
                    ("models-by-capability", {"capability": capability, "modality": modality, "max_input_price": price})
                )
    return cases


def test_named_cypher_queries_answer_as_their_sparql_twins(kg, cypher):
    cases = _cases(kg)
    answered = 0
    for name, params in cases:
        sparql = kg.query(name, **params)
        result = cypher.run(name, **params)
        bound = kg.bind(named_query(name), params)  # bound variables leave the SPARQL columns
        keys = KEYS[name] or result.columns
        expected = _rows(
            list(sparql.variables) + list(bound), [row + tuple(bound.values()) for row in sparql.rows], keys
        )
        got = _rows(result.columns, result.rows, keys)
        assert got == expected, (name, params)
        answered += bool(got)
    assert answered > 100  # the comparison is not vacuous


@pytest.mark.parametrize("name", ["model-card", "model-offers", "model-providers"])
def test_model_parameters_accept_any_alias(cypher, name):
    by_alias = cypher.run(name, model="openai/gpt-4o-2024-08-06").rows
    by_iri = cypher.run(name, model="https://w3id.org/genre/model/gpt-4o").rows
    assert by_alias and by_alias == by_iri


def test_the_header_parser_reads_sparql_files_as_queries_named_does():
    from queries.headers import parse_file
    from queries.named import SPARQL_FOLDER, parse_query_file

    for path in sorted(SPARQL_FOLDER.glob("*.rq")):
        assert parse_file(path, "#") == parse_query_file(path)
