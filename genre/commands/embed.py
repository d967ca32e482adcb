"""``genre kg embed``: train graph embeddings of the current store with PyKEEN, save them, say how good they are.

``genre kg embed [--model transe|rotate] [--dim N] [--epochs N] [--seed S] [--holdout F] [--out FILE] [--json]``
projects the store to triples (:mod:`kg.embeddings.triples`), trains with a progress bar, saves the
vectors (default ``$GENRE_HOME/embeddings.npz``, which recommendation then uses for this graph) and
prints entities, relations, triples, training time and the held-out MRR and Hits@10.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre kg embed``."""
    from kg.embeddings.train import DEFAULT_EPOCHS, DEFAULT_MODEL, DEFAULT_SEED, DEFAULTS, HOLDOUT
    from kg.embeddings.vectors import KINDS

    dims = ", ".join(f"{name} {values['dim']}" for name, values in DEFAULTS.items())
    embed = cli.group("kg", "build, load and inspect the knowledge graph").add_parser(
        "embed", help="train graph embeddings (PyKEEN) of the current store for relevance"
    )
    embed.add_argument("--model", choices=KINDS, default=DEFAULT_MODEL, help=f"default {DEFAULT_MODEL}")
    embed.add_argument("--dim", type=int, help=f"embedding dimension (default: {dims}; RotatE's is complex)")
    embed.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS, help=f"training epochs (default {DEFAULT_EPOCHS})")
    embed.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    embed.add_argument(
        "--holdout", type=float, default=HOLDOUT, help=f"share of edges held out to measure (default {HOLDOUT})"
    )
    embed.add_argument("--out", type=Path, help="where to save (default: $GENRE_HOME/embeddings.npz)")
    embed.add_argument("--json", action="store_true", help="print the figures as JSON")
    cli.handle("kg", "embed", cmd_kg_embed)


def cmd_kg_embed(args: argparse.Namespace) -> int:
    """Train, save and report."""
    from rich.console import Console

    import genre
    from genre.output import render_rows, to_json
    from kg.embeddings.train import embed_store

    with Console(stderr=True).status("opening the graph"):
        kg = genre.open()
    trained, path = embed_store(
        kg.store,
        out=args.out,
        model=args.model,
        dim=args.dim,
        epochs=args.epochs,
        seed=args.seed,
        holdout=args.holdout,
        progress=True,
    )
    summary = {**trained.summary(), "file": str(path), "file_bytes": path.stat().st_size}
    if args.json:
        print(to_json(summary))
        return 0
    rows = [[name, "" if value is None else value] for name, value in summary.items()]
    print(render_rows(["measure", "value"], rows, "table", title="graph embeddings"))
    return 0
