"""``genre recommend`` and ``genre bench recommend``: ranked models for a request, and how fast.

``genre recommend "TEXT" [--user U] [--attach FILE]... [-k 5] [--cost-weight 0..1] [--json]`` links the
request, applies its hard constraints and prints the ranked models with the three parts of their
score, the chosen offer, the estimated cost and the configuration preset (``--json``: the whole
result). ``genre bench recommend`` times whole recommendations (linking included) after warm-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add the recommendation commands to ``genre``."""
    recommend = cli.command("recommend", "recommend models for a request (text and attached files)", cmd_recommend)
    recommend.add_argument("text", help="the request, in English or Chinese")
    recommend.add_argument("--user", help="personalize with this user's feedback")
    recommend.add_argument("--attach", action="append", type=Path, default=[], metavar="FILE", help="attach a file")
    recommend.add_argument("-k", type=int, default=5, help="how many models (default 5)")
    recommend.add_argument("--cost-weight", type=float, help="0 = quality first ... 1 = cost first")
    recommend.add_argument("--no-semantic", action="store_true", help="link with rules only (faster start)")
    recommend.add_argument("--json", action="store_true")

    bench = cli.group("bench", "measure speed").add_parser(
        "recommend", help="p50/p99 milliseconds per recommendation (linking included) after warm-up"
    )
    bench.add_argument("--n", type=int, default=300, help="timed requests")
    bench.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    bench.add_argument("--no-semantic", action="store_true", help="link with rules only")
    bench.add_argument("--user", help="time personalized recommendations for this user")
    bench.add_argument(
        "--scale", default="", metavar="FACTORS", help="also time synthetic copies of the graph, e.g. '2,10'"
    )
    bench.add_argument("--json", action="store_true")
    cli.handle("bench", "recommend", cmd_bench_recommend)


def load_recommender() -> Any:
    """The shared recommender of ``genre.open()``, warmed up behind a spinner (``genre recommend``, ``genre ask``)."""
    from rich.console import Console

    import genre
    from kg.recommend import recommender_for

    with Console(stderr=True).status("loading the graph and building the recommender (first run: seconds)"):
        return recommender_for(genre.open()).warm()


def cmd_recommend(args: argparse.Namespace) -> int:
    """``genre recommend TEXT``: the ranked models as a table, or the whole result as JSON."""
    from genre.output import render_rows, to_json

    recommender = load_recommender()
    result = recommender.recommend(
        args.text,
        user=args.user,
        attachments=args.attach,
        k=args.k,
        cost_weight=args.cost_weight,
        semantic=not args.no_semantic,
    )
    if args.json:
        print(to_json(result.as_dict()))
        return 0
    rows = [
        [
            r.rank,
            r.label,
            f"{r.score:.3f}",
            f"{r.relevance:.2f}",
            f"{r.performance:.2f}",
            f"{r.personalization:.2f}",
            r.offer.provider,
            r.offer.call_id,
            "?" if r.estimated_cost_usd is None else f"${r.estimated_cost_usd:.5f}",
            r.config.get("preset"),
        ]
        for r in result
    ]
    removed = ", ".join(f"{name} {count}" for name, count in result.removed_by_constraint.items() if count)
    title = f"{result.candidates} candidate models" + (f"; removed: {removed}" if removed else "")
    columns = [
        "#",
        "model",
        "score",
        "relevance",
        "performance",
        "personal",
        "provider",
        "call id",
        "est. cost",
        "preset",
    ]
    print(render_rows(columns, rows, "table", title=title))
    if result.recommendations:
        best = result.recommendations[0]
        print(f"why {best.label}:")
        for sentence in best.evidence:
            print(f"  - {sentence}")
    return 0


def cmd_bench_recommend(args: argparse.Namespace) -> int:
    """``genre bench recommend``: p50 and p99 milliseconds per recommendation after warm-up."""
    from genre.errors import ConfigError
    from genre.output import render_rows, to_json
    from kg.recommend.bench import benchmark_recommend, benchmark_scaling

    try:
        factors = [int(part) for part in args.scale.split(",") if part.strip()]
    except ValueError as error:
        raise ConfigError(f"--scale takes whole numbers separated by commas, got {args.scale!r}") from error
    recommender = load_recommender()
    report = benchmark_recommend(
        recommender, n=args.n, warmup=args.warmup, semantic=not args.no_semantic, user=args.user
    )
    rows = [{"scale": 1, **report}]
    if factors:
        rows += benchmark_scaling(recommender, factors, n=args.n, warmup=args.warmup, semantic=not args.no_semantic)
    if args.json:
        print(to_json(rows if factors else report))
        return 0
    columns = list(dict.fromkeys(key for row in rows for key in row))
    table = [[row.get(column, "") for column in columns] for row in rows]
    print(render_rows(columns, table, "table", title="recommend, whole graph (scale 1) and synthetic copies"))
    return 0
