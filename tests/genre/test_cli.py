"""The ``genre`` command, run in-process on the fixture graph (its snapshot set by GENRE_SNAPSHOT)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genre.cli import main


@pytest.fixture(autouse=True)
def _fixture_store(monkeypatch: pytest.MonkeyPatch, fixture_snapshot: Path) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_lists_the_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "genre", "--help"], capture_output=True, text=True, check=True)
    for command in ("kg", "query", "model", "ontology"):
        assert command in result.stdout


def test_kg_stats_json_has_the_issue_keys(capsys) -> None:
    code, out, _ = run(capsys, "kg", "stats", "--json")
    stats = json.loads(out)
    assert code == 0
    assert set(stats) == {
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
    }


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_named_query_in_every_format(capsys, fmt: str) -> None:
    code, out, _ = run(capsys, "query", "sparql", "best-on-benchmark", "--param", "benchmark=mmlu", "--format", fmt)
    assert code == 0
    if fmt == "json":
        rows = json.loads(out)
        assert rows and "value" in rows[0]
    elif fmt == "csv":
        assert out.splitlines()[0].startswith("model,label,value")
    else:
        assert "label" in out


def test_query_text_and_file(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "query", "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?m a genre:Model }", "--format", "json"
    )
    assert code == 0 and json.loads(out)[0]["n"] > 0
    query = tmp_path / "labels.rq"
    query.write_text("# param model: model\nSELECT ?model ?label WHERE { ?model skos:prefLabel ?label }\n")
    code, out, _ = run(capsys, "query", "sparql", str(query), "--param", "model=azure/gpt-4o", "--format", "json")
    assert json.loads(out) == [{"label": "GPT-4o"}]


def test_update_and_syntax_errors_exit_non_zero(capsys) -> None:
    code, _, err = run(capsys, "query", "sparql", "DROP ALL")
    assert code == 2 and "read-only" in err
    code, _, err = run(capsys, "query", "sparql", "SELECT WHERE {")
    assert code == 2 and "syntax" in err
    code, _, err = run(capsys, "query", "sparql", "missing-file.rq")
    assert code == 2 and "not found" in err


def test_model_show_and_list(capsys) -> None:
    code, out, _ = run(capsys, "model", "show", "openai/gpt-4o", "--json")
    card = json.loads(out)
    assert code == 0 and card["label"] == "GPT-4o" and card["offers"]
    code, out, _ = run(
        capsys,
        "model",
        "list",
        "--capability",
        "vision",
        "--input-modality",
        "image",
        "--max-input-price",
        "3",
        "--json",
    )
    listed = json.loads(out)
    assert code == 0 and listed and all(m["offer"]["input_price"] <= 3 for m in listed)
    code, out, _ = run(capsys, "model", "list", "--capability", "vision", "--limit", "3")
    assert code == 0 and "$/M in" in out


def test_unknown_model_exits_with_close_matches(capsys) -> None:
    code, _, err = run(capsys, "model", "show", "gpt-4oo")
    assert code == 2 and "close matches" in err


def test_validate_and_add(capsys, tmp_path: Path) -> None:
    good = tmp_path / "m.yaml"
    good.write_text("id: cli-model\nname: CLI Model\ninput_modalities: [text]\ncapabilities: [text-generation]\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: cli-bad\nname: CLI Bad\ncapabilities: [telepathy]\n")
    assert run(capsys, "ontology", "validate", str(good))[0] == 0
    code, _, err = run(capsys, "ontology", "validate", str(bad))
    assert code == 1 and "telepathy" in err and "genre/model/cli-bad" in err
    code, out, _ = run(capsys, "model", "add", str(good))
    assert code == 0 and "added https://w3id.org/genre/model/cli-model" in out
    code, _, err = run(capsys, "model", "add", str(bad))
    assert code == 1 and "nothing was written" in err


def test_bad_arguments_are_usage_errors(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["query", "sparql", "x", "--param", "no-equals-sign"])
    assert exit_info.value.code == 2


def test_kg_build_from_sources_writes_a_snapshot(capsys, tmp_path: Path, sample_locations) -> None:
    out = tmp_path / "snap.nq.gz"
    code, stdout, _ = run(
        capsys, "kg", "build", "--source", f"litellm={sample_locations['litellm']}", "--source",
        f"helm={sample_locations['helm']}", "--snapshot-out", str(out), "--json",
    )  # fmt: skip
    report = json.loads(stdout)
    assert code == 0 and out.is_file()
    assert {source["name"] for source in report["sources"]} == {"litellm", "helm"}
    assert report["models"] > 10


def test_kg_build_rejects_an_unknown_source(capsys) -> None:
    code, _, err = run(capsys, "kg", "build", "--source", "wikipedia=x.json")
    assert code == 2 and "unknown source 'wikipedia'" in err and "litellm" in err


def test_check_resolution_prints_precision_and_recall(capsys, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name_a,source_a,name_b,source_b,same\ngpt-4o,x,azure/gpt-4o,y,1\ngpt-4o,x,Claude 3.5 Sonnet,y,0\n"
    )
    code, out, _ = run(capsys, "kg", "check-resolution", str(pairs), "--json")
    assert code == 0 and json.loads(out)[0]["precision"] == 1.0 and json.loads(out)[0]["recall"] == 1.0
