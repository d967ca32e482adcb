"""The Hugging Face Open LLM Leaderboard, versions 1 and 2 (both retired), as CSV exports.

The CSVs come from github.com/fboulnois/llm-leaderboard-csv (release v1.3.0). Every row
is one evaluation of one Hub repository at one revision and precision, so a repository
can appear several times. The loaders emit **one mention per repository id** and, per
benchmark, the score of its **best documented evaluation**: an evaluation in the model's
own precision (``float16``, ``bfloat16``, ``float32``) beats a quantised one (``8bit``,
``4bit``, ``GPTQ``), then the most recent submission wins, then the row listed first.
Rows superseded that way are counted in ``skipped["superseded"]``; rows the leaderboard
flagged (contamination, misleading claims) are dropped and counted in ``skipped["flagged"]``.

Scores keep the source's scale: v1 reports percentages (``scale_max=100``), v2 reports
raw fractions (``scale_max=1.0``). v2's ``normalized_score`` columns are not loaded: they
only rescale the raw value above the random-guess baseline, which changes no ranking.
The metric is what the leaderboard computed for that benchmark; the few-shot count and
the evaluated precision go into ``setting`` (``"25-shot; precision=float16"``).

A caution on v1: its ``merged``, ``flagged`` and ``moe`` columns are *inverted* (the
leaderboard stored ``not_flagged`` etc. under those headers): ``flagged=FALSE`` marks a
flagged model, such as ``Contamination/contaminated_proof_7b_v1.0``.

Examples
--------
>>> split_repo("meta-llama/Llama-2-7b-hf")
('meta-llama', 'Llama-2-7b-hf')
>>> split_repo("gpt2")
(None, 'gpt2')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from loaders.base import Loader, parse_bool, parse_date, parse_float, read_csv
from loaders.records import ModelMention, ProviderRecord, ResultRecord, SourceBatch
from loaders.resolve import provider_id

HUB_URL = "https://huggingface.co/"
FULL_PRECISIONS = frozenset({"float16", "bfloat16", "float32"})
"""Precisions a model is published in; an evaluation in one of them beats a quantised one."""


def split_repo(repo_id: str) -> tuple[str | None, str]:
    """``(organisation, model)`` of a Hub repository id; no organisation for legacy ids like ``gpt2``."""
    organisation, _, model = repo_id.rpartition("/")
    return (organisation or None), model


def _first_score(rows: list[dict[str, str]], column: str) -> tuple[dict[str, str], float] | None:
    """The first row with a number in ``column``, and that number."""
    for row in rows:
        value = parse_float(row[column])
        if value is not None:
            return row, value
    return None


@dataclass(frozen=True, slots=True)
class LeaderboardBenchmark:
    """One benchmark column group of a leaderboard CSV.

    ``name`` is the benchmark's name; when ``name_column`` is set, a non-blank cell of that
    column overrides it (v2 spells its names in the data).
    """

    name: str
    value_column: str
    metric: str
    shots: int
    name_column: str | None = None


class OpenLLMLeaderboardLoader(Loader):
    """Shared reader of both leaderboard versions; subclasses name their columns."""

    licence = "MPL-2.0 (fboulnois/llm-leaderboard-csv); scores from the Hugging Face Open LLM Leaderboard"
    homepage = "https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard"

    benchmarks: ClassVar[tuple[LeaderboardBenchmark, ...]]
    scale_max: ClassVar[float]
    repo_column: ClassVar[str]
    date_column: ClassVar[str]
    licence_column: ClassVar[str]
    params_column: ClassVar[str]
    precision_column: ClassVar[str]
    flag_column: ClassVar[str]

    def __init__(self) -> None:
        self.skipped: dict[str, int] = Counter()

    # --- what differs between versions -------------------------------------------------

    def is_flagged(self, row: dict[str, str]) -> bool:
        """Whether the leaderboard flagged this row's model."""
        return parse_bool(row[self.flag_column]) is True

    def extra_mention_fields(self, row: dict[str, str]) -> dict[str, Any]:
        """Mention fields only one version provides (release date, base model, modalities)."""
        return {}

    # --- shared logic ------------------------------------------------------------------

    def required_columns(self) -> tuple[str, ...]:
        """Columns without which the file cannot be read."""
        return (self.repo_column, self.flag_column, *(benchmark.value_column for benchmark in self.benchmarks))

    def parse(self, location: str, batch: SourceBatch) -> None:
        self.skipped = Counter()
        rows_by_repo: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
        for index, row in enumerate(read_csv(location, required=self.required_columns())):
            repo_id = row[self.repo_column].strip()
            if not repo_id:
                self.skipped["no model id"] += 1
            elif self.is_flagged(row):
                self.skipped["flagged"] += 1
            else:
                rows_by_repo[repo_id].append((index, row))
        providers: dict[str, ProviderRecord] = {}
        for repo_id, rows in rows_by_repo.items():
            ordered = sorted(rows, key=lambda item: self._preference(*item), reverse=True)
            best_first = [row for _, row in ordered]
            if len(best_first) > 1:
                self.skipped["superseded"] += len(best_first) - 1
            mention = self._mention(repo_id, best_first[0])
            batch.models.append(mention)
            if mention.creator and mention.creator not in providers:
                organisation = split_repo(repo_id)[0] or ""
                providers[mention.creator] = ProviderRecord(
                    provider_id=mention.creator, name=organisation, homepage=HUB_URL + organisation
                )
            batch.results.extend(self._results(repo_id, best_first))
        batch.providers.extend(providers.values())

    def _preference(self, index: int, row: dict[str, str]) -> tuple[bool, date, int]:
        """Sort key of a repository's rows, best first when sorted in reverse (see the module docstring)."""
        precision = (row.get(self.precision_column) or "").strip().lower()
        evaluated = parse_date(row.get(self.date_column)) or date.min
        return precision in FULL_PRECISIONS, evaluated, -index

    def _results(self, repo_id: str, best_first: list[dict[str, str]]) -> list[ResultRecord]:
        """Per benchmark, the best row's score (the next row fills in a blank score)."""
        results = []
        for benchmark in self.benchmarks:
            found = _first_score(best_first, benchmark.value_column)
            if found is None:
                continue
            row, value = found
            name = (row.get(benchmark.name_column) or "").strip() if benchmark.name_column else ""
            precision = (row.get(self.precision_column) or "").strip()
            setting = f"{benchmark.shots}-shot" + (f"; precision={precision}" if precision else "")
            results.append(
                ResultRecord(
                    model_source_id=repo_id,
                    benchmark=name or benchmark.name,
                    metric=benchmark.metric,
                    value=value,
                    scale_max=self.scale_max,
                    date=parse_date(row.get(self.date_column)),
                    self_reported=False,
                    setting=setting,
                )
            )
        return results

    def _mention(self, repo_id: str, row: dict[str, str]) -> ModelMention:
        organisation, model = split_repo(repo_id)
        params = parse_float(row.get(self.params_column))
        mention = ModelMention(
            source_id=repo_id,
            name=model,
            creator=provider_id(organisation) if organisation else None,
            open_weights=True,
            licence=(row.get(self.licence_column) or "").strip() or None,
            parameter_count=int(round(params * 1e9)) if params and params > 0 else None,
            input_modalities=frozenset({"text"}),
            output_modalities=frozenset({"text"}),
            capabilities=frozenset({"text-generation"}),
            homepage=HUB_URL + repo_id,
        )
        return replace(mention, **self.extra_mention_fields(row))


class OpenLLMLeaderboardV1Loader(OpenLLMLeaderboardLoader):
    """Open LLM Leaderboard v1 (2023 - June 2024): ARC, HellaSwag, MMLU, TruthfulQA, Winogrande, GSM8K."""

    name = "open_llm_v1"
    title = "Open LLM Leaderboard v1"
    default_path = "benchmarks/open_llm_leaderboard_v1.csv"
    scale_max = 100.0
    repo_column = "fullname"
    date_column = "date"
    licence_column = "hub_license"
    params_column = "params_b"
    precision_column = "precision"
    flag_column = "flagged"
    benchmarks = (
        LeaderboardBenchmark("ARC", "arc", "normalized_accuracy", 25),
        LeaderboardBenchmark("HellaSwag", "hellaswag", "normalized_accuracy", 10),
        LeaderboardBenchmark("MMLU", "mmlu", "accuracy", 5),
        LeaderboardBenchmark("TruthfulQA", "truthfulqa", "mc2", 0),
        LeaderboardBenchmark("Winogrande", "winogrande", "accuracy", 5),
        LeaderboardBenchmark("GSM8K", "gsm8k", "exact_match", 5),
    )

    def is_flagged(self, row: dict[str, str]) -> bool:
        """v1's ``flagged`` column holds *not flagged*: ``FALSE`` marks a flagged model."""
        return parse_bool(row[self.flag_column]) is False


class OpenLLMLeaderboardV2Loader(OpenLLMLeaderboardLoader):
    """Open LLM Leaderboard v2 (June 2024 - March 2025): IFEval, BBH, MATH Lvl 5, GPQA, MuSR, MMLU-PRO."""

    name = "open_llm_v2"
    title = "Open LLM Leaderboard v2"
    default_path = "benchmarks/open_llm_leaderboard_v2.csv"
    scale_max = 1.0
    repo_column = "model_name"
    date_column = "metadata_submission_date"
    licence_column = "metadata_hub_license"
    params_column = "metadata_params_billions"
    precision_column = "model_precision"
    flag_column = "features_is_flagged"
    benchmarks = tuple(
        LeaderboardBenchmark(name, f"evaluations_{key}_value", metric, shots, name_column=f"evaluations_{key}_name")
        for key, name, metric, shots in (
            ("ifeval", "IFEval", "strict_accuracy", 0),
            ("bbh", "BBH", "normalized_accuracy", 3),
            ("math", "MATH Level 5", "exact_match", 4),
            ("gpqa", "GPQA", "normalized_accuracy", 0),
            ("musr", "MUSR", "normalized_accuracy", 0),
            ("mmlu_pro", "MMLU-PRO", "accuracy", 5),
        )
    )

    def extra_mention_fields(self, row: dict[str, str]) -> dict[str, Any]:
        """Upload date as release date, the base model of fine-tunes, images for multimodal models."""
        fields: dict[str, Any] = {"release_date": parse_date(row.get("metadata_upload_date"))}
        base = (row.get("metadata_base_model") or "").strip()
        # the column repeats the model itself for base models, says "Removed", or "X (Merge)" for merges
        if "/" in base and not base.endswith(")") and base != row[self.repo_column].strip():
            fields["fine_tuned_from"] = base
        if (row.get("model_type") or "").strip().lower() == "multimodal":
            fields["input_modalities"] = frozenset({"text", "image"})
            fields["capabilities"] = frozenset({"text-generation", "vision"})
        return fields
