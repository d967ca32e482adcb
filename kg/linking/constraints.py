"""Hard constraints of a request, read from its text (English and Chinese) and its linked mentions.

- ``max_input_price``: USD per million input tokens ("under $1 per million tokens", "每百万token不超过1美元";
  yuan are converted at :data:`USD_PER_CNY`, thousands of tokens scaled to millions).
- ``budget``: ``"low"`` ("cheap", "on a budget", "便宜") or ``"free"`` ("for free", "免费").
- ``min_context_tokens``: from tokens ("200k tokens of context"), pages (:data:`TOKENS_PER_PAGE` each),
  words (:data:`TOKENS_PER_WORD`) or Chinese characters ("10万字"), when they describe the input.
- ``open_weights`` ("open-source", "开源") and ``self_hosted`` ("run it locally", "本地部署"; implies open weights).
- ``latency``: ``"low"`` ("real-time", "low latency", "实时", "低延迟").
- ``providers_include`` / ``providers_exclude``: provider mentions, excluded after "no", "not", "avoid",
  "except", "不要", "除了"...
- ``output_language``: a language named as the target ("answer in French", "翻译成英文").
- ``features``: capabilities that offers declare as API features (function calling, JSON/structured
  output, reasoning, web search...) named in the request and not negated; asking for JSON
  ("return JSON", "输出JSON格式") needs structured output.

Examples
--------
>>> parse_number("1.5k"), parse_number("三百"), parse_number("10万")
(1500.0, 300.0, 100000.0)
>>> text_constraints("Something cheap, under $0.5 per 1M tokens, for a 300-page book, real-time")
{'max_input_price': 0.5, 'budget': 'low', 'min_context_tokens': 150000, 'latency': 'low'}
>>> text_constraints("需要开源模型，本地部署，每百万token不超过2美元")
{'max_input_price': 2.0, 'open_weights': True, 'self_hosted': True}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from genre.errors import LinkingError
from kg.linking.rules import Mention
from ontology.terms import individual

TOKENS_PER_PAGE = 500
"""A printed page of prose is about 375 words, or 500 tokens."""
TOKENS_PER_WORD = 1.33
"""English prose averages about 0.75 words per token."""
TOKENS_PER_CHINESE_CHAR = 1.0
"""Current tokenizers spend roughly one token per Chinese character."""
USD_PER_CNY = 0.14

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"k": 1e3, "thousand": 1e3, "千": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "万": 1e4, "百万": 1e6, "亿": 1e8}
NUM = r"(?:\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千]+)"
_SCALE_WORD = r"(?:k|thousand|m|mn|million|百万|万|千|亿)"

_PRICE_EN = re.compile(
    rf"(?:\$\s*(?P<a>{NUM})|(?P<b>{NUM})\s*(?:\$|usd|us dollars?|dollars?|bucks|cents?(?P<cents>)))\s*"
    rf"(?:/|per|a|an|for each|for every|every)\s*(?:1\s*|one\s*)?(?P<unit>m\b|mtok|million|k\b|thousand)",
    re.IGNORECASE,
)
_PRICE_ZH = re.compile(
    rf"(?:(?:每|/)\s*(?P<u1>百万|1\s*[mM]|一百万|千|1\s*[kK])\s*(?:个)?\s*(?:tokens?|词元|token)?[^\d零一二两三四五六七八九十]{{0,8}}?"
    rf"(?P<a>{NUM})\s*(?P<c1>美元|美金|刀|元|块)"
    rf"|(?P<b>{NUM})\s*(?P<c2>美元|美金|刀|元|块)\s*(?:以内|以下)?\s*(?:/|每)\s*(?P<u2>百万|1\s*[mM]|一百万|千|1\s*[kK]))",
    re.IGNORECASE,
)
_CHEAP = re.compile(
    r"\b(?:cheap(?:est|er|ly)?|inexpensive|low[- ]cost|lowest cost|budget|affordable|cost[- ]effective|economical"
    r"|save money|costs? as little|price[- ]sensitive|tight on money|not expensive)\b|便宜|低成本|省钱|性价比|预算有限"
    r"|预算不多|成本低|廉价|实惠|价格低|价格便宜|控制成本",
    re.IGNORECASE,
)
_FREE = re.compile(r"\bfor free\b|\bfree (?:model|tier|of charge|to use|option)s?\b|\bno cost\b|\bzero cost\b|免费")
_TOKENS = re.compile(
    rf"(?P<n>{NUM})\s*(?P<s>{_SCALE_WORD})?\s*[- ]?(?:tokens?|token)\b(?:[- ](?:context|window|input|long|prompt))?"
    rf"|(?P<n2>{NUM})\s*(?P<s2>{_SCALE_WORD})?\s*[- ]?(?:context(?: window| length)?|上下文)\b"
    rf"|上下文[^\d。，,.]{{0,6}}(?P<n3>{NUM})\s*(?P<s3>{_SCALE_WORD})?",
    re.IGNORECASE,
)
_PAGES = re.compile(rf"(?P<n>{NUM})\s*(?P<s>{_SCALE_WORD})?\s*[- ]?(?:pages?\b|页)", re.IGNORECASE)
_WORDS = re.compile(rf"(?P<n>{NUM})\s*(?P<s>{_SCALE_WORD})?\s*[- ]?(?:words?\b|(?P<zh>字))", re.IGNORECASE)
_WRITING = re.compile(
    r"\b(?:write|draft|compose|generate|create|produce|max(?:imum)? output|output)\b|写|生成|输出", re.I
)
_OPEN = re.compile(
    r"\bopen[- ]?(?:weights?|source[sd]?|model)s?\b|\bweights (?:are )?(?:available|downloadable)\b|\bapache[- ]2"
    r"|开源|开放权重|权重开放|开放模型",
    re.IGNORECASE,
)
_SELF_HOSTED = re.compile(
    r"\bself[- ]?host(?:ed|ing|able)?\b|\bon[- ]?prem(?:ise|ises)?\b"
    r"|\b(?:run|deploy|host)(?:s|ing)? (?:it |them |this |the model )?"
    r"(?:locally|on[- ]prem\w*|ourselves|myself|in[- ]house)\b"
    r"|\blocal(?:ly)? (?:deployment|model|inference|machine|gpu)s?\b"
    r"|\b(?:my|our) own (?:gpus?|servers?|hardware|machines?|infrastructure|cluster)\b|\boffline\b|\bair[- ]?gapped\b"
    r"|\bon (?:my|our) (?:laptop|machine|server|gpu|mac)s?\b"
    r"|\brun\w* (?:it |them |this )?on (?:a |one |my |our )?(?:single |local |consumer )?(?:\d+\s?gb )?"
    r"(?:gpus?|laptops?|macs?|macbook|machines?|servers?|(?:rtx )?\d{4})\b"
    r"|本地部署|本地运行|私有化部署|私有部署|自己部署|离线|内网|本地跑"
    r"|自建|自托管|本地化部署|部署在本地|在本地",
    re.IGNORECASE,
)
_LATENCY = re.compile(
    r"\breal[- ]?time\b|\blow[- ]latency\b|\blatency\b|\bfast (?:responses?|replies|answers|enough)\b"
    r"|\binstant(?:ly)?\b"
    r"|\bquick(?:ly)? respon\w*|\bresponsive\b|\bas fast as possible\b|\bsnappy\b|\bmilliseconds?\b|\bwithout lag\b"
    r"|\blive (?:chat|transcription|captions|conversations?)\b"
    r"|实时|低延迟|延迟低|响应快|秒回|快速响应|反应快|即时|延迟要低|不能卡",
    re.IGNORECASE,
)
_JSON_OUTPUT = re.compile(
    r"\b(?:into|as|in|return(?:s|ing)?|output(?:s|ting)?|emit(?:s)?|respond(?:s)? (?:with|in))"
    r"\s+(?:valid\s+|strict\s+)?json\b"
    r"|\bjson\s+(?:format|schema|objects?)\b|输出\s*json|json\s*格式",
    re.IGNORECASE,
)
STRUCTURED_OUTPUT = str(individual("capability", "structured-output"))
"""The feature a request needs when it asks for JSON without naming the capability ("return JSON")."""
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:no|not|never|avoid(?:ing)?|except|excluding|exclude|without|other than|but not|anything but|rather than"
    r"|instead of|don't|do not|doesn't|does not|can't|cannot|won't|mustn't|nothing from|stay away from|non|ban"
    r"|banned)\b"
    r"|不要|不用|别用|避免|除了|不能用|不可以用|禁止|不想用|不使用|排除|不考虑|别|非|不能是|不要是|不选)"
    r"[^.;!?。；！？,，]*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^\W{0,3}(?:models?\s+)?(?:is|are)?\s*(?:not allowed|banned|forbidden|off[- ]limits|excluded|blocked|a no[- ]go)"
    r"|^\s*(?:的模型)?(?:不行|不可以|不能用|除外|以外|之外)",
    re.IGNORECASE,
)
_PROVIDER_CUE = re.compile(
    r"(?:\b(?:on|via|through|from|by|using|use|hosted on|served by|only|with|at|in)\s+(?:the\s+)?$"
    r"|(?:用|在|通过|走|使用|只用|基于)\s*$)",
    re.IGNORECASE,
)
_LANGUAGE_BEFORE = re.compile(
    r"(?:\b(?:in|into|to)\s+(?:plain\s+|simple\s+|fluent\s+|native\s+)?$"
    r"|(?:翻译成|翻成|译成|译为|翻译为|用|以|输出|转成|改成|换成|转换成|写成)\s*$)",
    re.IGNORECASE,
)
_LANGUAGE_AFTER = re.compile(
    r"^\s*(?:output|responses?|replies|answers?|version|translation|speakers?|audience|users?|customers?)\b"
    r"|^\s*(?:回答|回复|输出|版本|作答)",
    re.IGNORECASE,
)
_SOURCE_LANGUAGE = re.compile(r"\bfrom\s+$|\bin\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Constraints:
    """Hard constraints a model must meet; ``None`` or empty means unconstrained."""

    max_input_price: float | None = None
    budget: str | None = None
    min_context_tokens: int | None = None
    open_weights: bool | None = None
    self_hosted: bool | None = None
    latency: str | None = None
    providers_include: list[str] = field(default_factory=list)
    providers_exclude: list[str] = field(default_factory=list)
    output_language: str | None = None
    features: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The constraints that are set, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, [])}

    def merged(self, options: dict[str, Any]) -> Constraints:
        """A copy with ``options`` (given explicitly, e.g. on the command line) taking precedence."""
        valid = {f.name: f for f in fields(self)}
        unknown = sorted(set(options) - set(valid))
        if unknown:
            raise LinkingError(f"unknown constraint(s) {', '.join(unknown)}", options=valid)
        values = {name: getattr(self, name) for name in valid}
        for name, value in options.items():
            if value is None:
                continue
            values[name] = list(value) if isinstance(values[name], list) else value
        return Constraints(**values)


def parse_number(text: str) -> float:
    """A number in digits (``1,000``, ``0.5``), with a scale word (``200k``, ``1M``, ``10万``) or in Chinese."""
    text = text.strip().lower()
    match = re.fullmatch(rf"({NUM})\s*({_SCALE_WORD})?", text)
    if not match:
        raise LinkingError(f"not a number: {text!r}")
    value = _plain_number(match.group(1))
    return value * _SCALE.get(match.group(2) or "", 1.0)


def _plain_number(text: str) -> float:
    if text[0].isdigit():
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            text = text.replace(",", "")
        return float(text.replace(",", "."))
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
    return float(total + current)


def _scaled(number: str | None, scale: str | None) -> float:
    return _plain_number(number or "0") * _SCALE.get((scale or "").lower(), 1.0)


def _price(text: str) -> float | None:
    prices = []
    for match in _PRICE_EN.finditer(text):
        value = _plain_number(match.group("a") or match.group("b"))
        if match.group("cents") is not None:
            value /= 100
        if match.group("unit").lower() in ("k", "thousand"):
            value *= 1000
        prices.append(value)
    for match in _PRICE_ZH.finditer(text):
        value = _plain_number(match.group("a") or match.group("b"))
        currency = match.group("c1") or match.group("c2")
        unit = (match.group("u1") or match.group("u2") or "").lower().replace(" ", "")
        if currency in ("元", "块"):
            value *= USD_PER_CNY
        if unit in ("千", "1k"):
            value *= 1000
        prices.append(value)
    return round(min(prices), 4) if prices else None


def _context(text: str) -> int | None:
    sizes = []
    for match in _TOKENS.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if re.search(r"output|输出|max(?:imum)? (?:of )?$|(?:per|/|every|each|每)\s*$", before, re.IGNORECASE):
            continue
        for n, s in (("n", "s"), ("n2", "s2"), ("n3", "s3")):
            if match.group(n):
                sizes.append(_scaled(match.group(n), match.group(s)))
    for pattern, per_unit in ((_PAGES, TOKENS_PER_PAGE), (_WORDS, TOKENS_PER_WORD)):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if _WRITING.search(before):
                continue
            count = _scaled(match.group("n"), match.group("s"))
            if pattern is _WORDS:
                per_unit = TOKENS_PER_CHINESE_CHAR if match.group("zh") else TOKENS_PER_WORD
                if count < 2000:
                    continue
            sizes.append(count * per_unit)
    sizes = [size for size in sizes if size >= 1000]
    return int(round(max(sizes))) if sizes else None


def text_constraints(text: str) -> dict[str, Any]:
    """The constraints that need only the words of the request (no linked entities)."""
    found: dict[str, Any] = {}
    price = _price(text)
    if price is not None:
        found["max_input_price"] = price
    if _FREE.search(text):
        found["budget"] = "free"
    elif _CHEAP.search(text):
        found["budget"] = "low"
    context = _context(text)
    if context is not None:
        found["min_context_tokens"] = context
    if _OPEN.search(text) or _SELF_HOSTED.search(text):
        found["open_weights"] = True
    if _SELF_HOSTED.search(text):
        found["self_hosted"] = True
    if _LATENCY.search(text):
        found["latency"] = "low"
    return found


def negated(text: str, mention: Mention) -> bool:
    """True when the clause around ``mention`` rules it out ("no OpenAI", "不要用OpenAI", "OpenAI is banned")."""
    return bool(_NEGATION_BEFORE.search(text[: mention.start]) or _NEGATION_AFTER.search(text[mention.end :]))


def extract_constraints(
    text: str, mentions: Iterable[Mention], *, features: frozenset[str], makers: frozenset[str]
) -> Constraints:
    """All constraints of a request: from its words and from its linked mentions.

    Parameters
    ----------
    text:
        The request.
    mentions:
        Its rule-linked mentions (:func:`kg.linking.rules.longest_mentions`).
    features:
        Capability IRIs that offers declare as API features.
    makers:
        Provider IRIs that make models (their names also name model lines).
    """
    mentions = list(mentions)
    constraints = Constraints(**text_constraints(text))
    spans = {(m.start, m.end): {k.type for k in mentions if (k.start, k.end) == (m.start, m.end)} for m in mentions}
    for mention in mentions:
        if mention.type == "provider":
            target = constraints.providers_exclude if negated(text, mention) else constraints.providers_include
            shared = spans[(mention.start, mention.end)] & {"model", "family"}
            if shared and target is constraints.providers_include and not _PROVIDER_CUE.search(text[: mention.start]):
                continue  # "DeepSeek" names a model line here, not a demand on who serves it
            if mention.iri not in target:
                target.append(mention.iri)
        elif mention.type == "capability" and mention.iri in features and not negated(text, mention):
            if mention.iri not in constraints.features:
                constraints.features.append(mention.iri)
        elif mention.type == "language" and _is_output_language(text, mention):
            if _another_language_joined(text, mention, mentions):
                continue  # "into Japanese and Korean": several outputs, no single output language
            constraints.output_language = mention.iri
    if STRUCTURED_OUTPUT in features and STRUCTURED_OUTPUT not in constraints.features and _JSON_OUTPUT.search(text):
        constraints.features.append(STRUCTURED_OUTPUT)
    constraints.providers_include = [p for p in constraints.providers_include if p not in constraints.providers_exclude]
    return constraints


def _is_output_language(text: str, mention: Mention) -> bool:
    before, after = text[: mention.start], text[mention.end :]
    if re.search(r"\bfrom\s+$", before, re.IGNORECASE) or re.search(r"从\s*$", before):
        return False
    return bool(_LANGUAGE_BEFORE.search(before) or _LANGUAGE_AFTER.search(after))


def _another_language_joined(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    for other in mentions:
        if other.type == "language" and other.iri != mention.iri and other.start >= mention.end:
            between = text[mention.end : other.start]
            if re.fullmatch(r"\s*(?:,|and|or|&|/|和|与|及|、|或)\s*", between, re.IGNORECASE):
                return True
    return False
