"""Errors as JSON, never as stack traces: GENRE's errors by kind, anything else as a plain 500 with an id.

Every error body has the OpenAI shape ``{"error": {"message", "type", "code", ...}}``, so the
chat-completions clients and people read the same thing. :class:`CatchAll` turns an unexpected
exception into ``500 {"error": {"message": "internal error", "error_id": ...}}`` and logs the
trace under that id on the server only.

Examples
--------
>>> from genre.errors import NotFoundError, RecommendationError
>>> status_for(NotFoundError("unknown model 'x'")), status_for(RecommendationError("none left"))
(404, 422)
>>> error_body(404, "unknown model 'x'", "NotFoundError")
{'error': {'message': "unknown model 'x'", 'type': 'NotFoundError', 'code': 404}}
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genre.errors import (
    ConfigError,
    GenreError,
    LinkingError,
    LoaderError,
    ModelCallError,
    NotFoundError,
    OntologyError,
    QueryError,
    RecommendationError,
    StoreError,
    ValidationError,
)
from genre.service.responses import SafeJSONResponse as JSONResponse

LOG = logging.getLogger("genre.service")


class ServiceUnavailableError(GenreError):
    """Something the request needs is not set up or not ready (503); the message says what to set."""


class QueryTimeoutError(ServiceUnavailableError):
    """A query ran past the service's time limit (503)."""


_STATUS: tuple[tuple[type[GenreError], int], ...] = (
    (ServiceUnavailableError, 503),
    (StoreError, 503),
    (NotFoundError, 404),
    (ValidationError, 422),
    (LoaderError, 422),
    (RecommendationError, 422),
    (QueryError, 400),
    (LinkingError, 400),
    (ConfigError, 400),
    (OntologyError, 400),
)


def status_for(error: GenreError) -> int:
    """The HTTP status of a GENRE error (400 for any kind not listed).

    A model that cannot be called is the server's set-up (503) or the providers' failure (502).
    """
    if isinstance(error, ModelCallError):
        return 502 if error.configured else 503
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def error_body(status: int, message: str, kind: str, **extra: Any) -> dict[str, Any]:
    """``{"error": {"message", "type", "code", **extra}}``."""
    return {"error": {"message": message, "type": kind, "code": status, **extra}}


def genre_error_response(request: Request, error: Exception) -> Response:
    """A GENRE error as JSON: validation problems, close matches and emptied constraints included."""
    if not isinstance(error, GenreError):  # registered for GenreError only
        raise error
    status = status_for(error)
    extra: dict[str, Any] = {}
    if isinstance(error, ValidationError):
        extra["problems"] = [_problem(problem) for problem in error.problems]
    if isinstance(error, RecommendationError):
        extra["constraint"] = error.constraint
        extra["removed_by_constraint"] = error.removed
    if isinstance(error, ModelCallError) and error.attempts:
        extra["attempts"] = [
            attempt.as_dict() if hasattr(attempt, "as_dict") else str(attempt) for attempt in error.attempts
        ]
    if error.options is not None:
        extra["options"] = error.options
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse(error_body(status, str(error), type(error).__name__, **extra), status, headers=headers)


def _problem(problem: Any) -> Any:
    fields = ("focus", "path", "message")
    if all(hasattr(problem, name) for name in fields):
        return {name: str(getattr(problem, name)) for name in fields}
    return str(problem)


def http_error_response(request: Request, error: Exception) -> Response:
    """Starlette's HTTP errors (404 route, 405, 413, 401...) in the same JSON shape."""
    if not isinstance(error, HTTPException):  # registered for HTTPException only
        raise error
    message = error.detail if isinstance(error.detail, str) else json.dumps(error.detail)
    kind = "HTTPError"
    return JSONResponse(error_body(error.status_code, message, kind), error.status_code, headers=error.headers)


def validation_error_response(request: Request, error: Exception) -> Response:
    """FastAPI's request validation errors: 422 listing each problem (location and message)."""
    problems = [
        {"location": ".".join(str(part) for part in item.get("loc", ())), "message": str(item.get("msg", ""))}
        for item in error.errors()  # type: ignore[attr-defined]
    ]
    message = "the request is not valid: " + "; ".join(f"{p['location']}: {p['message']}" for p in problems[:5])
    return JSONResponse(error_body(422, message, "RequestValidationError", problems=problems), 422)


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a plain 500 JSON with an error id (logged here)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:  # noqa: BLE001 - the one place every unexpected error ends
            error_id = uuid.uuid4().hex[:12]
            LOG.exception("error %s on %s %s", error_id, scope.get("method"), scope.get("path"))
            if started:
                return  # the client sees a cut response; nothing more can be sent
            body = error_body(500, f"internal error (id {error_id}); the server log has the details", "InternalError")
            await JSONResponse({**body, "error": {**body["error"], "error_id": error_id}}, 500)(scope, receive, send)


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413, by Content-Length or as it streams."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await JSONResponse(self._body(), 413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, self._body()["error"]["message"])
            return message

        await self.app(scope, counted, send)

    def _body(self) -> dict[str, Any]:
        limit = f"{self.max_bytes} bytes"
        return error_body(
            413, f"the request body is larger than the limit of {limit} (GENRE_MAX_BODY_BYTES)", "HTTPError"
        )
