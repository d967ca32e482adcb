"""``genre query cypher``, ``genre kg neo4j-sync`` and ``genre bench queries``."""

from __future__ import annotations

import argparse
from typing import Any


def _key_value(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def add_commands(cli: Any) -> None:
    """Add the Cypher commands to ``genre``."""
    query = cli.group("query", "run SPARQL queries").add_parser(
        "cypher", help="run a named Cypher query, a .cypher file or Cypher text (read-only unless --write)"
    )
    query.add_argument("query", metavar="NAME_OR_FILE_OR_TEXT")
    query.add_argument("--param", action="append", type=_key_value, default=[], metavar="KEY=VALUE")
    query.add_argument("--backend", choices=("ladybug", "neo4j"), default="ladybug")
    query.add_argument(
        "--write", action="store_true", help="allow a query that writes (on Ladybug it changes the projection only)"
    )
    query.add_argument("--format", choices=("table", "json", "csv"), default="table")
    query.add_argument("--limit", type=int, default=None, help="print at most this many rows")
    cli.handle("query", "cypher", cmd_query_cypher)

    sync = cli.group("kg", "build, load and inspect the knowledge graph").add_parser(
        "neo4j-sync", help="export the property graph to Neo4j (GENRE_NEO4J_URI...): idempotent MERGE"
    )
    sync.add_argument("--batch-size", type=int, default=5000)
    sync.add_argument("--json", action="store_true")
    cli.handle("kg", "neo4j-sync", cmd_kg_neo4j_sync)

    bench = cli.group("bench", "measure speed").add_parser(
        "queries", help="time every named query on the default graph: Ladybug Cypher and Oxigraph SPARQL"
    )
    bench.add_argument("--n", type=int, default=20, help="runs per query and engine")
    bench.add_argument("--json", action="store_true")
    cli.handle("bench", "queries", cmd_bench_queries)


def _open() -> Any:
    from rich.console import Console

    import genre

    with Console(stderr=True).status("opening the knowledge graph"):
        return genre.open()


def cmd_query_cypher(args: argparse.Namespace) -> int:
    """``genre query cypher``: a named query, a file or text, parameters bound as ``$name``."""
    from rich.console import Console

    from genre.output import render_rows
    from queries.cypher import Cypher, find_query

    params: dict[str, Any] = dict(args.param)
    if find_query(args.query) is None:  # Cypher text declares no types: read numbers, booleans, lists as JSON
        params = {name: _typed(value) for name, value in params.items()}
    kg = _open()
    cypher = Cypher(kg, backend=args.backend)
    try:
        with Console(stderr=True).status("running (the first run builds the Ladybug database)"):
            result = cypher.run(args.query, write=args.write, **params)
    finally:
        cypher.close()
    rows = result.rows[: args.limit] if args.limit else result.rows
    print(render_rows(result.columns, rows, args.format))
    return 0


def _typed(value: str) -> Any:
    """A ``--param`` value for Cypher text: JSON when it parses (``2``, ``1.5``, ``true``, ``["a"]``), else text.

    >>> _typed("1.5"), _typed("true"), _typed("gpt-4o"), _typed('["a", "b"]')
    (1.5, True, 'gpt-4o', ['a', 'b'])
    """
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def cmd_kg_neo4j_sync(args: argparse.Namespace) -> int:
    """``genre kg neo4j-sync``: project the store and sync it into Neo4j."""
    from genre.output import render_rows, to_json
    from kg.property_graph.neo4j import Neo4jClient, Neo4jConfig, sync_graph
    from kg.property_graph.projection import project

    kg = _open()
    client = Neo4jClient(Neo4jConfig.from_env())
    try:
        report = sync_graph(client, project(kg.store), batch_size=args.batch_size)
    finally:
        client.close()
    if args.json:
        print(to_json(report))
    else:
        print(render_rows(["what", "count"], sorted(report.items()), "table", title="Neo4j sync"))
    return 0


def cmd_bench_queries(args: argparse.Namespace) -> int:
    """``genre bench queries``: p50/p99 per named query, Ladybug Cypher beside Oxigraph SPARQL."""
    import time

    import genre
    from genre.output import render_rows, to_json
    from kg.property_graph.ladybug import ensure_ladybug
    from kg.snapshot import DEFAULT_SNAPSHOT
    from queries.cypher import Cypher, cypher_query_names

    kg = genre.open(snapshot=DEFAULT_SNAPSHOT)
    started = time.perf_counter()
    database = ensure_ladybug(kg.store)
    cypher = Cypher(kg)
    rows = []
    try:
        for name in cypher_query_names():
            cypher_times = _timings(lambda name=name: cypher.run(name), args.n)
            sparql_times = _timings(lambda name=name: kg.query(name), args.n)
            rows.append(
                {
                    "query": name,
                    "ladybug_rows": len(cypher.run(name).rows),
                    "sparql_rows": len(kg.query(name).rows),
                    "ladybug_p50_ms": _percentile(cypher_times, 50),
                    "ladybug_p99_ms": _percentile(cypher_times, 99),
                    "sparql_p50_ms": _percentile(sparql_times, 50),
                    "sparql_p99_ms": _percentile(sparql_times, 99),
                }
            )
    finally:
        cypher.close()
    build = {
        "ladybug_build_s": round(database.seconds, 1),
        "built_now": database.built,
        "ready_s": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(to_json({"runs": args.n, **build, "queries": rows}))
        return 0
    title = f"{args.n} runs each; Ladybug build {build['ladybug_build_s']} s" + ("" if database.built else " (earlier)")
    print(render_rows(list(rows[0]), [list(row.values()) for row in rows], "table", title=title))
    return 0


def _timings(call: Any, n: int) -> list[float]:
    import time

    call()  # warm-up: caches, prepared statements
    times = []
    for _ in range(max(n, 1)):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile, rounded to 0.01 ms.

    >>> _percentile([1.0, 2.0, 3.0, 4.0], 50), _percentile([1.0, 2.0, 3.0, 4.0], 99)
    (2.0, 4.0)
    """
    import math

    ordered = sorted(values)
    rank = max(math.ceil(percent / 100 * len(ordered)), 1)
    return round(ordered[rank - 1], 2)
