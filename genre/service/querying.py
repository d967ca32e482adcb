"""``GET|POST /sparql`` (the SPARQL 1.1 Protocol, read-only) and ``POST /v1/cypher`` (read-only).

SPARQL: the query comes as the ``query`` parameter of a GET, a POST form
(``application/x-www-form-urlencoded``) or a POST body (``application/sparql-query``). SELECT and ASK
answer in ``application/sparql-results+json`` (default), ``text/csv`` or ``text/tab-separated-values``,
CONSTRUCT and DESCRIBE in ``text/turtle`` or ``application/n-triples``, as the ``Accept`` header asks.
Updates (an ``update`` form field, ``application/sparql-update``, or update text) get 400. Both
languages run under the service's time limit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from genre.errors import QueryError
from genre.service.responses import json_response, state_of
from genre.service.security import require
from genre.service.sparql_results import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    choose_format,
    query_form,
    results_csv,
    results_json,
)

router = APIRouter()

MAX_QUERY_CHARS = 100_000

_SPARQL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SPARQL results (SELECT, ASK) or RDF (CONSTRUCT, DESCRIBE), as the Accept header asks",
        "content": {media: {} for media in SELECT_FORMATS + GRAPH_FORMATS},
    },
    400: {"description": "a malformed query, or an update (refused: the endpoint is read-only)"},
    406: {"description": "none of the accepted media types can be given"},
    503: {"description": "the query ran past the time limit (GENRE_QUERY_TIMEOUT_S)"},
}

_SPARQL_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string", "description": "the SPARQL query"}},
                    "required": ["query"],
                }
            },
            "application/sparql-query": {"schema": {"type": "string", "description": "the SPARQL query"}},
        },
    }
}


@router.get(
    "/sparql",
    tags=["query"],
    summary="SPARQL 1.1 Protocol: a query as a GET parameter",
    responses=_SPARQL_RESPONSES,
    dependencies=[Depends(require("read"))],
)
def sparql_get(
    request: Request,
    query: str = Query(
        ..., max_length=MAX_QUERY_CHARS, description="the SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)"
    ),
    default_graph_uri: list[str] | None = Query(None, alias="default-graph-uri"),  # noqa: B008
    named_graph_uri: list[str] | None = Query(None, alias="named-graph-uri"),  # noqa: B008
) -> Response:
    """Run a read-only SPARQL query over the union of every graph."""
    _no_dataset(default_graph_uri, named_graph_uri)
    return answer_sparql(state_of(request), query, request.headers.get("accept"))


@router.post(
    "/sparql",
    tags=["query"],
    summary="SPARQL 1.1 Protocol: a query as a POST form or body",
    responses=_SPARQL_RESPONSES,
    openapi_extra=_SPARQL_BODY,
    dependencies=[Depends(require("read"))],
)
async def sparql_post(request: Request) -> Response:
    """Run a read-only SPARQL query sent as a form (``query=``) or as the body (``application/sparql-query``)."""
    state = state_of(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media == "application/sparql-update":
        raise QueryError("SPARQL updates are refused: this endpoint is read-only")
    if media == "application/sparql-query":
        text = _decode(body)
    elif media == "application/x-www-form-urlencoded":
        form = parse_qs(_decode(body), keep_blank_values=True)
        if "update" in form:
            raise QueryError("SPARQL updates are refused: this endpoint is read-only")
        _no_dataset(form.get("default-graph-uri"), form.get("named-graph-uri"))
        if len(form.get("query", [])) != 1:
            raise QueryError("give exactly one 'query' field in the form")
        text = form["query"][0]
    else:
        raise QueryError(
            f"unsupported content type {media or '(none)'} for a SPARQL query",
            options=["application/sparql-query", "application/x-www-form-urlencoded"],
        )
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    return await run_in_threadpool(answer_sparql, state, text, request.headers.get("accept"))


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError("the request body is not UTF-8 text") from error


def _no_dataset(default: list[str] | None, named: list[str] | None) -> None:
    if default or named:
        raise QueryError(
            "default-graph-uri and named-graph-uri are not supported: queries run over the union of every "
            "graph; use GRAPH <...> in the query to pick one"
        )


def answer_sparql(state: Any, text: str, accept: str | None) -> Response:
    """Run ``text`` under the time limit and answer in the media type ``accept`` prefers."""
    if not text.strip():
        raise QueryError("the SPARQL query is empty")
    form = query_form(text)
    store = state.kg.store
    if form in ("CONSTRUCT", "DESCRIBE"):
        media = _acceptable(accept, GRAPH_FORMATS)
        graph = state.limited(lambda: store.construct(text), "the SPARQL query")
        data = graph.serialize(format="turtle" if media == "text/turtle" else "nt")
        return Response(data, media_type=media)
    media = _acceptable(accept, SELECT_FORMATS)
    result = state.limited(lambda: store.select(text), "the SPARQL query")
    ask = form == "ASK"
    if media in ("text/csv", "text/tab-separated-values"):
        if ask:
            raise _not_acceptable(accept, ("application/sparql-results+json", "application/json"))
        return Response(results_csv(result, tsv=media != "text/csv"), media_type=media)
    return json_response(results_json(result, ask=ask), media_type=media)


def _acceptable(accept: str | None, offered: tuple[str, ...]) -> str:
    media = choose_format(accept, offered)
    if media is None:
        raise _not_acceptable(accept, offered)
    return media


def _not_acceptable(accept: str | None, offered: tuple[str, ...]) -> Exception:
    from starlette.exceptions import HTTPException

    return HTTPException(406, f"cannot answer in {accept!r}; this result can be given as: {', '.join(offered)}")


# -- Cypher ----------------------------------------------------------------------------------------
class CypherIn(BaseModel):
    """A Cypher query: the name of a shipped query or Cypher text, with its parameters."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(..., min_length=1, max_length=MAX_QUERY_CHARS, description="a named query or Cypher text")
    params: dict[str, Any] = Field(default_factory=dict, description="bound as $name (node names resolve)")


class CypherOut(BaseModel):
    """Columns and rows (each row an object keyed by column)."""

    columns: list[str]
    rows: list[dict[str, Any]]


@router.post(
    "/v1/cypher",
    tags=["query"],
    summary="Run a read-only Cypher query (embedded Ladybug)",
    response_model=CypherOut,
    dependencies=[Depends(require("read"))],
)
def cypher(body: CypherIn, request: Request) -> Response:
    """Run a named Cypher query (``genre query list``) or Cypher text; queries that write get 400."""
    from queries.cypher import SUFFIXES, cypher_query_names
    from queries.cypher_safety import check_read_only

    state = state_of(request)
    text = body.query
    named = text in cypher_query_names()
    if not named and text.strip().endswith(SUFFIXES) and "\n" not in text:
        raise QueryError("query files are not read over HTTP: send a named query or the Cypher text")
    if not named:
        check_read_only(text)
    bad = sorted(name for name in body.params if not name.isidentifier() or name in ("query", "write"))
    if bad:
        raise QueryError(f"parameter names must be identifiers other than 'query' and 'write', got {', '.join(bad)}")

    def run() -> Any:
        with state.cypher_lock:
            return state.cypher().run(text, write=False, **body.params)

    result = state.limited(run, "the Cypher query (the first one builds the Ladybug database)")
    return json_response({"columns": list(result.columns), "rows": result.dicts()})
