"""Sanity of recommendations on the shipped default graph (loaded once for the module, about 15 s).

Requests are linked by the rule linker (no sentence-embedding model), with real attached files.
"""

from __future__ import annotations

import struct
import wave
import zlib
from pathlib import Path

import pytest

import genre
from kg.linking import Linker
from kg.recommend import RecommendConfig, Recommender
from kg.recommend.quality import benchmark_matrix
from kg.recommend.tables import graph_tables
from kg.snapshot import DEFAULT_SNAPSHOT
from ontology.terms import BASE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):
    kg = genre.open(snapshot=DEFAULT_SNAPSHOT)
    linker = Linker(kg.store, semantic=False, cache_dir=tmp_path_factory.mktemp("linking-cache"))
    recommender = Recommender(kg, config=RecommendConfig()).warm()
    return kg, linker, recommender, graph_tables(kg.store)


def _png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    return path


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as stream:
        stream.setnchannels(1)
        stream.setsampwidth(2)
        stream.setframerate(8000)
        stream.writeframes(b"\x00\x00" * 8000)
    return path


def _offer_supports(tables, model_iri: str, modality: str) -> bool:
    model = tables.model_index[model_iri]
    bit = tables.bit(f"{BASE}modality/{modality}")
    return any(
        int(tables.offer_input_mask[i] or tables.model_input_mask[model]) & bit
        for i, m in enumerate(tables.offer_model)
        if m == model
    )


def test_an_attached_image_gives_only_vision_models(setup, tmp_path: Path) -> None:
    _, linker, recommender, tables = setup
    link = linker.link("What is in this picture?", attachments=[_png(tmp_path / "photo.bin")])
    assert "image" in link.modalities
    result = recommender.recommend_linked(link, k=2000)
    assert result.removed_by_constraint["input_modalities"] > 0 and len(result) > 10
    vision = tables.bit(f"{BASE}capability/vision")
    for r in result:
        assert _offer_supports(tables, r.model_iri, "image"), r.model_id
        model = tables.model_index[r.model_iri]
        mask = int(tables.model_capability_mask[model]) | int(tables.model_input_mask[model])
        assert mask & (vision | tables.bit(f"{BASE}modality/image")), r.model_id


def test_attached_audio_gives_only_audio_models(setup, tmp_path: Path) -> None:
    _, linker, recommender, tables = setup
    link = linker.link("Summarize this voice memo", attachments=[_wav(tmp_path / "memo.wav")])
    result = recommender.recommend_linked(link, k=2000)
    assert len(result) > 3
    assert all(_offer_supports(tables, r.model_iri, "audio") for r in result)


def test_open_weights_only_gives_open_models(setup) -> None:
    _, linker, recommender, tables = setup
    result = recommender.recommend_linked(linker.link("Summarize this article, open weights only"), k=2000)
    assert result.removed_by_constraint["open_weights"] > 100
    assert all(tables.model_open[tables.model_index[r.model_iri]] == 1 for r in result)


def test_price_ceiling_gives_only_such_offers(setup) -> None:
    _, linker, recommender, _ = setup
    link = linker.link("A chat assistant under $0.50 per million input tokens")
    assert link.constraints.max_input_price == 0.5
    result = recommender.recommend_linked(link, k=2000)
    assert result.removed_by_constraint["max_input_price"] > 100
    assert all(r.offer.input_price is not None and r.offer.input_price <= 0.5 for r in result)


def test_coding_request_ranks_code_evidence_above_none(setup) -> None:
    _, linker, recommender, tables = setup
    link = linker.link("code generation for my web app")
    assert f"{BASE}task/code-generation" in link.iris("task")
    result = recommender.recommend_linked(link, k=5000)
    matrix = benchmark_matrix(tables)
    code = [
        tables.benchmark_index[b]
        for b, t in tables.links["benchmarkForTask"]
        if t == f"{BASE}task/code-generation" and b in tables.benchmark_index
    ]

    def code_evidence(r) -> float:
        model = tables.model_index[r.model_iri]
        strong = [matrix.percentile[model, b] for b in code if matrix.confidence[model, b] >= 0.5]
        return max(strong, default=-1.0)

    strong = [r.rank for r in result if code_evidence(r) >= 0.75]
    none = [r.rank for r in result if not any(matrix.confidence[tables.model_index[r.model_iri], b] for b in code)]
    assert len(strong) > 10 and none
    assert sorted(strong)[len(strong) * 3 // 4] < min(none)  # three in four strong coders beat every unmeasured one
    assert sum(strong) / len(strong) < sum(none) / len(none) / 10
    assert all(code_evidence(r) >= 0 for r in result[:10])
    assert any("HumanEval" in line or "→" in line for line in result[0].evidence)
    assert result[0].config["preset"] == "precise-code"


def test_recommendations_are_deterministic_on_the_default_graph(setup) -> None:
    _, linker, recommender, _ = setup
    link = linker.link("Translate legal contracts into French, cheap")
    assert recommender.recommend_linked(link, k=10).as_dict() == recommender.recommend_linked(link, k=10).as_dict()
