"""The property graph in Neo4j, through the official driver: configuration, retries, errors, sync.

* :class:`Neo4jConfig` reads ``GENRE_NEO4J_URI``, ``GENRE_NEO4J_USER`` (default ``neo4j``),
  ``GENRE_NEO4J_PASSWORD`` and ``GENRE_NEO4J_DATABASE`` from the environment only.
* :class:`Neo4jClient` runs one statement per call through ``driver.execute_query`` (which
  already retries inside its managed transaction), retries what still fails transiently
  (``TransientError``, ``ServiceUnavailable``, ``SessionExpired``: a restarting server, a
  leader switch) with exponential backoff, and maps driver errors to GENRE's (:func:`map_error`).
* :func:`sync_graph` writes a :class:`~kg.property_graph.projection.PropertyGraph`: uniqueness
  constraints on ``iri`` for every label first, then nodes and relationships in ``UNWIND``
  batches with ``MERGE``; a node or relationship is written only when its properties differ,
  and nodes and relationships no longer in the graph are deleted, so a second run changes
  nothing (every summary counter is zero).

Examples
--------
>>> Neo4jConfig.from_env({"GENRE_NEO4J_URI": "bolt://db:7687", "GENRE_NEO4J_PASSWORD": "s3cret"})
Neo4jConfig(uri='bolt://db:7687', user='neo4j', database=None)
>>> Neo4jConfig.from_env({})
Traceback (most recent call last):
...
genre.errors.ConfigError: GENRE_NEO4J_URI is not set: give the Neo4j server's address (e.g. bolt://localhost:7687)
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from genre.errors import ConfigError, GenreError, QueryError, StoreError
from kg.property_graph.projection import PropertyGraph

COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
    "indexes_added",
    "constraints_added",
)


@dataclass(frozen=True)
class Neo4jConfig:
    """Where the Neo4j server is and how to log in (the password is never printed)."""

    uri: str = ""
    user: str = "neo4j"
    password: str = field(default="", repr=False, metadata={"secret": True})
    database: str | None = None

    def __post_init__(self) -> None:
        if not self.uri.strip():
            raise ConfigError(
                "GENRE_NEO4J_URI is not set: give the Neo4j server's address (e.g. bolt://localhost:7687)"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Neo4jConfig:
        """Read the ``GENRE_NEO4J_*`` variables (or ``[genre.neo4j]``); :class:`ConfigError` when the URI is missing."""
        from genre.settings import read_section

        return read_section(cls, "neo4j", env=env)


def map_error(error: Exception) -> GenreError:
    """GENRE's error for a driver error, with a message that says what to check."""
    from neo4j import exceptions as ne

    if isinstance(error, ne.AuthError):
        return ConfigError(f"Neo4j refused the login: check GENRE_NEO4J_USER and GENRE_NEO4J_PASSWORD ({error})")
    if isinstance(error, ne.ConfigurationError):
        return ConfigError(f"the Neo4j driver's configuration is invalid: check GENRE_NEO4J_URI ({error})")
    if isinstance(error, ne.CypherSyntaxError):
        return QueryError(f"Cypher syntax error on Neo4j: {getattr(error, 'message', None) or error}")
    if isinstance(error, (ne.ServiceUnavailable, ne.SessionExpired)):
        return StoreError(f"the Neo4j server is unreachable: check GENRE_NEO4J_URI and the server ({error})")
    if isinstance(error, ne.TransientError):
        return StoreError(f"Neo4j kept failing with a transient error: {error}")
    if isinstance(error, ne.ClientError):
        code = getattr(error, "code", None) or "client error"
        return QueryError(f"Neo4j rejected the query ({code}): {getattr(error, 'message', None) or error}")
    return StoreError(f"Neo4j failed: {error}")


class Neo4jClient:
    """Statements through ``driver.execute_query`` with retries and GENRE's errors.

    Parameters
    ----------
    config:
        Where the server is (ignored when ``driver`` is given).
    driver:
        A ready driver (tests pass a stand-in with ``execute_query`` and ``close``).
    attempts, backoff, sleep:
        Tries per statement, first wait in seconds (doubled after each failure), and the sleep function.
    """

    def __init__(
        self,
        config: Neo4jConfig | None = None,
        *,
        driver: Any = None,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        if driver is None:
            if config is None:
                raise ConfigError("give a Neo4jConfig or a driver")
            import neo4j

            try:
                driver = neo4j.GraphDatabase.driver(config.uri, auth=(config.user, config.password))
            except (ValueError, ImportError) as error:  # unknown scheme; a scheme needing a missing package
                raise ConfigError(f"GENRE_NEO4J_URI {config.uri!r} cannot be used: {error}") from error
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
                raise map_error(error) from error
        self.driver = driver

    def execute(self, query: str, parameters: Mapping[str, Any] | None = None, *, write: bool = True) -> Any:
        """Run one statement (retrying transient failures); returns the driver's eager result."""
        from neo4j import exceptions as ne

        options: dict[str, Any] = {"routing_": "w" if write else "r"}
        if self.config is not None and self.config.database:
            options["database_"] = self.config.database
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                return self.driver.execute_query(query, dict(parameters or {}), **options)
            except (ne.TransientError, ne.ServiceUnavailable, ne.SessionExpired) as error:
                if attempt == self.attempts:
                    raise map_error(error) from error
                self.sleep(wait)
                wait *= 2
            except (ne.Neo4jError, ne.DriverError) as error:
                raise map_error(error) from error
        raise StoreError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count(summary_counters: Any, into: Counter[str]) -> None:
    for name in COUNTERS:
        into[name] += int(getattr(summary_counters, name, 0) or 0)


INDEXED = ("id", "prefLabel")
"""Properties indexed on every label besides the unique ``iri`` (lookups by id and by name)."""


def schema_statements(graph: PropertyGraph) -> list[str]:
    """A uniqueness constraint on ``iri`` and indexes on :data:`INDEXED` for every label, created before any data.

    >>> from kg.property_graph.projection import NodeTable, ProjectionReport
    >>> graph = PropertyGraph({"Model": NodeTable("Model", [], [])}, {}, ProjectionReport())
    >>> for statement in schema_statements(graph):
    ...     print(statement)
    CREATE CONSTRAINT genre_Model_iri IF NOT EXISTS FOR (n:`Model`) REQUIRE n.iri IS UNIQUE
    CREATE INDEX genre_Model_id IF NOT EXISTS FOR (n:`Model`) ON (n.`id`)
    CREATE INDEX genre_Model_prefLabel IF NOT EXISTS FOR (n:`Model`) ON (n.`prefLabel`)
    """
    statements = []
    for label in graph.nodes:
        statements.append(
            f"CREATE CONSTRAINT genre_{label}_iri IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.iri IS UNIQUE"
        )
        statements += [
            f"CREATE INDEX genre_{label}_{name} IF NOT EXISTS FOR (n:`{label}`) ON (n.`{name}`)" for name in INDEXED
        ]
    return statements


def node_statement(label: str, extra_labels: tuple[str, ...] = ()) -> str:
    """MERGE a batch of nodes of ``label``; properties are replaced only when they differ.

    A node with several GENRE classes is merged on its first (the table it has in Ladybug) and
    gets the others as ``extra_labels``.

    >>> print(node_statement("Model", ("Provider",)))
    UNWIND $rows AS row MERGE (n:`Model` {iri: row.iri}) SET n:`Provider` WITH n, row WHERE ...
    """
    extra = "".join(f":`{name}`" for name in extra_labels)
    return (
        f"UNWIND $rows AS row MERGE (n:`{label}` {{iri: row.iri}}) "
        + (f"SET n{extra} " if extra else "")
        + "WITH n, row WHERE properties(n) <> row.properties SET n = row.properties"
    )


def relationship_statement(rel_type: str, start: str, end: str) -> str:
    """MERGE a batch of relationships; ``graphs`` is set only when it differs."""
    return (
        f"UNWIND $rows AS row MATCH (a:`{start}` {{iri: row.start}}) MATCH (b:`{end}` {{iri: row.end}}) "
        f"MERGE (a)-[r:`{rel_type}`]->(b) WITH r, row WHERE r.graphs IS NULL OR r.graphs <> row.graphs "
        "SET r.graphs = row.graphs"
    )


def _node_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for :func:`node_statement`: null properties left out (Neo4j stores no nulls)."""
    return [
        {"iri": row["iri"], "properties": {k: v for k, v in row.items() if v is not None and v != []}} for row in rows
    ]


def sync_graph(
    client: Neo4jClient, graph: PropertyGraph, *, batch_size: int = 5000, prune: bool = True
) -> dict[str, int]:
    """Write ``graph`` into Neo4j idempotently; returns the summed summary counters and batch count."""
    if batch_size < 1:
        raise ConfigError(f"batch size must be a positive integer, got {batch_size}")
    totals: Counter[str] = Counter()
    for statement in schema_statements(graph):
        _count(client.execute(statement).summary.counters, totals)
    for label, table in graph.nodes.items():
        rows = _node_rows(table.rows)
        by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row, node in zip(rows, table.rows, strict=True):
            extra = tuple(name for name in node.get("classes", ()) if name != label)
            by_labels.setdefault(extra, []).append(row)
        for extra, group in by_labels.items():
            for batch in _batches(group, batch_size):
                _count(client.execute(node_statement(label, extra), {"rows": batch}).summary.counters, totals)
                totals["batches"] += 1
        if prune:
            keep = {row["iri"] for row in rows}
            found = client.execute(f"MATCH (n:`{label}`) RETURN n.iri AS iri", write=False).records
            stale = sorted({record["iri"] for record in found} - keep)
            for batch in _batches(stale, batch_size):
                query = f"UNWIND $iris AS iri MATCH (n:`{label}` {{iri: iri}}) DETACH DELETE n"
                _count(client.execute(query, {"iris": batch}).summary.counters, totals)
    for rel in graph.relationships.values():
        for (start, end), links in rel.rows.items():
            rows = [{"start": a, "end": b, "graphs": where} for a, b, where in links]
            for batch in _batches(rows, batch_size):
                _count(
                    client.execute(relationship_statement(rel.type, start, end), {"rows": batch}).summary.counters,
                    totals,
                )
                totals["batches"] += 1
        if prune:
            keep_links = {(a, b) for links in rel.rows.values() for a, b, _ in links}
            query = f"MATCH (a)-[r:`{rel.type}`]->(b) RETURN a.iri AS start, b.iri AS end"
            found = client.execute(query, write=False).records
            stale_links = sorted({(r["start"], r["end"]) for r in found} - keep_links)
            for batch in _batches([{"start": a, "end": b} for a, b in stale_links], batch_size):
                query = (
                    f"UNWIND $rows AS row MATCH (a {{iri: row.start}})-[r:`{rel.type}`]->(b {{iri: row.end}}) DELETE r"
                )
                _count(client.execute(query, {"rows": batch}).summary.counters, totals)
    return {name: totals[name] for name in (*COUNTERS, "batches")}
