"""The knowledge-graph store: rdflib's API over an embedded Oxigraph database.

One :class:`Store` wraps a ``pyoxigraph.Store`` (persistent in a folder, or in memory)
and exposes it as an rdflib :class:`~rdflib.Dataset` whose default graph is the union of
all named graphs. Each source's facts live in their own named graph, so the provenance
of every fact is the graph it is in.

Writes go through :meth:`Store.add_quads`, which is atomic: either every quad is written
or none is. Reads through :meth:`Store.select` are read-only by construction: SPARQL
updates are refused before they reach the engine, and parameters are bound as
substitutions, never pasted into the query text.

Examples
--------
>>> store = Store.open()          # in memory
>>> from rdflib import URIRef, Literal
>>> g = URIRef("https://example.org/g")
>>> store.add_quads([(URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(1), g)])
1
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }").rows
[(rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')),)]
>>> store.select("DELETE WHERE { ?s ?p ?o }")
Traceback (most recent call last):
...
genre.errors.QueryError: this is a SPARQL update; queries here are read-only ...
"""

from __future__ import annotations

import fcntl
import gc
import gzip
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox, to_ox
from rdflib import Dataset, Graph
from rdflib.term import Identifier, Node

from genre.errors import QueryError, StoreError

Quad = tuple[Node, Node, Node, Node]
T = TypeVar("T")

PREFIXES = {
    "genre": "https://w3id.org/genre/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
}
"""Prefixes every query may use without declaring them."""

DEFAULT_WAIT = 60.0
"""Seconds :meth:`Store.open` waits for another process to release a persistent store."""


@dataclass(frozen=True, slots=True)
class SelectResult:
    """Rows of a SPARQL SELECT, as rdflib terms (``None`` for unbound)."""

    variables: tuple[str, ...]
    rows: list[tuple[Identifier | None, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (``Literal.toPython()``, IRIs as strings)."""
        return [{name: _plain(value) for name, value in zip(self.variables, row, strict=True)} for row in self.rows]


def _plain(value: Identifier | None) -> Any:
    if value is None:
        return None
    python = value.toPython()
    return str(python) if isinstance(python, Identifier) else python


class Store:
    """An Oxigraph database seen through rdflib.

    Use :meth:`open` rather than the constructor.
    """

    def __init__(self, ox_store: ox.Store, *, path: Path | None, lock: int | None = None) -> None:
        self._ox = ox_store
        self.path = path
        self._lock = lock
        self._dataset: Dataset | None = None
        self.generation = 0
        """Counts the writes made through this object; with the store held by one process, it tells caches
        whether anything changed."""
        self.memo: dict[object, tuple[int, object]] = {}
        """Values computed from the store, each with the generation it was computed at (see :meth:`remember`)."""

    @property
    def dataset(self) -> Dataset:
        """The store as an rdflib Dataset whose default graph is the union of all named graphs."""
        if self._dataset is None:
            self._dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=True)
        return self._dataset

    @classmethod
    def open(cls, path: Path | str | None = None, *, wait: float = DEFAULT_WAIT) -> Store:
        """Open the persistent store in folder ``path`` (created if needed), or an in-memory one.

        One process at a time holds a persistent store: the others wait up to ``wait`` seconds
        for it (a file lock beside the folder, freed by :meth:`close` or when the holder dies),
        so short writers take turns. Raises :class:`StoreError` naming the process that holds
        it when the wait runs out, or when the folder is not a store.
        """
        if path is None:
            return cls(ox.Store(), path=None)
        folder = Path(path).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the store folder {folder}: {error}") from error
        lock = _take_lock(folder, wait)
        try:
            return cls(ox.Store(str(folder)), path=folder, lock=lock)
        except OSError as error:
            _free_lock(lock)
            raise StoreError(
                f"cannot open the store at {folder}: {error}. Is another GENRE process using it?"
            ) from error

    def remember(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, recomputed only after a write through this store (a process holds a store alone).

        >>> store = Store.open()
        >>> store.remember("size", lambda: len(store)), store.remember("size", lambda: -1)
        (0, 0)
        """
        found = self.memo.get(key)
        if found is not None and found[0] == self.generation:
            return found[1]  # type: ignore[return-value]
        value = compute()
        self.memo[key] = (self.generation, value)
        return value

    # -- size and content -------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of quads (a triple in two named graphs counts twice)."""
        return len(self._ox)

    def is_empty(self) -> bool:
        """True when the store holds no quad at all."""
        return next(iter(self._ox), None) is None

    def quads(self, *, predicate: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (with ``predicate``, when given) as ``pyoxigraph.Quad`` objects, for whole-graph scans.

        Several times faster than SPARQL or rdflib for projections that visit all 1.2 M quads.
        A quad unpacks as ``subject, predicate, object, graph_name``; do not write through it.
        """
        if predicate is None:
            return iter(self._ox)
        return self._ox.quads_for_pattern(None, ox.NamedNode(predicate), None, None)

    def graph_size(self, graph: str) -> int:
        """The number of quads in the named graph ``graph`` (0 when it does not exist)."""
        return sum(1 for _ in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs (one per source, plus the ontology's)."""
        return sorted(str(name.value) for name in self._ox.named_graphs())

    # -- writing ------------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad]) -> int:
        """Write quads in one transaction and return how many were given.

        Either all quads are written or, on error, none is (:class:`StoreError`).
        """
        try:
            converted = [to_ox(quad) for quad in quads]
        except (ValueError, TypeError) as error:
            raise StoreError(f"not a valid RDF quad, nothing was written: {error}") from error
        try:
            self._ox.extend(converted)
            self.generation += 1
        except OSError as error:
            raise StoreError(f"writing {len(converted)} quads failed, nothing was written: {error}") from error
        return len(converted)

    def load_nquads(self, path: Path | str) -> None:
        """Bulk-load an N-Quads file (``.nq`` or ``.nq.gz``) into the store.

        Raises :class:`StoreError` for a missing or malformed file.
        """
        file = Path(path)
        if not file.is_file():
            raise StoreError(f"snapshot not found: {file}")
        opener = gzip.open if file.suffix == ".gz" else open
        try:
            with opener(file, "rb") as stream:
                self._ox.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
                self.generation += 1
        except (SyntaxError, OSError, EOFError) as error:
            raise StoreError(f"snapshot {file} could not be loaded: {error}") from error

    def dump_nquads(self, path: Path | str) -> Path:
        """Write the whole store as gzip-compressed N-Quads, sorted so equal graphs give equal files."""
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        lines = self._ox.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
        lines.sort()
        with (
            file.open("wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as stream,
        ):
            stream.writelines(lines)
        return file

    def remove_about(self, nodes: Iterable[Identifier]) -> int:
        """Delete every quad, in every graph, whose subject or object is one of ``nodes``; returns how many.

        One SPARQL update, so one transaction: either all go or none does.
        """
        names = sorted({to_ox(node) for node in nodes}, key=str)
        if not names:
            return 0
        found = set()
        for name in names:
            found.update(self._ox.quads_for_pattern(name, None, None, None))
            found.update(self._ox.quads_for_pattern(None, None, name, None))
        values = " ".join(str(name) for name in names)
        update = (
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?n { " + values + " } "
            "{ GRAPH ?g { ?n ?p ?o } BIND(?n AS ?s) } UNION { GRAPH ?g { ?s ?p ?n } BIND(?n AS ?o) } }"
        )
        try:
            self._ox.update(update)
            self.generation += 1
        except OSError as error:
            raise StoreError(f"removing {len(found)} quads failed, nothing was removed: {error}") from error
        return len(found)

    def remove_graph(self, graph: Identifier) -> None:
        """Delete a named graph and everything in it."""
        name = to_ox(graph)
        if name in set(self._ox.named_graphs()):
            self._ox.remove_graph(name)
            self.generation += 1

    def clear(self) -> None:
        """Delete everything."""
        self._ox.clear()
        self.generation += 1

    # -- reading ------------------------------------------------------------------------------
    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        """Run a read-only SPARQL SELECT (or ASK) over the union of all graphs.

        ``bindings`` pre-bind variables (``{"model": URIRef(...)}``) as substitutions. Oxigraph
        substitutes only variables that the SELECT clause projects, so a query that takes a
        parameter lists it there; bound variables are left out of the result's columns.
        Raises :class:`QueryError` for syntax errors, updates and CONSTRUCT/DESCRIBE.
        """
        result = self._run(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return SelectResult(("ask",), [(from_ox(ox.Literal(bool(result))),)])
        if isinstance(result, ox.QueryTriples):
            raise QueryError("CONSTRUCT and DESCRIBE queries are not supported here; use SELECT or ASK")
        names = [variable.value for variable in result.variables]
        keep = [index for index, name in enumerate(names) if name not in (bindings or {})]
        rows = [tuple(None if solution[i] is None else from_ox(solution[i]) for i in keep) for solution in result]
        return SelectResult(tuple(names[i] for i in keep), rows)

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        """Run a read-only SPARQL CONSTRUCT or DESCRIBE and return the triples as a Graph."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("this is not a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None) -> Any:
        substitutions = {ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()}
        try:
            return self._ox.query(
                query, use_default_graph_as_union=True, substitutions=substitutions, prefixes=PREFIXES
            )
        except SyntaxError as error:
            if _is_update(query):
                raise QueryError(
                    "this is a SPARQL update; queries here are read-only (use 'genre model add' to add data)"
                ) from error
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except RuntimeError as error:
            raise QueryError(
                f"{error}: a parameter must be listed in the SELECT clause of the query (and of any sub-query using it)"
            ) from error
        except OSError as error:
            raise StoreError(f"reading the store failed: {error}") from error

    def close(self) -> None:
        """Flush and release the store (the folder lock is freed)."""
        if self.path is not None:
            self._ox.flush()
        self._dataset = None
        del self._ox
        gc.collect()  # the database's folder lock goes with its last reference
        if self._lock is not None:
            _free_lock(self._lock)
            self._lock = None


_HELD: dict[int, Path] = {}
"""Lock descriptor -> store folder, for the stores this process holds."""


def _take_lock(folder: Path, wait: float) -> int:
    """Lock ``<folder>.lock`` for this process, waiting up to ``wait`` seconds; returns its descriptor."""
    if folder.resolve() in {held.resolve() for held in _HELD.values()}:
        raise StoreError(
            f"this process already has the store at {folder} open; reuse that KnowledgeGraph "
            "(or close it first) instead of opening the store twice"
        )
    path = folder.parent / f"{folder.name}.lock"
    just_released = _RELEASED.get(path.resolve(), 0.0) + _TURN - time.monotonic()
    if just_released > 0:
        time.sleep(just_released)  # let processes that were waiting have their turn first
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(0.0, wait)
    pause = 0.002
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode(errors="replace").strip() or "unknown"
            if _LONG_LIVED in holder:  # a service holds it for its lifetime: waiting would not help
                os.close(descriptor)
                raise StoreError(
                    f"the store at {folder} is held by a running GENRE service ({holder}); send your data "
                    "through its HTTP API (POST /v1/feedback, POST /v1/models) or stop it first"
                ) from None
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise StoreError(
                    f"the store at {folder} is in use by another GENRE process ({holder}) and was not "
                    f"released within {wait:g} s; stop that process, or send your data through it "
                    "(for example the HTTP service's API)"
                ) from None
            time.sleep(pause)
            pause = min(pause * 1.5, 0.02)
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"pid {os.getpid()}: {' '.join(os.path.basename(a) for a in sys.argv[:3])}".encode(), 0)
    _HELD[descriptor] = folder
    return descriptor


_LONG_LIVED = "genre serve"
"""How the lock file names a holder that keeps the store until it stops (other processes fail at once)."""

_RELEASED: dict[Path, float] = {}
"""Lock file -> when this process last released it."""
_TURN = 0.05
"""Seconds a process that just released a store waits before taking it again, so waiting writers get turns."""


def _free_lock(descriptor: int) -> None:
    folder = _HELD.pop(descriptor, None)
    if folder is not None:
        _RELEASED[(folder.parent / f"{folder.name}.lock").resolve()] = time.monotonic()
    os.ftruncate(descriptor, 0)  # the next holder is not mistaken for this one
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    os.close(descriptor)


def _is_update(text: str) -> bool:
    """True when ``text`` parses as a SPARQL 1.1 update (only asked after a query failed to parse)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - any parse failure means "not an update"
        return False
    return True
