"""Trained graph embeddings as plain numpy arrays: save, load and score triples without torch.

A file is a compressed ``.npz`` holding float16 entity and relation vectors, the entity IRIs and
relation names in row order, and what they were trained with (model kind, seed, dimension, epochs,
held-out metrics) and on (the graph fingerprint and snapshot id). Loading one takes milliseconds and
imports numpy only, so recommendation start-up stays quick.

Scores follow PyKEEN's interaction functions, so a triple scores here as it did in training:

- ``transe``: ``−‖h + r − t‖_p`` (``p`` = the model's norm, 1 by default);
- ``rotate``: ``−‖h ∘ r − t‖₂`` over complex vectors (stored as real parts, then imaginary parts).

Higher is more plausible.

Examples
--------
>>> import numpy as np
>>> e = Embeddings(kind="transe", entities=["a", "b"], relations=["likes"],
...                entity_vectors=np.array([[0.0, 0.0], [1.0, 0.0]]), relation_vectors=np.array([[1.0, 0.0]]))
>>> e.score_tails(e.entity_vector("a"), "likes", e.entity_matrix([0, 1])).tolist()
[-1.0, -0.0]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genre.errors import StoreError

KINDS = ("transe", "rotate")
"""Embedding models GENRE trains and scores."""
FORMAT = 1
"""Version of the file layout."""


@dataclass(slots=True)
class Embeddings:
    """Entity and relation vectors of one trained model, with what they were trained on.

    Attributes
    ----------
    kind:
        One of :data:`KINDS`.
    entities, relations:
        IRIs and relation names, in the row order of the vectors.
    entity_vectors, relation_vectors:
        float32 in memory (float16 on disk); complex models keep real parts then imaginary parts.
    meta:
        ``seed``, ``dim``, ``epochs``, ``norm``, ``fingerprint``, ``snapshot``, ``triples``, ``metrics``...
    """

    kind: str
    entities: list[str]
    relations: list[str]
    entity_vectors: np.ndarray
    relation_vectors: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    entity_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise StoreError(f"unknown embedding model {self.kind!r} (valid options: {', '.join(KINDS)})")
        self.entity_vectors = np.asarray(self.entity_vectors, dtype=np.float32)
        self.relation_vectors = np.asarray(self.relation_vectors, dtype=np.float32)
        self.entity_index = {iri: i for i, iri in enumerate(self.entities)}

    @property
    def fingerprint(self) -> str:
        """The graph fingerprint (:func:`kg.recommend.tables.graph_fingerprint`) trained on."""
        return str(self.meta.get("fingerprint", ""))

    @property
    def snapshot(self) -> str:
        """The snapshot id the trained store was loaded from ("" when unknown)."""
        return str(self.meta.get("snapshot", ""))

    def entity_vector(self, iri: str) -> np.ndarray | None:
        """The vector of an entity, or None when it was not embedded."""
        row = self.entity_index.get(iri)
        return None if row is None else self.entity_vectors[row]

    def entity_matrix(self, rows: Any) -> np.ndarray:
        """Vectors of entity rows (``-1`` rows give zero vectors)."""
        rows = np.asarray(rows, dtype=np.int64)
        matrix = self.entity_vectors[np.maximum(rows, 0)]
        matrix[rows < 0] = 0.0
        return matrix

    def relation_vector(self, relation: str) -> np.ndarray | None:
        """The vector of a relation, or None when the graph had no such edge."""
        return self.relation_vectors[self.relations.index(relation)] if relation in self.relations else None

    def score_tails(self, head: np.ndarray, relation: str, tails: np.ndarray) -> np.ndarray:
        """Plausibility of ``(head, relation, t)`` for every row ``t`` of ``tails`` (higher is better)."""
        r = self.relation_vector(relation)
        if r is None:
            return np.full(len(tails), -np.inf, dtype=np.float32)
        return self._score(head[None, :], r[None, :], tails)

    def score_heads(self, heads: np.ndarray, relation: str, tails: np.ndarray) -> np.ndarray:
        """Plausibility of ``(h, relation, t)`` for every head row ``h`` and tail row ``t``: shape (heads, tails)."""
        r = self.relation_vector(relation)
        if r is None:
            return np.full((len(heads), len(tails)), -np.inf, dtype=np.float32)
        return self._score(heads[:, None, :], r[None, None, :], tails[None, :, :])

    def _score(self, h: np.ndarray, r: np.ndarray, t: np.ndarray) -> np.ndarray:
        if self.kind == "transe":
            difference = h + r - t
            norm = float(self.meta.get("norm", 1))
            if norm == 1:
                return -np.abs(difference).sum(axis=-1)
            return -np.linalg.norm(difference, ord=norm, axis=-1)
        half = h.shape[-1] // 2
        hr, hi, rr, ri = h[..., :half], h[..., half:], r[..., :half], r[..., half:]
        real = hr * rr - hi * ri - t[..., :half]
        imaginary = hr * ri + hi * rr - t[..., half:]
        return -np.sqrt((real * real + imaginary * imaginary).sum(axis=-1))

    # -- files ----------------------------------------------------------------------------------
    def without(self, iris: set[str]) -> Embeddings:
        """A copy without the vectors of ``iris`` (a forgotten user must not live on in a file)."""
        keep = [row for row, iri in enumerate(self.entities) if iri not in iris]
        return Embeddings(
            self.kind,
            [self.entities[row] for row in keep],
            list(self.relations),
            self.entity_vectors[keep],
            self.relation_vectors,
            dict(self.meta),
        )

    def save(self, path: Path | str) -> Path:
        """Write a compressed ``.npz`` (float16 vectors) atomically and return its path."""
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "kind": self.kind, "format": FORMAT}
        partial = file.with_name(file.name + ".partial")
        with partial.open("wb") as stream:
            np.savez_compressed(
                stream,
                entity_vectors=self.entity_vectors.astype(np.float16),
                relation_vectors=self.relation_vectors.astype(np.float16),
                entities=np.array("\n".join(self.entities)),
                relations=np.array("\n".join(self.relations)),
                meta=np.array(json.dumps(meta, sort_keys=True)),
            )
        partial.replace(file)
        return file


def read_meta(path: Path | str) -> dict[str, Any]:
    """Only the metadata of an embeddings file (kind, fingerprint, metrics...), without the vectors."""
    try:
        with np.load(Path(path), allow_pickle=False) as data:
            return json.loads(str(data["meta"]))
    except (OSError, KeyError, ValueError) as error:
        raise StoreError(f"{path} is not a GENRE embeddings file: {error}") from error


def load_embeddings(path: Path | str) -> Embeddings:
    """Read an embeddings file written by :meth:`Embeddings.save`.

    Raises :class:`~genre.errors.StoreError` when the file is missing or not such a file.
    """
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"embeddings file not found: {file}. Train one with 'genre kg embed'")
    try:
        with np.load(file, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            entities = _lines(str(data["entities"]))
            relations = _lines(str(data["relations"]))
            return Embeddings(
                kind=meta.pop("kind"),
                entities=entities,
                relations=relations,
                entity_vectors=data["entity_vectors"],
                relation_vectors=data["relation_vectors"],
                meta=meta,
            )
    except (OSError, KeyError, ValueError) as error:
        raise StoreError(f"{file} is not a GENRE embeddings file: {error}") from error


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []
