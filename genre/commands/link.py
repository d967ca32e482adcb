"""``genre link``, ``genre eval linking`` and ``genre bench linking``: request understanding.

``genre link "TEXT" [--attach FILE]... [--json]`` links a request and its attachments into the
graph; ``genre eval linking`` scores the linker on the labelled requests (micro precision and
recall of entities and constraints, per split); ``genre bench linking`` times it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add the linking commands to ``genre``."""
    link = cli.command("link", "link a request (text and attached files) into the graph", cmd_link)
    link.add_argument("text", help="the request, in English or Chinese")
    link.add_argument("--attach", action="append", type=Path, default=[], metavar="FILE", help="attach a file")
    link.add_argument("--max-input-price", type=float, help="USD per million input tokens (overrides the text)")
    link.add_argument("--min-context-tokens", type=int, help="context the model needs (overrides the text)")
    link.add_argument("--open-weights", action="store_true", default=None, help="only open-weights models")
    link.add_argument("--provider", action="append", default=[], help="use this provider (repeatable)")
    link.add_argument("--avoid-provider", action="append", default=[], help="avoid this provider (repeatable)")
    link.add_argument("--no-semantic", action="store_true", help="rules only (no sentence-embedding model)")
    link.add_argument("--json", action="store_true")

    evaluate = cli.group("eval", "measure quality on labelled data").add_parser(
        "linking", help="micro precision and recall of linked entities and constraints on labelled requests"
    )
    evaluate.add_argument("--data", type=Path, help="labelled requests (JSON lines; default: the shipped set)")
    evaluate.add_argument("--split", choices=("dev", "test", "all"), default=None, help="one split (default: each)")
    evaluate.add_argument("--calibrate", action="store_true", help="fit the semantic thresholds on the dev split")
    evaluate.add_argument("--mistakes", action="store_true", help="also print every request with a mistake")
    evaluate.add_argument("--no-semantic", action="store_true")
    evaluate.add_argument("--json", action="store_true")
    cli.handle("eval", "linking", cmd_eval_linking)

    bench = cli.group("bench", "measure speed").add_parser("linking", help="time linking per request after warm-up")
    bench.add_argument("--n", type=int, default=500, help="timed requests")
    bench.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    bench.add_argument("--data", type=Path, help="requests to time (JSON lines with 'text')")
    bench.add_argument("--no-semantic", action="store_true")
    bench.add_argument("--json", action="store_true")
    cli.handle("bench", "linking", cmd_bench_linking)


def _linker(*, semantic: bool) -> Any:
    from rich.console import Console

    import genre
    from kg.linking import Linker

    with Console(stderr=True).status("loading the graph and the linker (the first run builds its caches)"):
        return Linker(genre.open().store, semantic=semantic)


def cmd_link(args: argparse.Namespace) -> int:
    """``genre link TEXT``: entities, modalities, constraints and input tokens of a request."""
    from genre.output import render_rows, to_json

    linker = _linker(semantic=not args.no_semantic)
    options: dict[str, Any] = {
        "max_input_price": args.max_input_price,
        "min_context_tokens": args.min_context_tokens,
        "open_weights": args.open_weights,
    }
    if args.provider or args.avoid_provider:
        from queries.api import KnowledgeGraph

        graph = KnowledgeGraph(linker.store)
        options["providers_include"] = [str(graph.resolve("provider", p)) for p in args.provider] or None
        options["providers_exclude"] = [str(graph.resolve("provider", p)) for p in args.avoid_provider] or None
    result = linker.link(args.text, attachments=args.attach, constraints=options)
    if args.json:
        print(to_json(result.as_dict()))
        return 0
    rows = [
        [
            entity.type,
            entity.label,
            entity.iri,
            args.text[entity.span[0] : entity.span[1]] if entity.span else f"~{entity.similarity:.2f}",
            f"{entity.confidence:.2f}",
        ]
        for entity in result.entities
    ]
    print(render_rows(["type", "label", "iri", "span / similarity", "confidence"], rows, "table", title="entities"))
    facts = [[name, value] for name, value in result.constraints.as_dict().items()]
    facts += [["input modalities", " ".join(result.modalities)], ["input tokens", result.estimated_input_tokens]]
    facts += [
        [f"attachment {a.name}", ", ".join(f"{k}={v}" for k, v in a.as_dict().items())] for a in result.attachments
    ]
    print(render_rows(["", ""], facts, "table", title="request"))
    return 0


def cmd_eval_linking(args: argparse.Namespace) -> int:
    """``genre eval linking``: micro precision and recall per split."""
    from genre.output import render_rows, to_json
    from kg.linking.evaluation import calibrate, evaluate, load_requests

    linker = _linker(semantic=not args.no_semantic)
    if args.calibrate:
        if linker.semantic is None:
            from genre.errors import ConfigError

            raise ConfigError("--calibrate needs the semantic linker (leave out --no-semantic)")
        linker.semantic.thresholds = calibrate(linker, load_requests(args.data, split="dev"))
    splits = [args.split] if args.split else ["dev", "test", "all"]
    reports = []
    for split in splits:
        requests = load_requests(args.data, split=split)
        if requests:
            reports.append(evaluate(linker, requests, split=split))
    if args.json:
        output: dict[str, Any] = {"splits": [report.as_dict() for report in reports]}
        if args.calibrate:
            output["thresholds"] = _thresholds(linker)
        if args.mistakes:
            output["mistakes"] = reports[-1].mistakes if reports else []
        print(to_json(output))
        return 0
    if args.mistakes and reports:
        for mistake in reports[-1].mistakes:
            print(to_json(mistake))
    if args.calibrate:
        print("calibrated thresholds:", _thresholds(linker))
    rows = []
    for report in reports:
        for language, (entities, constraints) in [("all", (report.entities, report.constraints))] + sorted(
            report.by_language.items()
        ):
            rows.append(
                [
                    report.split,
                    language,
                    report.requests if language == "all" else "",
                    round(entities.precision, 3),
                    round(entities.recall, 3),
                    round(constraints.precision, 3),
                    round(constraints.recall, 3),
                ]
            )
    columns = ["split", "language", "requests", "entity P", "entity R", "constraint P", "constraint R"]
    print(render_rows(columns, rows, "table", title="linking, micro-averaged"))
    return 0


def _thresholds(linker: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(linker.semantic.thresholds)


def cmd_bench_linking(args: argparse.Namespace) -> int:
    """``genre bench linking``: p50 and p99 milliseconds per request after warm-up."""
    from genre.output import render_rows, to_json
    from kg.linking.evaluation import benchmark, load_requests

    texts = [request.text for request in load_requests(args.data)]
    linker = _linker(semantic=not args.no_semantic)
    result = benchmark(linker, texts, n=args.n, warmup=args.warmup)
    if args.json:
        print(to_json(result.as_dict()))
    else:
        print(render_rows(list(result.as_dict()), [list(result.as_dict().values())], "table", title="linking"))
    return 0
