"""Metrics of a router on a routing log: choices, cost–quality sweeps, AIQ and NDCG@3.

A router gives, per test prompt and model, an expected quality ``Q`` and an expected cost ``C``.
At cost weight ``w`` it picks, like GENRE's performance part, the model maximising
``Q^(1−w) × cheapness^w`` (:func:`choose`), where cheapness is the model's cost placed on a log
scale between the dearest (:data:`CHEAPNESS_FLOOR`) and the cheapest (1) cost seen. Sweeping ``w``
from 0 to 1 draws the router's cost–quality curve.

AIQ (RouterBench, Hu et al. 2024) is the area under the non-decreasing convex hull of those
(cost, quality) points, over a cost range shared by every system, divided by that range: below a
router's cheapest point its curve is 0, above its dearest it stays at its best quality.

Examples
--------
>>> aiq([(0.0, 0.5), (1.0, 1.0)], cost_range=(0.0, 1.0))
0.75
>>> aiq([(0.5, 0.8)], cost_range=(0.0, 1.0))       # one point: 0 below it, flat above
0.4
>>> round(ndcg_at([1.0, 0.0, 1.0], [1.0, 1.0, 0.0], k=3), 4)   # a solver ranked 3rd instead of 2nd
0.9197
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CHEAPNESS_FLOOR = 0.2
"""Cheapness of the dearest model (the cheapest gets 1), as in GENRE's performance part."""


def cheapness(costs: np.ndarray, cost_range: tuple[float, float]) -> np.ndarray:
    """Map costs onto [CHEAPNESS_FLOOR, 1] on a log scale between ``cost_range`` (cheap, dear)."""
    low, high = (max(value, 1e-12) for value in cost_range)
    if high <= low:
        return np.ones_like(costs, dtype=float)
    position = (np.log(np.clip(costs, low, high)) - np.log(low)) / (np.log(high) - np.log(low))
    return 1.0 - (1.0 - CHEAPNESS_FLOOR) * position


def utility(quality: np.ndarray, costs: np.ndarray, weight: float, cost_range: tuple[float, float]) -> np.ndarray:
    """``quality^(1−w) × cheapness^w`` (quality clipped to a small positive floor)."""
    return np.clip(quality, 1e-6, None) ** (1.0 - weight) * cheapness(costs, cost_range) ** weight


def choose(quality: np.ndarray, costs: np.ndarray, weight: float, cost_range: tuple[float, float]) -> np.ndarray:
    """Index of the chosen model per prompt (ties: the cheaper, then the first)."""
    value = utility(quality, costs, weight, cost_range)
    order = np.lexsort((costs, -value), axis=-1) if value.ndim == 1 else None
    if order is not None:
        return np.asarray(order[0])
    best = value.max(axis=1, keepdims=True)
    tied = np.isclose(value, best, rtol=1e-12, atol=1e-12)
    return np.where(tied, costs, np.inf).argmin(axis=1)


def outcome_of(choice: np.ndarray, scores: np.ndarray, costs: np.ndarray) -> tuple[float, float, int]:
    """Mean outcome, mean cost and the number of prompts whose chosen outcome is missing (left out)."""
    rows = np.arange(len(choice))
    outcome = scores[rows, choice]
    cost = costs[rows, choice]
    known = ~np.isnan(outcome)
    if not known.any():
        return float("nan"), float("nan"), int((~known).sum())
    return float(outcome[known].mean()), float(np.nanmean(cost[known])), int((~known).sum())


def upper_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The non-decreasing upper convex hull of (cost, quality) points, cheapest first."""
    ordered = sorted(set((float(c), float(q)) for c, q in points if np.isfinite(c) and np.isfinite(q)))
    hull: list[tuple[float, float]] = []
    for point in ordered:
        if hull and point[1] <= hull[-1][1]:
            continue  # dearer and no better: never on a non-decreasing frontier
        while len(hull) >= 2:
            (c1, q1), (c2, q2) = hull[-2], hull[-1]
            if (q2 - q1) * (point[0] - c1) <= (point[1] - q1) * (c2 - c1):
                hull.pop()  # hull[-1] lies on or below the chord
            else:
                break
        hull.append(point)
    return hull


def aiq(points: Sequence[tuple[float, float]], *, cost_range: tuple[float, float]) -> float:
    """Area under the non-decreasing convex hull of ``points`` over ``cost_range``, divided by its width."""
    low, high = cost_range
    hull = upper_hull(points)
    if not hull or high <= low:
        return float("nan") if not hull else hull[-1][1]
    costs = [c for c, _ in hull]
    quality = [q for _, q in hull]
    start = costs[0]
    edges = sorted({low, high, *(c for c in costs if low < c < high)})
    area = 0.0
    for left, right in zip(edges, edges[1:], strict=False):
        if right <= start:
            continue  # below the router's cheapest point the curve is 0
        values = np.interp([left, right], costs, quality, right=quality[-1])
        area += float(values.sum()) / 2.0 * (right - left)
    return area / (high - low)


def cost_to_reach(points: Sequence[tuple[float, float]], target: float) -> float | None:
    """The lowest cost among ``points`` whose quality reaches ``target``, or ``None`` when none does."""
    reached = [cost for cost, quality in points if quality >= target - 1e-12 and np.isfinite(cost)]
    return min(reached) if reached else None


def ndcg_at(ranked_outcomes: Sequence[float], all_outcomes: Sequence[float], k: int = 3) -> float | None:
    """NDCG@k of a ranking: ``ranked_outcomes`` are the true outcomes in the router's order.

    ``all_outcomes`` (the same values, any order) give the ideal ranking; ``None`` when every
    outcome is 0 (no ranking is better than another).
    """
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    gains = np.asarray(ranked_outcomes, dtype=float)[:k]
    ideal = np.sort(np.asarray(all_outcomes, dtype=float))[::-1][:k]
    best = float((ideal * discounts[: len(ideal)]).sum())
    if best <= 0:
        return None
    return float((gains * discounts[: len(gains)]).sum() / best)


def mean_ndcg(quality: np.ndarray, costs: np.ndarray, scores: np.ndarray, k: int = 3) -> float:
    """Mean NDCG@k over prompts of the ranking by ``quality`` (ties: cheaper first), missing outcomes left out."""
    values = []
    for row in range(len(scores)):
        known = np.flatnonzero(~np.isnan(scores[row]))
        if len(known) == 0:
            continue
        order = known[np.lexsort((costs[row, known], -quality[row, known]))]
        value = ndcg_at(scores[row, order], scores[row, known], k)
        if value is not None:
            values.append(value)
    return float(np.mean(values)) if values else float("nan")
