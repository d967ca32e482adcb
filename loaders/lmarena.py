"""LMArena (formerly Chatbot Arena) leaderboards: crowd-voted Elo scores per chat model.

The CSVs come from github.com/fboulnois/llm-leaderboard-csv, which exports LMArena's
published leaderboard tables. Columns: ``rank, rank_stylectrl, model, arena_score,
95_pct_ci, votes, organization, license, knowledge_cutoff, url``.

Each row becomes one :class:`~loaders.records.ModelMention` (keyed by the arena's model
name) and one :class:`~loaders.records.ResultRecord`: metric ``elo``, open scale
(``scale_max=None``), the vote count and confidence interval in ``setting``. The files
carry no date; the build stamps the retrieval date as provenance. A model listed twice
(the text leaderboard lists ``Yi-34B-Chat`` twice) keeps its first, better-ranked row;
the others are counted in :attr:`LMArenaLoader.skipped`.

Examples
--------
>>> open_weights_from_licence("Apache 2.0"), open_weights_from_licence("Proprietary")
(True, False)
>>> open_weights_from_licence("Non-commercial") is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from typing import ClassVar

from loaders.base import Loader, parse_date, parse_float, parse_int, read_csv
from loaders.records import ModelMention, ProviderRecord, ResultRecord, SourceBatch
from loaders.resolve import provider_id

REQUIRED_COLUMNS = ("model", "arena_score", "95_pct_ci", "votes", "organization", "license")

_CLOSED_LICENCE = re.compile(r"^\s*propr?i?etary\s*$", re.IGNORECASE)  # "Proprietary" and the typo "Propretary"
_OPEN_LICENCE = re.compile(
    r"apache|\bmit\b|cc-by|llama|gemma|qwen|qianwen|deepseek|\byi\b|jamba open|nvidia|\bmrl\b|mistral research"
    r"|dbrx|falcon|impact|cogvlm|nexusflow|openrail|\bbsd\b|\bgpl\b",
    re.IGNORECASE,
)
"""Licence names under which the weights are published (open, community or research licences)."""


def open_weights_from_licence(licence: str | None) -> bool | None:
    """``False`` for a proprietary licence, ``True`` for a known open-weights licence, else ``None``.

    ``Non-commercial``, ``Other`` and blanks say nothing about the weights, so they give ``None``.
    """
    if not licence or not licence.strip():
        return None
    if _CLOSED_LICENCE.match(licence):
        return False
    if _OPEN_LICENCE.search(licence):
        return True
    return None


def _cutoff(value: str) -> str:
    """``2023/10`` -> ``2023-10`` so :func:`parse_date` reads it (``Online``, ``Unknown`` stay unparseable)."""
    return re.sub(r"^(\d{4})/(\d{1,2})$", lambda m: f"{m.group(1)}-{int(m.group(2)):02d}", value.strip())


class LMArenaLoader(Loader):
    """Shared reader of the LMArena leaderboard CSVs; subclasses name the arena and its modalities."""

    licence = "MPL-2.0 (fboulnois/llm-leaderboard-csv); scores from LMArena"
    homepage = "https://lmarena.ai/leaderboard"
    benchmark: ClassVar[str]
    input_modalities: ClassVar[frozenset[str]] = frozenset({"text"})
    capabilities: ClassVar[frozenset[str]] = frozenset({"text-generation", "conversation"})

    def __init__(self) -> None:
        self.skipped: dict[str, int] = Counter()

    def parse(self, location: str, batch: SourceBatch) -> None:
        self.skipped = Counter()
        seen: set[str] = set()
        providers: dict[str, ProviderRecord] = {}
        for row in read_csv(location, required=REQUIRED_COLUMNS):
            model = row["model"].strip()
            score = parse_float(row["arena_score"])
            if not model or score is None:
                self.skipped["no model or score"] += 1
                continue
            if model in seen:
                self.skipped["duplicate model"] += 1
                continue
            seen.add(model)
            organisation = row["organization"].strip()
            creator = provider_id(organisation) if organisation else None
            if creator and creator not in providers:
                providers[creator] = ProviderRecord(provider_id=creator, name=organisation)
            batch.models.append(self._mention(model, creator, row))
            batch.results.append(
                ResultRecord(
                    model_source_id=model,
                    benchmark=self.benchmark,
                    metric="elo",
                    value=score,
                    scale_max=None,
                    self_reported=False,
                    setting=f"votes={parse_int(row['votes'])}; ci={row['95_pct_ci'].strip()}",
                )
            )
        batch.providers.extend(providers.values())

    def _mention(self, model: str, creator: str | None, row: dict[str, str]) -> ModelMention:
        licence = row["license"].strip() or None
        url = (row.get("url") or "").strip()
        return ModelMention(
            source_id=model,
            name=model,
            creator=creator,
            licence=licence,
            open_weights=open_weights_from_licence(licence),
            knowledge_cutoff=parse_date(_cutoff(row.get("knowledge_cutoff") or "")),
            input_modalities=self.input_modalities,
            output_modalities=frozenset({"text"}),
            capabilities=self.capabilities,
            homepage=url if url.startswith(("http://", "https://")) else None,
        )


class LMArenaTextLoader(LMArenaLoader):
    """The LMArena text (chat) leaderboard."""

    name = "lmarena_text"
    title = "LMArena text leaderboard"
    default_path = "benchmarks/lmarena_text.csv"
    benchmark = "LMArena Text"


class LMArenaVisionLoader(LMArenaLoader):
    """The LMArena vision leaderboard: chats that include images."""

    name = "lmarena_vision"
    title = "LMArena vision leaderboard"
    default_path = "benchmarks/lmarena_vision.csv"
    benchmark = "LMArena Vision"
    input_modalities = frozenset({"text", "image"})
    capabilities = frozenset({"text-generation", "vision"})
