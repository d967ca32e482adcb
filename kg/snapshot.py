"""The default graph snapshot, and keeping a store in step with it.

GENRE ships its knowledge graph as one gzip-compressed N-Quads file
(:data:`DEFAULT_SNAPSHOT`), built from the public sources by ``genre kg build``.
:func:`ensure_snapshot` loads it into an empty store, and reloads it when GENRE
ships a different snapshot, keeping the graphs that hold people's own data
(models they added, and later their feedback), which are never in a snapshot.

Examples
--------
>>> DEFAULT_SNAPSHOT.name
'default.nq.gz'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Literal, URIRef

from genre.errors import StoreError
from kg.store import Store
from ontology.terms import BASE, individual

DEFAULT_SNAPSHOT = Path(__file__).resolve().parent / "data" / "default.nq.gz"
META_GRAPH = individual("graph", "meta")
_LOADED_FROM = URIRef(f"{BASE}ontology#loadedSnapshot")

USER_GRAPH_PREFIXES = (f"{BASE}source/user", f"{BASE}graph/user", f"{BASE}graph/feedback", f"{BASE}graph/outcomes")
"""Graphs holding people's own data (added models, feedback, imported logs): a snapshot reload never touches them."""

LIVE_FEEDBACK_GRAPH = f"{BASE}graph/feedback"
"""The graph every feedback event lands in: it changes all the time, so caches of labels and tables ignore it."""


def snapshot_id(path: Path) -> str:
    """A content fingerprint of a snapshot file."""
    digest = hashlib.sha1()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def loaded_snapshot(store: Store) -> str | None:
    """The fingerprint of the snapshot the store was last loaded from, if any."""
    rows = store.select("SELECT ?g ?p ?id WHERE { GRAPH ?g { ?g ?p ?id } }", {"g": META_GRAPH, "p": _LOADED_FROM}).rows
    return str(rows[0][0]) if rows else None


LOCAL_BUILD = "local-build"
"""Marker of a store that ``genre kg build`` filled: the shipped snapshot must not replace it."""


def ensure_snapshot(store: Store, snapshot: Path | None = None) -> bool:
    """Load ``snapshot`` (default: the shipped one) unless the store already holds it.

    A store filled by a local build keeps its graph unless a snapshot is given explicitly.
    Returns True when it (re)loaded. People's own graphs are kept across a reload.
    """
    current = loaded_snapshot(store)
    if snapshot is None and current == LOCAL_BUILD:
        return False
    path = Path(snapshot) if snapshot is not None else DEFAULT_SNAPSHOT
    if not path.is_file():
        raise StoreError(f"snapshot not found: {path}. Build one with 'genre kg build --snapshot-out {path}'")
    wanted = snapshot_id(path)
    if current == wanted:
        return False
    for graph in store.graph_names():
        if not graph.startswith(USER_GRAPH_PREFIXES):
            store.remove_graph(URIRef(graph))
    store.load_nquads(path)
    _mark(store, wanted)
    return True


def mark_local_build(store: Store) -> None:
    """Record that the store now holds a local build, not a shipped snapshot."""
    _mark(store, LOCAL_BUILD)


def _mark(store: Store, value: str) -> None:
    store.remove_graph(META_GRAPH)
    store.add_quads([(META_GRAPH, _LOADED_FROM, Literal(value), META_GRAPH)])


def content_fingerprint(store: Store, prefixes: tuple[str, ...]) -> str:
    """A cheap fingerprint of a store: its snapshot plus the size of each graph whose IRI starts with a prefix.

    The live feedback graph never counts (caches must not rebuild on every vote); a store with no
    shipped snapshot adds its whole quad count. A few milliseconds on the default graph.
    """
    return store.remember(("content_fingerprint", prefixes), lambda: _content_fingerprint(store, prefixes))


def _content_fingerprint(store: Store, prefixes: tuple[str, ...]) -> str:
    snapshot = loaded_snapshot(store)
    parts = [str(snapshot)]
    for graph in store.graph_names():
        if graph.startswith(prefixes) and graph != LIVE_FEEDBACK_GRAPH:
            parts.append(f"{graph}={store.graph_size(graph)}")
    if snapshot in (None, LOCAL_BUILD):
        parts.append(str(len(store)))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
