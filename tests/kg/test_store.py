"""The store: atomic writes, read-only queries, bound parameters, snapshots, bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from genre.errors import QueryError, StoreError
from kg.store import Store

EX = "https://example.org/"
G = URIRef(EX + "graph")


def quad(s: str, p: str, o: object) -> tuple:
    return (URIRef(EX + s), URIRef(EX + p), o if isinstance(o, (URIRef, Literal)) else Literal(o), G)


@pytest.fixture()
def store() -> Store:
    store = Store.open()
    store.add_quads([quad("a", "p", 1), quad("b", "p", 2), quad("a", "name", "Alice")])
    return store


def test_select_returns_typed_rows(store: Store) -> None:
    result = store.select("SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?o")
    assert result.variables == ("s", "o")
    assert [row[1].toPython() for row in result.rows] == [1, 2]
    assert result.dicts()[0] == {"s": EX + "a", "o": 1}


def test_bindings_are_substituted_and_hidden_from_columns(store: Store) -> None:
    result = store.select("SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o }", {"s": URIRef(EX + "b")})
    assert result.variables == ("o",)
    assert result.rows == [(Literal(2),)]


def test_a_bound_string_is_never_parsed_as_query_text(store: Store) -> None:
    injection = Literal('Alice" } ; DROP ALL ; SELECT * { "')
    result = store.select("SELECT ?s ?name WHERE { ?s <https://example.org/name> ?name }", {"name": injection})
    assert result.rows == []
    assert len(store) == 3


@pytest.mark.parametrize(
    "update",
    ["DELETE WHERE { ?s ?p ?o }", "INSERT DATA { <urn:x> <urn:y> <urn:z> }", "DROP ALL", "CLEAR DEFAULT"],
)
def test_updates_are_refused_and_change_nothing(store: Store, update: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        store.select(update)
    assert len(store) == 3


def test_syntax_error_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="syntax"):
        store.select("SELEC ?s WHERE { ?s ?p ?o }")


def test_unprojected_parameter_gets_an_explanation(store: Store) -> None:
    with pytest.raises(QueryError, match="SELECT clause"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal(1)})


def test_ask_and_construct(store: Store) -> None:
    assert store.select("ASK { ?s ?p 2 }").rows[0][0].toPython() is True
    graph = store.construct("CONSTRUCT { ?s <urn:seen> true } WHERE { ?s ?p ?o }")
    assert len(graph) == 2
    with pytest.raises(QueryError):
        store.select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_a_failed_write_writes_nothing(store: Store) -> None:
    bad = (URIRef(EX + "c"), URIRef(EX + "p"), Literal(3), None)  # a quad without a graph is still fine...
    good = quad("d", "p", 4)
    with pytest.raises(StoreError, match="nothing was written"):
        store.add_quads([good, (URIRef("not an iri"), URIRef(EX + "p"), Literal(1), G)])
    assert len(store) == 3
    store.add_quads([bad[:3] + (G,), good])
    assert len(store) == 5


def test_snapshot_round_trip(store: Store, tmp_path: Path) -> None:
    path = store.dump_nquads(tmp_path / "snap.nq.gz")
    again = Store.open()
    again.load_nquads(path)
    assert len(again) == len(store)
    assert store.dump_nquads(tmp_path / "again.nq.gz").read_bytes() == path.read_bytes()


def test_missing_or_malformed_snapshot_is_a_store_error(tmp_path: Path) -> None:
    store = Store.open()
    with pytest.raises(StoreError, match="not found"):
        store.load_nquads(tmp_path / "missing.nq.gz")
    broken = tmp_path / "broken.nq.gz"
    broken.write_bytes(gzip.compress(b"<urn:a> <urn:b> this is not RDF .\n"))
    with pytest.raises(StoreError, match="could not be loaded"):
        store.load_nquads(broken)


def test_persistent_store_keeps_data_and_refuses_a_second_opener(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    store.add_quads([quad("a", "p", 1)])
    with pytest.raises(StoreError, match="already has the store at .* open"):
        Store.open(tmp_path / "db")
    store.close()
    again = Store.open(tmp_path / "db")
    assert len(again) == 1


def test_another_process_waits_for_the_store_then_names_the_holder(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = Store.open(tmp_path / "db")
    code = (
        "import sys; from kg.store import Store\n"
        "try:\n    Store.open(sys.argv[1], wait=float(sys.argv[2]))\nexcept Exception as e:\n    print(e)\n"
        "else:\n    print('opened')"
    )
    root = str(Path(__file__).resolve().parents[2])
    waited = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "db"), "0.3"], capture_output=True, text=True, cwd=root
    )
    assert f"in use by another GENRE process (pid {__import__('os').getpid()}" in waited.stdout
    turn = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "db"), "60"], stdout=subprocess.PIPE, text=True, cwd=root
    )
    store.close()
    assert turn.communicate(timeout=60)[0].strip() == "opened"


def test_a_store_held_by_the_service_is_refused_at_once_with_what_to_do(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    code = (
        "import sys, time; sys.argv = ['genre', 'serve']\n"
        "from kg.store import Store\nstore = Store.open(sys.stdin.readline().strip())\nprint('held', flush=True)\n"
        "time.sleep(60)"
    )
    root = str(Path(__file__).resolve().parents[2])
    service = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=root
    )
    try:
        assert service.stdin is not None and service.stdout is not None
        service.stdin.write(f"{tmp_path / 'db'}\n")
        service.stdin.flush()
        assert service.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"held by a running GENRE service .*POST /v1/feedback"):
            Store.open(tmp_path / "db", wait=30)
        assert time.monotonic() - started < 5
    finally:
        service.kill()
        service.wait()
