"""``GET /v1/models`` (search and filters), ``GET /v1/models/{id}`` (the card) and ``POST /v1/models`` (add one).

A new model is sent as YAML (``application/yaml``), Turtle (``text/turtle``) or JSON
(``application/json``, the YAML keys), validated by the SHACL shapes, and written only when valid;
otherwise 422 lists every problem.
"""

from __future__ import annotations

import inspect
import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from genre.errors import ConfigError, LoaderError, NotFoundError
from genre.service.responses import json_response, state_of
from genre.service.security import require
from queries.results import ModelSummary

router = APIRouter(tags=["models"])

SEARCH_POOL = 500
"""With a search text and filters, the search looks among this many cheapest matching models."""

_DESCRIPTION_TYPES = {
    "application/json": ".yaml",  # JSON is YAML
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/n-triples": ".nt",
}

_ADD_BODY = {
    "requestBody": {
        "required": True,
        "description": "a model description: the YAML keys of `genre model add` (as YAML or JSON) or Turtle",
        "content": {
            "application/json": {
                "schema": {"type": "object", "example": {"id": "acme-chat-7b", "name": "Acme Chat 7B"}}
            },
            "application/yaml": {"schema": {"type": "string"}},
            "text/turtle": {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/v1/models",
    summary="Find models by search text, capability, modality, price, openness, provider",
    dependencies=[Depends(require("read"))],
)
def list_models(
    request: Request,
    q: str | None = Query(None, max_length=200, description="text in a model's id, name or any alias"),
    capability: str | None = Query(None, max_length=200, examples=["vision"]),
    input_modality: str | None = Query(None, max_length=200, examples=["image"]),
    output_modality: str | None = Query(None, max_length=200, examples=["text"]),
    max_input_price: float | None = Query(None, ge=0, le=1e9, description="USD per million input tokens"),
    min_input_price: float | None = Query(
        None, ge=0, le=1e9, description="USD per million input tokens (0.01: paid offers)"
    ),
    open_weights: bool | None = Query(None),
    provider: str | None = Query(None, max_length=200),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=100_000),
) -> Response:
    """Models meeting every filter, cheapest qualifying offer first: ``{"object": "list", "data": [...]}``."""
    kg = state_of(request).kg
    filters = {
        "capability": capability,
        "input_modality": input_modality,
        "output_modality": output_modality,
        "max_input_price": max_input_price,
        "min_input_price": min_input_price,
        "open_weights": open_weights,
        "provider": provider,
    }
    try:
        found, more = find_models(kg, q=(q or "").strip() or None, limit=limit, offset=offset, **filters)
    except NotFoundError as error:  # an unknown filter value is a bad request here, not a missing page
        bad_filter = ConfigError(str(error))
        bad_filter.options = error.options
        raise bad_filter from error
    data = [{**summary.as_dict(), "object": "model"} for summary in found]
    return json_response({"object": "list", "data": data, "limit": limit, "offset": offset, "has_more": more})


def find_models(kg: Any, *, q: str | None, limit: int, offset: int, **filters: Any) -> tuple[list[ModelSummary], bool]:
    """A page of models matching ``q`` and ``filters``, and whether more follow.

    A search text alone ranks by how well a name matches (:func:`search_models`); with filters, the
    models are listed cheapest first, by ``KnowledgeGraph.models(search=...)`` where the query API
    has it, else by searching among the :data:`SEARCH_POOL` cheapest models that pass the filters.
    """
    wanted = offset + limit + 1
    supported = inspect.signature(kg.models).parameters
    active = {name: value for name, value in filters.items() if value is not None}
    if q is not None and not active:
        page = [_with_offer(kg, summary) for summary in search_models(kg, q)[offset:wanted]]
    elif q is None or "search" in supported:
        extra = {"search": q} if q is not None else {}
        if "offset" in supported:
            page = kg.models(**active, **extra, limit=limit + 1, offset=offset)
        else:
            page = kg.models(**active, **extra, limit=wanted)[offset:]
    else:
        matched = {summary.iri for summary in search_models(kg, q)}
        page = [m for m in kg.models(**active, limit=SEARCH_POOL) if m.iri in matched][offset:wanted]
    return page[:limit], len(page) > limit


def _with_offer(kg: Any, summary: ModelSummary) -> ModelSummary:
    from dataclasses import replace

    offers = kg.offers(summary.iri)
    return replace(summary, offer=offers[0]) if offers else summary


def search_models(kg: Any, q: str) -> list[ModelSummary]:
    """Models whose id, name or an alias contains ``q`` (any case): exact matches, then prefixes, then shortest."""
    rows = kg.sparql(
        "SELECT ?model ?id ?label ?name ?needle WHERE { ?model a genre:Model ; skos:prefLabel ?label . "
        "OPTIONAL { ?model dcterms:identifier ?given } "
        'BIND(COALESCE(?given, REPLACE(STR(?model), "^.*/", "")) AS ?id) '
        "{ ?model skos:prefLabel|skos:altLabel ?name } UNION { ?model dcterms:identifier ?name } "
        "FILTER(CONTAINS(LCASE(STR(?name)), ?needle)) }",
        needle=q.lower(),
    ).dicts()
    best: dict[str, tuple[tuple[int, int, str], dict[str, Any]]] = {}
    for row in rows:
        name = str(row["name"]).lower()
        rank = (0 if name == q.lower() else 1 if name.startswith(q.lower()) else 2, len(name), str(row["label"]))
        if row["model"] not in best or rank < best[row["model"]][0]:
            best[row["model"]] = (rank, row)
    ordered = sorted(best.values(), key=lambda item: item[0])
    summaries = []
    for _, row in ordered:
        summaries.append(ModelSummary(iri=row["model"], id=str(row["id"]), label=str(row["label"])))
    return summaries


@router.get(
    "/v1/models/{model_id:path}",
    summary="A model's card: offers, benchmark results, sources",
    dependencies=[Depends(require("read"))],
)
def model_card(model_id: str, request: Request) -> Response:
    """Everything the graph knows of one model, by any of its names; 404 lists close matches."""
    kg = state_of(request).kg
    card = kg.model(model_id).as_dict()
    card["sources"] = model_sources(kg, card["iri"])
    return json_response(card)


def model_sources(kg: Any, iri: str) -> list[dict[str, Any]]:
    """The sources stating facts about the model: their title, licence, home page and retrieval date."""
    rows = kg.sparql(
        "SELECT DISTINCT ?model ?graph ?title ?licence ?homepage ?retrieved WHERE { GRAPH ?graph { ?model ?p ?o } "
        "OPTIONAL { ?graph dcterms:title ?title } OPTIONAL { ?graph dcterms:license ?licence } "
        "OPTIONAL { ?graph dcat:landingPage ?homepage } OPTIONAL { ?graph prov:generatedAtTime ?retrieved } } "
        "ORDER BY ?graph",
        model=iri,
    ).dicts()
    return [
        {
            "graph": row["graph"],
            "title": row["title"],
            "licence": row["licence"],
            "homepage": row["homepage"],
            "retrieved": row["retrieved"],
        }
        for row in rows
    ]


@router.post(
    "/v1/models",
    status_code=201,
    summary="Add a model (YAML, JSON or Turtle), validated by the shapes",
    openapi_extra=_ADD_BODY,
    dependencies=[Depends(require("write"))],
    responses={422: {"description": "not valid: every problem is listed"}},
)
async def add_model(request: Request) -> Response:
    """Validate a model description against the SHACL shapes and add it; nothing is written when it is invalid."""
    state = state_of(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = _DESCRIPTION_TYPES.get(media)
    if suffix is None:
        raise LoaderError(
            f"unsupported content type {media or '(none)'} for a model description", options=sorted(_DESCRIPTION_TYPES)
        )
    body = await request.body()
    if media == "application/json":
        try:
            body = json.dumps(json.loads(body)).encode()
        except ValueError as error:
            raise LoaderError(f"the body is not valid JSON: {error}") from error
    added = await run_in_threadpool(_add, state, body, suffix)
    return json_response({"added": added}, 201)


def _add(state: Any, body: bytes, suffix: str) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="genre-add-") as folder:
        path = Path(folder) / f"description{suffix}"
        path.write_bytes(body)
        with state.write_lock:
            return state.kg.add_model(path)
