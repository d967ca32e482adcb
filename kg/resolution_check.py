"""Measure entity resolution against hand-verified name pairs.

A pairs file is a CSV with ``name_a, source_a, name_b, source_b, same`` (1 or 0). Each
name is resolved through the query API exactly as a user's name would be
(:meth:`queries.api.KnowledgeGraph.find_model`); a pair is predicted "same" when both
names resolve to one model. A name that resolves to nothing counts as "different".

Examples
--------
>>> score = PairScore(true_positive=9, false_positive=1, false_negative=0, true_negative=10, unresolved=0)
>>> round(score.precision, 2), score.recall
(0.9, 1.0)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from genre.errors import LoaderError
from kg.metrics import Score
from queries.api import KnowledgeGraph

PAIR_COLUMNS = ("name_a", "name_b", "same")


@dataclass(frozen=True, slots=True)
class PairScore(Score):
    """Counts of a pairs evaluation (precision and recall from :class:`kg.metrics.Score`), with the mistakes."""

    true_negative: int = 0
    unresolved: int = 0
    mistakes: tuple[tuple[str, str, str], ...] = ()


def read_pairs(path: Path) -> list[dict[str, str]]:
    """Rows of a pairs CSV; a missing column is a :class:`LoaderError`."""
    if not path.is_file():
        raise LoaderError(f"pairs file not found: {path}")
    with path.open(encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        missing = [column for column in PAIR_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise LoaderError(f"{path.name} is missing column(s) {', '.join(missing)}", options=PAIR_COLUMNS)
        return list(reader)


def check_pairs(kg: KnowledgeGraph, path: Path) -> PairScore:
    """Resolve both names of every pair and count agreements with the hand labels."""
    counts = {"true_positive": 0, "false_positive": 0, "false_negative": 0, "true_negative": 0, "unresolved": 0}
    mistakes: list[tuple[str, str, str]] = []
    resolved: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name not in resolved:
            found = kg.find_model(name)
            resolved[name] = None if found is None else str(found)
        return resolved[name]

    for row in read_pairs(path):
        a, b = resolve(row["name_a"]), resolve(row["name_b"])
        gold = row["same"].strip() == "1"
        counts["unresolved"] += a is None or b is None
        predicted = a is not None and a == b
        if predicted and gold:
            counts["true_positive"] += 1
        elif predicted:
            counts["false_positive"] += 1
            mistakes.append(("false same", row["name_a"], row["name_b"]))
        elif gold:
            counts["false_negative"] += 1
            mistakes.append(("missed", row["name_a"], row["name_b"]))
        else:
            counts["true_negative"] += 1
    return PairScore(**counts, mistakes=tuple(mistakes))
