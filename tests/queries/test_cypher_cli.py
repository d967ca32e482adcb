"""``genre query cypher`` and ``genre kg neo4j-sync`` from the command line, on the fixture graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genre.cli import main


@pytest.fixture()
def fixture_env(monkeypatch: pytest.MonkeyPatch, fixture_snapshot: Path) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    monkeypatch.delenv("GENRE_NEO4J_URI", raising=False)


def test_named_query_with_parameters_as_json(fixture_env, capsys):
    assert main(["query", "cypher", "model-providers", "--param", "model=openai/gpt-4o", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["provider_id"] for row in rows} >= {"openai", "azure"}


def test_text_and_file_queries(fixture_env, capsys, tmp_path: Path):
    text = "MATCH (o:Offer) WHERE o.inputPricePerMillionTokens <= $price RETURN count(o) AS n"
    assert main(["query", "cypher", text, "--param", "price=1.5", "--format", "csv"]) == 0
    assert int(capsys.readouterr().out.splitlines()[1]) > 0
    file = tmp_path / "labels.cypher"
    file.write_text(
        "// Labels of a family.\n// param family: family = gpt\n"
        "MATCH (f:ModelFamily {iri: $family}) RETURN f.prefLabel AS label\n"
    )
    assert main(["query", "cypher", str(file), "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["label", "gpt"]


def test_writes_are_refused_with_a_clear_error(fixture_env, capsys):
    assert main(["query", "cypher", "MATCH (m:Model) DETACH DELETE m"]) == 2
    assert "writes (DETACH)" in capsys.readouterr().err


def test_neo4j_needs_its_address(fixture_env, capsys):
    assert main(["query", "cypher", "model-card", "--backend", "neo4j"]) == 2
    assert "GENRE_NEO4J_URI" in capsys.readouterr().err
    assert main(["kg", "neo4j-sync"]) == 2
