"""``genre import routing``: routing outcome logs into the store as past requests and their outcomes.

``genre import routing --format routerbench|open7b FILE... [--name N] [--json]`` reads the logs
(:mod:`loaders.routing`), resolves their model names to graph models (new names become Model nodes
in the import's graph) and writes one Request per prompt and one Outcome per known (prompt, model)
score into the named graph ``graph/outcomes/<N>`` (:mod:`kg.outcomes`), replacing an earlier import
of that name. Blank scores write nothing and are counted. ``genre recommend`` then reads them as
"similar past request" evidence.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre import routing``."""
    from loaders.routing import FORMATS

    parser = cli.group("import", "import feedback and outcome logs").add_parser(
        "routing", help="routing outcome logs (RouterBench CSV, open7b JSON) as past requests and outcomes"
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the log files (one format)")
    parser.add_argument("--format", required=True, choices=FORMATS, help="the files' format")
    parser.add_argument("--name", help="the import's name, naming its graph (default: the first file's name)")
    parser.add_argument("--json", action="store_true")
    cli.handle("import", "routing", cmd_import_routing)


def cmd_import_routing(args: argparse.Namespace) -> int:
    """Import the logs and print what was written."""
    from genre.cli import _open
    from genre.output import render_rows, to_json
    from kg.outcomes import import_routing
    from loaders.routing import read_routing

    log = read_routing(args.format, args.files)
    with _open() as kg:
        report = import_routing(kg.store, log, name=args.name, resolve=kg.find_model)
    summary = {
        "name": report.name,
        "graph": str(report.graph),
        "requests": report.requests,
        "outcomes": report.outcomes,
        "missing_outcomes": report.missing,
        "models_matched": report.matched,
        "models_created": report.created,
        "quads": report.quads,
    }
    if args.json:
        print(to_json(summary))
        return 0
    rows = [[name, iri] for name, iri in report.matched.items()] + [[name, "(new model)"] for name in report.created]
    print(render_rows(["log model", "graph model"], rows, "table", title=f"import {report.name}"))
    print(
        f"{report.requests} requests, {report.outcomes} outcomes, {report.missing} missing scores left out; "
        f"graph {report.graph}"
    )
    return 0
