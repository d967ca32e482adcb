"""Timing recommendations for a user with feedback, in a store holding many people's feedback.

:func:`add_synthetic_feedback` writes ``events`` feedback events (60% pairwise preferences, 30%
ratings, 10% thumbs up, over the offered models, seeded) from ``users`` made-up users, the first
``user_events`` of them by one user (``bench-user``), through :func:`kg.feedback.quads.event_quads`
in one transaction. :func:`benchmark_personalization` then times whole recommendations
(:func:`kg.recommend.bench.benchmark_recommend`: linking included) without a user and for that user,
and reports how long building the population index took.

Examples
--------
>>> import genre
>>> from kg.recommend import Recommender
>>> kg = genre.open(snapshot=FIXTURE)
>>> add_synthetic_feedback(kg.store, Recommender(kg).tables().model_iri, events=50, user_events=10, users=5)
50
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

from genre.errors import ConfigError

BENCH_USER = "bench-user"


def add_synthetic_feedback(
    store: Any, models: Sequence[str], *, events: int, user_events: int, users: int = 300, seed: int = 0
) -> int:
    """Write ``events`` seeded feedback events (``user_events`` of them by :data:`BENCH_USER`); returns the count."""
    from kg.feedback.events import new_event
    from kg.feedback.quads import event_quads

    if len(models) < 2:
        raise ConfigError("synthetic feedback needs at least two models")
    if not 0 <= user_events <= events:
        raise ConfigError(f"user_events must lie between 0 and events ({events}), got {user_events}")
    rng = random.Random(seed)
    pool = list(models)
    quads = []
    for i in range(events):
        user = BENCH_USER if i < user_events else f"bench-crowd-{rng.randrange(max(1, users))}"
        a, b = rng.sample(pool, 2)
        draw = rng.random()
        if draw < 0.6:
            event = new_event(user, a, prefer=b)
        elif draw < 0.9:
            event = new_event(user, a, rating=rng.randint(1, 5))
        else:
            event = new_event(user, a, up=True)
        quads += event_quads(event)
    store.add_quads(quads)
    return events


def benchmark_personalization(
    recommender: Any, *, events: int = 20_000, user_events: int = 200, n: int = 100, semantic: bool = False
) -> dict[str, Any]:
    """p50/p99 ms per recommendation without a user and for a user with ``user_events`` feedback events."""
    from kg.recommend.bench import benchmark_recommend
    from kg.recommend.personalization import feedback_index

    add_synthetic_feedback(recommender.store, recommender.tables().model_iri, events=events, user_events=user_events)
    start = time.perf_counter()
    index = feedback_index(recommender.store, fresh=True)
    build = time.perf_counter() - start

    class _ForUser:
        def __init__(self, user: str) -> None:
            self.kg, self.user = recommender.kg, user

        def recommend_linked(self, link: Any, *, k: int = 5) -> Any:
            return recommender.recommend_linked(link, k=k, user=self.user)

        def tables(self) -> Any:
            return recommender.tables()

    keys = ("p50_ms", "p99_ms", "link_p50_ms", "recommend_p50_ms", "recommend_p99_ms")
    anonymous = benchmark_recommend(recommender, n=n, semantic=semantic)
    personal = benchmark_recommend(_ForUser(BENCH_USER), n=n, semantic=semantic)
    return {
        "feedback_events": events,
        "users": len(index.users),
        "user_events": user_events,
        "index_build_s": round(build, 2),
        "without_user": {key: anonymous[key] for key in keys},
        "with_user": {key: personal[key] for key in keys},
    }
