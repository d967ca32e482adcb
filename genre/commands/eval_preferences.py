"""``genre eval preferences``: personalised pairwise predictions against a global Bradley–Terry ranking.

``genre eval preferences --train FILE [--test FILE] [--format llmfao] [--shots K]... [--seed S]...
[--graph default|empty] [--json] [--plot OUT.png]``: for each test user, K of their votes become feedback
and the rest are predicted (:mod:`kg.evaluation.preferences`). Without ``--test`` (or with the training
file) the users are split seeded 80/20. Several ``--seed`` give one run per seed and their mean. The
votes are imported into the shipped graph loaded in memory (``--graph default``: the voted models are
found there with their families and makers) or into an empty store.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre eval preferences``."""
    parser = cli.group("eval", "measure quality on labelled data").add_parser(
        "preferences", help="personalised pairwise accuracy and AUC against a global Bradley-Terry ranking"
    )
    parser.add_argument("--train", type=Path, required=True, help="votes of the training users")
    parser.add_argument("--test", type=Path, help="votes of the test users (default: 20%% of the training users)")
    parser.add_argument("--format", default="llmfao", help="the files' format (llmfao)")
    parser.add_argument(
        "--shots", type=int, action="append", metavar="K", help="votes given as feedback (default 0 5 10 20)"
    )
    parser.add_argument("--seed", type=int, action="append", metavar="S", help="split and shot seed (default 0)")
    parser.add_argument(
        "--graph",
        choices=("default", "empty"),
        default="default",
        help="import into the shipped graph in memory (models get their families and makers; ~20 s to load) "
        "or into an empty store",
    )
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="also draw accuracy against K")
    parser.add_argument("--json", action="store_true")
    cli.handle("eval", "preferences", cmd_eval_preferences)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The report of one or several seeded runs (several: ``runs`` and their ``mean``)."""
    from genre.cli import _progress
    from genre.commands.import_preferences import read_preferences
    from kg.evaluation.preferences import DEFAULT_SHOTS, evaluate_preferences, mean_report

    train, models = read_preferences(args.train, args.format)
    test = None
    if args.test is not None and args.test.resolve() != args.train.resolve():
        test, test_models = read_preferences(args.test, args.format)
        models = {**test_models, **models}
    seeds = args.seed or [0]
    reports = []
    store = None
    if args.graph == "default":
        from rich.console import Console

        import genre

        with Console(stderr=True).status("loading the shipped graph into memory"):
            store = genre.open(memory=True).store
    with _progress() as progress:
        for seed in seeds:
            task = progress.add_task(f"seed {seed}", total=None)
            reports.append(
                evaluate_preferences(
                    train,
                    test,
                    shots=args.shots or DEFAULT_SHOTS,
                    seed=seed,
                    models=models,
                    store=store,
                    progress=lambda done, total, task=task: progress.update(task, completed=done, total=total),
                )
            )
    report = reports[0] if len(reports) == 1 else mean_report(reports)
    report["graph"] = args.graph
    report["train_file"] = str(args.train)
    report["test_file"] = str(args.test) if args.test else None
    return report


def cmd_eval_preferences(args: argparse.Namespace) -> int:
    """Print the accuracy and AUC of GENRE and of the global ranking, per K and overall."""
    from genre.output import render_rows, to_json
    from kg.evaluation.preferences import plot_accuracy

    report = run(args)
    if args.plot:
        plot_accuracy(report, args.plot)
    if args.json:
        print(to_json(report))
        return 0
    rows = []
    for name, entry in [*((f"K={k}", v) for k, v in report["shots"].items()), ("overall", report["overall"])]:
        rows.append(
            [
                name,
                entry["predictions"],
                entry["genre"]["accuracy"],
                entry["global_bt"]["accuracy"],
                entry["accuracy_gain_points"],
                entry["global_bt_with_shots"]["accuracy"],
                entry["genre"]["auc"],
                entry["global_bt"]["auc"],
                entry.get("ties_left_out", ""),
            ]
        )
    columns = [
        "shots",
        "predictions",
        "GENRE acc",
        "global BT acc",
        "gain (points)",
        "BT+shots acc",
        "GENRE AUC",
        "BT AUC",
        "ties",
    ]
    print(render_rows(columns, rows, "table", title="pairwise preferences of held-out users"))
    return 0
