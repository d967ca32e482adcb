"""The ``genre`` command: sub-commands that mirror the Python API.

Tables for people, ``--json`` (or ``--format json|csv``) for programs. Errors print one
clear line (and, for validation, every problem) on stderr and exit non-zero:
1 for invalid data, 2 for any other GENRE error.

Heavy modules are imported inside the commands, so ``genre --help`` is fast.

Examples
--------
>>> main(["query", "list", "--json"]) == 0  # doctest: +ELLIPSIS
[...
True
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genre.errors import ConfigError, GenreError, ValidationError

EXIT_INVALID = 1
EXIT_ERROR = 2


def _key_value(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``genre`` command."""
    from genre import __version__

    parser = argparse.ArgumentParser(
        prog="genre",
        description="GENRE: choose the right large language model, from a knowledge graph of models, "
        "providers, prices, capabilities and benchmark results.",
    )
    parser.add_argument("--version", action="version", version=f"genre {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    kg = commands.add_parser("kg", help="build, load and inspect the knowledge graph").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    build = kg.add_parser("build", help="build the graph from the public sources")
    build.add_argument(
        "--source",
        action="append",
        type=_key_value,
        default=[],
        metavar="NAME=PATH_OR_URL",
        help="read source NAME from a file or URL (repeatable)",
    )
    build.add_argument("--data-dir", type=Path, help="folder holding every source at its default path")
    build.add_argument("--snapshot-out", type=Path, help="also write the result as a snapshot (.nq.gz)")
    build.add_argument("--json", action="store_true", help="print the build report as JSON")
    stats = kg.add_parser("stats", help="count models, providers, offers, benchmarks, results...")
    stats.add_argument("--json", action="store_true")
    load = kg.add_parser("load", help="(re)load a snapshot into the store, keeping your own data")
    load.add_argument("snapshot", nargs="?", type=Path, help="snapshot file (default: the shipped one)")
    dump = kg.add_parser("snapshot", help="write the whole store as a snapshot (.nq.gz)")
    dump.add_argument("out", type=Path)
    pairs = kg.add_parser("check-resolution", help="precision and recall of model-name resolution on labelled pairs")
    pairs.add_argument("pairs", type=Path, nargs="+", help="CSV files: name_a,source_a,name_b,source_b,same")
    pairs.add_argument("--json", action="store_true")

    query = commands.add_parser("query", help="run named or ad-hoc SPARQL and Cypher queries").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    sparql = query.add_parser("sparql", help="run a named query, a .rq file or SPARQL text (read-only)")
    sparql.add_argument("query", metavar="NAME_OR_FILE_OR_TEXT")
    sparql.add_argument("--param", action="append", type=_key_value, default=[], metavar="KEY=VALUE")
    sparql.add_argument("--format", choices=("table", "json", "csv"), default="table")
    sparql.add_argument("--limit", type=int, default=None, help="print at most this many rows")
    listing = query.add_parser("list", help="list the named queries and their parameters")
    listing.add_argument("--json", action="store_true")

    model = commands.add_parser("model", help="find, show and add models").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    show = model.add_parser("show", help="a model's card: offers, prices, limits, benchmark results")
    show.add_argument("name", help="any name of the model (GPT-4o, openai/gpt-4o, ...)")
    show.add_argument("--json", action="store_true")
    find = model.add_parser("list", help="models with a capability, modality, price...")
    find.add_argument("--capability")
    find.add_argument("--input-modality")
    find.add_argument("--output-modality")
    find.add_argument("--max-input-price", type=float, help="USD per million input tokens")
    find.add_argument(
        "--min-input-price",
        type=float,
        help="leave out cheaper offers (0.01 leaves out free tiers and subscriptions listed at $0)",
    )
    find.add_argument("--open-weights", action="store_true", default=None)
    find.add_argument("--provider")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--json", action="store_true")
    add = model.add_parser("add", help="validate a model description (Turtle or YAML) and add it")
    add.add_argument("file", type=Path)

    ontology = commands.add_parser("ontology", help="check descriptions against the ontology").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    validate = ontology.add_parser("validate", help="check a model description without adding it")
    validate.add_argument("file", type=Path)
    groups = {"kg": kg, "query": query, "model": model, "ontology": ontology}
    for module in _command_modules():
        module.add_commands(CommandGroups(commands, groups))
    return parser


class CommandGroups:
    """What a :mod:`genre.commands` module gets to add its commands with.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="demo")
    >>> cli = CommandGroups(parser.add_subparsers(dest="command"), {})
    >>> hello = cli.group("eval", "measure quality").add_parser("hello")
    >>> cli.handle("eval", "hello", lambda args: 0)
    >>> parser.parse_args(["eval", "hello"]).action
    'hello'
    """

    def __init__(self, commands: Any, groups: dict[str, Any]) -> None:
        self._commands = commands
        self._groups = groups

    def group(self, name: str, help: str) -> Any:  # noqa: A002 - argparse's word
        """The sub-parsers of command ``name`` (``genre NAME ACTION``), created on first use."""
        if name not in self._groups:
            parser = self._commands.add_parser(name, help=help)
            self._groups[name] = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        return self._groups[name]

    def command(self, name: str, help: str, handler: Any) -> Any:  # noqa: A002 - argparse's word
        """A command without actions (``genre link TEXT``), run by ``handler(args)``; returns its parser."""
        parser = self._commands.add_parser(name, help=help)
        parser.set_defaults(action=None)
        _HANDLERS[(name, None)] = handler
        return parser

    def handle(self, command: str, action: str, handler: Any) -> None:
        """Run ``handler(args)`` for ``genre COMMAND ACTION``; it returns the exit status."""
        _HANDLERS[(command, action)] = handler


def _command_modules() -> list[Any]:
    """The command-group modules of :mod:`genre.commands`, in name order."""
    import importlib
    import pkgutil

    import genre.commands

    names = sorted(info.name for info in pkgutil.iter_modules(genre.commands.__path__))
    return [importlib.import_module(f"genre.commands.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``genre`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    handler = _HANDLERS[(args.command, args.action)]
    try:
        return handler(args) or 0
    except ValidationError as error:
        print(f"error: {error}", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_INVALID
    except GenreError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _open() -> Any:
    from rich.console import Console

    import genre

    with Console(stderr=True).status("opening the knowledge graph (the first run loads the default snapshot)"):
        return genre.open()


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        transient=False,
        console=Console(stderr=True),
    )


def cmd_kg_build(args: argparse.Namespace) -> int:
    """``genre kg build``: load the sources, resolve models, write the graph."""
    from genre.output import render_rows, to_json
    from genre.settings import Settings
    from kg.build import build_graph, default_locations
    from kg.snapshot import mark_local_build
    from kg.store import Store

    settings = Settings.load()
    data_dir = args.data_dir or settings.data_dir
    locations = default_locations(data_dir, dict(args.source))
    if not locations:
        raise ConfigError("no source to read: give --data-dir (or GENRE_DATA_DIR) or --source NAME=PATH_OR_URL")
    store = Store.open(None if settings.store == "memory" else settings.store_path)
    with _progress() as progress:
        task = progress.add_task("building", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=max(total, 1))

        result = build_graph(store, locations, progress=report)
    if args.snapshot_out:
        store.dump_nquads(args.snapshot_out)
    mark_local_build(store)
    sources = [
        {
            "name": source.name,
            "mentions": source.mentions,
            "models": source.models,
            "offers": source.offers,
            "results": source.results,
            "match_rate": round(source.match_rate, 3),
            "skipped": source.skipped,
        }
        for source in result.sources
    ]
    if args.json:
        summary = {"models": result.models, "quads": result.quads, "seconds": round(result.seconds, 1)}
        print(to_json({**summary, "sources": sources}))
        return 0
    rows = [
        [
            *list(source.values())[:5],
            f"{source['match_rate']:.1%}",
            ", ".join(f"{k}: {v}" for k, v in source["skipped"].items()),
        ]
        for source in sources
    ]
    columns = ["source", "mentions", "models", "offers", "results", "matched elsewhere", "skipped"]
    title = f"{result.models} models, {result.quads} quads in {result.seconds:.1f} s"
    print(render_rows(columns, rows, "table", title=title))
    return 0


def cmd_kg_stats(args: argparse.Namespace) -> int:
    """``genre kg stats``: counts of the main kinds of node."""
    from genre.output import render_rows, to_json

    stats = _open().stats().as_dict()
    print(to_json(stats) if args.json else render_rows(["what", "count"], list(stats.items()), "table"))
    return 0


def cmd_kg_load(args: argparse.Namespace) -> int:
    """``genre kg load``: reload a snapshot."""
    from genre.settings import Settings
    from kg.snapshot import ensure_snapshot
    from kg.store import Store

    settings = Settings.load()
    store = Store.open(None if settings.store == "memory" else settings.store_path)
    loaded = ensure_snapshot(store, args.snapshot or settings.snapshot or _default_snapshot())
    print("loaded" if loaded else "already up to date")
    return 0


def _default_snapshot() -> Path:
    from kg.snapshot import DEFAULT_SNAPSHOT

    return DEFAULT_SNAPSHOT


def cmd_kg_snapshot(args: argparse.Namespace) -> int:
    """``genre kg snapshot OUT``: dump the store."""
    kg = _open()
    print(kg.store.dump_nquads(args.out))
    return 0


def cmd_kg_check_resolution(args: argparse.Namespace) -> int:
    """``genre kg check-resolution FILE...``: precision and recall of name resolution."""
    from genre.output import render_rows, to_json
    from kg.resolution_check import check_pairs

    kg = _open()
    rows = []
    for path in args.pairs:
        score = check_pairs(kg, path)
        rows.append(
            [
                path.name,
                score.true_positive + score.false_negative,
                score.true_positive + score.false_positive + score.false_negative + score.true_negative,
                round(score.precision, 3),
                round(score.recall, 3),
                score.unresolved,
            ]
        )
        if not args.json:
            for kind, a, b in score.mistakes:
                print(f"{kind}: {a!r} / {b!r}")
    columns = ["file", "same pairs", "pairs", "precision", "recall", "unresolved names"]
    if args.json:
        print(to_json([dict(zip(columns, row, strict=True)) for row in rows]))
    else:
        print(render_rows(columns, rows, "table"))
    return 0


def cmd_query_sparql(args: argparse.Namespace) -> int:
    """``genre query sparql``: a named query, a file or text, with bound parameters."""
    from genre.output import render_rows
    from queries.named import NamedQuery, named_query, parse_query_file, query_names

    kg = _open()
    params = dict(args.param)
    text = args.query
    if text in query_names():
        query: NamedQuery | None = named_query(text)
    elif text.endswith((".rq", ".sparql")) and Path(text).is_file():
        query = parse_query_file(Path(text))
    elif text.endswith((".rq", ".sparql")):
        raise ConfigError(f"query file not found: {text}")
    else:
        query = None
    if query is not None and query.parameters:
        result = kg.store.select(query.text, kg.bind(query, params))
    else:
        result = kg.sparql(query.text if query is not None else text, **params)
    rows = result.rows[: args.limit] if args.limit else result.rows
    print(render_rows(result.variables, rows, args.format))
    return 0


def cmd_query_list(args: argparse.Namespace) -> int:
    """``genre query list``: the named queries."""
    from genre.output import render_rows
    from queries.cypher import cypher_query_names
    from queries.named import named_query, query_names

    cypher = set(cypher_query_names())
    rows = []
    for name in query_names():
        query = named_query(name)
        params = ", ".join(f"{p.name}: {p.type}" + (f" = {p.default}" if p.default else "") for p in query.parameters)
        languages = "sparql, cypher" if name in cypher else "sparql"
        rows.append([name, languages, params, query.description])
    columns = ["name", "languages", "parameters", "description"]
    print(render_rows(columns, rows, "json" if args.json else "table"))
    return 0


def cmd_model_show(args: argparse.Namespace) -> int:
    """``genre model show NAME``: a model's card."""
    from genre.output import render_rows, to_json

    card = _open().model(args.name)
    if args.json:
        print(to_json(card.as_dict()))
        return 0
    facts = [
        ["id", card.id],
        ["maker", card.creator],
        ["family", card.family],
        ["released", card.release_date],
        ["knowledge cutoff", card.knowledge_cutoff],
        ["parameters", card.parameter_count],
        ["open weights", card.open_weights],
        ["licence", card.licence],
        ["input", " ".join(card.input_modalities)],
        ["output", " ".join(card.output_modalities)],
        ["capabilities", " ".join(card.capabilities)],
        ["aliases", ", ".join(card.aliases[:12])],
    ]
    print(render_rows(["", ""], facts, "table", title=card.label))
    offers = [[o.provider, o.call_id, o.input_price, o.output_price, o.context_window, o.source] for o in card.offers]
    print(
        render_rows(["provider", "call id", "$/M in", "$/M out", "context", "source"], offers, "table", title="offers")
    )
    results = [[b.benchmark_label, b.value, b.metric, b.setting, b.date, b.source] for b in card.benchmarks]
    print(
        render_rows(
            ["benchmark", "value", "metric", "setting", "date", "source"], results, "table", title="benchmark results"
        )
    )
    return 0


def cmd_model_list(args: argparse.Namespace) -> int:
    """``genre model list``: models meeting conditions, cheapest first."""
    from genre.output import render_rows, to_json

    models = _open().models(
        capability=args.capability,
        input_modality=args.input_modality,
        output_modality=args.output_modality,
        max_input_price=args.max_input_price,
        min_input_price=args.min_input_price,
        open_weights=args.open_weights,
        provider=args.provider,
        limit=args.limit,
    )
    if args.json:
        print(to_json([m.as_dict() for m in models]))
        return 0
    rows = [
        [
            m.label,
            m.id,
            *(
                [
                    m.offer.provider,
                    m.offer.call_id,
                    m.offer.input_price,
                    m.offer.output_price,
                    m.offer.context_window,
                    m.offer.source,
                ]
                if m.offer
                else [None] * 6
            ),
        ]
        for m in models
    ]
    print(render_rows(["model", "id", "provider", "call id", "$/M in", "$/M out", "context", "source"], rows, "table"))
    return 0


def cmd_model_add(args: argparse.Namespace) -> int:
    """``genre model add FILE``: validate, then add."""
    added = _open().add_model(args.file)
    for iri in added:
        print(f"added {iri}")
    return 0


def cmd_ontology_validate(args: argparse.Namespace) -> int:
    """``genre ontology validate FILE``: validate only."""
    from kg.additions import check_description

    problems, _, models = check_description(_open().store, args.file)
    if problems:
        raise ValidationError(f"{args.file.name} is not valid ({len(problems)} problem(s))", problems=problems)
    print(f"{args.file.name} is valid: {len(models)} model(s)")
    return 0


_HANDLERS = {
    ("kg", "build"): cmd_kg_build,
    ("kg", "stats"): cmd_kg_stats,
    ("kg", "load"): cmd_kg_load,
    ("kg", "snapshot"): cmd_kg_snapshot,
    ("kg", "check-resolution"): cmd_kg_check_resolution,
    ("query", "sparql"): cmd_query_sparql,
    ("query", "list"): cmd_query_list,
    ("model", "show"): cmd_model_show,
    ("model", "list"): cmd_model_list,
    ("model", "add"): cmd_model_add,
    ("ontology", "validate"): cmd_ontology_validate,
}


def run() -> None:
    """Console-script entry point."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        sys.exit(0)
