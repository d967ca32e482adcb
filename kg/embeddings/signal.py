"""Which embeddings file belongs to a graph, and how plausible the graph embedding finds request–model edges.

Files, in the order they are tried (:func:`embedding_files`): the user's own
(``$GENRE_HOME/embeddings.npz``, written by ``genre kg embed``), then the one shipped for the default graph
(:data:`DEFAULT_EMBEDDINGS`). A file belongs to a graph when it was trained on the same graph fingerprint
(:func:`kg.recommend.tables.graph_fingerprint`), or on the same shipped snapshot (models added by hand
are then simply not embedded). With no such file, :func:`embedding_view` gives None and the recommender
leaves the signal out.

:class:`EmbeddingView` holds the vectors of one graph's offered models. :meth:`EmbeddingView.plausibility`
scores ``(model, relation, target)`` for every offered model (or ``(user, likes, model)``), computed once per
target and graph and cached, so a request only indexes and rescales.

Examples
--------
>>> import genre
>>> from kg.recommend.tables import graph_tables
>>> embedding_view(graph_tables(genre.open(snapshot=FIXTURE).store)) is None  # no file for the fixture graph
True
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from genre.errors import StoreError
from kg.embeddings.vectors import Embeddings, load_embeddings, read_meta

DEFAULT_EMBEDDINGS = Path(__file__).resolve().parent.parent / "data" / "default.embeddings.npz"
"""Embeddings of the default graph, shipped beside its snapshot."""

TARGET_RELATIONS = {
    "capability": "hasCapability",
    "benchmark": "scoresHighOn",
    "family": "inFamily",
    "provider": "createdBy",
    "modality": "supportsInputModality",
}
"""Kind of a needed entity -> the model's relation to it whose plausibility is scored."""


def user_embeddings_path() -> Path:
    """``$GENRE_HOME/embeddings.npz``: where ``genre kg embed`` saves the embeddings of the user's store."""
    return _user_path(os.environ.get("GENRE_HOME", ""), os.environ.get("GENRE_CONFIG", ""))


@lru_cache(maxsize=8)
def _user_path(home: str, config: str) -> Path:
    """The path for one environment (settings are read once per GENRE_HOME and GENRE_CONFIG)."""
    from genre.settings import Settings

    return Settings.load().home / "embeddings.npz"


def embedding_files() -> list[Path]:
    """Candidate files, the user's first."""
    return [user_embeddings_path(), DEFAULT_EMBEDDINGS]


@dataclass(slots=True)
class EmbeddingView:
    """The embeddings of one graph, lined up with its offered models (``tables.model_iri``)."""

    embeddings: Embeddings
    model_rows: np.ndarray
    """Entity row of each offered model (-1 when the model was not embedded)."""
    models: np.ndarray
    """Vectors of the offered models (zeros for those not embedded)."""
    _cache: dict[tuple[str, str], np.ndarray | None] = field(default_factory=dict, repr=False)

    def plausibility(self, relation: str, target: str) -> np.ndarray | None:
        """Raw scores of ``(model, relation, target)`` for every offered model (-inf where not embedded).

        With ``relation == "likes"``, ``target`` is the user and the scores are ``(user, likes, model)``.
        None when the target or the relation was not embedded.
        """
        key = (relation, target)
        if key not in self._cache:
            self._cache[key] = self._compute(relation, target)
        return self._cache[key]

    def _compute(self, relation: str, target: str) -> np.ndarray | None:
        vector = self.embeddings.entity_vector(target)
        if vector is None or self.embeddings.relation_vector(relation) is None:
            return None
        if relation in ("likes", "dislikes"):
            scores = self.embeddings.score_tails(vector, relation, self.models)
        else:
            scores = self.embeddings.score_heads(self.models, relation, vector[None, :])[:, 0]
        scores = scores.astype(np.float64)
        scores[self.model_rows < 0] = -np.inf
        return scores


def scaled(raw: np.ndarray) -> np.ndarray:
    """Scores scaled to [0, 1] over the rows, column by column (best 1, worst 0; -inf rows 0; all equal: 0).

    >>> scaled(np.array([-3.0, -1.0, -np.inf])).tolist()
    [0.0, 1.0, 0.0]
    >>> scaled(np.array([[-3.0, 2.0], [-1.0, 2.0]])).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    finite = np.isfinite(raw)
    if raw.size == 0:
        return np.zeros(raw.shape)
    low = np.where(finite, raw, np.inf).min(axis=0)
    high = np.where(finite, raw, -np.inf).max(axis=0)
    span = high - low
    good = np.isfinite(span) & (span > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = (raw - np.where(good, low, 0.0)) / np.where(good, span, 1.0)
    return np.where(finite & good, values, 0.0)


_LOCK = threading.Lock()


def embedding_view(tables: Any, store: Any = None) -> EmbeddingView | None:
    """The :class:`EmbeddingView` of the graph ``tables`` describe, or None when no file matches it.

    Looked up once per tables and file version (a file written later by ``genre kg embed`` is picked up
    on the next request).
    """
    files = [(path, _mtime(path)) for path in embedding_files()]
    key = tuple((str(path), stamp) for path, stamp in files)
    with _LOCK:
        views: dict[tuple[Any, ...], EmbeddingView | None] = tables.cached("embedding_views", lambda _: {})
        if key not in views:
            views.clear()
            views[key] = _find(tables, store, [path for path, stamp in files if stamp is not None])
        return views[key]


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _find(tables: Any, store: Any, paths: list[Path]) -> EmbeddingView | None:
    snapshot: str | None = None
    for path in paths:
        try:
            meta = read_meta(path)
        except StoreError:
            continue
        if meta.get("fingerprint") != tables.fingerprint:
            if snapshot is None:
                snapshot = _snapshot(store)
            if not snapshot or meta.get("snapshot") != snapshot:
                continue
        try:
            embeddings = load_embeddings(path)
        except StoreError:
            continue
        rows = np.array([embeddings.entity_index.get(iri, -1) for iri in tables.model_iri], dtype=np.int64)
        return EmbeddingView(embeddings=embeddings, model_rows=rows, models=embeddings.entity_matrix(rows))
    return None


def _snapshot(store: Any) -> str:
    """The shipped snapshot the store holds ("" for a local build, an empty store or no store)."""
    if store is None:
        return ""
    from kg.snapshot import LOCAL_BUILD, loaded_snapshot

    value = loaded_snapshot(store)
    return "" if value in (None, LOCAL_BUILD) else value
