"""``genre link``, ``genre eval linking`` and ``genre bench linking`` on the fixture graph (rules only, for speed)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from genre.cli import main


@pytest.fixture(autouse=True)
def _fixture_graph(fixture_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))


def test_link_json_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    audio = tmp_path / "memo.wav"
    with wave.open(str(audio), "wb") as stream:
        stream.setnchannels(1)
        stream.setsampwidth(2)
        stream.setframerate(8000)
        stream.writeframes(b"\x00\x00" * 16000)
    text = "Transcribe this and summarize it with GPT-4o, no OpenAI, under $1 per million tokens"
    assert main(["link", text, "--attach", str(audio), "--no-semantic", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["entities", "modalities", "constraints", "estimated_input_tokens"]
    for entity in data["entities"]:
        assert list(entity) == ["iri", "label", "type", "span", "confidence"]
    assert {"model", "provider", "task"} <= {e["type"] for e in data["entities"]}
    assert data["modalities"] == ["audio", "text"]
    assert data["constraints"] == {
        "max_input_price": 1.0,
        "providers_exclude": ["https://w3id.org/genre/provider/openai"],
    }
    assert data["estimated_input_tokens"] == -(-len(text) // 4) + 2 * 32  # text at 4 characters a token, 2 s of audio


def test_link_options_override_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["link", "a cheap model", "--max-input-price", "0.3", "--avoid-provider", "openai", "--no-semantic"]) == 0
    )
    out = capsys.readouterr().out
    assert "max_input_price" in out and "0.3" in out and "provider/openai" in out


def test_link_bad_attachment_is_a_clean_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02\x03")
    assert main(["link", "read this", "--attach", str(junk), "--no-semantic"]) == 2
    assert "junk.bin" in capsys.readouterr().err


def test_eval_and_bench_linking(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "requests.jsonl"
    row = {
        "id": "1",
        "text": "translate this contract into French",
        "split": "dev",
        "entities": [
            "https://w3id.org/genre/task/translation",
            "https://w3id.org/genre/domain/law",
            "https://w3id.org/genre/language/fr",
        ],
        "constraints": {"output_language": "https://w3id.org/genre/language/fr"},
    }
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert main(["eval", "linking", "--data", str(data), "--no-semantic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    dev = report["splits"][0]
    assert dev["split"] == "dev" and dev["entities"]["precision"] > 0 and dev["constraints"]["recall"] == 1.0
    assert main(["bench", "linking", "--data", str(data), "--n", "5", "--warmup", "1", "--no-semantic", "--json"]) == 0
    timing = json.loads(capsys.readouterr().out)
    assert set(timing) == {"requests", "p50_ms", "p99_ms", "mean_ms"} and timing["requests"] == 5
