"""JSON responses that carry GENRE's values (dates, decimals, RDF terms) as the CLI's ``--json`` does.

Text is sent as UTF-8; a string holding lone surrogates (which JSON input may carry as ``\\ud800``)
cannot be UTF-8, so such a body is sent with ASCII escapes instead.

>>> from datetime import date
>>> json_response({"day": date(2025, 6, 1), "name": "模型"}).body.decode()
'{"day": "2025-06-01", "name": "模型"}'
>>> json_response({"text": chr(0xD800)}).body
b'{"text": "\\\\ud800"}'
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response

from genre.output import plain


def json_bytes(data: Any) -> bytes:
    """``data`` as UTF-8 JSON (dates, decimals, RDF terms converted); ASCII escapes when it holds lone surrogates."""
    try:
        return json.dumps(data, ensure_ascii=False, default=plain).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, default=plain).encode("ascii")


class SafeJSONResponse(JSONResponse):
    """Starlette's JSONResponse, rendered by :func:`json_bytes`."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


def json_response(data: Any, status: int = 200, *, media_type: str = "application/json") -> Response:
    """``data`` as JSON (non-ASCII kept), dates, decimals and RDF terms converted."""
    return Response(json_bytes(data), status, media_type=media_type)


def state_of(request: Any) -> Any:
    """The :class:`~genre.service.state.ServiceState` of the app serving ``request``, once it has started."""
    state = request.app.state.genre
    state.require_ready()
    return state
