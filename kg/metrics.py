"""Micro-averaged precision and recall, shared by every evaluation (linking, resolution...).

Examples
--------
>>> score = Score(true_positive=8, false_positive=2, false_negative=0)
>>> score.precision, score.recall, round(score.f1, 3)
(0.8, 1.0, 0.889)
>>> (score + Score(false_negative=2)).recall
0.8
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of one micro-averaged comparison."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted items that are gold (1.0 when nothing was predicted)."""
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of gold items that were predicted (1.0 when there is no gold item)."""
        gold = self.true_positive + self.false_negative
        return self.true_positive / gold if gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positive + other.true_positive,
            self.false_positive + other.false_positive,
            self.false_negative + other.false_negative,
        )

    def as_dict(self) -> dict[str, Any]:
        """Precision, recall and the counts."""
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.true_positive,
            "fp": self.false_positive,
            "fn": self.false_negative,
        }
