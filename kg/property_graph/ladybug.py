"""The property graph in an embedded Ladybug database, bulk-loaded and kept in step with the store.

:func:`ensure_ladybug` returns a database that holds the current store's projection: it keys
the database on :func:`store_fingerprint` (the loaded snapshot, the size of people's own graphs,
the projection's version) and rebuilds it, in a fresh folder, when the fingerprint changes: after
``genre kg load``, ``genre model add``, or an upgrade of GENRE. A change that keeps those the same
(one quad of a user graph replaced by another) is not noticed: rebuild with
``ensure_ladybug(..., rebuild=True)``.

The build writes one CSV file per node label and per (relationship type, start label, end
label) into a temporary folder and loads each with ``COPY ... FROM (LOAD ... RETURN ...)``;
lists travel as strings joined by U+001F and are split by Ladybug while copying.

Examples
--------
>>> import genre, tempfile
>>> kg = genre.open(snapshot=FIXTURE)
>>> database = ensure_ladybug(kg.store, folder=Path(tempfile.mkdtemp()))
>>> database.built, database.counts["Model"] > 0
(True, True)
>>> ensure_ladybug(kg.store, folder=database.folder.parent).built      # same store: nothing to do
False
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from genre.errors import StoreError
from kg.property_graph.projection import Column, PropertyGraph, project
from kg.snapshot import LOCAL_BUILD, USER_GRAPH_PREFIXES, loaded_snapshot
from kg.store import Store

PROJECTION_VERSION = "1"
"""Bump when the projection's mapping changes, so that existing databases are rebuilt."""
LIST_SEPARATOR = "\x1f"
DATABASE_FILE = "graph.lbug"
MARKER_FILE = "fingerprint.json"
CSV_OPTIONS = "header=true, parallel=false, auto_detect=false, delim=',', quote='\"', escape='\"'"
"""Exactly Python's ``csv`` dialect: no sniffing (it misreads quoted commas), newlines inside quotes."""


@dataclass(slots=True)
class LadybugDatabase:
    """Where a projection lives, what it holds and what building it took."""

    path: Path
    fingerprint: str
    built: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    """Node label or relationship type -> how many were loaded."""

    @property
    def folder(self) -> Path:
        """The folder of this database (one per fingerprint)."""
        return self.path.parent


def store_fingerprint(store: Store) -> str:
    """A key that changes when the store's content changes visibly, or the mapping does.

    It combines the loaded snapshot's fingerprint, the number of quads in the graphs people
    write to (their models, later their feedback: :data:`kg.snapshot.USER_GRAPH_PREFIXES`),
    and, for a store filled by a local build or by hand, the number of all quads (which
    Oxigraph counts one by one: 0.2 s on the default graph, so it is skipped when a snapshot
    says what the rest holds).
    """
    import ladybug

    snapshot = loaded_snapshot(store)
    user_quads = sum(store.graph_size(name) for name in store.graph_names() if name.startswith(USER_GRAPH_PREFIXES))
    everything = str(len(store)) if snapshot in (None, LOCAL_BUILD) else "-"
    parts = (snapshot or "no-snapshot", str(user_quads), everything, PROJECTION_VERSION, ladybug.__version__)
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def default_folder() -> Path:
    """``$GENRE_HOME/ladybug``."""
    from genre.settings import Settings

    return Settings.load().home / "ladybug"


def ensure_ladybug(store: Store, *, folder: Path | None = None, rebuild: bool = False) -> LadybugDatabase:
    """A Ladybug database holding ``store``'s projection, under ``folder`` (default ``$GENRE_HOME/ladybug``).

    Builds it when missing, when the store's fingerprint changed, or when ``rebuild``; older
    databases in ``folder`` are deleted after a successful build.
    """
    root = Path(folder) if folder is not None else default_folder()
    fingerprint = store_fingerprint(store)
    target = root / fingerprint[:16]
    marker = target / MARKER_FILE
    if not rebuild and marker.is_file():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if saved.get("fingerprint") == fingerprint:
            return LadybugDatabase(target / DATABASE_FILE, fingerprint, False, saved["seconds"], saved["counts"])
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        graph = project(store)
        counts = build_database(graph, staging / DATABASE_FILE)
        seconds = time.perf_counter() - started
        marker_data = {
            "fingerprint": fingerprint,
            "seconds": round(seconds, 2),
            "counts": counts,
            "conflicts": dict(graph.report.conflicts),
            "skipped": dict(graph.report.skipped),
        }
        (staging / MARKER_FILE).write_text(json.dumps(marker_data, indent=1), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in root.iterdir():
        if old.is_dir() and old != target and not old.name.startswith(".building-"):
            shutil.rmtree(old, ignore_errors=True)
    return LadybugDatabase(target / DATABASE_FILE, fingerprint, True, seconds, counts)


def schema_statements(graph: PropertyGraph) -> list[str]:
    """``CREATE NODE TABLE`` and ``CREATE REL TABLE`` statements for the projection.

    >>> from kg.property_graph.projection import NodeTable, RelationshipTable, ProjectionReport
    >>> table = NodeTable("Model", [Column("iri", "STRING"), Column("altLabels", "STRING", True)], [])
    >>> rel = RelationshipTable("fineTunedFrom", [("Model", "Model")], {})
    >>> for statement in schema_statements(PropertyGraph({"Model": table}, {"fineTunedFrom": rel}, ProjectionReport())):
    ...     print(statement)
    CREATE NODE TABLE `Model`(`iri` STRING, `altLabels` STRING[], PRIMARY KEY (`iri`))
    CREATE REL TABLE `fineTunedFrom`(FROM `Model` TO `Model`, `graphs` STRING[])
    """
    statements = []
    for table in graph.nodes.values():
        columns = ", ".join(f"`{column.name}` {column.ddl_type}" for column in table.columns)
        statements.append(f"CREATE NODE TABLE `{table.label}`({columns}, PRIMARY KEY (`iri`))")
    for rel in graph.relationships.values():
        pairs = ", ".join(f"FROM `{start}` TO `{end}`" for start, end in rel.pairs)
        statements.append(f"CREATE REL TABLE `{rel.type}`({pairs}, `graphs` STRING[])")
    return statements


def build_database(graph: PropertyGraph, path: Path) -> dict[str, int]:
    """Create a Ladybug database at ``path`` and bulk-load ``graph`` into it; returns the counts loaded."""
    import ladybug

    counts: dict[str, int] = {}
    database = ladybug.Database(str(path))
    connection = ladybug.Connection(database)
    try:
        with tempfile.TemporaryDirectory(prefix="genre-ladybug-") as scratch:
            folder = Path(scratch)
            for statement in schema_statements(graph):
                _execute(connection, statement)
            for table in graph.nodes.values():
                counts[table.label] = table.count
                if table.rows:
                    file = folder / f"node-{table.label}.csv"
                    _write_csv(file, table.columns, ([row.get(c.name) for c in table.columns] for row in table.rows))
                    _copy(connection, table.label, table.columns, file, None)
            link_columns = [Column("from", "STRING"), Column("to", "STRING"), Column("graphs", "STRING", True)]
            for rel in graph.relationships.values():
                counts[rel.type] = rel.count
                for (start, end), rows in rel.rows.items():
                    file = folder / f"rel-{rel.type}-{start}-{end}.csv"
                    _write_csv(file, link_columns, ([a, b, where] for a, b, where in rows))
                    _copy(connection, rel.type, link_columns, file, (start, end))
    finally:
        connection.close()
        database.close()
    return counts


def _execute(connection: Any, statement: str, parameters: dict[str, Any] | None = None) -> Any:
    try:
        return connection.execute(statement, parameters or {})
    except RuntimeError as error:
        raise StoreError(f"building the Ladybug database failed on {statement[:120]!r}: {error}") from error


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item).replace(LIST_SEPARATOR, " ") for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def _write_csv(file: Path, columns: list[Column], rows: Any) -> None:
    with file.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, doublequote=True, lineterminator="\n")
        writer.writerow([column.name for column in columns])
        writer.writerows([_cell(value) for value in row] for row in rows)


def _copy(connection: Any, table: str, columns: list[Column], file: Path, pair: tuple[str, str] | None) -> None:
    """``COPY table FROM (LOAD ... RETURN ...)``, splitting list columns while copying."""
    loaded = ", ".join(f"`{c.name}` {'STRING' if c.is_list else c.type}" for c in columns)
    returned = ", ".join(
        f"CASE WHEN `{c.name}` IS NULL OR `{c.name}` = '' THEN CAST([] AS {c.type}[]) "
        f"ELSE CAST(string_split(`{c.name}`, $separator) AS {c.type}[]) END"
        if c.is_list
        else f"`{c.name}`"
        for c in columns
    )
    options = f" (from='{pair[0]}', to='{pair[1]}')" if pair else ""
    path = file.as_posix().replace("'", "''")
    _execute(
        connection,
        f"COPY `{table}` FROM (LOAD WITH HEADERS ({loaded}) FROM '{path}' ({CSV_OPTIONS}) RETURN {returned}){options}",
        {"separator": LIST_SEPARATOR},
    )
