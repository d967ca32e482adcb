"""Pairwise votes: the LLMFAO reader, the import into the store, Bradley–Terry and the evaluation."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from genre.errors import ConfigError, LoaderError
from kg.evaluation.preferences import auc, bradley_terry, evaluate_preferences, split_users
from kg.preference_import import import_graph, import_votes
from kg.store import Store
from loaders.llmfao import PairwiseVote, models_by_name, read_models, read_votes

SAMPLE = Path(__file__).parent / "data" / "preferences" / "llmfao_sample.csv"


def test_reader_gives_typed_votes_with_ties() -> None:
    votes = read_votes(SAMPLE)
    assert len(votes) == 20
    assert sum(v.is_tie for v in votes) == 7
    assert {v.winner for v in votes} == {"left", "right", "tie"}
    first = votes[0]
    assert (first.model_x, first.model_y, first.worker, first.winner) == ("Alpaca (7B)", "Weaver 12k", "90", "right")
    assert (first.preferred, first.other) == ("Weaver 12k", "Alpaca (7B)")
    assert first.prompt_text and first.prompt_text.startswith("Argue for and against")
    models = models_by_name(read_models(SAMPLE.parent / "models.jsonl"))
    assert models["GPT 4"].org == "OpenAI" and models["GPT 4"].api_id == "gpt-4"


def test_reader_names_models_by_id_and_refuses_bad_winners(tmp_path: Path) -> None:
    (tmp_path / "models.jsonl").write_text('{"id": 1, "name": "A"}\n{"id": 2, "name": "B"}\n')
    good = tmp_path / "votes.csv"
    good.write_text("prompt,model_x,model_y,worker,winner\n1,1,2,w,left\n")
    assert read_votes(good)[0].preferred == "A"
    bad = tmp_path / "bad.csv"
    bad.write_text("prompt,model_x,model_y,worker,winner\n1,1,2,w,both\n")
    with pytest.raises(LoaderError, match="winner must be one of left, right, tie"):
        read_votes(bad)
    with pytest.raises(LoaderError, match="missing CSV column"):
        (tmp_path / "short.csv").write_text("prompt,model_x\n1,2\n")
        read_votes(tmp_path / "short.csv")


def _count(store: Store, where: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].toPython())


def test_import_writes_one_feedback_per_vote_in_one_graph() -> None:
    store = Store.open()
    models = models_by_name(read_models(SAMPLE.parent / "models.jsonl"))
    report = import_votes(store, read_votes(SAMPLE), name="sample", models=models)
    assert (report.votes, report.ties, report.users, report.feedback) == (20, 7, 16, 20)
    assert report.new_models == 8 and report.known_models == 0
    graph = import_graph("sample")
    assert _count(store, f"GRAPH <{graph}> {{ ?f a genre:Feedback }}") == 20
    assert _count(store, "?f genre:preferredOver ?loser") == 13
    assert _count(store, '?f genre:feedbackKind "tie" ; genre:aboutModel ?m') == 14  # both models of each tie
    assert _count(store, "?u a genre:User") == 16
    assert _count(store, '?m a genre:Model ; genre:createdBy ?maker . ?maker rdfs:label "Anthropic"') == 3
    with pytest.raises(ConfigError, match="already in the store"):
        import_votes(store, read_votes(SAMPLE), name="sample")
    import_votes(store, read_votes(SAMPLE), name="sample", models=models, replace_graph=True)
    assert _count(store, "?f a genre:Feedback") == 20  # the same nodes again, not twice as many


def test_import_places_known_models_in_the_graph(kg) -> None:
    votes = [PairwiseVote("1", "1", "gpt-4o", "Brand New Model", "w1", "left", 1)]
    report = import_votes(kg.store, votes, name="known")
    matched = {m.name: m for m in report.models}
    assert matched["gpt-4o"].known and matched["gpt-4o"].iri == "https://w3id.org/genre/model/gpt-4o"
    assert not matched["Brand New Model"].known


def test_import_command(capsys: pytest.CaptureFixture[str], fixture_snapshot: Path, monkeypatch) -> None:
    from genre.cli import main

    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    assert main(["import", "preferences", "--format", "llmfao", str(SAMPLE), "--name", "s", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feedback"] == 20 and data["graph"].endswith("/graph/feedback/s")
    assert main(["import", "preferences", "--format", "csv", str(SAMPLE)]) != 0


def test_bradley_terry_on_a_hand_made_case() -> None:
    strength = bradley_terry([("a", "b", 1.0)] * 4 + [("b", "a", 1.0)] + [("b", "c", 1.0)] * 4 + [("c", "b", 1.0)])
    assert strength["a"] > strength["b"] > strength["c"]
    assert strength["a"] - strength["b"] == pytest.approx(strength["b"] - strength["c"], abs=0.05)
    even = bradley_terry([("x", "y", 1.0), ("y", "x", 1.0), ("x", "y", 0.5)])
    assert even["x"] == pytest.approx(even["y"])
    assert auc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2]) == 1.0 and auc([1, 1], [0.1, 0.2]) is None


def _population(users: int = 40, votes_each: int = 40, seed: int = 1) -> list[PairwiseVote]:
    """Two camps that rank four models in opposite orders; a fifth model everyone likes."""
    rng = random.Random(seed)
    order = ["m1", "m2", "m3", "m4"]
    found = []
    for u in range(users):
        ranking = ["m5"] + (order if u % 2 else order[::-1])
        for i in range(votes_each):
            x, y = rng.sample(ranking, 2)
            better = x if ranking.index(x) < ranking.index(y) else y
            if rng.random() < 0.1:
                better = y if better == x else x
            found.append(PairwiseVote(str(i), "p", x, y, f"w{u}", "left" if better == x else "right", len(found) + 1))
    return found


def test_personalised_predictions_beat_the_global_ranking_when_users_disagree() -> None:
    report = evaluate_preferences(_population(), shots=(0, 10), seed=3)
    ten = report["shots"]["10"]
    assert ten["genre"]["accuracy"] >= ten["global_bt"]["accuracy"] + 0.15
    assert ten["genre"]["auc"] > ten["global_bt"]["auc"]
    zero = report["shots"]["0"]
    assert abs(zero["genre"]["accuracy"] - zero["global_bt"]["accuracy"]) < 0.1  # nothing personal to go on
    assert report["test"]["held_out_split"] and report["test"]["users"] == 8


def test_split_holds_users_out() -> None:
    train, test = split_users(_population(users=10, votes_each=3), seed=0)
    assert {v.worker for v in train}.isdisjoint({v.worker for v in test}) and len({v.worker for v in test}) == 2
    with pytest.raises(ConfigError):
        evaluate_preferences(_population(users=5, votes_each=3), shots=(-1,))


def test_eval_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from genre.cli import main

    votes = _population(users=10, votes_each=15)
    path = tmp_path / "votes.csv"
    lines = ["id,prompt,model_x,model_y,worker,winner"]
    lines += [f"{v.pair_id},{v.prompt},{v.model_x},{v.model_y},{v.worker},{v.winner}" for v in votes]
    path.write_text("\n".join(lines) + "\n")
    plot = tmp_path / "plot.png"
    assert (
        main(
            [
                "eval",
                "preferences",
                "--train",
                str(path),
                "--shots",
                "0",
                "--shots",
                "5",
                "--graph",
                "empty",
                "--json",
                "--plot",
                str(plot),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data["shots"]) == {"0", "5"} and plot.stat().st_size > 0
    for key in ("genre", "global_bt", "predictions", "ties_left_out", "accuracy_gain_points"):
        assert key in data["shots"]["5"]
