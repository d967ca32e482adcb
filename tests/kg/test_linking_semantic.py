"""The semantic linker (MiniLM, loaded once for the module), the evaluation and the labelled set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from genre.errors import LinkingError
from kg.linking import Linker
from kg.linking.evaluation import DEFAULT_DATA, benchmark, calibrate, compare_constraints, evaluate, load_requests
from kg.linking.semantic import Thresholds
from ontology.files import concept_ids

BASE = "https://w3id.org/genre/"


@pytest.fixture(scope="module")
def linker(fixture_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Linker:
    import genre

    return Linker(genre.open(snapshot=fixture_snapshot).store, cache_dir=tmp_path_factory.mktemp("linking-cache"))


def test_needs_not_named_word_for_word_link_by_meaning(linker: Linker) -> None:
    result = linker.link("help me with my chemistry homework")
    semantic = [e for e in result.entities if e.span is None]
    assert semantic and all(e.similarity is not None and 0 < e.confidence <= 1 for e in semantic)
    assert {f"{BASE}domain/education", f"{BASE}domain/science"} & set(result.iris("domain"))
    assert "similarity" in semantic[0].as_dict() and "span" not in semantic[0].as_dict()


def test_make_this_contract_shorter_is_summarisation_in_law(linker: Linker) -> None:
    result = linker.link("make this contract shorter")
    assert f"{BASE}task/summarization" in result.iris("task")
    assert f"{BASE}domain/law" in result.iris("domain")


def test_chinese_requests_are_left_to_the_rules(linker: Linker) -> None:
    result = linker.link("帮我总结这份合同")
    assert all(e.span is not None for e in result.entities)
    assert f"{BASE}task/summarization" in result.iris("task")


def test_the_concept_matrix_is_cached(linker: Linker) -> None:
    assert list(linker.cache_dir.glob("concepts-*.npy"))


def test_evaluation_calibration_and_benchmark(linker: Linker, tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "summarize this contract", "split": "dev", "language": "en",
         "entities": [f"{BASE}task/summarization", f"{BASE}domain/law"], "constraints": {}},
        {"id": "2", "text": "cheap model, no OpenAI", "split": "test", "language": "en",
         "entities": [f"{BASE}provider/openai"],
         "constraints": {"budget": "low", "providers_exclude": [f"{BASE}provider/openai"]}},
    ]  # fmt: skip
    data = tmp_path / "requests.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    report = evaluate(linker, load_requests(data), split="all")
    assert report.requests == 2 and report.constraints.precision == 1.0 and report.constraints.recall == 1.0
    assert report.entities.recall == 1.0
    assert [r.id for r in load_requests(data, split="test")] == ["2"]
    assert isinstance(calibrate(linker, load_requests(data, split="dev")), Thresholds)
    timing = benchmark(linker, [row["text"] for row in rows], n=5, warmup=2)
    assert timing.requests == 5 and 0 < timing.p50_ms <= timing.p99_ms
    with pytest.raises(LinkingError, match="unknown split"):
        load_requests(data, split="train")


def test_context_lengths_match_within_a_tolerance() -> None:
    score = compare_constraints({"min_context_tokens": 140000}, {"min_context_tokens": 150000})
    assert (score.true_positive, score.false_positive, score.false_negative) == (1, 0, 0)
    score = compare_constraints({"min_context_tokens": 40000}, {"min_context_tokens": 150000})
    assert (score.true_positive, score.false_positive, score.false_negative) == (0, 1, 1)


def test_the_labelled_set_is_large_bilingual_split_and_covers_every_domain() -> None:
    requests = load_requests(DEFAULT_DATA)
    assert len(requests) >= 200
    languages = Counter(r.language for r in requests)
    assert 0.2 <= languages["zh"] / len(requests) <= 0.35
    assert 0.25 <= sum(r.split == "test" for r in requests) / len(requests) <= 0.35
    domains = {iri.rsplit("/", 1)[-1] for r in requests for iri in r.entities if "/domain/" in iri}
    assert domains == set(concept_ids("domain"))
    for request in requests:
        for iri in request.entities:
            kind, identifier = iri[len(BASE) :].split("/", 1)
            if kind in ("task", "capability", "domain", "modality", "language"):
                assert identifier in concept_ids(kind), (request.id, iri)
