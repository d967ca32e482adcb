"""Filtered link prediction in numpy: how well embeddings rank held-out edges.

For each held-out triple ``(h, r, t)`` both ``(h, r, ?)`` and ``(?, r, t)`` are ranked over every
entity, leaving out the other answers known true (the filtered setting); ties count half (PyKEEN's
"realistic" rank). MRR is the mean reciprocal rank, Hits@10 the share ranked in the top ten, both
over the two sides.

Examples
--------
>>> import numpy as np
>>> from kg.embeddings.vectors import Embeddings
>>> e = Embeddings(kind="transe", entities=["a", "b", "c"], relations=["r"],
...                entity_vectors=np.array([[0.0], [1.0], [5.0]]), relation_vectors=np.array([[1.0]]))
>>> link_prediction(e, np.array([[0, 0, 1]]), known=np.array([[0, 0, 1]]))
(1.0, 1.0)
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from kg.embeddings.vectors import Embeddings


def link_prediction(
    embeddings: Embeddings, test: np.ndarray, *, known: np.ndarray, limit: int | None = 3000, seed: int = 0
) -> tuple[float, float]:
    """(MRR, Hits@10) of ``test`` (an ``(n, 3)`` array of entity/relation rows), filtered by ``known``.

    With ``limit``, a seeded sample of that many test triples is ranked (the figure is an estimate).
    """
    if len(test) == 0:
        return float("nan"), float("nan")
    if limit is not None and len(test) > limit:
        test = test[np.sort(np.random.default_rng(seed).choice(len(test), size=limit, replace=False))]
    tails: dict[tuple[int, int], list[int]] = defaultdict(list)
    heads: dict[tuple[int, int], list[int]] = defaultdict(list)
    for h, r, t in np.asarray(known).tolist():
        tails[(h, r)].append(t)
        heads[(r, t)].append(h)
    ranks: list[float] = []
    for side in ("tail", "head"):
        for h, r, t in np.asarray(test).tolist():
            row = _side_scores(embeddings, side, (h, r, t))
            true = row[t if side == "tail" else h]
            row[tails[(h, r)] if side == "tail" else heads[(r, t)]] = -np.inf
            ranks.append(1.0 + float((row > true).sum()) + 0.5 * float((row == true).sum()))
    values = np.array(ranks)
    return float((1.0 / values).mean()), float((values <= 10).mean())


def _side_scores(embeddings: Embeddings, side: str, row: tuple[int, int, int]) -> np.ndarray:
    h, r, t = row
    name = embeddings.relations[r]
    if side == "tail":
        return embeddings.score_tails(embeddings.entity_vectors[h], name, embeddings.entity_vectors)
    return embeddings.score_heads(embeddings.entity_vectors, name, embeddings.entity_vectors[t][None, :])[:, 0]
