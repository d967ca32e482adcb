"""GENRE's HTTP service: ``genre serve`` (FastAPI on uvicorn) and the web page it serves.

:func:`create_app` builds the app; :class:`ServiceSettings` holds its limits and keys
(``GENRE_API_KEYS``, ``GENRE_MAX_BODY_BYTES``, ``GENRE_QUERY_TIMEOUT_S``, ``GENRE_CORS_ORIGINS``...).
FastAPI is imported only when the service is used.
"""

from __future__ import annotations

from typing import Any

from genre.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]


def create_app(kg: Any = None, settings: ServiceSettings | None = None) -> Any:
    """The FastAPI app (see :func:`genre.service.app.create_app`)."""
    from genre.service.app import create_app as build

    return build(kg, settings)
