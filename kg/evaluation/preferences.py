"""Personalization quality on pairwise votes: GENRE's personal predictions against a global Bradley–Terry ranking.

:func:`evaluate_preferences` imports the training votes into an in-memory store
(:func:`kg.preference_import.import_votes`), fits a global Bradley–Terry ranking on them
(:func:`bradley_terry`, the MM algorithm with ties as half a win each), then, for every number of
shots ``K`` and every test user with more than ``K`` votes, writes ``K`` of the user's votes (a seeded
random choice) as feedback into the store through the feedback path
(:func:`kg.feedback.users.record_feedback`, one transaction per vote) and predicts the
rest from the personalization scorer (:func:`kg.recommend.personalization.pairwise_logit`: the
population's like-rates plus the user's own and collaborative deviations). The shots of all test
users are written together (one graph per ``K``, removed afterwards), so people who agree inform
each other as they would in use. Ties among the rest are left out of the predictions and counted.

A third system, Bradley–Terry fitted on the training votes plus every test user's shots, tells a gain
from personal evidence apart from a gain from more votes. All are scored on the same votes: pairwise
accuracy (a predicted tie counts half) and AUC (the probability that a vote the left model won is
scored above one it lost), per ``K`` and over all ``K`` together.

When there is no test file, or it is the training file, users are split seeded 80/20 (users held
out): the test users' votes are not in the training store.

Examples
--------
>>> strengths = bradley_terry([("a", "b", 1.0)] * 3 + [("b", "c", 1.0)] * 3 + [("a", "c", 0.5)])
>>> strengths["a"] > strengths["b"] > strengths["c"]
True
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genre.errors import ConfigError
from loaders.llmfao import PairwiseVote

DEFAULT_SHOTS = (0, 5, 10, 20)


def bradley_terry(
    games: Iterable[tuple[str, str, float]], *, prior: float = 0.5, iterations: int = 500, tolerance: float = 1e-9
) -> dict[str, float]:
    """Log-strengths of a Bradley–Terry model fitted by minorisation–maximisation (Hunter 2004).

    ``games`` are ``(a, b, score)`` with score 1 when ``a`` won, 0 when ``b`` won and 0.5 for a tie.
    ``prior`` adds that many half-won games of each player against a virtual average player, so
    a player who never lost still has a finite strength. Log-strengths are centred on 0.
    """
    games = list(games)
    players = sorted({a for a, _, _ in games} | {b for _, b, _ in games})
    index = {p: i for i, p in enumerate(players)}
    n = len(players)
    if n == 0:
        return {}
    wins = np.full(n, prior / 2)
    pairs = np.zeros((n, n))
    for a, b, score in games:
        i, j = index[a], index[b]
        wins[i] += score
        wins[j] += 1.0 - score
        pairs[i, j] += 1.0
        pairs[j, i] += 1.0
    strength = np.ones(n)
    for _ in range(iterations):
        denominator = (pairs / (strength[:, None] + strength[None, :])).sum(axis=1) + prior / (strength + 1.0)
        updated = wins / denominator
        updated /= np.exp(np.log(updated).mean())
        done = np.max(np.abs(np.log(updated) - np.log(strength))) < tolerance
        strength = updated
        if done:
            break
    logs = np.log(strength)
    return {p: float(logs[index[p]]) for p in players}


def auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """The area under the ROC curve (ties in score count half); ``None`` with one class only."""
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_scores = s[order]
    i = 0
    while i < len(s):  # average ranks of equal scores
        j = i
        while j + 1 < len(s) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


SYSTEMS = ("genre", "global_bt", "global_bt_with_shots")
"""The predictors compared: GENRE's personal one, Bradley–Terry on the training users, and Bradley–Terry
on the training users plus every test user's shots (the same votes GENRE is given, pooled, not personal)."""


@dataclass
class _Scores:
    labels: list[int] = field(default_factory=list)
    scores: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in SYSTEMS})

    def add(self, label: int, **scores: float) -> None:
        self.labels.append(label)
        for name in SYSTEMS:
            self.scores[name].append(scores[name])

    def extend(self, other: _Scores) -> None:
        self.labels += other.labels
        for name in SYSTEMS:
            self.scores[name] += other.scores[name]

    def summary(self) -> dict[str, Any]:
        y = np.asarray(self.labels)

        def accuracy(scores: list[float]) -> float | None:
            if not len(y):
                return None
            s = np.asarray(scores)
            return round(float(np.mean(np.where(s == 0, 0.5, (s > 0) == (y == 1)))), 4)

        def area(scores: list[float]) -> float | None:
            value = auc(self.labels, scores)
            return None if value is None else round(value, 4)

        return {
            "predictions": len(self.labels),
            **{name: {"accuracy": accuracy(self.scores[name]), "auc": area(self.scores[name])} for name in SYSTEMS},
        }


def split_users(votes: Sequence[PairwiseVote], *, seed: int, test_share: float = 0.2) -> tuple[list, list]:
    """Votes of a seeded ``1 − test_share`` of the users, and of the rest (users held out)."""
    users = sorted({vote.worker for vote in votes})
    random.Random(seed).shuffle(users)
    held_out = set(users[: max(1, round(len(users) * test_share))]) if len(users) > 1 else set()
    return [v for v in votes if v.worker not in held_out], [v for v in votes if v.worker in held_out]


def _label(vote: PairwiseVote) -> int:
    return 1 if vote.winner == "left" else 0


def evaluate_preferences(
    train: Sequence[PairwiseVote],
    test: Sequence[PairwiseVote] | None = None,
    *,
    shots: Sequence[int] = DEFAULT_SHOTS,
    seed: int = 0,
    models: dict | None = None,
    store: Any = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Personal predictions against a global Bradley–Terry ranking (module docstring); a JSON-ready report.

    ``test`` ``None`` (or the training votes themselves) splits the training users 80/20 with ``seed``.
    ``store`` is the store to import into (default: a new in-memory one); ``progress(done, total)``
    is called after each user.
    """
    from kg.feedback.users import record_feedback
    from kg.preference_import import import_graph, import_votes, resolve_vote_models
    from kg.recommend.personalization import feedback_index, pairwise_logit
    from kg.store import Store
    from queries.api import KnowledgeGraph

    shots = sorted({int(k) for k in shots})
    if not shots or shots[0] < 0:
        raise ConfigError(f"shots must be whole numbers of votes, 0 or more, got {list(shots)}")
    split = test is None or test is train or list(test) == list(train)
    if split:
        train, test = split_users(train, seed=seed)
    train_users = {v.worker for v in train}
    test = [v for v in test if v.worker not in train_users] if not split else list(test)
    if not train:
        raise ConfigError("the training votes are empty")
    if not test:
        raise ConfigError("no test user whose votes are not in the training file")
    store = store if store is not None else Store.open()
    graph_api = KnowledgeGraph(store)
    imported = import_votes(store, train, name="train", models=models, replace_graph=True)
    matches = resolve_vote_models(store, {v.model_x for v in test} | {v.model_y for v in test}, models)
    strength = bradley_terry((v.model_x, v.model_y, {"left": 1.0, "right": 0.0}.get(v.winner, 0.5)) for v in train)
    by_user: dict[str, list[PairwiseVote]] = defaultdict(list)
    for vote in test:
        by_user[vote.worker].append(vote)
    users = sorted(by_user)
    orders = {}
    for user in users:
        ordered = list(by_user[user])
        random.Random(f"{seed}:{user}").shuffle(ordered)
        orders[user] = ordered
    per_k: dict[int, _Scores] = {}
    per_k_counts: dict[int, dict[str, int]] = {}
    total_steps, done = len(shots) * len(users), 0
    for k in shots:
        scores = _Scores()
        counts = {"users": 0, "ties_left_out": 0, "shots_given": 0}
        graph = import_graph(f"test-shots-{k}")
        shots_given = [v for user in users if len(orders[user]) > k for v in orders[user][:k]]
        pooled = bradley_terry(
            (v.model_x, v.model_y, {"left": 1.0, "right": 0.0}.get(v.winner, 0.5)) for v in (*train, *shots_given)
        )
        for user in users:
            for vote in orders[user][:k] if len(orders[user]) > k else []:
                winner, other = matches[vote.preferred].iri, matches[vote.other].iri
                if winner != other:
                    record_feedback(
                        graph_api,
                        f"llmfao-test-{user}",
                        winner,
                        **({"tie": other} if vote.is_tie else {"prefer": other}),
                        request=vote.prompt_text,
                        link=False,
                        graph=graph,
                    )
                counts["shots_given"] += 1
        index = feedback_index(store, fresh=True)  # the shots just written count at once
        for user in users:
            votes = orders[user]
            done += 1
            if len(votes) <= k:
                continue
            counts["users"] += 1
            profile = index.profile(f"llmfao-test-{user}") if k else None
            for vote in votes[k:]:
                if vote.is_tie:
                    counts["ties_left_out"] += 1
                    continue
                a, b = matches[vote.model_x].iri, matches[vote.model_y].iri
                genre = pairwise_logit(index, profile, a, b)
                scores.add(
                    _label(vote),
                    genre=genre,
                    global_bt=strength.get(vote.model_x, 0.0) - strength.get(vote.model_y, 0.0),
                    global_bt_with_shots=pooled.get(vote.model_x, 0.0) - pooled.get(vote.model_y, 0.0),
                )
            if progress is not None:
                progress(done, total_steps)
        store.remove_graph(graph)
        per_k[k] = scores
        per_k_counts[k] = counts
    overall = _Scores()
    for scores in per_k.values():
        overall.extend(scores)
    report: dict[str, Any] = {
        "train": {"votes": len(train), "users": len(train_users), "feedback_written": imported.feedback},
        "test": {"votes": len(test), "users": len(users), "held_out_split": split, "seed": seed},
        "models": {"known": imported.known_models, "new": imported.new_models},
        "shots": {str(k): {**per_k[k].summary(), **per_k_counts[k]} for k in shots},
        "overall": overall.summary(),
    }
    for entry in (*report["shots"].values(), report["overall"]):
        g, b, p = (entry[name]["accuracy"] for name in SYSTEMS)
        entry["accuracy_gain_points"] = None if g is None or b is None else round(100 * (g - b), 2)
        entry["gain_over_pooled_points"] = None if g is None or p is None else round(100 * (g - p), 2)
    return report


def plot_accuracy(report: dict[str, Any], path: str | Path) -> Path:
    """A small plot of pairwise accuracy against the number of shots, GENRE and the global ranking."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = [int(k) for k in report["shots"]]
    figure, axis = plt.subplots(figsize=(4.5, 3.2), dpi=120)
    for system, label, style in (
        ("genre", "GENRE (personal)", "o-"),
        ("global_bt", "global Bradley–Terry (training users)", "s--"),
        ("global_bt_with_shots", "global Bradley–Terry (+ test users' shots)", "^:"),
    ):
        values = [report["shots"][str(k)][system]["accuracy"] for k in ks]
        axis.plot(ks, values, style, label=label)
    runs = len(report.get("runs", [])) or 1
    axis.set_title(f"held-out users, mean of {runs} seeded split(s)" if runs > 1 else "held-out users", fontsize=9)
    axis.set_xlabel("votes given as feedback (K)")
    axis.set_ylabel("pairwise accuracy (ties left out)")
    axis.set_xticks(ks)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)
    plt.close(figure)
    return out


def mean_report(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Several seeded reports in one: per K and overall, the mean of each figure; ``runs`` keeps each.

    >>> one = {"shots": {"0": {"predictions": 10, "genre": {"accuracy": 0.6, "auc": 0.7}}}, "overall": {}}
    >>> two = {"shots": {"0": {"predictions": 20, "genre": {"accuracy": 0.8, "auc": None}}}, "overall": {}}
    >>> mean_report([one, two])["shots"]["0"]
    {'predictions': 15.0, 'genre': {'accuracy': 0.7, 'auc': 0.7}}
    """

    def mean(values: list[Any]) -> Any:
        if all(isinstance(v, dict) for v in values):
            return {key: mean([v.get(key) for v in values]) for key in values[0]}
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return round(float(np.mean(numbers)), 4) if numbers else values[0]

    return {
        "shots": {k: mean([r["shots"][k] for r in reports]) for k in reports[0]["shots"]},
        "overall": mean([r["overall"] for r in reports]),
        "seeds": [r.get("test", {}).get("seed") for r in reports],
        "runs": list(reports),
    }
