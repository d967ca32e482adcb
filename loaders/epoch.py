"""Epoch AI's Benchmarking Hub: Epoch's own runs and the external leaderboards it tracks.

The source is a local folder (github.com/epoch-research/benchmark-stitching, MIT) with:

``benchmarks_runs.csv``
    Epoch's own evaluations (GPQA diamond, MATH level 5, FrontierMath, SWE-Bench verified...):
    ``task, model, Best score (across scorers)`` (a fraction), ``started_at``, ``Status``.
    Only ``Success`` runs are loaded; the result links to the run's log viewer.
``external_benchmark_<name>.csv``
    One file per external leaderboard or paper table, each with its own score column(s).
    :data:`EXTERNAL_BENCHMARKS` maps every known file to its benchmark name, score
    column(s), metric and scale; a mapped file that lacks a score column is an error.
    A file not in the mapping is read by the generic rule (:func:`generic_benchmark`):
    benchmark name from the file name, the first of :data:`GENERIC_SCORE_COLUMNS` it has,
    scale 100 when its cells carry ``%``; a file without such a column is skipped and
    counted in ``skipped["unmapped file"]``.
``model_versions.csv``
    Names, Hugging Face developer ids and release dates of the model versions.

Epoch's model-version ids carry run settings as suffixes: ``o3-2025-04-16_high`` is o3 at
high reasoning effort, ``claude-3-7-sonnet-20250219_16K`` Claude 3.7 Sonnet with a 16K
thinking budget, ``DeepSeek-V3.1_thinking`` DeepSeek-V3.1 in thinking mode. The model is
the id without the suffix and the suffix goes into ``ResultRecord.setting``
(:func:`split_setting`). Rows without a model version (a paper's unnamed baseline) are
skipped and counted. ``distilled_models.csv`` is not read.

Examples
--------
>>> split_setting("gpt-5-2025-08-07_high")
('gpt-5-2025-08-07', 'reasoning_effort=high')
>>> split_setting("claude-3-7-sonnet-20250219_16K")
('claude-3-7-sonnet-20250219', 'thinking_budget=16K')
>>> split_setting("open_llama_7b")
('open_llama_7b', None)
>>> parse_day_month_year("13/3/2025")
datetime.date(2025, 3, 13)
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from genre.errors import LoaderError
from loaders.base import Loader, parse_date, parse_float, read_csv
from loaders.records import ModelMention, ProviderRecord, ResultRecord, SourceBatch
from loaders.resolve import provider_id

logger = logging.getLogger(__name__)

RUNS_FILE = "benchmarks_runs.csv"
VERSIONS_FILE = "model_versions.csv"
EXTERNAL_PREFIX = "external_benchmark_"
MODEL_COLUMN = "Model version"
SOURCE_LINK_COLUMNS = ("Source link", "Source link (site from table)")
HUB_URL = "https://huggingface.co/"


@dataclass(frozen=True, slots=True)
class Score:
    """One score column: what it measures and on what scale.

    ``benchmark`` overrides the file's benchmark name (a file with two test sets);
    ``setting`` is a fixed note added to every result from this column.
    """

    column: str
    metric: str
    scale_max: float | None
    setting: str | None = None
    benchmark: str | None = None


@dataclass(frozen=True, slots=True)
class ExternalBenchmark:
    """How to read one ``external_benchmark_*.csv`` file.

    ``setting_columns`` are copied into ``setting`` as ``column=value`` when non-blank;
    ``date_column`` holds the date the result was added (day/month/year);
    ``creator_column`` names the model's developer.
    """

    benchmark: str
    scores: tuple[Score, ...]
    setting_columns: tuple[str, ...] = ()
    date_column: str | None = None
    creator_column: str | None = None


def _percent(column: str, metric: str = "accuracy", setting: str | None = None, benchmark: str | None = None) -> Score:
    return Score(column, metric, 100.0, setting, benchmark)


_SHOTS = ("Shots",)
_FICTION_CONTEXTS = ("0", "400", "1k", "2k", "4k", "8k", "16k", "32k", "60k", "120k", "192k")

EXTERNAL_BENCHMARKS: dict[str, ExternalBenchmark] = {
    "aider_polyglot": ExternalBenchmark(
        "Aider polyglot", (_percent("Percent correct", "percent_correct"),), ("Edit format",)
    ),
    "anli": ExternalBenchmark("ANLI", (_percent("Score"),), _SHOTS),
    "arc_agi": ExternalBenchmark("ARC-AGI", (_percent("Score", "percent_solved"),)),
    "arc_ai2": ExternalBenchmark(
        "ARC",
        (
            _percent("Challenge score", benchmark="ARC-Challenge"),
            _percent("Easy score", benchmark="ARC-Easy"),
        ),
        _SHOTS,
    ),
    "balrog": ExternalBenchmark("BALROG", (_percent("Average progress", "progress"),), date_column="Date added"),
    "bbh": ExternalBenchmark("BBH", (_percent("Average"),), _SHOTS),
    "boolq": ExternalBenchmark("BoolQ", (_percent("Score"),), _SHOTS),
    "cadeval": ExternalBenchmark("CadEval", (_percent("Overall pass (%)", "pass_rate"),), ("Prompt",)),
    "csqa2": ExternalBenchmark("CommonsenseQA 2.0", (_percent("Score"),), _SHOTS),
    "cybench": ExternalBenchmark("Cybench", (_percent("Unguided % Solved", "percent_solved", "unguided"),)),
    "deepresearch": ExternalBenchmark("DeepResearch Bench", (_percent("Average score", "score"),), ("Agent",)),
    "factorio_learning_environment": ExternalBenchmark(
        "Factorio Learning Environment",
        (_percent("Lab Success %", "lab_success_rate"), Score("Production score", "production_score", None)),
        ("Tools",),
        date_column="Date added",
    ),
    "fictionlivebench": ExternalBenchmark(
        "Fiction.LiveBench",
        tuple(_percent(f"{size} token score", setting=f"context={size} tokens") for size in _FICTION_CONTEXTS),
    ),
    "geobench": ExternalBenchmark(
        "GeoBench", (_percent("ACW Country %", "country_accuracy", "A Community World"),), ("Tools",)
    ),
    "gsm8k": ExternalBenchmark("GSM8K", (_percent("EM", "exact_match"),), _SHOTS),
    "gso_bench": ExternalBenchmark("GSO-Bench", (_percent("Score OPT@1", "opt@1"),), ("Scaffold",)),
    "hellaswag": ExternalBenchmark("HellaSwag", (_percent("Overall accuracy"),), _SHOTS),
    "lambada": ExternalBenchmark("LAMBADA", (_percent("Score"),), _SHOTS),
    "lech_mazur_writing": ExternalBenchmark("Lech Mazur Writing", (Score("Mean score", "mean_score", 10.0),)),
    "livebench": ExternalBenchmark("LiveBench", (_percent("Global average", "score"),), ("LiveBench Version",)),
    "mcbench": ExternalBenchmark("MC-Bench", (Score("ELO", "elo", None),), ("Votes",)),
    "metr": ExternalBenchmark(
        "METR time horizon",
        (Score("Time horizon", "time_horizon_minutes", None),),
        ("CI_low", "CI_high"),
        creator_column="Organization",
    ),
    "mmlu": ExternalBenchmark("MMLU", (_percent("EM", "exact_match"),), _SHOTS),
    "openbookqa": ExternalBenchmark("OpenBookQA", (_percent("Accuracy"),), _SHOTS),
    "os_world": ExternalBenchmark(
        "OSWorld", (_percent("Score", "success_rate"),), ("Agent",), date_column="Date added"
    ),
    "osuniverse": ExternalBenchmark("OSUniverse", (_percent("Weighted Score", "weighted_score"),), ("Agent",)),
    "piqa": ExternalBenchmark("PIQA", (_percent("Score"),), _SHOTS),
    "scienceqa": ExternalBenchmark("ScienceQA", (_percent("Score"),), _SHOTS),
    "simple_bench": ExternalBenchmark("SimpleBench", (_percent("Score (AVG@5)", setting="avg@5"),)),
    "superglue": ExternalBenchmark("SuperGLUE", (_percent("Score", "score"),)),
    "terminal_bench": ExternalBenchmark("Terminal-Bench", (_percent("Accuracy mean"),), ("Agent",)),
    "the_agent_company": ExternalBenchmark(
        "TheAgentCompany",
        (_percent("% Resolved", "resolved_rate"), _percent("% Score", "score")),
        date_column="Date",
    ),
    "triviaqa": ExternalBenchmark("TriviaQA", (_percent("EM", "exact_match"),), _SHOTS),
    "videomme": ExternalBenchmark(
        "Video-MME",
        (
            _percent("Overall (no subtitles)", setting="subtitles=no"),
            _percent("Overall (with subtitles)", setting="subtitles=yes"),
        ),
        ("Frames",),
    ),
    "vpct": ExternalBenchmark("VPCT", (_percent("Correct", "percent_correct"),)),
    "weirdml": ExternalBenchmark("WeirdML", (_percent("Accuracy"),)),
    "winogrande": ExternalBenchmark("Winogrande", (_percent("Accuracy"),), _SHOTS),
}
"""File name (between ``external_benchmark_`` and ``.csv``) -> how to read it."""

GENERIC_SCORE_COLUMNS: dict[str, str] = {
    "Score": "score",
    "Accuracy": "accuracy",
    "EM": "exact_match",
    "Average": "score",
    "Percent correct": "percent_correct",
}
"""Score column -> metric, in order of preference, for files missing from :data:`EXTERNAL_BENCHMARKS`."""

RUN_METRICS: dict[str, str] = {"SWE-Bench verified": "resolved_rate"}
"""Metric of an Epoch run per task; every other task is scored by ``accuracy``."""

_SUFFIX = re.compile(r"_(?:(?P<effort>minimal|low|medium|high)|(?P<budget>\d+[kK])|(?P<thinking>thinking))$")


def split_setting(model_version: str) -> tuple[str, str | None]:
    """Split an Epoch model-version id into the model id and its run setting (or ``None``)."""
    match = _SUFFIX.search(model_version)
    if match is None:
        return model_version, None
    if match["effort"]:
        setting = f"reasoning_effort={match['effort']}"
    elif match["budget"]:
        setting = f"thinking_budget={match['budget'].upper()}"
    else:
        setting = "thinking=on"
    return model_version[: match.start()], setting


def parse_day_month_year(value: str | None) -> date | None:
    """Epoch's ``Date added`` cells are day/month/year (``13/3/2025``); ISO dates are read too."""
    text = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match is None:
        return parse_date(text)
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def generic_benchmark(stem: str, rows: list[dict[str, str]]) -> ExternalBenchmark | None:
    """How to read an unmapped file: its first known score column, or ``None`` if it has none."""
    header = rows[0].keys() if rows else ()
    column = next((name for name in GENERIC_SCORE_COLUMNS if name in header), None)
    if column is None or MODEL_COLUMN not in header:
        return None
    percent = any((row.get(column) or "").strip().endswith("%") for row in rows)
    score = Score(column, GENERIC_SCORE_COLUMNS[column], 100.0 if percent else None)
    return ExternalBenchmark(stem.replace("_", " "), (score,), tuple(c for c in _SHOTS if c in header))


def _join_setting(*parts: str | None) -> str | None:
    text = "; ".join(part for part in parts if part)
    return text or None


def _link(row: dict[str, str], *columns: str) -> str | None:
    """The first http(s) link among ``columns`` (some cells hold prose instead of a URL)."""
    for column in columns:
        value = (row.get(column) or "").strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


class EpochLoader(Loader):
    """Epoch AI Benchmarking Hub: Epoch's runs, tracked external benchmarks, model versions."""

    name = "epoch"
    title = "Epoch AI Benchmarking Hub"
    licence = "MIT"
    homepage = "https://epoch.ai/benchmarks"
    default_path = "benchmarks/epoch"
    folder_source = True

    def __init__(self) -> None:
        self.skipped: dict[str, int] = Counter()

    def parse(self, location: str, batch: SourceBatch) -> None:
        self.skipped = Counter()
        folder = Path(location).expanduser()
        if not folder.is_dir():
            raise LoaderError(f"epoch: source folder not found: {folder}")
        creators: dict[str, str] = {}
        batch.results.extend(self._runs(folder / RUNS_FILE))
        for path in self.iter_files(location, f"{EXTERNAL_PREFIX}*.csv"):
            batch.results.extend(self._external(path, creators))
        self._mentions(folder / VERSIONS_FILE, batch, creators)

    # --- results -------------------------------------------------------------------------

    def _runs(self, path: Path) -> list[ResultRecord]:
        """Epoch's own successful runs; the score is a fraction."""
        results = []
        for row in read_csv(path, required=("task", "model", "Best score (across scorers)", "Status")):
            if row["Status"].strip() != "Success":
                self.skipped["failed run"] += 1
                continue
            value = parse_float(row["Best score (across scorers)"])
            model, setting = split_setting(row["model"].strip())
            if not model or value is None:
                self.skipped["no model or score"] += 1
                continue
            task = row["task"].strip()
            results.append(
                ResultRecord(
                    model_source_id=model,
                    benchmark=task,
                    metric=RUN_METRICS.get(task, "accuracy"),
                    value=value,
                    scale_max=1.0,
                    date=parse_date(row.get("started_at")),
                    source_url=_link(row, "log viewer", "logs"),
                    self_reported=False,
                    setting=setting,
                )
            )
        return results

    def _external(self, path: Path, creators: dict[str, str]) -> list[ResultRecord]:
        """Results of one external benchmark file, read by its mapping or the generic rule."""
        stem = path.stem.removeprefix(EXTERNAL_PREFIX)
        spec = EXTERNAL_BENCHMARKS.get(stem)
        if spec is None:
            spec = generic_benchmark(stem, read_csv(path))
            if spec is None:
                logger.warning("epoch: skipped %s: not in EXTERNAL_BENCHMARKS and no known score column", path.name)
                self.skipped["unmapped file"] += 1
                return []
        rows = read_csv(path, required=(MODEL_COLUMN, *(score.column for score in spec.scores)))
        results = []
        for row in rows:
            model, effort = split_setting((row[MODEL_COLUMN] or "").strip())
            if not model:
                self.skipped["no model version"] += 1
                continue
            if spec.creator_column and (row.get(spec.creator_column) or "").strip():
                creators.setdefault(model, row[spec.creator_column].strip())
            columns = [_setting_item(c, row[c]) for c in spec.setting_columns if (row.get(c) or "").strip()]
            for score in spec.scores:
                value = parse_float(row[score.column])
                if value is None:
                    self.skipped["no score"] += 1
                    continue
                if value < 0 or (score.scale_max is not None and value > score.scale_max):
                    self.skipped["score out of range"] += 1
                    continue
                results.append(
                    ResultRecord(
                        model_source_id=model,
                        benchmark=score.benchmark or spec.benchmark,
                        metric=score.metric,
                        value=value,
                        scale_max=score.scale_max,
                        date=parse_day_month_year(row.get(spec.date_column)) if spec.date_column else None,
                        source_url=_link(row, *SOURCE_LINK_COLUMNS),
                        setting=_join_setting(effort, score.setting, *columns),
                    )
                )
        return results

    # --- models --------------------------------------------------------------------------

    def _mentions(self, path: Path, batch: SourceBatch, creators: dict[str, str]) -> None:
        """One mention per model (version id without its setting suffix), with its providers."""
        versions: dict[str, list[dict[str, str]]] = {}
        for row in read_csv(path, required=("id", "Model", "Version release date")):
            version_id = row["id"].strip()
            if version_id:
                model, _ = split_setting(version_id)
                rows = versions.setdefault(model, [])
                if version_id == model:  # the row without a suffix describes the model best
                    rows.insert(0, row)
                else:
                    rows.append(row)
        for result in batch.results:
            versions.setdefault(result.model_source_id, [])
        providers: dict[str, ProviderRecord] = {}
        for model, rows in versions.items():
            mention = _mention(model, rows, creators.get(model))
            batch.models.append(mention)
            if mention.creator and mention.creator not in providers:
                providers[mention.creator] = _provider(mention.creator, rows, creators.get(model))
        batch.providers.extend(providers.values())


def _setting_item(column: str, value: str) -> str:
    """A setting cell as text: shots as ``5-shot`` (like the other loaders), others as ``edit_format=diff``.

    >>> _setting_item("Shots", "5"), _setting_item("Shots", "25-shot"), _setting_item("Edit format", "diff")
    ('5-shot', '25-shot', 'edit_format=diff')
    """
    value = value.strip()
    if column in _SHOTS:
        return value if value.endswith("shot") else f"{value}-shot"
    key = re.sub(r"[^a-z0-9@]+", "_", column.lower()).strip("_")
    return f"{key}={value}"


def _cell(rows: list[dict[str, str]], column: str) -> str:
    """The first non-blank value of ``column`` among ``rows``."""
    return next((value for row in rows if (value := (row.get(column) or "").strip())), "")


def _mention(model: str, rows: list[dict[str, str]], organisation: str | None) -> ModelMention:
    """A model from its model_versions rows (base row first; suffixed rows' display names name a run)."""
    base = rows[0] if rows and rows[0]["id"].strip() == model else None
    names = [_cell(rows, "Model")]
    if base is not None:
        names.insert(0, (base.get("Display name") or "").strip())
    names = list(dict.fromkeys(name for name in names if name))
    developer = _cell(rows, "Hugging Face developer id") or organisation
    dates = [d for row in rows if (d := parse_date(row.get("Version release date")))]
    release = parse_date(base.get("Version release date")) if base is not None else None
    link = _link(base or (rows[0] if rows else {}), "Link")
    return ModelMention(
        source_id=model,
        name=names[0] if names else model,
        aliases=tuple(names[1:]),
        creator=provider_id(developer) if developer else None,
        release_date=release or (min(dates) if dates else None),
        homepage=link,
    )


def _provider(creator: str, rows: list[dict[str, str]], organisation: str | None) -> ProviderRecord:
    developer = _cell(rows, "Hugging Face developer id")
    if developer:
        return ProviderRecord(provider_id=creator, name=developer, homepage=HUB_URL + developer)
    return ProviderRecord(provider_id=creator, name=organisation)
