"""Graph embeddings (:mod:`kg.embeddings`) on the fixture graph: projection, seeded training, files, the signal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rdflib import RDF, Literal, URIRef

from genre.cli import main
from kg.embeddings import embedding_view, load_embeddings, read_meta, user_embeddings_path
from kg.embeddings.train import embed_store, graph_meta, train_embeddings
from kg.embeddings.triples import RELATIONS, feedback_edges, graph_triples
from kg.linking import Constraints, LinkedEntity, LinkResult
from kg.recommend import Recommender
from kg.recommend.config import ScoringContext
from kg.recommend.relevance import MIX, PathRelevance
from kg.recommend.tables import graph_tables
from ontology.terms import BASE, GENRE

pytest.importorskip("pykeen")

CODE = LinkedEntity(f"{BASE}task/code-generation", "code generation", "task", 1.0)
FAST = {"model": "transe", "dim": 8, "epochs": 3, "progress": False}


def _request() -> LinkResult:
    return LinkResult("write code", [CODE], ["text"], Constraints(), 10)


def _feedback(kg, user: str, model: str, index: int, **values) -> None:
    graph = URIRef(f"{BASE}graph/feedback")
    node = URIRef(f"{BASE}feedback/embed-{user}-{index}")
    quads = [
        (node, RDF.type, GENRE.Feedback, graph),
        (node, GENRE.givenBy, URIRef(f"{BASE}user/{user}"), graph),
        (node, GENRE.aboutModel, URIRef(model), graph),
    ]
    for name, value in values.items():
        term = URIRef(value) if name == "preferredOver" else Literal(value)
        quads.append((node, getattr(GENRE, name), term, graph))
    kg.store.add_quads(quads)


def test_projection_has_the_graphs_edges(kg) -> None:
    triples = graph_triples(kg.store)
    relations = set(triples[:, 1])
    assert {"hasCapability", "supportsInputModality", "createdBy", "offers", "evaluatedOn"} <= relations
    assert relations <= set(RELATIONS)
    assert not any("/offer/" in iri for iri in np.concatenate([triples[:, 0], triples[:, 2]]))
    assert len(np.unique(triples, axis=0)) == len(triples)
    assert not {"likes", "dislikes"} & relations


def test_feedback_becomes_likes_and_dislikes(kg) -> None:
    models = sorted({str(row[0]) for row in graph_triples(kg.store) if row[1] == "createdBy"})
    a, b, c, d = models[:4]
    _feedback(kg, "ana", a, 1, rating=5)
    _feedback(kg, "ana", b, 2, rating=1)
    _feedback(kg, "ana", c, 3, rating=3)
    _feedback(kg, "ana", c, 4, feedbackKind="prefer", preferredOver=d)
    _feedback(kg, "bo", d, 5, feedbackKind="up")
    ana, bo = f"{BASE}user/ana", f"{BASE}user/bo"
    assert feedback_edges(kg.store) == {
        (ana, "likes", a),
        (ana, "dislikes", b),
        (ana, "likes", c),
        (ana, "dislikes", d),
        (bo, "likes", d),
    }


def test_training_is_seeded_and_reproducible(kg) -> None:
    triples = graph_triples(kg.store)
    first = train_embeddings(triples, seed=7, **FAST)
    again = train_embeddings(triples, seed=7, **FAST)
    other = train_embeddings(triples, seed=8, **FAST)
    assert np.array_equal(first.embeddings.entity_vectors, again.embeddings.entity_vectors)
    assert np.array_equal(first.embeddings.relation_vectors, again.embeddings.relation_vectors)
    assert first.mrr == again.mrr
    assert not np.array_equal(first.embeddings.entity_vectors, other.embeddings.entity_vectors)
    assert first.train_triples + first.test_triples == first.triples == len(triples)
    assert 0.0 <= first.mrr <= 1.0 and 0.0 <= first.hits_at_10 <= 1.0


def test_rotate_trains_and_scores(kg) -> None:
    trained = train_embeddings(graph_triples(kg.store), **{**FAST, "model": "rotate"})
    embeddings = trained.embeddings
    assert embeddings.kind == "rotate" and embeddings.entity_vectors.shape[1] == 16  # complex: real, imaginary
    scores = embeddings.score_tails(embeddings.entity_vectors[0], embeddings.relations[0], embeddings.entity_vectors)
    assert scores.shape == (len(embeddings.entities),) and np.all(scores <= 0)


def test_save_load_round_trip_without_torch(kg, tmp_path: Path) -> None:
    trained = train_embeddings(graph_triples(kg.store), meta=graph_meta(kg.store), **FAST)
    path = trained.embeddings.save(tmp_path / "e.npz")
    loaded = load_embeddings(path)
    assert loaded.entities == trained.embeddings.entities and loaded.relations == trained.embeddings.relations
    assert np.allclose(loaded.entity_vectors, trained.embeddings.entity_vectors, atol=2e-3)
    assert loaded.kind == "transe" and loaded.meta["seed"] == 42 and loaded.meta["dim"] == 8
    assert loaded.fingerprint == graph_tables(kg.store).fingerprint
    assert read_meta(path)["metrics"]["mrr"] == pytest.approx(trained.mrr)
    code = (
        "import sys; from kg.embeddings import load_embeddings; "
        f"load_embeddings({str(path)!r}); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd())
    assert out.stdout.strip() == "False"


def test_bad_options_are_clean_errors(kg, tmp_path: Path) -> None:
    from genre.errors import ConfigError, StoreError

    with pytest.raises(ConfigError, match="valid options: rotate, transe"):
        train_embeddings(graph_triples(kg.store), model="distmult")
    with pytest.raises(ConfigError, match="epochs"):
        train_embeddings(graph_triples(kg.store), epochs=0)
    with pytest.raises(StoreError, match="genre kg embed"):
        load_embeddings(tmp_path / "missing.npz")


def _context(recommender: Recommender, user: str | None = None) -> ScoringContext:
    from kg.recommend.candidates import select_candidates
    from kg.recommend.needs import request_needs

    tables = recommender.tables()
    needs = request_needs(_request(), tables)
    candidates = select_candidates(tables, _request(), output_modalities=needs.output_modalities, output_tokens=500)
    return ScoringContext(tables, _request(), needs, candidates, recommender.store, user, 0.25, 500)


def test_embedding_signal_lies_in_unit_interval_and_joins_the_mix(kg) -> None:
    recommender = Recommender(kg)
    before = recommender.recommend_linked(_request(), k=100)
    assert "embedding" not in PathRelevance().signals(_context(recommender))  # no file for this graph yet
    _, path = embed_store(kg.store, **FAST)
    assert path == user_embeddings_path()
    assert embedding_view(recommender.tables(), kg.store) is not None
    signals = PathRelevance().signals(_context(recommender))
    assert set(signals) == set(MIX) - {"past_requests"}  # the fixture graph holds no past outcomes
    values = signals["embedding"]
    assert values.shape == signals["walk"].shape and np.all((values >= 0) & (values <= 1)) and values.max() > 0
    after = recommender.recommend_linked(_request(), k=100)
    assert [r.relevance for r in after] != [r.relevance for r in before]
    assert all(0.0 <= r.relevance <= 1.0 for r in after)


def test_liked_model_is_plausible_for_its_user(kg) -> None:
    models = sorted({str(row[0]) for row in graph_triples(kg.store) if row[1] == "createdBy"})
    liked = models[len(models) // 2 : len(models) // 2 + 3]
    for index, model in enumerate(liked):
        _feedback(kg, "ana", model, index, rating=5)
    trained = train_embeddings(graph_triples(kg.store), dim=16, epochs=60, progress=False)
    embeddings = trained.embeddings
    rows = [embeddings.entity_index[m] for m in models]
    scores = embeddings.score_tails(
        embeddings.entity_vector(f"{BASE}user/ana"), "likes", embeddings.entity_matrix(rows)
    )
    ranks = {m: int((scores > scores[i]).sum()) for i, m in enumerate(models)}
    assert all(ranks[m] < len(models) // 4 for m in liked), ranks


def test_cli_trains_saves_and_reports(fixture_snapshot: Path, monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    out = tmp_path / "fixture.embeddings.npz"
    argv = ["kg", "embed", "--model", "transe", "--dim", "8", "--epochs", "2", "--seed", "3", "--out", str(out)]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entities"] > 0 and report["relations"] > 0 and report["triples"] > 0
    assert report["seed"] == 3 and report["file"] == str(out) and out.is_file()
    assert 0.0 <= report["mrr"] <= 1.0 and 0.0 <= report["hits_at_10"] <= 1.0
    assert main(argv) == 0
    table = capsys.readouterr().out
    for word in ("entities", "relations", "training_seconds", "mrr", "hits_at_10"):
        assert word in table
    with pytest.raises(SystemExit):
        main(["kg", "embed", "--model", "distmult"])


def test_file_still_matches_after_hand_added_models_and_not_another_graph(kg, tmp_path: Path) -> None:
    embed_store(kg.store, **FAST)
    before = graph_tables(kg.store)
    graph = URIRef(f"{BASE}source/user")
    model = URIRef(f"{BASE}model/hand-added")
    kg.store.add_quads([(model, RDF.type, GENRE.Model, graph)])
    after = graph_tables(kg.store)
    assert after.fingerprint != before.fingerprint
    assert embedding_view(after, kg.store) is not None  # same shipped snapshot: the new model is just not embedded
    (user_embeddings_path()).unlink()
    trained = train_embeddings(graph_triples(kg.store), meta={"fingerprint": "other", "snapshot": "other"}, **FAST)
    trained.embeddings.save(user_embeddings_path())
    assert embedding_view(graph_tables(kg.store), kg.store) is None
