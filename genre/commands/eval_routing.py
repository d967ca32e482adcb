"""``genre eval routing``: routing quality on real outcomes, beside the baselines, in one run.

``genre eval routing --format routerbench|open7b --train FILE... [--test FILE...] [--split 0.2]
[--seed S] [--graph none|default] [--json] [--plot OUT.png]`` learns GENRE's request/outcome subgraph from the training
files only, picks one model per test prompt, and scores it with the file's outcome and cost, with
random, best_single, cheapest, oracle, knn and mlp routers measured the same way
(:mod:`kg.evaluation.routing`). Without ``--test``, a seeded split of ``--train`` is held out.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre eval routing``."""
    from loaders.routing import FORMATS

    parser = cli.group("eval", "measure quality on labelled data").add_parser(
        "routing", help="pick a model per prompt of a routing log; accuracy, cost, AIQ, NDCG@3 against baselines"
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="the files' format")
    parser.add_argument("--train", type=Path, nargs="+", required=True, metavar="FILE", help="training logs")
    parser.add_argument("--test", type=Path, nargs="+", metavar="FILE", help="test logs (default: split --train)")
    parser.add_argument("--split", type=float, default=0.2, help="share of --train held out when no --test (0.2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split and the random parts (0)")
    parser.add_argument(
        "--graph",
        choices=("none", "default"),
        default="none",
        help="import the training outcomes alone (none, the default) or into GENRE's graph, whose benchmark "
        "results then weigh each model (default)",
    )
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="draw every system's cost-quality curve")
    parser.add_argument("--json", action="store_true")
    cli.handle("eval", "routing", cmd_eval_routing)


def cmd_eval_routing(args: argparse.Namespace) -> int:
    """Run the evaluation and print the table (or the JSON)."""
    import sys

    from genre.output import render_rows, to_json
    from kg.evaluation.routing import evaluate_routing, plot, split
    from loaders.routing import read_routing

    train = read_routing(args.format, args.train)
    if args.test:
        test = read_routing(args.format, args.test)
    else:
        train, test = split(train, test_fraction=args.split, seed=args.seed)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    base = resolve = None
    if args.graph == "default":
        import genre

        kg = genre.open(memory=True)
        base, resolve = kg.store, kg.find_model
    evaluation = evaluate_routing(
        train, test, seed=args.seed, base=base, resolve=resolve, progress=None if args.json else say
    )
    data = evaluation.as_dict()
    if args.plot:
        data["plot"] = str(plot(evaluation, args.plot))
    if args.json:
        print(to_json(data))
        return 0
    unit = evaluation.cost_unit
    rows = [
        [
            name,
            f"{result.accuracy:.4f}",
            f"{result.cost_per_query:.6g}",
            f"{result.aiq:.4f}",
            f"{result.ndcg_at_3:.4f}",
            "-" if result.cost_to_match_best_single is None else f"{result.cost_to_match_best_single:.6g}",
        ]
        for name, result in evaluation.systems.items()
    ]
    title = (
        f"routing on {evaluation.format}: {evaluation.train_prompts} train / {evaluation.test_prompts} test prompts, "
        f"{evaluation.missing_outcomes} missing outcomes left out"
    )
    columns = [
        "system",
        "accuracy",
        f"cost/query ({unit})",
        "AIQ",
        "NDCG@3",
        f"cost to match {evaluation.best_single_model}",
    ]
    print(render_rows(columns, rows, "table", title=title))
    print(evaluation.cost_note)
    for name, goal in evaluation.goals.items():
        print(f"goal {name}: {'met' if goal['met'] else 'not met'} {_goal_detail(goal)}")
    if args.plot:
        print(f"plot: {data['plot']}")
    return 0


def _goal_detail(goal: dict[str, Any]) -> str:
    shown = {key: value for key, value in goal.items() if key != "met"}
    return ", ".join(
        f"{key}={value:.4g}" if isinstance(value, float) else f"{key}={value}" for key, value in shown.items()
    )
