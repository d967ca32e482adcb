"""``genre bench personalization``: recommendation speed for a user with feedback among many users' feedback.

``genre bench personalization [--events 20000] [--user-events 200] [--n 100] [--semantic] [--json]`` loads
the shipped graph into memory (the persistent store is not touched), writes synthetic feedback
(:mod:`kg.recommend.personalization_bench`) and times whole recommendations, linking included,
without a user and for the user with ``--user-events`` events.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre bench personalization``."""
    bench = cli.group("bench", "measure speed").add_parser(
        "personalization", help="p50/p99 ms per recommendation for a user with feedback, in memory"
    )
    bench.add_argument("--events", type=int, default=20_000, help="feedback events in the store")
    bench.add_argument("--user-events", type=int, default=200, help="of which by the timed user")
    bench.add_argument("--n", type=int, default=100, help="timed requests")
    bench.add_argument("--semantic", action="store_true", help="also link with sentence embeddings")
    bench.add_argument("--json", action="store_true")
    cli.handle("bench", "personalization", cmd_bench_personalization)


def cmd_bench_personalization(args: argparse.Namespace) -> int:
    """Print the timings."""
    from rich.console import Console

    import genre
    from genre.output import render_rows, to_json
    from kg.recommend import Recommender
    from kg.recommend.personalization_bench import benchmark_personalization

    with Console(stderr=True).status("loading the graph into memory and writing synthetic feedback"):
        recommender = Recommender(genre.open(memory=True)).warm()
    report = benchmark_personalization(
        recommender, events=args.events, user_events=args.user_events, n=args.n, semantic=args.semantic
    )
    if args.json:
        print(to_json(report))
        return 0
    rows = [[who, *report[who].values()] for who in ("without_user", "with_user")]
    title = (
        f"{report['feedback_events']} feedback events from {report['users']} users; "
        f"population index built in {report['index_build_s']} s"
    )
    print(render_rows(["", *report["with_user"]], rows, "table", title=title))
    return 0
