"""``genre ask``: recommend models for a request, then ask the best one that answers.

``genre ask "TEXT" [--attach FILE]... [--user U] [-k 5] [--cost-weight X] [--json]`` recommends as
``genre recommend`` does, then calls the top model through LiteLLM with its configuration preset,
falling back to the next candidate on an error. The answer goes to standard output; which model
answered, why it was chosen and what failed first go to standard error (``--json``: all of it on
standard output). Calls go to ``GENRE_LLM_API_BASE`` (an OpenAI-compatible server) when it is set,
else to each provider with the keys LiteLLM reads (``OPENAI_API_KEY``...). Exit status 1 when LiteLLM
is missing, nothing is configured for any candidate, or every call failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre ask`` to ``genre``."""
    ask = cli.command(
        "ask", "recommend models for a request, then ask the best one (through LiteLLM; falls back on errors)", cmd_ask
    )
    ask.add_argument("text", help="the request, in English or Chinese")
    ask.add_argument("--attach", action="append", type=Path, default=[], metavar="FILE", help="attach a file")
    ask.add_argument("--user", help="personalize with this user's feedback")
    ask.add_argument("-k", type=int, default=5, help="how many candidates to recommend and try (default 5)")
    ask.add_argument("--cost-weight", type=float, help="0 = quality first ... 1 = cost first")
    ask.add_argument("--no-semantic", action="store_true", help="link with rules only (faster start)")
    ask.add_argument("--json", action="store_true", help="the answer, the model, why, usage and attempts as JSON")


def cmd_ask(args: argparse.Namespace) -> int:
    """``genre ask TEXT``: the answer, then which model gave it and why."""
    from genre.calling import LLMSettings, ask, load_litellm
    from genre.commands.recommend import load_recommender
    from genre.errors import ModelCallError
    from genre.output import to_json

    settings = LLMSettings.from_env()
    try:
        load_litellm()
        result = ask(
            args.text,
            attachments=args.attach,
            user=args.user,
            k=args.k,
            cost_weight=args.cost_weight,
            recommender=load_recommender(),
            semantic=not args.no_semantic,
            settings=settings,
        )
    except ModelCallError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(to_json(result.as_dict()))
        return 0
    print(result.text)
    print(_explanation(result), file=sys.stderr)
    return 0


def _explanation(result: Any) -> str:
    """Which model answered, why, what failed first, tokens and cost, in lines a person reads."""
    lines = [
        "",
        f"answered by {result.label} ({result.provider}: {result.call_id}) in {result.seconds:.2f} s",
        f"why: {result.why.summary()}",
        *(f"  - {sentence}" for sentence in result.why.evidence),
    ]
    lines += [f"not used: {attempt}" for attempt in result.attempts]
    usage = result.usage
    cost = "" if result.cost_usd is None else f", ${result.cost_usd:.6f} (prices from {result.cost_source})"
    lines.append(f"tokens: {usage['prompt_tokens']} in + {usage['completion_tokens']} out{cost}")
    return "\n".join(lines)
