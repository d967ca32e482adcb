"""Routing outcomes: the log readers, the import into the store, and the "similar past request" signal."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from genre.cli import main
from genre.errors import LoaderError, ValidationError
from kg.outcomes import import_routing, outcome_graph
from kg.recommend.past_requests import PastRequests, evidence_sentence, past_request_evidence, past_request_signal
from kg.store import Store
from loaders.routing import RoutingLog, RoutingRecord, read_routing
from ontology.validate import shacl_problems

DATA = Path(__file__).parent / "data" / "routing"
ROUTERBENCH = DATA / "routerbench_sample.csv"
OPEN7B = DATA / "open7b_sample.json"


# --------------------------------------------------------------------------- readers


def test_routerbench_reader_keeps_scores_costs_and_counts_blanks() -> None:
    log = read_routing("routerbench", [ROUTERBENCH])
    assert len(log.records) == 5 and len(log.models) == 11 and log.has_costs
    assert log.missing == 2  # two blank cells in the sample
    second = log.records[1]
    assert "claude-v2" not in second.scores  # blank: missing, not 0
    assert "claude-v2" in second.costs
    assert all(0.0 <= value <= 1.0 for record in log.records for value in record.scores.values())
    assert log.records[0].task == "arc-challenge" and log.records[0].sample_id == "arc-challenge.test.1108"
    assert log.records[0].prompt.rstrip().endswith("Answer:")  # the list literal is unwrapped
    assert not log.records[0].prompt.startswith("[")


def test_open7b_reader_counts_absent_and_null_scores() -> None:
    log = read_routing("open7b", [OPEN7B])
    assert len(log.records) == 5 and len(log.models) == 7 and not log.has_costs
    assert log.missing == 2  # one model left out of a record, one null score
    assert all(len(record.scores) + (7 - len(record.scores)) == 7 for record in log.records)
    assert sum(len(record.scores) for record in log.records) == 5 * 7 - 2


def test_readers_refuse_wrong_files_and_formats(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="valid options"):
        read_routing("routellm", [ROUTERBENCH])
    with pytest.raises(LoaderError, match="not found"):
        read_routing("open7b", [tmp_path / "none.json"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"question": "x"}))
    with pytest.raises(LoaderError, match="open7b"):
        read_routing("open7b", [bad])
    with pytest.raises(LoaderError, match="prompt"):
        read_routing("routerbench", [OPEN7B])


# --------------------------------------------------------------------------- import


def _count(store: Store, graph: str, pattern: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"
    return int(store.select(query).rows[0][0].toPython())


def test_import_writes_requests_outcomes_and_provenance() -> None:
    store = Store.open()
    log = read_routing("routerbench", [ROUTERBENCH])
    report = import_routing(store, log, name="rb")
    graph = str(outcome_graph("rb"))
    assert report.requests == 5 and report.outcomes == 5 * 11 - 2 and report.missing == 2
    assert _count(store, graph, "?r a genre:Request") == 5
    assert _count(store, graph, "?o a genre:Outcome") == 53
    assert _count(store, graph, "?o genre:costUsd ?c") == 55 - 2 - 0  # costs only on known outcomes
    assert _count(store, graph, "?o genre:outcomeOf ?r ; genre:outcomeModel ?m ; genre:outcomeScore ?s") == 53
    assert _count(store, graph, f"<{graph}> a genre:Source ; prov:generatedAtTime ?t ; dcterms:source ?f") == 1
    # an empty store knows no model: each of the 11 becomes a labelled Model in the import's graph
    assert len(report.created) == 11
    assert _count(store, graph, "?m a genre:Model ; skos:prefLabel ?l") == 11
    # re-importing under the same name replaces the graph
    again = import_routing(store, log, name="rb")
    assert _count(store, graph, "?o a genre:Outcome") == 53 and again.quads == report.quads


def test_import_resolves_models_the_graph_knows(kg) -> None:
    log = RoutingLog("open7b", ["openai/gpt-4o", "no-such-model-xyz"], [], ["x.json"])
    log.records.append(RoutingRecord("hello", {"openai/gpt-4o": 1.0, "no-such-model-xyz": 0.0}))
    report = import_routing(kg.store, log, name="tiny", resolve=kg.find_model)
    assert report.matched == {"openai/gpt-4o": str(kg.find_model("gpt-4o"))}
    assert report.created == ["no-such-model-xyz"]


def test_imported_outcomes_conform_to_the_shapes() -> None:
    store = Store.open()
    import_routing(store, read_routing("open7b", [OPEN7B]), name="o7")
    data = Graph()
    for s, p, o, _ in store.dataset.quads((None, None, None, outcome_graph("o7"))):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        data.add((s, p, o))
    assert shacl_problems(data) == []


def test_import_refuses_a_log_without_outcomes() -> None:
    log = RoutingLog("open7b", ["a"], [RoutingRecord("hello", {})], ["x.json"], missing=1)
    with pytest.raises(ValidationError, match="no known outcome"):
        import_routing(Store.open(), log, name="empty")


def test_import_cli_writes_into_the_store(
    capsys: pytest.CaptureFixture[str], fixture_snapshot: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    code = main(["import", "routing", "--format", "open7b", str(OPEN7B), "--name", "cli", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["requests"] == 5 and out["outcomes"] == 33 and out["missing_outcomes"] == 2
    assert out["graph"].endswith("/graph/outcomes/cli")


# --------------------------------------------------------------------------- past requests

CODE = ["write a python function that sorts a list", "implement binary search in python", "fix this python bug"]
PROSE = ["translate this sentence into German", "translate the letter into French", "say this in Spanish"]


def _store_with_specialists() -> tuple[Store, dict[str, str]]:
    """Model 'coder' solved the code requests, model 'linguist' the translations."""
    records = [
        RoutingRecord(text, {"coder": 1.0, "linguist": 0.0}, {"coder": 0.01, "linguist": 0.001}) for text in CODE
    ]
    records += [
        RoutingRecord(text, {"coder": 0.0, "linguist": 1.0}, {"coder": 0.01, "linguist": 0.001}) for text in PROSE
    ]
    store = Store.open()
    report = import_routing(store, RoutingLog("routerbench", ["coder", "linguist"], records, ["x.csv"]), name="s")
    return store, report.models


def _context(store: Store, iris: dict[str, str], text: str) -> SimpleNamespace:
    names = ["coder", "linguist", "never-measured"]
    tables = SimpleNamespace(
        model_iri=[iris.get(name, "https://w3id.org/genre/model/never-measured") for name in names],
        model_label=names,
    )
    candidates = SimpleNamespace(models=np.array([0, 1, 2]))
    request = SimpleNamespace(text=text, iris=lambda kind=None: [])
    return SimpleNamespace(store=store, tables=tables, candidates=candidates, request=request)


def test_past_request_signal_favours_the_model_that_solved_similar_requests() -> None:
    store, iris = _store_with_specialists()
    code = past_request_signal(_context(store, iris, "write a python function that reverses a string"))
    prose = past_request_signal(_context(store, iris, "translate this paragraph into Italian"))
    assert code is not None and prose is not None
    assert code[0] > code[1] and prose[1] > prose[0]
    assert all(0.0 <= value <= 1.0 for value in [*code, *prose])
    assert code[2] == pytest.approx(np.mean(code[:2]))  # the unmeasured model is neither favoured nor punished
    evidence = past_request_evidence(_context(store, iris, "write a python function that reverses a string"), 0)
    assert evidence and "coder solved" in evidence[0][1]


def test_past_request_signal_is_none_without_outcomes() -> None:
    assert past_request_signal(_context(Store.open(), {}, "anything")) is None


def test_estimate_shrinks_towards_the_model_mean() -> None:
    store, _ = _store_with_specialists()
    gentle = PastRequests.from_store(store, shrink=0.01).estimate(["implement quicksort in python"]).scores
    strong = PastRequests.from_store(store, shrink=100.0).estimate(["implement quicksort in python"]).scores
    assert gentle[0, 0] > strong[0, 0] > 0.5 - 1e-6  # towards coder's overall mean of 0.5
    assert strong[0, 0] == pytest.approx(0.5, abs=0.02)


def test_evidence_sentence() -> None:
    assert evidence_sentence("GPT-4", [1.0, 1.0, 0.0]) == "3 similar past requests: GPT-4 solved 2/3"


def test_signal_moves_relevance_in_the_recommender(kg, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the signal in relevance's mix, the model that solved similar past requests gains on the one that failed."""
    from kg.linking import Constraints, LinkResult
    from kg.recommend import Recommender, relevance

    monkeypatch.setitem(relevance.SIGNALS, "past_requests", past_request_signal)
    monkeypatch.setitem(relevance.MIX, "past_requests", 0.3)
    request = LinkResult("write a python function that reverses a string", [], ["text"], Constraints(), 10)
    first, second = (r.model_iri for r in list(Recommender(kg).recommend_linked(request, k=2)))

    def gap(winner: str, loser: str) -> float:
        records = [RoutingRecord(text, {winner: 1.0, loser: 0.0}) for text in CODE]
        log = RoutingLog("open7b", [winner, loser], records, ["x.json"])
        import_routing(kg.store, log, name="flip", resolve=kg.find_model)
        relevance_of = {r.model_iri: r.relevance for r in Recommender(kg).recommend_linked(request, k=500)}
        return relevance_of[first] - relevance_of[second]

    assert gap(first, second) > gap(second, first)
