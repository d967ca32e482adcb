"""The Neo4j adapter with a stand-in driver: batching, MERGE statements, constraints first,
idempotency, retries on transient errors and the mapping of driver errors. A real server is
used only by the tests marked ``neo4j`` (run when GENRE_NEO4J_URI is set)."""

from __future__ import annotations

import os
import re
from types import SimpleNamespace
from typing import Any

import pytest
from neo4j import exceptions as ne

from genre.errors import ConfigError, QueryError, StoreError
from kg.property_graph.neo4j import (
    COUNTERS,
    Neo4jClient,
    Neo4jConfig,
    map_error,
    node_statement,
    relationship_statement,
    sync_graph,
)
from kg.property_graph.projection import project


class FakeNeo4j:
    """Just enough of a Neo4j driver and server for the statements :func:`sync_graph` sends."""

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.failures = list(failures or [])
        self.constraints: set[str] = set()
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self.links: dict[tuple[str, str, str], list[str]] = {}
        self.closed = False

    def execute_query(self, query: str, parameters: dict[str, Any], **options: Any) -> Any:
        self.calls.append((query, parameters, options))
        if self.failures:
            raise self.failures.pop(0)
        counters = dict.fromkeys(COUNTERS, 0)
        records: list[dict[str, Any]] = []
        if query.startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
            name = query.split()[2]
            counters["constraints_added" if "CONSTRAINT" in query else "indexes_added"] = int(
                name not in self.constraints
            )
            self.constraints.add(name)
        elif query.startswith("UNWIND $rows AS row MERGE (n:"):
            label = re.search(r"MERGE \(n:`(\w+)`", query).group(1)
            for row in parameters["rows"]:
                key = (label, row["iri"])
                if key not in self.nodes:
                    counters["nodes_created"] += 1
                    counters["labels_added"] += 1
                    self.nodes[key] = {"iri": row["iri"]}
                if self.nodes[key] != row["properties"]:
                    counters["properties_set"] += len(row["properties"])
                    self.nodes[key] = dict(row["properties"])
        elif query.startswith("UNWIND $rows AS row MATCH (a:"):
            kind = re.search(r"MERGE \(a\)-\[r:`(\w+)`\]", query).group(1)
            for row in parameters["rows"]:
                key = (kind, row["start"], row["end"])
                if key not in self.links:
                    counters["relationships_created"] += 1
                    self.links[key] = None
                if self.links[key] != row["graphs"]:
                    counters["properties_set"] += 1
                    self.links[key] = row["graphs"]
        elif query.startswith("MATCH (n:"):
            label = re.search(r"MATCH \(n:`(\w+)`\)", query).group(1)
            records = [{"iri": iri} for (kind, iri) in self.nodes if kind == label]
        elif query.startswith("MATCH (a)-[r:"):
            kind = re.search(r"\[r:`(\w+)`\]", query).group(1)
            records = [{"start": a, "end": b} for (k, a, b) in self.links if k == kind]
        elif "DETACH DELETE" in query:
            label = re.search(r"MATCH \(n:`(\w+)`", query).group(1)
            for iri in parameters["iris"]:
                counters["nodes_deleted"] += int(self.nodes.pop((label, iri), None) is not None)
        elif query.endswith("DELETE r"):
            kind = re.search(r"\[r:`(\w+)`\]", query).group(1)
            for row in parameters["rows"]:
                counters["relationships_deleted"] += int(self.links.pop((kind, row["start"], row["end"]), 0) != 0)
        else:
            records = [{"n": 1}]
        return SimpleNamespace(
            records=records,
            keys=list(records[0]) if records else [],
            summary=SimpleNamespace(counters=SimpleNamespace(**counters)),
        )

    def close(self) -> None:
        self.closed = True


@pytest.fixture()
def graph(kg):
    return project(kg.store)


def test_config_comes_from_the_environment_only():
    config = Neo4jConfig.from_env(
        {
            "GENRE_NEO4J_URI": "neo4j://h:7687",
            "GENRE_NEO4J_USER": "u",
            "GENRE_NEO4J_PASSWORD": "p",
            "GENRE_NEO4J_DATABASE": "g",
        }
    )
    assert (config.uri, config.user, config.password, config.database) == ("neo4j://h:7687", "u", "p", "g")
    assert "p" not in repr(config).replace("neo4j://h", "")
    with pytest.raises(ConfigError, match="GENRE_NEO4J_URI"):
        Neo4jConfig.from_env({"GENRE_NEO4J_PASSWORD": "p"})


def test_constraints_come_first_then_batches_of_the_given_size(graph):
    fake = FakeNeo4j()
    report = sync_graph(Neo4jClient(driver=fake), graph, batch_size=7)
    queries = [query for query, _, _ in fake.calls]
    schema = [i for i, q in enumerate(queries) if q.startswith(("CREATE CONSTRAINT", "CREATE INDEX"))]
    assert schema == list(range(3 * len(graph.nodes)))  # every constraint and index before any data
    sizes = [
        len(params["rows"]) for query, params, _ in fake.calls if query.startswith("UNWIND $rows") and "MERGE" in query
    ]
    assert sizes and max(sizes) == 7
    assert report["nodes_created"] == sum(table.count for table in graph.nodes.values())
    assert report["relationships_created"] == sum(rel.count for rel in graph.relationships.values())
    assert report["constraints_added"] == len(graph.nodes)
    assert report["indexes_added"] == 2 * len(graph.nodes)


def test_statements_merge_on_the_iri_and_set_only_changes():
    assert node_statement("Model").startswith("UNWIND $rows AS row MERGE (n:`Model` {iri: row.iri})")
    assert "WHERE properties(n) <> row.properties SET n = row.properties" in node_statement("Model")
    statement = relationship_statement("hasOffer", "Model", "Offer")
    assert "MERGE (a)-[r:`hasOffer`]->(b)" in statement and "r.graphs <> row.graphs" in statement


def test_a_second_sync_changes_nothing(graph):
    fake = FakeNeo4j()
    client = Neo4jClient(driver=fake)
    first = sync_graph(client, graph, batch_size=100)
    second = sync_graph(client, graph, batch_size=100)
    assert first["nodes_created"] > 0
    assert all(second[name] == 0 for name in COUNTERS), second


def test_sync_deletes_what_left_the_graph(graph):
    fake = FakeNeo4j()
    client = Neo4jClient(driver=fake)
    sync_graph(client, graph)
    fake.nodes[("Model", "https://w3id.org/genre/model/gone")] = {"iri": "https://w3id.org/genre/model/gone"}
    fake.links[("hasOffer", "https://w3id.org/genre/model/gone", "x")] = ["g"]
    report = sync_graph(client, graph)
    assert report["nodes_deleted"] == 1 and report["relationships_deleted"] == 1


def test_transient_errors_are_retried_with_backoff():
    waits: list[float] = []
    fake = FakeNeo4j([ne.TransientError("busy"), ne.ServiceUnavailable("down"), ne.SessionExpired("gone")])
    client = Neo4jClient(driver=fake, attempts=4, backoff=0.1, sleep=waits.append)
    assert client.execute("RETURN 1 AS n").records == [{"n": 1}]
    assert waits == [0.1, 0.2, 0.4]
    assert len(fake.calls) == 4


def test_retries_give_up_with_a_store_error():
    fake = FakeNeo4j([ne.ServiceUnavailable("down")] * 3)
    with pytest.raises(StoreError, match="unreachable"):
        Neo4jClient(driver=fake, attempts=3, sleep=lambda _: None).execute("RETURN 1")
    assert len(fake.calls) == 3


def _error(kind: type[Exception], code: str, message: str) -> Exception:
    return kind._hydrate_neo4j(code=code, message=message) if hasattr(kind, "_hydrate_neo4j") else kind(message)


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        (ne.AuthError("no"), ConfigError, "GENRE_NEO4J_PASSWORD"),
        (ne.CypherSyntaxError("bad"), QueryError, "syntax"),
        (ne.ClientError("Neo.ClientError.Statement.ParameterMissing"), QueryError, "rejected"),
        (ne.ServiceUnavailable("down"), StoreError, "GENRE_NEO4J_URI"),
        (ne.DatabaseError("disk"), StoreError, "failed"),
        (ne.ConfigurationError("bad uri"), ConfigError, "configuration"),
    ],
)
def test_driver_errors_map_to_genre_errors(error, expected, words):
    mapped = map_error(error)
    assert isinstance(mapped, expected) and words in str(mapped)


def test_client_maps_errors_without_retrying():
    fake = FakeNeo4j([ne.CypherSyntaxError("bad")])
    with pytest.raises(QueryError):
        Neo4jClient(driver=fake, sleep=lambda _: None).execute("RETRUN 1")
    assert len(fake.calls) == 1


def test_neo4j_backend_through_the_runner(kg):
    from queries.cypher import Cypher
    from queries.cypher_backends.neo4j import Neo4jBackend

    fake = FakeNeo4j()
    cypher = Cypher(kg, backend=Neo4jBackend(kg, driver=fake))
    assert cypher.run("model-card", model="GPT-4o").rows == [(1,)]
    query, params, _ = fake.calls[0]
    assert params == {"model": "https://w3id.org/genre/model/gpt-4o"} and "$model" in query
    with pytest.raises(QueryError, match="writes"):
        cypher.run("MERGE (n:Model {iri: 'x'})")
    cypher.close()
    assert fake.closed


needs_neo4j = pytest.mark.skipif(not os.environ.get("GENRE_NEO4J_URI"), reason="GENRE_NEO4J_URI is not set")


@pytest.mark.neo4j
@needs_neo4j
def test_real_neo4j_sync_is_idempotent_and_answers_like_ladybug(kg, graph, ladybug_folder):
    from queries.cypher import Cypher, cypher_query_names

    client = Neo4jClient(Neo4jConfig.from_env())
    try:
        sync_graph(client, graph)
        second = sync_graph(client, graph)
        assert all(second[name] == 0 for name in COUNTERS), second
    finally:
        client.close()
    on_neo4j = Cypher(kg, backend="neo4j")
    on_ladybug = Cypher(kg, folder=ladybug_folder)
    try:
        for name in cypher_query_names():
            assert _answer(on_neo4j.run(name).rows) == _answer(on_ladybug.run(name).rows), name
    finally:
        on_neo4j.close()
        on_ladybug.close()


def _answer(rows) -> set[tuple[str, ...]]:
    """Rows comparable across engines: lists in sorted order (collect() has none), values as text."""
    return {tuple(str(sorted(v)) if isinstance(v, list) else str(v) for v in row) for row in rows}


@pytest.mark.parametrize("uri", ["ftp://localhost:7687", "not a uri"])
def test_a_bad_address_is_a_config_error(uri):
    with pytest.raises(ConfigError, match="GENRE_NEO4J_URI"):
        Neo4jClient(Neo4jConfig(uri=uri, password="x"))


def test_a_good_address_makes_a_driver_without_connecting():
    client = Neo4jClient(Neo4jConfig(uri="bolt://127.0.0.1:1", password="x"))
    client.close()
