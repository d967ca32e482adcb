"""Call the recommended model: recommend for a conversation, then ask the best model, falling back on errors.

- :func:`answer`: given recommendations, call the best candidate through LiteLLM with its preset,
  trying the next one on an error; returns a :class:`CallResult` (who answered, the text, usage,
  cost, the failed attempts and why that model was chosen).
- :func:`ask`: recommend for the conversation (its text and attached images, audio and files),
  then :func:`answer` — what ``genre ask`` and ``POST /v1/chat/completions`` with ``genre/auto`` do.
- :class:`LLMSettings`: ``GENRE_LLM_API_BASE`` (an OpenAI-compatible server every call goes to),
  ``GENRE_LLM_API_KEY``, ``GENRE_LLM_TIMEOUT``; otherwise the provider keys LiteLLM reads.
- :mod:`genre.calling.messages`: OpenAI-style messages, file parts, and the request they make.

LiteLLM is an optional extra: ``pip install 'genre-llm[ask]'``. Without it, or without any
configuration for the candidates, a :class:`~genre.errors.ModelCallError` says what to install or set.

Examples
--------
>>> from kg.recommend.types import OfferChoice, Recommendation
>>> offer = OfferChoice("deepseek", None, 0.55, 2.19, 64000, "models.dev")
>>> best = Recommendation(1, "https://w3id.org/genre/model/deepseek-r1", "deepseek-r1", "DeepSeek-R1",
...                       0.5, 0.8, 0.625, 1.0, offer, None, {"temperature": 0.6})
>>> answer("hello", recommendations=[best], settings=LLMSettings())  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
genre.errors.ModelCallError: no recommended model can be called: set GENRE_LLM_API_BASE ... has no LiteLLM id)
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from genre.calling.call import answer, load_litellm
from genre.calling.messages import Messages, attachment_part, normalise_messages, request_content, user_message
from genre.calling.result import Attempt, CallResult, Reason
from genre.calling.settings import LLMSettings
from genre.errors import ModelCallError

__all__ = [
    "Attempt",
    "CallResult",
    "LLMSettings",
    "ModelCallError",
    "Reason",
    "answer",
    "ask",
    "attachment_part",
    "load_litellm",
    "normalise_messages",
    "request_content",
    "user_message",
]


def ask(
    messages: Messages,
    *,
    attachments: Iterable[str | Path] = (),
    user: str | None = None,
    k: int = 5,
    cost_weight: float | None = None,
    kg: Any = None,
    recommender: Any = None,
    semantic: bool = True,
    params: Mapping[str, Any] | None = None,
    settings: LLMSettings | None = None,
) -> CallResult:
    """Recommend models for a conversation, then call the best one that answers.

    The request linked is the last user message's text with every file in the user messages
    (images, audio and files inline as base64; images given by URL count as image input) plus
    ``attachments``, which are also added to the last user message as parts.

    Parameters
    ----------
    messages:
        Plain text or OpenAI-style messages.
    attachments:
        Paths of files to attach to the last user message.
    user, k, cost_weight:
        As for :func:`genre.recommend`.
    kg, recommender:
        The graph or an already built :class:`~kg.recommend.Recommender` (default: ``genre.open()``'s).
    semantic:
        Also link with sentence embeddings.
    params, settings:
        As for :func:`answer`.

    Raises
    ------
    ModelCallError
        LiteLLM is missing, nothing is configured, or every candidate failed.
    RecommendationError
        No model meets the request's hard constraints.
    """
    from kg.linking import linker_for
    from kg.recommend import recommender_for

    load_litellm()  # before the recommendation: say what to install without making anyone wait
    chat = normalise_messages(messages)
    content = request_content(chat)
    paths = [Path(path) for path in attachments]
    if paths:
        last = max(i for i, message in enumerate(chat) if message["role"] == "user")
        text_part = chat[last]["content"]
        parts = [attachment_part(path) for path in paths]
        if isinstance(text_part, list):
            chat[last] = {**chat[last], "content": [*text_part, *parts]}
        else:
            chat[last] = {**chat[last], **user_message(text_part or "", parts)}
    recommender = recommender if recommender is not None else recommender_for(kg)
    with tempfile.TemporaryDirectory(prefix="genre-ask-") as folder:
        files = []
        for name, data in content.files:
            file = Path(folder) / f"{len(files)}-{Path(name).name}"
            file.write_bytes(data)
            files.append(file)
        link = linker_for(recommender.kg, semantic=semantic).link(content.text, attachments=[*paths, *files])
    missing = sorted(set(content.remote_modalities) - set(link.modalities))
    if missing:
        link = dataclasses.replace(link, modalities=sorted({*link.modalities, *missing}))
    recommendations = recommender.recommend_linked(link, user=user, k=k, cost_weight=cost_weight)
    return answer(chat, recommendations=recommendations, params=params, settings=settings)
