"""Call the recommended models through LiteLLM, best first, until one answers.

For each candidate in rank order, :func:`answer`:

1. skips it when it cannot be called: its offer has no LiteLLM id, or (without ``GENRE_LLM_API_BASE``)
   LiteLLM finds its provider's keys missing from the environment;
2. calls ``litellm.completion`` with the messages and the recommendation's preset (temperature,
   top_p, max_tokens, reasoning_effort), overridden by any ``params`` given; with
   ``GENRE_LLM_API_BASE`` the call goes to that OpenAI-compatible server, the offer's LiteLLM id as
   the model name;
3. on an API error (authentication, rate limit, model not found, timeout, server error, bad
   request...) records the attempt and tries the next candidate.

LiteLLM is an optional extra (``pip install 'genre-llm[ask]'``), imported on the first call, with its
price list read from the installed package rather than fetched (``LITELLM_LOCAL_MODEL_COST_MAP``).
LiteLLM's own retries are off: falling back to the next candidate is the retry.

Examples
--------
>>> from kg.recommend.types import OfferChoice, Recommendation
>>> offer = OfferChoice("openai", "openai/gpt-4o", 2.5, 10.0, 128000, "LiteLLM")
>>> best = Recommendation(1, "https://w3id.org/genre/model/gpt-4o", "gpt-4o", "GPT-4o", 0.5, 0.8, 0.625, 1.0,
...                       offer, None, {"preset": "precise-code", "temperature": 0.2, "max_tokens": 512})
>>> sent = call_arguments(best, [{"role": "user", "content": "hi"}], settings=LLMSettings(api_base="http://h:4000/v1"),
...                       params={"temperature": 0.0})
>>> sent["model"], sent["api_base"], sent["temperature"], sent["max_tokens"]
('openai/openai/gpt-4o', 'http://h:4000/v1', 0.0, 512)
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from genre.calling.messages import Messages, normalise_messages
from genre.calling.result import Attempt, CallResult, Reason
from genre.calling.settings import NO_KEY, LLMSettings
from genre.errors import ConfigError, ModelCallError
from kg.recommend.types import Recommendation, Recommendations

INSTALL_HINT = "pip install 'genre-llm[ask]'"
CONFIGURE_HINT = (
    "set GENRE_LLM_API_BASE to an OpenAI-compatible server or LiteLLM proxy (and GENRE_LLM_API_KEY if it "
    "needs a key), or the provider keys LiteLLM reads"
)
PRESET_KEYS = ("temperature", "top_p", "max_tokens", "reasoning_effort")
PARAMS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "reasoning_effort",
    "stop",
    "seed",
    "n",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "response_format",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "user",
    "modalities",
    "audio",
    "prediction",
    "metadata",
    "store",
    "service_tier",
    "verbosity",
    "web_search_options",
    "safety_identifier",
    "prompt_cache_key",
    "functions",
    "function_call",
)
"""OpenAI chat parameters a caller may set; they override the preset."""
_PREFIXES = re.compile(r"^(litellm\.\w+:\s*)?(\w+(Error|Exception|Timeout):\s*)*(\w+Exception - )?")
MESSAGE_KEYS = ("role", "content", "tool_calls", "function_call", "refusal", "reasoning_content", "audio")


def load_litellm() -> Any:
    """The ``litellm`` module, imported on first use, offline (no price-list download, no debug banners).

    Raises
    ------
    ModelCallError
        LiteLLM is not installed; the message says how to install it.
    """
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # pydantic's notes on LiteLLM's own types (raised as LiteLLM loads providers lazily) are not the user's concern
    warnings.filterwarnings("ignore", message=r".*using the `ReadOnly` qualifier", category=UserWarning)
    try:
        import litellm
    except ImportError as error:
        raise ModelCallError(
            f"calling a model needs LiteLLM, which is not installed: {INSTALL_HINT}", configured=False
        ) from error
    litellm.suppress_debug_info = True
    return litellm


def missing_configuration(
    litellm: Any, recommendation: Recommendation, settings: LLMSettings, *, env: Mapping[str, str] | None = None
) -> str | None:
    """Why a candidate cannot be called as things are set up, or None when it can.

    With ``GENRE_LLM_API_BASE`` every candidate with a LiteLLM id can be called. Without it, a
    candidate is called only when its provider is configured in the environment: LiteLLM finds none
    of the provider's keys missing, and either resolves a key for it or a variable named after the
    provider is set (``SAMBANOVA_API_KEY``, ``AWS_...`` for Bedrock, :func:`provider_is_set`). So a
    request is never sent to a provider nobody set up. Providers whose sign-in is an interactive
    device flow (GitHub Copilot, ChatGPT) are only reached through ``GENRE_LLM_API_BASE``.
    """
    from openai import OpenAIError

    call_id = recommendation.offer.call_id
    if not call_id:
        return f"its {recommendation.offer.provider} offer has no LiteLLM id"
    if settings.api_base:
        return None
    declared = call_id.split("/", 1)[0] if "/" in call_id else None
    if declared in _interactive_providers():
        return f"{declared} needs an interactive sign-in: reach it through a LiteLLM proxy (GENRE_LLM_API_BASE)"
    try:
        _, provider, dynamic_key, _ = litellm.get_llm_provider(model=call_id)
    except (OpenAIError, ValueError) as error:
        return f"LiteLLM does not know how to call {call_id}: {_first_line(error)}"
    missing = [str(key) for key in litellm.validate_environment(model=call_id).get("missing_keys") or []]
    if missing:
        return f"set {' and '.join(missing)}"
    if dynamic_key or provider_is_set(provider, os.environ if env is None else env):
        return None
    return f"set {provider.upper()}_API_KEY (or the variables LiteLLM reads for {provider})"


def provider_is_set(provider: str, env: Mapping[str, str]) -> bool:
    """Whether a non-empty environment variable is named after ``provider`` (``FIREWORKS_AI_API_KEY``...).

    >>> provider_is_set("fireworks_ai", {"FIREWORKS_AI_API_KEY": "k"}), provider_is_set("bedrock", {"AWS_PROFILE": "p"})
    (True, True)
    >>> provider_is_set("sambanova", {"OPENAI_API_KEY": "k", "SAMBANOVA_API_KEY": ""})
    False
    """
    name = provider.upper().replace("-", "_")
    stems = {f"{name}_", f"{name.replace('_', '')}_", f"{name.split('_')[0]}_"}
    if provider.startswith(("bedrock", "sagemaker")):
        stems.add("AWS_")
    if provider.startswith(("gemini", "vertex")):
        stems.update({"GOOGLE_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS"})
    if "openai" in provider:
        stems.add("OPENAI_")
    if provider == "huggingface":
        stems.update({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})
    return any(value and variable.startswith(tuple(stems)) for variable, value in env.items())


def _interactive_providers() -> frozenset[str]:
    try:
        from litellm.constants import PROVIDERS_THAT_AUTHENTICATE_ON_PROVIDER_INFO as found
    except ImportError:  # older or newer LiteLLM without the constant
        found = frozenset()
    return frozenset(found) | {"github_copilot", "chatgpt"}


def call_arguments(
    recommendation: Recommendation,
    messages: list[dict[str, Any]],
    *,
    settings: LLMSettings,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The keyword arguments of ``litellm.completion`` for one candidate."""
    call_id = str(recommendation.offer.call_id)
    sent = {key: recommendation.config[key] for key in PRESET_KEYS if recommendation.config.get(key) is not None}
    given = {key: value for key, value in (params or {}).items() if value is not None}
    if "max_completion_tokens" in given:
        sent.pop("max_tokens", None)
    sent.update(given)
    arguments: dict[str, Any] = {
        "model": call_id,
        "messages": messages,
        **sent,
        "timeout": settings.timeout,
        "num_retries": 0,
        "max_retries": 0,
        "drop_params": True,
    }
    if settings.api_base:
        arguments.update(model=f"openai/{call_id}", api_base=settings.api_base, api_key=settings.api_key or NO_KEY)
    return arguments


def answer(
    messages: Messages,
    *,
    recommendations: Recommendations | Sequence[Recommendation],
    params: Mapping[str, Any] | None = None,
    settings: LLMSettings | None = None,
    max_attempts: int | None = None,
) -> CallResult:
    """Ask the recommended models, best first, until one answers.

    Parameters
    ----------
    messages:
        Plain text, or OpenAI-style messages (``[{"role": "user", "content": [...parts]}]``); parts
        (``text``, ``image_url``, ``input_audio``, ``file``) are passed through unchanged.
    recommendations:
        The candidates, best first (a :class:`~kg.recommend.types.Recommendations` or a list).
    params:
        OpenAI chat parameters (:data:`PARAMS`) that override the recommendation's preset.
    settings:
        Where calls go (default: :meth:`LLMSettings.from_env`).
    max_attempts:
        Call at most this many candidates (default: all of them).

    Raises
    ------
    ModelCallError
        LiteLLM is not installed, no candidate is configured (``configured`` False: the message says
        what to set), or every call failed (the message lists each attempt).
    ConfigError
        The messages are malformed, a parameter is unknown, or ``max_attempts`` is not positive.
    """
    chat = normalise_messages(messages)
    _check_params(params)
    if max_attempts is not None and (
        isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1
    ):
        raise ConfigError(f"max_attempts must be a positive integer, got {max_attempts!r}")
    candidates = list(recommendations)
    if not candidates:
        raise ModelCallError("there is no recommended model to call", configured=False)
    settings = settings if settings is not None else LLMSettings.from_env()
    litellm = load_litellm()
    from openai import OpenAIError

    attempts: list[Attempt] = []
    called = 0
    for recommendation in candidates:
        if max_attempts is not None and called >= max_attempts:
            break
        problem = missing_configuration(litellm, recommendation, settings)
        if problem is not None:
            attempts.append(_attempt(recommendation, "NotConfigured", problem))
            continue
        called += 1
        arguments = call_arguments(recommendation, chat, settings=settings, params=params)
        started = time.perf_counter()
        try:
            response = litellm.completion(**arguments)
        except OpenAIError as error:  # every LiteLLM API error derives from it
            attempts.append(_attempt(recommendation, type(error).__name__, _first_line(error), _status(error)))
            continue
        seconds = time.perf_counter() - started
        return _result(recommendation, response, arguments, attempts, candidates, seconds)
    raise _failure(attempts, called, settings)


def _check_params(params: Mapping[str, Any] | None) -> None:
    if params is None:
        return
    if not isinstance(params, Mapping):
        raise ConfigError(f"params must be a mapping of chat parameters, got {type(params).__name__}")
    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        raise ConfigError(f"unknown chat parameter(s) {', '.join(map(str, unknown))}", options=PARAMS)


def _attempt(recommendation: Recommendation, error: str, message: str, status: int | None = None) -> Attempt:
    return Attempt(
        model_id=recommendation.model_id,
        call_id=recommendation.offer.call_id,
        provider=recommendation.offer.provider,
        error=error,
        message=message,
        status_code=status,
    )


def _first_line(error: BaseException) -> str:
    """The error's first line without LiteLLM's repeated prefixes (``litellm.RateLimitError: RateLimitError: ...``)."""
    lines = str(error).strip().splitlines()
    text = _PREFIXES.sub("", lines[0] if lines else "") or type(error).__name__
    return text[:500]


def _status(error: BaseException) -> int | None:
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def _failure(attempts: list[Attempt], called: int, settings: LLMSettings) -> ModelCallError:
    listed = "; ".join(str(attempt) for attempt in attempts)
    if called == 0:
        return ModelCallError(
            f"no recommended model can be called: {CONFIGURE_HINT} ({listed})", attempts=attempts, configured=False
        )
    where = f" through {settings.api_base}" if settings.api_base else ""
    return ModelCallError(
        f"every recommended model failed{where} ({len(attempts)} attempt(s)): {listed}", attempts=attempts
    )


def _result(
    recommendation: Recommendation,
    response: Any,
    arguments: dict[str, Any],
    attempts: list[Attempt],
    candidates: list[Recommendation],
    seconds: float,
) -> CallResult:
    data = response.model_dump() if hasattr(response, "model_dump") else dict(response)
    choices = [_choice(index, choice) for index, choice in enumerate(data.get("choices") or [])]
    text = next((c["message"].get("content") for c in choices if c["message"].get("content")), None) or ""
    raw_usage = data.get("usage") or {}
    usage = {key: int(raw_usage.get(key) or 0) for key in ("prompt_tokens", "completion_tokens", "total_tokens")}
    if not usage["total_tokens"]:
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    cost, source = _cost(recommendation, response, usage)
    sent = {key: value for key, value in arguments.items() if key in PARAMS}
    return CallResult(
        model_id=recommendation.model_id,
        label=recommendation.label,
        call_id=str(recommendation.offer.call_id),
        provider=recommendation.offer.provider,
        text=text,
        usage=usage,
        cost_usd=cost,
        cost_source=source,
        attempts=list(attempts),
        why=Reason.of_recommendation(recommendation, of=len(candidates)),
        params=sent,
        seconds=seconds,
        choices=choices,
        response_id=data.get("id") or None,
        created=data.get("created") if isinstance(data.get("created"), int) else None,
        recommendations=list(candidates),
    )


def _choice(index: int, choice: Mapping[str, Any]) -> dict[str, Any]:
    message = choice.get("message") or {}
    kept = {key: message.get(key) for key in MESSAGE_KEYS if message.get(key) is not None}
    kept.setdefault("role", "assistant")
    kept.setdefault("content", None)
    return {
        "index": choice.get("index", index),
        "message": kept,
        "finish_reason": choice.get("finish_reason"),
        "logprobs": choice.get("logprobs"),
    }


def _cost(recommendation: Recommendation, response: Any, usage: dict[str, int]) -> tuple[float | None, str | None]:
    """The call's cost from the offer's prices (USD per million tokens), else LiteLLM's, else unknown."""
    offer = recommendation.offer
    if offer.input_price is not None and offer.output_price is not None and usage["total_tokens"]:
        cost = (usage["prompt_tokens"] * offer.input_price + usage["completion_tokens"] * offer.output_price) / 1e6
        return round(cost, 10), "offer"
    hidden = getattr(response, "_hidden_params", None) or {}
    litellm_cost = hidden.get("response_cost") if isinstance(hidden, Mapping) else None
    if isinstance(litellm_cost, (int, float)) and litellm_cost >= 0:
        return float(litellm_cost), "litellm"
    return None, None
