"""``genre import preferences``: pairwise-vote logs into the store as users' feedback.

``genre import preferences --format llmfao FILE [--name N] [--replace] [--json]`` reads an LLMFAO
comparisons CSV (with ``models.jsonl`` and ``prompts.jsonl`` beside it, when present), places every
model it names in the graph (new models are added to the import's graph), and writes each vote as a
Feedback node of user ``llmfao-<worker>`` into the named graph ``graph/feedback/<N>`` in one
transaction (:mod:`kg.preference_import`). The next ``genre recommend --user llmfao-<worker>`` uses it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FORMATS = ("llmfao",)


def add_commands(cli: Any) -> None:
    """Add ``genre import preferences``."""
    parser = cli.group("import", "import feedback and outcome logs").add_parser(
        "preferences", help="pairwise votes (LLMFAO format) as users' feedback"
    )
    parser.add_argument("file", type=Path, help="the votes (an LLMFAO comparisons CSV)")
    parser.add_argument("--format", default="llmfao", help=f"the file's format ({', '.join(FORMATS)})")
    parser.add_argument("--name", help="the import's name, naming its graph (default: the file's name)")
    parser.add_argument("--replace", action="store_true", help="replace an earlier import of the same name")
    parser.add_argument("--json", action="store_true")
    cli.handle("import", "preferences", cmd_import_preferences)


def read_preferences(path: Path, format: str) -> tuple[list, dict]:  # noqa: A002 - the option's name
    """The votes of a file and its models by name (``format`` one of :data:`FORMATS`)."""
    from genre.errors import ConfigError
    from loaders.llmfao import models_by_name, read_models, read_votes

    if format not in FORMATS:
        raise ConfigError(f"unknown preference format {format!r}", options=FORMATS)
    side = path.parent / "models.jsonl"
    models = read_models(side) if side.is_file() else {}
    return read_votes(path, models=models), models_by_name(models)


def cmd_import_preferences(args: argparse.Namespace) -> int:
    """Import the votes and print what was written."""
    from genre.cli import _open
    from genre.output import render_rows, to_json
    from kg.preference_import import import_votes

    votes, models = read_preferences(args.file, args.format)
    with _open() as kg:
        report = import_votes(
            kg.store,
            votes,
            name=args.name or args.file.stem,
            models=models,
            source=str(args.file),
            replace_graph=args.replace,
        )
    if args.json:
        print(to_json(report.as_dict()))
        return 0
    rows = [[key, value] for key, value in report.as_dict().items() if key != "models"]
    print(render_rows(["", "value"], rows, "table", title=f"imported {args.file.name}"))
    return 0
