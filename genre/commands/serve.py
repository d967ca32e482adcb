"""``genre serve`` (the HTTP service and web page, on uvicorn) and ``genre bench service`` (load on loopback).

``genre serve [--host 127.0.0.1] [--port 8000]`` builds the recommender and the linker once, then
serves the API (``/docs``), the SPARQL endpoint and the web page until stopped. Settings come from
``GENRE_*`` variables (:mod:`genre.service.settings`): API keys, body and query-time limits, CORS.
``genre bench service`` starts the service on a free loopback port and times ``POST /v1/recommend``
from concurrent clients, bounded in count and time.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(cli: Any) -> None:
    """Add ``genre serve`` and ``genre bench service``."""
    serve = cli.command(
        "serve", "serve the HTTP API, the SPARQL endpoint and the web page (FastAPI on uvicorn)", cmd_serve
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-semantic", action="store_true", help="link requests with rules only (faster start)")
    serve.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))

    bench = cli.group("bench", "measure speed").add_parser(
        "service", help="p50/p99 latency and throughput of POST /v1/recommend from concurrent clients on loopback"
    )
    bench.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    bench.add_argument("--n", type=int, default=400, help="at most this many timed requests (default 400)")
    bench.add_argument("--duration", type=float, default=120.0, help="and at most this many seconds (default 120)")
    bench.add_argument("--warmup", type=int, default=16, help="untimed requests first")
    bench.add_argument("--no-semantic", action="store_true", help="the service links with rules only")
    bench.add_argument("--in-process", action="store_true", help="run the server in a thread of this process")
    bench.add_argument("--json", action="store_true")
    cli.handle("bench", "service", cmd_bench_service)


def _require_service_extra() -> None:
    from genre.errors import ConfigError

    try:
        import fastapi  # noqa: F401
        import httpx  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise ConfigError(f"the service needs the 'serve' extra: pip install 'genre-llm[serve]' ({error})") from error


def cmd_serve(args: argparse.Namespace) -> int:
    """``genre serve``: run the service until interrupted."""
    import dataclasses
    import sys

    _require_service_extra()
    import uvicorn

    from genre.service import ServiceSettings, create_app

    settings = ServiceSettings.from_env()
    if args.no_semantic:
        settings = dataclasses.replace(settings, semantic_linking=False)
    writes = "writes need an API key" if settings.api_keys else "writes are off (set GENRE_API_KEYS to allow them)"
    print(
        f"GENRE on http://{args.host}:{args.port} (API docs at /docs; {writes}); building the recommender...",
        file=sys.stderr,
    )
    uvicorn.run(create_app(settings=settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_bench_service(args: argparse.Namespace) -> int:
    """``genre bench service``: load on loopback, printed as a table or JSON."""
    import dataclasses

    _require_service_extra()
    from genre.output import render_rows, to_json
    from genre.service.bench import benchmark_service, serve_in_subprocess, serve_in_thread

    if args.in_process:
        from genre.service import ServiceSettings, create_app

        settings = dataclasses.replace(ServiceSettings.from_env(), semantic_linking=not args.no_semantic)
        server = serve_in_thread(create_app(settings=settings))
    else:
        server = serve_in_subprocess(semantic=not args.no_semantic)
    with server as url:
        report = benchmark_service(url, clients=args.clients, n=args.n, duration=args.duration, warmup=args.warmup)
    report = {**report, "semantic_linking": not args.no_semantic, "server": "thread" if args.in_process else "process"}
    if args.json:
        print(to_json(report))
        return 0
    shown = {key: value for key, value in report.items() if key != "statuses"}
    title = "POST /v1/recommend on loopback; statuses " + ", ".join(f"{s}: {c}" for s, c in report["statuses"].items())
    print(render_rows(list(shown), [list(shown.values())], "table", title=title))
    return 0
