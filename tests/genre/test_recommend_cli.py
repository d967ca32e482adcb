"""``genre recommend`` and ``genre bench recommend`` on the fixture graph (rules-only linking, for speed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genre.cli import main


@pytest.fixture(autouse=True)
def _fixture_graph(fixture_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))


def test_recommend_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "Summarize this contract, under $3 per million tokens", "-k", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["request", "recommendations", "removed_by_constraint"]
    assert data["request"]["constraints"]["max_input_price"] == 3.0
    assert [r["rank"] for r in data["recommendations"]] == [1, 2, 3]
    first = data["recommendations"][0]
    for key in ("model_id", "label", "score", "relevance", "performance", "personalization", "estimated_cost_usd"):
        assert key in first
    assert {"provider", "call_id", "input_price", "output_price", "context_window"} <= set(first["offer"])
    assert first["offer"]["input_price"] <= 3.0
    assert first["config"]["preset"] == "summarization"
    assert first["evidence"]


def test_recommend_table_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "code generation", "--cost-weight", "0.5", "--user", "ana", "--no-semantic"]) == 0
    out = capsys.readouterr().out
    for word in ("model", "score", "relevance", "performance", "provider", "call id", "est. cost", "precise-code"):
        assert word in out
    assert "why " in out


def test_emptying_constraint_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "a model with a 900000000 tokens context window", "--no-semantic"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no model meets the request") and "'context'" in err


def test_bad_cost_weight_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "hello", "--cost-weight", "2", "--no-semantic"]) == 2
    assert "cost_weight" in capsys.readouterr().err


def test_bench_recommend_reports_percentiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "recommend", "--n", "5", "--warmup", "1", "--no-semantic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["requests"] == 5 and 0 < report["p50_ms"] <= report["p99_ms"]
    assert report["semantic_linking"] is False
