"""Graph embeddings of the knowledge graph (PyKEEN), and the relevance signal they give.

- :mod:`kg.embeddings.triples`: the graph projected to (head, relation, tail) triples, users' likes included;
- :mod:`kg.embeddings.train`: seeded TransE / RotatE training with PyKEEN and a held-out check
  (torch and PyKEEN are imported only there, when training);
- :mod:`kg.embeddings.evaluate`: filtered link prediction (MRR, Hits@10) in numpy;
- :mod:`kg.embeddings.vectors`: the vectors as numpy, saved as a small ``.npz`` (float16) and scored
  without torch;
- :mod:`kg.embeddings.signal`: which file belongs to a graph, and plausibility of request–model edges,
  which :mod:`kg.recommend.relevance` mixes into relevance.

``genre kg embed`` trains on the current store and saves to ``$GENRE_HOME/embeddings.npz``; the default
graph's embeddings ship as :data:`DEFAULT_EMBEDDINGS`.

Examples
--------
>>> DEFAULT_EMBEDDINGS.name
'default.embeddings.npz'
"""

from __future__ import annotations

from typing import Any

from kg.embeddings.signal import DEFAULT_EMBEDDINGS, EmbeddingView, embedding_view, user_embeddings_path
from kg.embeddings.vectors import KINDS, Embeddings, load_embeddings, read_meta

__all__ = [
    "DEFAULT_EMBEDDINGS",
    "KINDS",
    "EmbeddingView",
    "Embeddings",
    "embed_store",
    "embedding_view",
    "graph_triples",
    "load_embeddings",
    "read_meta",
    "train_embeddings",
    "user_embeddings_path",
]


def __getattr__(name: str) -> Any:
    """Training and the projection load on first use (they pull in PyKEEN, torch and the store)."""
    if name in ("embed_store", "train_embeddings"):
        from kg.embeddings import train

        return getattr(train, name)
    if name == "graph_triples":
        from kg.embeddings.triples import graph_triples

        return graph_triples
    raise AttributeError(f"module 'kg.embeddings' has no attribute {name!r}")
