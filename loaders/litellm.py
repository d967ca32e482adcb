"""LiteLLM's price and context-window map: one offer per id that ``litellm.completion`` accepts.

The source is LiteLLM's ``model_prices_and_context_window.json``: a JSON object from
a model id (``gpt-4o``, ``azure/gpt-4o``, ``anthropic.claude-3-5-sonnet-20240620-v1:0``)
to its provider (``litellm_provider``), ``mode``, token limits, prices per token and
``supports_*`` flags. GENRE recommends generative language models, so only the modes
in :data:`LANGUAGE_MODES` are kept; every other entry (embeddings, image generation,
speech, rerank, pricing tiers without a mode, ``alias_of`` pointers...) is counted by
reason in the batch's ``skipped`` (``{"mode=embedding": 157, "alias": 98, ...}``).

Each kept id gives one :class:`~loaders.records.OfferRecord` (``call_id`` is the id
itself) and one :class:`~loaders.records.ModelMention` keyed by the same id. LiteLLM
does not name a model's maker; :func:`infer_creator` reads it from the id only when
the id leaves no doubt.

Examples
--------
>>> provider_model_id("azure/eu/gpt-4o", "azure")
'gpt-4o'
>>> provider_model_id("anthropic.claude-3-5-sonnet-20240620-v1:0", "bedrock")
'anthropic.claude-3-5-sonnet-20240620-v1:0'
>>> infer_creator("bedrock/us.meta.llama3-1-70b-instruct-v1:0", "bedrock")
'meta'
>>> infer_creator("together_ai/Qwen/Qwen3-235B-A22B", "together_ai")
'alibaba'
>>> infer_creator("ollama/llama2-uncensored", "ollama") is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from genre.errors import LoaderError
from loaders.base import (
    Loader,
    modality_capabilities,
    parse_bool,
    parse_date,
    parse_int,
    parse_modalities,
    per_million,
    read_json,
)
from loaders.records import ModelMention, OfferRecord, ProviderRecord, SourceBatch

LANGUAGE_MODES: frozenset[str] = frozenset({"chat", "completion", "responses", "realtime"})
"""LiteLLM modes of generative language models; entries in any other mode are skipped."""

# supports_* flag -> (feature, input modality it implies, output modality it implies)
_FLAGS: dict[str, tuple[str, str | None, str | None]] = {
    "supports_vision": ("vision", "image", None),
    "supports_audio_input": ("audio-understanding", "audio", None),
    "supports_audio_output": ("speech-generation", None, "audio"),
    "supports_pdf_input": ("document-understanding", "document", None),
    "supports_video_input": ("video-understanding", "video", None),
    "supports_function_calling": ("function-calling", None, None),
    "supports_parallel_function_calling": ("parallel-function-calling", None, None),
    "supports_response_schema": ("structured-output", None, None),
    "supports_reasoning": ("reasoning", None, None),
    "supports_web_search": ("web-search", None, None),
    "supports_prompt_caching": ("prompt-caching", None, None),
    "supports_computer_use": ("computer-use", None, None),
}

# Route prefixes that LiteLLM puts before a provider's own id, besides the provider name
# itself and the part of it before a dash (``vertex_ai-anthropic_models`` -> ``vertex_ai``).
_ROUTE_PREFIXES: dict[str, tuple[str, ...]] = {
    "bedrock_converse": ("bedrock",),
    "bedrock_mantle": ("bedrock",),
    "azure_text": ("azure",),
    "amazon_nova": ("amazon-nova",),
    "text-completion-openai": ("openai",),
}
# Cloud regions and data zones LiteLLM puts in a path (``bedrock/us-west-2/...``, ``azure/eu/...``).
_REGION = re.compile(r"^(?:[a-z]{2}(?:-gov)?-[a-z]+-\d|us|eu|apac|global|global-standard|us-gov)$")

# --- creator inference, in the order tried ---------------------------------------------
# 1. An organisation path segment (``together_ai/meta-llama/...``): known organisations only.
_ORGS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "meta": "meta",
    "meta-llama": "meta",
    "mistralai": "mistral",
    "mistral": "mistral",
    "deepseek-ai": "deepseek",
    "deepseek": "deepseek",
    "qwen": "alibaba",
    "alibaba": "alibaba",
    "moonshotai": "moonshotai",
    "zai-org": "zhipuai",
    "thudm": "zhipuai",
    "zai": "zhipuai",
    "xai": "xai",
    "x-ai": "xai",
    "minimaxai": "minimax",
    "minimax": "minimax",
    "nvidia": "nvidia",
    "microsoft": "microsoft",
    "ibm": "ibm",
    "ibm-granite": "ibm",
    "cohere": "cohere",
    "amazon": "amazon",
    "xiaomimimo": "xiaomi",
    "perplexity": "perplexity",
}
# 2. An AWS Bedrock vendor prefix (``anthropic.claude...``, after a region such as ``us.``).
_BEDROCK_REGION = re.compile(r"^(?:us|eu|apac|global|jp|au|ca|us-gov)\.")
_VENDORS: dict[str, str] = {
    "anthropic": "anthropic",
    "meta": "meta",
    "amazon": "amazon",
    "mistral": "mistral",
    "cohere": "cohere",
    "ai21": "ai21",
    "deepseek": "deepseek",
    "qwen": "alibaba",
    "openai": "openai",
    "writer": "writer",
    "xai": "xai",
    "zai": "zhipuai",
    "moonshotai": "moonshotai",
    "minimax": "minimax",
    "google": "google",
    "nvidia": "nvidia",
}
# 3. A model name only one maker uses, matched at the start of the last path segment once a
#    host's own mark is removed (``databricks-claude-...``, Fireworks-on-Azure ``FW-Kimi-K3``).
_HOST_MARK = re.compile(r"^(?:databricks|snowflake|fw|meta-textgeneration)-")
_NAME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), creator)
    for pattern, creator in (
        (r"claude", "anthropic"),
        (r"gemini|gemma-|learnlm|lyria", "google"),
        (
            r"gpt-(?:\d|oss|realtime|audio|image|4o|35)|chatgpt-|o[134](?:-|$)|codex-mini|(?:text-)?(?:davinci|babbage)-",
            "openai",
        ),
        (r"grok-", "xai"),
        (r"(?:meta-)?(?:code-?)?llama(?!.*(?:nemotron|uncensored))", "meta"),
        (r"(?:open-)?(?:mistral|mixtral|ministral|magistral|codestral|devstral|pixtral|voxtral)", "mistral"),
        (r"qwen|qwq|qvq", "alibaba"),
        (r"deepseek", "deepseek"),
        (r"(?:zai-)?glm-", "zhipuai"),
        (r"kimi-|moonshot-", "moonshotai"),
        (r"(?:cohere-)?command-|c4ai-aya|aya-", "cohere"),
        (r"jamba-|j2-", "ai21"),
        (r"minimax-", "minimax"),
        (r"phi-\d", "microsoft"),
        (r"mimo-", "xiaomi"),
        (r"sonar", "perplexity"),
    )
)
# 4. Providers that serve only their own models (checked in the data file).
_FIRST_PARTY: dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "chatgpt": "openai",
    "anthropic": "anthropic",
    "vertex_ai-anthropic_models": "anthropic",
    "gemini": "google",
    "vertex_ai-language-models": "google",
    "vertex_ai-text-models": "google",
    "xai": "xai",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "ai21": "ai21",
    "vertex_ai-ai21_models": "ai21",
    "amazon_nova": "amazon",
    "meta": "meta",
    "meta_llama": "meta",
    "vertex_ai-llama_models": "meta",
    "moonshot": "moonshotai",
    "minimax": "minimax",
    "xiaomi_mimo": "xiaomi",
}


def provider_model_id(key: str, provider: str) -> str:
    """The provider's own id: the LiteLLM key without its route prefix and region segment."""
    head, separator, rest = key.partition("/")
    prefixes = {provider, provider.split("-")[0], *_ROUTE_PREFIXES.get(provider, ())}
    if not separator or head not in prefixes:
        return key
    head, separator, tail = rest.partition("/")
    return tail if separator and _REGION.match(head) else rest


def infer_creator(key: str, provider: str) -> str | None:
    """The organisation that made the model, when the id leaves no doubt; otherwise ``None``."""
    own_id = provider_model_id(key, provider)
    segments = own_id.split("/")
    if len(segments) == 2 and segments[0].lower() in _ORGS:
        return _ORGS[segments[0].lower()]
    name = _BEDROCK_REGION.sub("", segments[-1].lower())
    name = _HOST_MARK.sub("", name)
    vendor, dot, _ = name.partition(".")
    if dot and vendor in _VENDORS:
        return _VENDORS[vendor]
    for pattern, creator in _NAME_PATTERNS:
        if pattern.match(name):
            return creator
    return _FIRST_PARTY.get(provider)


class LiteLLMLoader(Loader):
    """Offers and models from LiteLLM's ``model_prices_and_context_window.json``.

    Examples
    --------
    >>> loader = LiteLLMLoader()
    >>> loader.name, loader.licence
    ('litellm', 'MIT')
    """

    name = "litellm"
    title = "LiteLLM model prices and context windows"
    licence = "MIT"
    homepage = "https://github.com/BerriAI/litellm"
    default_path = "catalogs/litellm_model_prices_and_context_window.json"

    def parse(self, location: str, batch: SourceBatch) -> None:
        """Fill ``batch`` with one offer and one mention per language-model id in ``location``."""
        data = read_json(location)
        if not isinstance(data, dict):
            raise LoaderError(f"{location} is not a LiteLLM price map: expected a JSON object of model ids")
        skipped: Counter[str] = Counter()
        providers: dict[str, None] = {}
        for key, entry in data.items():
            if key == "sample_spec":
                continue
            reason = _skip_reason(entry)
            if reason:
                skipped[reason] += 1
                continue
            provider = str(entry["litellm_provider"])
            providers.setdefault(provider, None)
            offer, mention = _records(key, provider, entry)
            batch.offers.append(offer)
            batch.models.append(mention)
        batch.providers.extend(ProviderRecord(provider_id=provider) for provider in providers)
        batch.skipped.update(sorted(skipped.items()))


def _skip_reason(entry: Any) -> str | None:
    """Why an entry is not a language model GENRE keeps, or ``None`` to keep it."""
    if not isinstance(entry, dict):
        return "not an object"
    if "alias_of" in entry and "mode" not in entry:
        return "alias"
    mode = entry.get("mode")
    if mode is None:
        return "no mode"
    if mode not in LANGUAGE_MODES:
        return f"mode={mode}"
    if not entry.get("litellm_provider"):
        return "no provider"
    return None


def _records(key: str, provider: str, entry: dict[str, Any]) -> tuple[OfferRecord, ModelMention]:
    """The offer and the mention one LiteLLM entry gives."""
    inputs = set(parse_modalities(entry.get("supported_modalities")) or {"text"})
    outputs = set(parse_modalities(entry.get("supported_output_modalities")) or {"text"})
    features: set[str] = set()
    for flag, (feature, modality_in, modality_out) in _FLAGS.items():
        if parse_bool(entry.get(flag)):
            features.add(feature)
            if modality_in:
                inputs.add(modality_in)
            if modality_out:
                outputs.add(modality_out)
    capabilities = frozenset(features) | modality_capabilities(inputs, outputs)
    context_window = parse_int(entry.get("max_input_tokens"))
    max_output = parse_int(entry.get("max_output_tokens"))
    offer = OfferRecord(
        model_source_id=key,
        provider=provider,
        provider_model_id=provider_model_id(key, provider),
        call_id=key,
        input_price_per_mtok=per_million(entry.get("input_cost_per_token")),
        output_price_per_mtok=per_million(entry.get("output_cost_per_token")),
        context_window=context_window,
        max_output_tokens=max_output,
        input_modalities=frozenset(inputs),
        output_modalities=frozenset(outputs),
        features=capabilities,
        mode=str(entry["mode"]),
        deprecation_date=parse_date(entry.get("deprecation_date")),
    )
    mention = ModelMention(
        source_id=key,
        creator=infer_creator(key, provider),
        input_modalities=offer.input_modalities,
        output_modalities=offer.output_modalities,
        capabilities=capabilities,
        context_window=context_window,
        max_output_tokens=max_output,
    )
    return offer, mention
