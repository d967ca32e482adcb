"""``POST /v1/recommend``, ``POST /v1/link`` and ``POST /v1/feedback``: requests in, models out, feedback back.

Attachments travel inside the JSON as ``{"filename", "content_base64"}``; they are written to a
temporary folder for the linker (which reads their type from the content) and deleted after.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from genre.service.attachments import attachment_files, decode_base64
from genre.service.errors import ServiceUnavailableError
from genre.service.responses import json_response, state_of
from genre.service.security import require

router = APIRouter(tags=["recommend"])

MAX_TEXT = 20_000


class AttachmentIn(BaseModel):
    """A file sent with a request."""

    model_config = ConfigDict(extra="forbid")
    filename: str = Field(..., max_length=255, description="its name (the type is read from the content)")
    content_base64: str = Field(..., description="its bytes, base64-encoded")


class RecommendIn(BaseModel):
    """A request to recommend models for."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=MAX_TEXT, description="the request, in English or Chinese")
    user: str | None = Field(None, max_length=200, description="personalize with this user's feedback")
    k: int = Field(5, ge=1, le=50, description="how many models")
    cost_weight: float | None = Field(None, ge=0, le=1, description="0 = quality first ... 1 = cost first")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class ConstraintsIn(BaseModel):
    """Constraints given as options; they override those read from the text."""

    model_config = ConfigDict(extra="forbid")
    max_input_price: float | None = Field(None, ge=0, le=1e9, description="USD per million input tokens")
    min_context_tokens: int | None = Field(None, ge=1, le=100_000_000)
    open_weights: bool | None = None
    providers: list[str] = Field(default_factory=list, max_length=50, description="use only these providers")
    avoid_providers: list[str] = Field(default_factory=list, max_length=50, description="never these providers")


class LinkIn(BaseModel):
    """A request to link into the graph."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=MAX_TEXT)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)
    constraints: ConstraintsIn | None = None


class FeedbackIn(BaseModel):
    """One piece of feedback on a model: a rating, a thumb, a choice, a preference, a tie or a comment."""

    model_config = ConfigDict(extra="forbid")
    user: str = Field(..., min_length=1, max_length=200)
    model: str = Field(..., min_length=1, max_length=300, description="any name of the model")
    rating: int | None = Field(None, ge=1, le=5)
    kind: Literal["up", "down", "choice", "comment"] | None = None
    prefer: str | None = Field(None, max_length=300, description="the model was preferred over this one")
    tie: str | None = Field(None, max_length=300, description="the model tied with this one")
    request: str | None = Field(None, max_length=MAX_TEXT, description="the request it was about")
    comment: str | None = Field(None, max_length=MAX_TEXT)


def _files(attachments: list[AttachmentIn]) -> list[tuple[str, bytes]]:
    return [(item.filename, decode_base64(item.content_base64, item.filename)) for item in attachments]


@router.post(
    "/v1/recommend",
    summary="Recommend models for a request (text and attached files)",
    dependencies=[Depends(require("read"))],
)
def recommend(body: RecommendIn, request: Request) -> Response:
    """The ranked models with their three score parts, offer, estimated cost, configuration and evidence.

    The same JSON as ``genre recommend --json``; 422 names the hard constraint that left no model.
    """
    state = state_of(request)
    with attachment_files(_files(body.attachments)) as paths:
        result = state.recommender.recommend(
            body.text,
            user=body.user,
            attachments=paths,
            k=body.k,
            cost_weight=body.cost_weight,
            semantic=state.semantic,
        )
    return json_response(result.as_dict())


@router.post(
    "/v1/link",
    summary="Link a request into the graph: entities, modalities, constraints, tokens",
    dependencies=[Depends(require("read"))],
)
def link(body: LinkIn, request: Request) -> Response:
    """The same JSON as ``genre link --json``."""
    state = state_of(request)
    options: dict[str, Any] = {}
    if body.constraints is not None:
        given = body.constraints
        options = {
            "max_input_price": given.max_input_price,
            "min_context_tokens": given.min_context_tokens,
            "open_weights": given.open_weights,
        }
        if given.providers or given.avoid_providers:
            options["providers_include"] = [str(state.kg.resolve("provider", p)) for p in given.providers] or None
            options["providers_exclude"] = [str(state.kg.resolve("provider", p)) for p in given.avoid_providers] or None
    with attachment_files(_files(body.attachments)) as paths:
        result = state.linker.link(body.text, attachments=paths, constraints=options)
    return json_response(result.as_dict())


@router.post(
    "/v1/feedback",
    status_code=201,
    summary="Record feedback on a model (needs an API key)",
    dependencies=[Depends(require("write"))],
    responses={
        404: {"description": "unknown model (close matches listed)"},
        422: {"description": "not valid feedback (every problem listed)"},
    },
)
def feedback(body: FeedbackIn, request: Request) -> Response:
    """Write one feedback event into the graph; the next recommendation for this user reads it."""
    state = state_of(request)
    record = getattr(state.kg, "feedback", None)
    if record is None:
        raise ServiceUnavailableError("feedback is not available in this version of GENRE (KnowledgeGraph.feedback)")
    with state.write_lock:
        event = record(
            body.user,
            body.model,
            rating=body.rating,
            up=body.kind == "up",
            down=body.kind == "down",
            prefer=body.prefer,
            tie=body.tie,
            chose=body.kind == "choice",
            request=body.request,
            comment=body.comment,
        )
    return json_response(event.as_dict(), 201)
