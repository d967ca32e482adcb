"""Name normalisation and resolution rules, one behaviour per test."""

from __future__ import annotations

import pytest

from loaders.names import match_key, model_key
from loaders.records import ModelMention
from loaders.resolve import mention_names, provider_id, resolve_mentions


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gpt-4o", "azure/gpt-4o"),
        ("gpt-4o", "gpt-4o-2024-08-06"),
        ("gpt-4-0613", "GPT-4"),
        ("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet (20241022)"),
        ("vertex_ai/claude-3-5-sonnet@20240620", "claude-3-5-sonnet"),
        ("claude-sonnet-4-5-20250929", "Claude 4.5 Sonnet"),
        ("fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct", "meta-llama/Meta-Llama-3.1-70B-Instruct"),
        ("together_ai/meta-llama/Llama-3-70b-chat-hf", "Meta-Llama-3-70B-Instruct"),
        ("Llama-3.1-405B-Instruct-bf16", "llama-3.1-405b-instruct"),
        ("gemma-2-27b-it", "Gemma 2 Instruct (27B)"),
        ("gpt-5-2025-08-07_high", "gpt-5"),
        ("gemini-2.5-pro_32K", "gemini-2.5-pro"),
        ("Claude 3.7 Sonnet (thinking-32k)", "claude-3-7-sonnet"),
        ("mistral.mistral-7b-instruct-v0:2", "Mistral-7B-Instruct-v0.2"),
        ("Command R+ (08-2024)", "cohere/command-r-plus-08-2024"),
        ("amazon.nova-pro-v1:0", "nova-pro"),
        ("us.meta.llama3-3-70b-instruct-v1:0", "Llama-3.3-70B-Instruct"),
    ],
)
def test_spellings_of_one_model_meet(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gpt-4o", "gpt-4o-mini"),
        ("gpt-4", "gpt-4-turbo"),
        ("o1", "o1-preview"),
        ("claude-3-5-sonnet", "claude-3-5-haiku"),
        ("claude-3-sonnet", "claude-3-5-sonnet"),
        ("llama-3.1-8b-instruct", "llama-3.1-70b-instruct"),
        ("Meta-Llama-3-8B", "Meta-Llama-3-8B-Instruct"),
        ("llama-3-70b", "llama-3.1-70b"),
        ("DeepSeek-V3", "DeepSeek-V3.1"),
        ("Mistral-Large-2407", "Mistral-Large-2402"),
        ("kimi-k2", "kimi-k2-thinking"),
        ("Command R", "Command R+"),
    ],
)
def test_different_models_stay_apart(a: str, b: str) -> None:
    assert match_key(a) != match_key(b)


def test_model_key_keeps_word_order_and_decimal_versions() -> None:
    assert model_key("Qwen2.5-72B-Instruct") == "qwen-2.5-72b-instruct"
    assert model_key("DeepSeek-V3") == "deepseek-3"


def test_loose_display_names_do_not_join_a_base_model_to_its_fine_tune() -> None:
    instruct = ModelMention(source_id="Mistral-7B-Instruct-v0.2", name="Mistral 7B")
    assert mention_names(instruct) == ["Mistral-7B-Instruct-v0.2"]
    resolution = resolve_mentions(
        {"a": [instruct], "open_llm_v2": [ModelMention(source_id="mistralai/Mistral-7B-v0.2")]}
    )
    assert len(resolution.models) == 2


def test_a_more_specific_name_replaces_a_loose_id() -> None:
    mention = ModelMention(source_id="vercel/meta/llama-3.1-8b", name="Llama 3.1 8B Instruct")
    assert mention_names(mention)[0] == "Llama 3.1 8B Instruct"


def test_shorthand_joins_the_one_instruct_model_it_abbreviates() -> None:
    resolution = resolve_mentions(
        {
            "catalog": [ModelMention(source_id="meta/llama-4-maverick")],
            "hub": [ModelMention(source_id="meta-llama/Llama-4-Maverick-17B-128E-Instruct", open_weights=True)],
        }
    )
    assert len(resolution.models) == 1


def test_shorthand_only_joins_open_weights_instruct_models() -> None:
    resolution = resolve_mentions(
        {"a": [ModelMention(source_id="gpt-3.5-turbo")], "b": [ModelMention(source_id="gpt-3.5-turbo-instruct")]}
    )
    assert len(resolution.models) == 2


def test_shorthand_of_a_listed_base_model_stays_apart() -> None:
    resolution = resolve_mentions(
        {
            "open_llm_v2": [ModelMention(source_id="meta-llama/Meta-Llama-3-8B")],
            "catalog": [ModelMention(source_id="Meta-Llama-3-8B-Instruct")],
        }
    )
    assert len(resolution.models) == 2


def test_ambiguous_shorthand_stays_alone() -> None:
    resolution = resolve_mentions(
        {
            "catalog": [ModelMention(source_id="llama-3")],
            "hub": [ModelMention(source_id="Llama-3-8B-Instruct"), ModelMention(source_id="Llama-3-70B-Instruct")],
        }
    )
    assert len(resolution.models) == 3


def test_model_keys_are_the_commonest_spelling() -> None:
    resolution = resolve_mentions(
        {
            "a": [ModelMention(source_id="claude-sonnet-4-5")],
            "b": [ModelMention(source_id="claude-sonnet-4-5-20250929")],
            "c": [ModelMention(source_id="Claude 4.5 Sonnet")],
        }
    )
    assert list(resolution.models) == ["claude-sonnet-4.5"]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Meta", "meta"),
        ("meta-llama", "meta"),
        ("Mistral AI", "mistral"),
        ("Z.ai", "zhipuai"),
        ("Aliaba", "alibaba"),
        ("fireworks_ai", "fireworks_ai"),
    ],
)
def test_provider_spellings(raw: str, canonical: str) -> None:
    assert provider_id(raw) == canonical
