"""Feedback: recording every kind, checking it, reading it back, forgetting a user, the CLI."""

from __future__ import annotations

import json

import pytest
from rdflib import XSD, Graph, Literal

from genre.errors import NotFoundError, ValidationError
from kg.feedback import FEEDBACK_GRAPH, user_iri
from ontology.validate import shacl_problems

COUNT_ABOUT = """
SELECT (COUNT(*) AS ?n) WHERE {
  { ?user ?p ?o } UNION { ?s ?p ?user } UNION { ?f genre:givenBy ?user } UNION { ?r genre:requestedBy ?user }
}"""


def _count_about(kg, user: str) -> int:
    return int(kg.store.select(COUNT_ABOUT.replace("?user", f"<{user_iri(user)}>")).rows[0][0].toPython())


def _feedback_graph(kg) -> Graph:
    """The stored feedback graph, with xsd:string literals made plain as the shapes write them."""
    graph = Graph()
    for s, p, o, _ in kg.store.dataset.quads((None, None, None, FEEDBACK_GRAPH)):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        graph.add((s, p, o))
    return graph


@pytest.mark.parametrize(
    "judgement",
    [
        {"rating": 4},
        {"up": True},
        {"down": True},
        {"prefer": "o3-mini"},
        {"tie": "o3-mini"},
        {"chose": True},
        {"comment": "too verbose"},
    ],
)
def test_every_kind_is_written_as_a_valid_feedback_node(kg, judgement):
    event = kg.feedback("ana", "GPT-4o", request="summarise this contract", **judgement)
    profile = kg.user_profile("ana")
    assert [f["id"] for f in profile.feedback] == [event.id]
    assert profile.feedback[0]["request"] == "summarise this contract"
    context = Graph()
    for s, p, o, _ in kg.store.dataset.quads((None, None, None, None)):
        if str(p).endswith("#type"):
            context.add((s, p, o))
    assert shacl_problems(_feedback_graph(kg), context) == []


def test_a_preference_is_a_like_for_one_model_and_a_dislike_for_the_other(kg):
    kg.feedback("ana", "Claude 3.5 Sonnet", prefer="GPT-4o")
    learned = kg.user_profile("ana").learned
    assert [m["label"] for m in learned["disliked_models"]] == ["GPT-4o"]
    assert [m["label"] for m in learned["liked_models"]] == ["Claude 3.5 Sonnet (20240620)"]


def test_the_request_is_linked_into_the_graph(kg):
    kg.feedback("ana", "GPT-4o", up=True, request="translate this letter into French")
    rows = kg.store.select("SELECT ?e WHERE { ?r a genre:Request ; genre:mentions ?e }").rows
    mentions = {str(row[0]) for row in rows}
    assert {"https://w3id.org/genre/task/translation", "https://w3id.org/genre/language/fr"} <= mentions


def test_an_unknown_model_is_an_error_with_close_matches_and_writes_nothing(kg):
    before = len(kg.store)
    with pytest.raises(NotFoundError, match="close matches: .*gpt-4o"):
        kg.feedback("ana", "gpt-4oo", up=True)
    assert len(kg.store) == before


@pytest.mark.parametrize(
    ("judgement", "message"),
    [
        ({"rating": 4, "up": True}, "exactly one judgement"),
        ({}, "give a judgement"),
        ({"rating": 9}, "from 1 to 5"),
        ({"prefer": "GPT-4o"}, "compared with itself"),
    ],
)
def test_malformed_feedback_is_refused_and_writes_nothing(kg, judgement, message):
    before = len(kg.store)
    with pytest.raises(ValidationError) as raised:
        kg.feedback("ana", "GPT-4o", **judgement)
    assert any(message in str(problem) for problem in raised.value.problems) or message in str(raised.value)
    assert len(kg.store) == before


def test_an_unknown_user_is_created(kg):
    kg.feedback("Zoë New", "GPT-4o", up=True)
    rows = kg.store.select("ASK { ?u a genre:User }", {"u": user_iri("Zoë New")}).rows
    assert rows[0][0].toPython() is True


def test_feedback_changes_the_next_recommendation_at_once(kg):
    from kg.recommend import recommend

    text = "Write a Python function that parses dates"
    before = {r.model_id: r.personalization for r in recommend(text, kg=kg, k=10, semantic=False, user="ana")}
    assert set(before.values()) == {1.0}
    disliked = sorted(before)[0]
    for _ in range(3):
        kg.feedback("ana", disliked, down=True)
    after = {r.model_id: r.personalization for r in recommend(text, kg=kg, k=10, semantic=False, user="ana")}
    assert after.get(disliked, 0.0) < 1.0
    assert max(after.values()) == 1.0


def test_forget_removes_every_node_and_edge_about_the_user(kg):
    kg.feedback("ana", "GPT-4o", rating=5, request="translate a letter", comment="good")
    kg.feedback("ana", "GPT-4o", prefer="o3-mini", request="translate a letter")
    kg.feedback("bob", "GPT-4o", rating=2)
    assert _count_about(kg, "ana") > 0
    removed = kg.forget_user("ana")
    assert removed > 0
    assert _count_about(kg, "ana") == 0
    leftover = kg.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?r genre:requestText 'translate a letter' }").rows
    assert int(leftover[0][0].toPython()) == 0
    assert [f["rating"] for f in kg.user_profile("bob").feedback] == [2]


def test_the_cli_records_shows_and_forgets(tmp_path, monkeypatch, fixture_snapshot, capsys):
    from genre.cli import EXIT_ERROR, main

    monkeypatch.setenv("GENRE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    monkeypatch.delenv("GENRE_STORE", raising=False)
    assert main(["feedback", "--user", "ana", "--model", "GPT-4o", "--rating", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "rating"
    assert main(["feedback", "--user", "ana", "--model", "GPT-4o", "--prefer", "o3-mini"]) == 0
    capsys.readouterr()
    assert main(["user", "show", "ana", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert sorted(f["kind"] for f in shown["feedback"]) == ["prefer", "rating"]
    assert main(["feedback", "--user", "ana", "--model", "no-such-model-xyz", "--up"]) == EXIT_ERROR
    assert "unknown model" in capsys.readouterr().err
    assert main(["user", "forget", "ana", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["quads_removed"] > 0
    assert main(["user", "show", "ana"]) == 0
    assert "no feedback" in capsys.readouterr().out


def test_forget_also_drops_the_user_from_the_stores_embeddings(kg):
    import numpy as np

    from kg.embeddings.signal import user_embeddings_path
    from kg.embeddings.vectors import Embeddings, load_embeddings

    ana, model = str(user_iri("ana")), "https://w3id.org/genre/model/gpt-4o"
    vectors = np.ones((2, 4), dtype=np.float32)
    Embeddings("transe", [ana, model], ["likes"], vectors, np.ones((1, 4))).save(user_embeddings_path())
    kg.feedback("ana", "GPT-4o", up=True)
    kg.forget_user("ana")
    assert load_embeddings(user_embeddings_path()).entities == [model]
