"""API keys: required to write, optional to read (unless ``GENRE_API_KEYS_FOR_READS=1``).

A key travels as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY`` and is compared in
constant time with every key of ``GENRE_API_KEYS``. Three levels, one dependency each:

- ``read``: open, unless keys are required for reads; a key that is given must be valid;
- ``call``: calling a model spends the operator's provider keys, so a key is needed whenever
  ``GENRE_API_KEYS`` is set (a server without keys is a local one);
- ``write``: a key is always needed; a server without keys refuses every write.

Examples
--------
>>> from genre.service.settings import ServiceSettings
>>> settings = ServiceSettings(api_keys=("s3cret",))
>>> check_key(settings, "write", "s3cret") is None
True
>>> check_key(settings, "write", None).status_code, check_key(ServiceSettings(), "write", "x").status_code
(401, 403)
>>> check_key(settings, "read", None) is None
True
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from genre.service.settings import ServiceSettings

LEVELS = ("read", "call", "write")

_bearer = HTTPBearer(auto_error=False, description="an API key from GENRE_API_KEYS")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key from GENRE_API_KEYS")


def check_key(settings: ServiceSettings, level: str, key: str | None) -> HTTPException | None:
    """The error to answer for ``key`` at ``level`` (``read``, ``call``, ``write``), or ``None`` to go on."""
    valid = key is not None and any(hmac.compare_digest(key.encode(), known.encode()) for known in settings.api_keys)
    if valid:
        return None
    if key is not None and settings.api_keys:
        return HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})
    if level == "write" and not settings.api_keys:
        return HTTPException(403, "writing is disabled: the server has no API keys (set GENRE_API_KEYS and restart)")
    needed = {"read": settings.api_keys_for_reads, "call": bool(settings.api_keys), "write": True}[level]
    if needed:
        what = {"read": "reading (GENRE_API_KEYS_FOR_READS=1)", "call": "calling a model", "write": "writing"}[level]
        return HTTPException(
            401,
            f"{what} needs an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


def require(level: str) -> Callable[..., Any]:
    """A FastAPI dependency enforcing ``level`` (it also declares both key schemes in the OpenAPI schema)."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}; valid: {', '.join(LEVELS)}")

    def dependency(
        request: Request,
        bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008 - FastAPI's idiom
        header: str | None = Depends(_header),  # noqa: B008 - FastAPI's idiom
    ) -> None:
        key = header or (bearer.credentials if bearer is not None else None)
        error = check_key(request.app.state.genre.settings, level, key)
        if error is not None:
            raise error

    return dependency
