"""``POST /v1/chat/completions``, OpenAI-compatible, with the model ``genre/auto``.

The last user message (its text parts, and its ``image_url``, ``input_audio`` and ``file`` parts as
attachments) is linked and recommended for; the best model that answers is called through
:mod:`genre.calling` (LiteLLM), and the response names it (``model``, ``system_fingerprint``) and says
why it was chosen (``genre``). Without LiteLLM or provider keys the answer is a 503 saying what to set.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from genre.errors import ConfigError
from genre.service.responses import json_response, state_of
from genre.service.security import require

router = APIRouter(tags=["chat"])

AUTO = "genre/auto"
MODELS = (AUTO,)
"""The model names this endpoint answers to."""


class ChatIn(BaseModel):
    """An OpenAI chat-completions request; generation settings (temperature, max_tokens...) pass through."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(..., max_length=200, description=f"must be {AUTO!r}: GENRE chooses the model")
    messages: list[dict[str, Any]] = Field(..., min_length=1, max_length=500)
    stream: bool | None = Field(None, description="streaming is not supported")
    user: str | None = Field(None, max_length=200, description="personalize with this user's feedback")


@router.post(
    "/v1/chat/completions",
    summary="OpenAI-compatible chat: GENRE picks the model (genre/auto)",
    dependencies=[Depends(require("call"))],
    responses={
        400: {"description": "another model name, or a malformed message"},
        502: {"description": "every candidate model was tried and failed (each attempt listed)"},
        503: {"description": "no candidate can be called as the server is set up (says what to set)"},
    },
)
def chat_completions(body: ChatIn, request: Request) -> Response:
    """Recommend a model for the conversation, call it, and answer as OpenAI would, with a ``genre`` field.

    503 when no candidate can be called as the server is set up (the message says what to set),
    502 when every candidate was tried and failed (each attempt listed).
    """
    state = state_of(request)
    if body.model != AUTO:
        raise ConfigError(f"unknown model {body.model!r}: this endpoint chooses the model itself", options=MODELS)
    if body.stream:
        raise ConfigError("streaming is not supported: send stream=false")
    from genre.calling import ask

    overrides = {key: value for key, value in (body.model_extra or {}).items() if value is not None}
    result = ask(
        body.messages,
        user=body.user,
        recommender=state.recommender,
        semantic=state.semantic,
        params=overrides or None,
    )
    return json_response(result.as_openai_response())
