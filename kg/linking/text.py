"""Normalised words of a text, with their character offsets: the units every matcher works on.

Letters and digits are split apart and everything else is a separator, so ``"GPT-4o"``,
``"gpt 4o"`` and ``"GPT4o"`` give the same words; each Chinese (CJK) character is a word of
its own, which is how Chinese labels are matched without a word segmenter.

Examples
--------
>>> [w.norm for w in words("Use GPT-4o, not Claude 3.5!")]
['use', 'gpt', '4', 'o', 'not', 'claude', '3', '5']
>>> [w.norm for w in words("帮我翻译PDF")]
['帮', '我', '翻', '译', 'pdf']
>>> is_chinese("帮我总结这份报告"), is_chinese("summarise this report")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|\d+|[^\W\d_{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


@dataclass(frozen=True, slots=True)
class Word:
    """A normalised word and where it is in the original text (``text[start:end]``)."""

    norm: str
    start: int
    end: int


def normalise(text: str) -> str:
    """NFKC and case folding; keeps the length of ordinary text so offsets stay valid."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if len(folded) == len(text) else text.lower()


def words(text: str) -> list[Word]:
    """The normalised words of ``text`` with their offsets."""
    return [Word(match.group(), match.start(), match.end()) for match in _WORD.finditer(normalise(text))]


def inflections(word: str) -> list[str]:
    """Base forms an English verb or plural may come from, most likely first.

    The rule linker uses the first one that is a word of some label, so "summarizing" meets the
    label "summarize" while "coding" (itself a label word) stays "coding".

    >>> inflections("summarizing"), inflections("summaries"), inflections("translated")
    (['summariz', 'summarize'], ['summary'], ['translat', 'translate'])
    """
    if not (word.isascii() and word.isalpha()) or len(word) <= 4:
        return []
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith("ing"):
        return [word[:-3], word[:-3] + "e"]
    if word.endswith("ed"):
        return [word[:-2], word[:-1]]
    if word.endswith("es"):
        return [word[:-2], word[:-1]]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [word[:-1]]
    return []


def word_key(text: str) -> tuple[str, ...]:
    """The words of a label, for matching (``"Claude 3.5 Sonnet"`` -> ``('claude', '3', '5', 'sonnet')``)."""
    return tuple(word.norm for word in words(text))


def is_chinese(text: str) -> bool:
    """True when at least a fifth of the letters of ``text`` are Chinese characters."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(bool(_CJK_CHAR.match(char)) for char in letters) * 5 >= len(letters)
