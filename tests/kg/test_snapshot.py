"""Keeping a store in step with the shipped snapshot without losing people's own data."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from genre.errors import StoreError
from kg.additions import USER_GRAPH
from kg.snapshot import ensure_snapshot, loaded_snapshot, mark_local_build, snapshot_id
from kg.store import Store

MINE = (URIRef("https://w3id.org/genre/model/mine"), URIRef("urn:p"), Literal("kept"), USER_GRAPH)


def nquads(tmp_path: Path, name: str, value: str) -> Path:
    path = tmp_path / name
    line = f'<urn:s> <urn:p> "{value}" <https://w3id.org/genre/source/litellm> .\n'
    path.write_bytes(gzip.compress(line.encode()))
    return path


def test_first_open_loads_and_second_does_nothing(tmp_path: Path) -> None:
    store = Store.open()
    snapshot = nquads(tmp_path, "a.nq.gz", "one")
    assert ensure_snapshot(store, snapshot) is True
    assert loaded_snapshot(store) == snapshot_id(snapshot)
    assert ensure_snapshot(store, snapshot) is False


def test_a_new_snapshot_replaces_source_graphs_but_keeps_user_graphs(tmp_path: Path) -> None:
    store = Store.open()
    ensure_snapshot(store, nquads(tmp_path, "a.nq.gz", "one"))
    store.add_quads([MINE])
    assert ensure_snapshot(store, nquads(tmp_path, "b.nq.gz", "two")) is True
    values = {str(row[0]) for row in store.select("SELECT ?o WHERE { ?s <urn:p> ?o }").rows}
    assert values == {"two", "kept"}


def test_a_local_build_is_not_replaced_by_the_default_snapshot(tmp_path: Path) -> None:
    store = Store.open()
    store.add_quads([MINE])
    mark_local_build(store)
    assert ensure_snapshot(store) is False
    assert ensure_snapshot(store, nquads(tmp_path, "a.nq.gz", "one")) is True  # asked for explicitly


def test_missing_snapshot_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="genre kg build"):
        ensure_snapshot(Store.open(), tmp_path / "none.nq.gz")
