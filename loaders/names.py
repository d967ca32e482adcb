"""Model-name normalisation: the keys under which spellings of one model meet.

Sources name one model many ways: ``GPT-4o``, ``gpt-4o-2024-08-06``, ``openai/gpt-4o``,
``azure/gpt-4o``, ``bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0``,
``fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct``, ``Gemma 2 Instruct (27B)``.

:func:`model_key` strips what does not change the model (hosting paths, vendor prefixes,
dated snapshots, platform version tags, quantisation and packaging suffixes,
reasoning-effort and thinking-budget runs, case and separators) and keeps what does
(family, generation, size, tier, instruct or base). :func:`match_key` is the same key
with its words sorted, so that word order does not matter (``claude-sonnet-4-5`` and
``claude-4.5-sonnet``; ``gemma-2-27b-it`` and ``Gemma 2 Instruct (27B)``).

Each rule is a small named step, applied in order. ``tests/data/resolution_pairs*.csv``
hold hand-verified pairs that measure them (``tests/loaders/test_resolution.py``).

Examples
--------
>>> model_key("gpt-4o-2024-08-06") == model_key("GPT-4o") == model_key("azure/gpt-4o")
True
>>> model_key("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0")
'claude-3.5-sonnet'
>>> model_key("Claude 3.5 Sonnet (20241022)")
'claude-3.5-sonnet'
>>> model_key("fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct")
'llama-3.1-70b-instruct'
>>> model_key("meta-llama/Meta-Llama-3.1-70B-Instruct")
'llama-3.1-70b-instruct'
>>> match_key("gemma-2-27b-it") == match_key("Gemma 2 Instruct (27B)")
True
>>> model_key("gpt-4o-mini") == model_key("gpt-4o")
False
"""

from __future__ import annotations

import re

_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"

# -- hosting and vendor prefixes -------------------------------------------------------------------
_REGION_PREFIX = re.compile(r"^(?:us-gov|us|eu|apac|global|jp|au|ca)\.")
_VENDOR_PREFIX = re.compile(
    r"^(anthropic|meta|amazon|cohere|ai21|mistral|deepseek|qwen|openai|writer|moonshot|minimax|twelvelabs|google)\."
)
_BEDROCK_API_VERSION = re.compile(r"-v[1-9]\d*(?::\d+)?$")
# Organisation words some sources put in front of a model's name ("Meta-Llama-3", "Amazon Nova").
_ORG_WORDS = (
    "meta", "amazon", "microsoft", "mistralai", "anthropic", "openai", "nvidia", "alibaba", "ibm",
    "google", "cohere", "cohere-labs", "c4ai", "ai21", "ai21-labs", "xai", "x-ai", "open", "databricks",
)  # fmt: skip

# -- run settings that are not another model ---------------------------------------------------------
_THINKING = re.compile(
    r"(?:[-_ ](?:thinking[-_ :]\d+k?|no[-_ ]thinking|(?:x?high|medium|low|minimal)(?:[-_ ]reasoning)?(?:[-_ ]effort)?"
    r"|reasoning[-_ ]effort))+$"
)
_PARENTHESES = re.compile(r"\s*\(([^)]*)\)")
_DATE_LIKE = re.compile(
    rf"\b(?:{_MONTHS})[a-z]*\b|\b20\d\d\b|\b\d{{6,8}}\b|\bv?\d{{4}}\b|\d{{2}}-\d{{2}}|\bolder\b|thinking|reasoning"
    r"|\b(?:bedrock|azure|vertex|sagemaker)\b"
)
"""What makes a parenthesis a snapshot, run or platform note rather than part of the name."""
_AT_VERSION = re.compile(r"@[\w.\-]+$")
_MONTH_AND_YEAR = re.compile(rf"[\s_-]+(?:{_MONTHS})[a-z]*[\s_-]+20\d\d\b")

# -- dates and build numbers -------------------------------------------------------------------------
_ISO_DATE = re.compile(r"[-_ ]?(?:20\d\d)[-_]?(?:0[1-9]|1[0-2])[-_]?(?:0[1-9]|[12]\d|3[01])(?=$|[-_ ])")
_MONTH_YEAR = re.compile(r"-(?:0[1-9]|1[0-2])-20\d\d(?=$|-)")
_MONTH_DAY = re.compile(r"-(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])$")
_GOOGLE_BUILD = re.compile(r"-00\d$")
_CONTEXT_SUFFIX = re.compile(r"-(?:2048|4096|8192|16384|32768|65536|131072)$")

# -- packaging of the same weights ----------------------------------------------------------------------
_QUANTISATION = re.compile(
    r"-(?:q\d(?:-[0-9a-z]{1,2})*|fp8|fp16|bf16|int4|int8|awq|gptq|gguf|mlx|4bit|8bit|pt|paddle)$"
)
_PACKAGING = re.compile(r"-(?:hf|latest|free|maas|serverless|tput|on-demand)$")
"""A platform's packaging of the same weights: converted formats, tiers, deployment kinds."""
_PLATFORM_FLAVOUR = re.compile(r"(?<=-instruct)-(?:turbo|lite|reference)(?=$|-)")
_FIRST_RELEASE = re.compile(r"-v?(?:0\.1|1\.0)$|-v0?1$")
_BETA = re.compile(r"-beta$")


def model_key(name: str) -> str:
    """The normalised key of a model name, words in their own order.

    Parameters
    ----------
    name:
        A model id or display name as any source spells it.
    """
    text = name.strip().lower()
    text = text.rsplit("/", 1)[-1]  # hosting paths: openrouter/meta-llama/llama-3-70b -> llama-3-70b
    text = _REGION_PREFIX.sub("", text)
    vendor = _VENDOR_PREFIX.match(text)
    if vendor:  # bedrock: anthropic.claude-3-5-sonnet-20241022-v2:0, deepseek.v3-v1:0
        rest = _BEDROCK_API_VERSION.sub("", text[vendor.end() :])
        text = f"{vendor.group(1)}-{rest}" if re.match(r"[vr]?\d", rest) else rest
    text = _PARENTHESES.sub(_keep_parenthesis, text)
    text = _MONTH_AND_YEAR.sub("", text)  # OLMo 2 32B Instruct March 2025
    text = _AT_VERSION.sub("", text)
    text = re.sub(r"_(?:\d+k|thinking)$", "", text)  # Epoch's run settings: gemini-2.5-pro_32K, glm-4.5_thinking
    text = _THINKING.sub("", text)
    text = _ISO_DATE.sub("", text)
    text = re.sub(r"(?<=\d)p(?=\d)", ".", text)  # fireworks: llama-v3p1, qwen2p5 -> 3.1, 2.5
    text = re.sub(r"(?<=v\d):(?=\d)", ".", text)  # bedrock: mistral-7b-instruct-v0:2 -> v0.2
    text = text.replace("r+", "r-plus")  # Command R+
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", "-", text)  # dots that are not decimal points
    text = re.sub(r"[\s_:/,+]+", "-", text).strip("-")
    text = _strip_suffixes(text)
    text = re.sub(r"(?<![a-z])v(?=\d)", "", text)  # version marks: llama-v3 -> llama-3
    text = re.sub(r"(\d+b)x(\d+e)", r"\1-\2", text)  # 17Bx128E -> 17b-128e
    text = _drop_org_word(text)
    text = re.sub(r"(?<![a-z])([a-z]{2,})(\d)", r"\1-\2", text)  # llama3 -> llama-3
    text = re.sub(r"(?<![\d.])(\d{1,2})-(\d{1,2})(?=-|$)", r"\1.\2", text)  # claude-3-5 -> 3.5
    text = re.sub(r"-{2,}", "-", text).strip("-")
    text = _strip_suffixes(text)
    text = _drop_org_word(text)
    text = _instruct_spellings(text)
    return text


def match_key(name: str) -> str:
    """The key under which names meet: :func:`model_key` with its words sorted."""
    return "-".join(sorted(words(model_key(name))))


def words(key: str) -> frozenset[str]:
    """The words of a key (``llama-3.1-8b`` -> ``{'llama', '3.1', '8b'}``)."""
    return frozenset(part for part in key.split("-") if part)


_SIZE_WORD = re.compile(r"^(?:\d+(?:\.\d+)?[be]|a\d+(?:\.\d+)?b|\d+x\d+(?:\.\d+)?b)$")


def is_size_word(word: str) -> bool:
    """A parameter-count or expert-count word such as ``70b``, ``17b``, ``128e``, ``a22b``, ``8x7b``."""
    return bool(_SIZE_WORD.match(word))


def _keep_parenthesis(match: re.Match[str]) -> str:
    """``(20241022)``, ``(Jun 2023)``, ``(thinking-32k)`` go; ``(27B)``, ``(8x7B)`` stay as words."""
    inside = match.group(1)
    return "" if _DATE_LIKE.search(inside) else " " + inside


def _strip_suffixes(text: str) -> str:
    """Remove snapshot dates, build numbers and packaging suffixes until none is left."""
    previous = None
    while previous != text:
        previous = text
        for pattern in (
            _MONTH_YEAR, _MONTH_DAY, _GOOGLE_BUILD, _CONTEXT_SUFFIX, _QUANTISATION,
            _PACKAGING, _PLATFORM_FLAVOUR, _FIRST_RELEASE, _BETA,
        ):  # fmt: skip
            text = pattern.sub("", text)
    return text


def _drop_org_word(text: str) -> str:
    """Drop an organisation word before a model name.

    ``meta-llama-3-8b`` -> ``llama-3-8b``; ``amazon-nova-pro`` -> ``nova-pro``;
    ``mistral-mistral-7b`` -> ``mistral-7b``.
    """
    for word in sorted(_ORG_WORDS, key=len, reverse=True):
        if text.startswith(word + "-") and len(text) > len(word) + 1 and text[len(word) + 1].isalpha():
            text = text[len(word) + 1 :]
            break
    text = re.sub(r"^(\w+)-\1-", r"\1-", text)
    return re.sub(r"^qwen-(?=qwq|qvq)", "", text)


def _instruct_spellings(text: str) -> str:
    """``-it`` (Gemma), ``-chat`` (sized open models), Groq's ``-instant``/``-versatile`` all mean instruct."""
    text = re.sub(r"-it(?=$|-)", "-instruct", text)
    if re.search(r"(?:^|-)\d+(?:\.\d+)?b(?:-|$)", text):
        text = re.sub(r"-(?:chat|instant|versatile)(?=$|-)", "-instruct", text)
    return text
