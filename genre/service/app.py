"""The FastAPI application: :func:`create_app` wires the routes, the limits and the error handling.

Examples
--------
>>> import genre
>>> from fastapi.testclient import TestClient
>>> from genre.service.settings import ServiceSettings
>>> app = create_app(genre.open(snapshot=FIXTURE), ServiceSettings(semantic_linking=False))
>>> with TestClient(app) as client:
...     client.get("/healthz").json()["status"]
'ok'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from genre.errors import GenreError
from genre.service.errors import (
    BodyLimit,
    CatchAll,
    genre_error_response,
    http_error_response,
    validation_error_response,
)
from genre.service.responses import json_response
from genre.service.settings import ServiceSettings
from genre.service.state import ServiceState

STATIC = Path(__file__).resolve().parent / "static"

_PLACEHOLDER = """<!doctype html><html lang="en"><meta charset="utf-8"><title>GENRE</title>
<h1>GENRE</h1><p>The web page is not installed. The API is documented at <a href="/docs">/docs</a>.</p></html>"""


def create_app(kg: Any = None, settings: ServiceSettings | None = None) -> FastAPI:
    """The GENRE web service over ``kg`` (default: ``genre.open()`` at start-up).

    Parameters
    ----------
    kg:
        A :class:`~queries.api.KnowledgeGraph` to serve (tests pass an in-memory one).
    settings:
        Limits, keys and CORS (default: :meth:`ServiceSettings.from_env`).
    """
    from genre import __version__
    from genre.service import chat, models, querying, recommending

    settings = settings if settings is not None else ServiceSettings.from_env()
    state = ServiceState(kg, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.start)
        try:
            yield
        finally:
            state.stop()

    app = FastAPI(
        title="GENRE",
        version=__version__,
        summary="Choose the right large language model, from a knowledge graph.",
        description="Recommend models for a request, explore the graph (SPARQL, Cypher, model cards), send "
        "feedback, and chat through the recommended model (OpenAI-compatible, model `genre/auto`). "
        "Writes need an API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`).",
        lifespan=lifespan,
    )
    app.state.genre = state
    app.add_exception_handler(GenreError, genre_error_response)
    app.add_exception_handler(HTTPException, http_error_response)
    app.add_exception_handler(RequestValidationError, validation_error_response)
    for module in (recommending, models, querying, chat):
        app.include_router(module.router)

    @app.get("/healthz", tags=["service"], summary="Is the service up, and what does it serve?")
    def healthz() -> Response:
        if not state.ready:
            return json_response({"status": "starting"}, 503)
        return json_response(
            {
                "status": "ok",
                "version": __version__,
                "store": "memory" if state.kg.store.path is None else "persistent",
                "semantic_linking": bool(state.linker is not None and state.linker.semantic is not None),
                "started_s": state.started_s,
            }
        )

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        page = STATIC / "index.html"
        return FileResponse(page) if page.is_file() else HTMLResponse(_PLACEHOLDER)

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "Accept"],
        )
    app.add_middleware(CatchAll)
    return app
