"""Benchmark loaders (Open LLM Leaderboard v1/v2, LMArena, Epoch) on small real samples.

The samples under ``tests/data/sources/`` are cut from the real files; their README says
where each came from. Nothing here reads the shared data folder.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from genre.errors import LoaderError
from loaders import LOADERS
from loaders.epoch import EXTERNAL_BENCHMARKS, EpochLoader, parse_day_month_year, split_setting
from loaders.lmarena import LMArenaTextLoader, LMArenaVisionLoader, open_weights_from_licence
from loaders.open_llm_leaderboard import OpenLLMLeaderboardV1Loader, OpenLLMLeaderboardV2Loader
from loaders.records import ResultRecord, SourceBatch
from loaders.resolve import provider_id

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
SAMPLES = {
    "open_llm_v1": SOURCES / "open_llm_v1_sample.csv",
    "open_llm_v2": SOURCES / "open_llm_v2_sample.csv",
    "lmarena_text": SOURCES / "lmarena_text_sample.csv",
    "lmarena_vision": SOURCES / "lmarena_vision_sample.csv",
    "epoch": SOURCES / "epoch_sample",
}


def results_of(batch: SourceBatch, model: str, benchmark: str | None = None) -> list[ResultRecord]:
    return [r for r in batch.results if r.model_source_id == model and benchmark in (None, r.benchmark)]


def only(results: list[ResultRecord]) -> ResultRecord:
    assert len(results) == 1, results
    return results[0]


# --- every benchmark loader -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_registered_with_provenance(name: str) -> None:
    loader_class = LOADERS.load(name)
    assert loader_class.name == name
    assert loader_class.default_path.startswith("benchmarks/")
    batch = loader_class().load(SAMPLES[name])
    assert batch.source.name == name
    assert batch.source.licence and batch.source.homepage.startswith("https://")
    assert batch.models and batch.results
    mentioned = {m.source_id for m in batch.models}
    assert len(mentioned) == len(batch.models), "one mention per model id"
    assert {r.model_source_id for r in batch.results} <= mentioned
    assert all(p.provider_id == p.provider_id.lower() for p in batch.providers)
    assert {m.creator for m in batch.models if m.creator} <= {p.provider_id for p in batch.providers}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_missing_source_names_the_path(name: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(LoaderError, match="nowhere"):
        LOADERS.load(name)().load(missing)


@pytest.mark.parametrize("name", ["open_llm_v1", "open_llm_v2", "lmarena_text"])
def test_garbage_bytes_are_a_loader_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\xfa" * 20)
    with pytest.raises(LoaderError, match="garbage.csv"):
        LOADERS.load(name)().load(path)


@pytest.mark.parametrize(
    ("name", "column"),
    [("open_llm_v1", "arc"), ("open_llm_v2", "evaluations_ifeval_value"), ("lmarena_text", "arena_score")],
)
def test_missing_score_column_is_named(name: str, column: str, tmp_path: Path) -> None:
    header, *rows = SAMPLES[name].read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    position = columns.index(column)
    lines = [",".join(columns[:position] + columns[position + 1 :])]
    lines += [row.replace(",", ";") for row in rows[:2]]  # content is irrelevant: the header is checked first
    path = tmp_path / "no_score.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=rf"no_score.csv is missing CSV column\(s\) {column}"):
        LOADERS.load(name)().load(path)


# --- Open LLM Leaderboard v1 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def v1() -> tuple[OpenLLMLeaderboardV1Loader, SourceBatch]:
    loader = OpenLLMLeaderboardV1Loader()
    return loader, loader.load(SAMPLES["open_llm_v1"])


def test_v1_mentions(v1: tuple[OpenLLMLeaderboardV1Loader, SourceBatch]) -> None:
    _, batch = v1
    mentions = {m.source_id: m for m in batch.models}
    assert len(mentions) == 13
    multiverse = mentions["MTSAIR/MultiVerse_70B"]
    assert multiverse.name == "MultiVerse_70B"
    assert multiverse.creator == "mtsair"
    assert multiverse.open_weights is True
    assert multiverse.parameter_count == 72_000_000_000
    assert multiverse.licence == "other"
    assert multiverse.homepage == "https://huggingface.co/MTSAIR/MultiVerse_70B"
    assert multiverse.input_modalities == multiverse.output_modalities == frozenset({"text"})
    assert mentions["gpt2"].creator is None  # legacy repo without an organisation
    assert mentions["gpt2"].parameter_count is None  # the leaderboard says 0
    assert mentions["SF-Foundation/Ein-70B-v2"].licence is None  # blank hub licence
    providers = {p.provider_id: p for p in batch.providers}
    assert providers["mtsair"].homepage == "https://huggingface.co/MTSAIR"


def test_v1_flagged_rows_are_skipped_and_counted(v1: tuple[OpenLLMLeaderboardV1Loader, SourceBatch]) -> None:
    loader, batch = v1
    # v1's "flagged" column is inverted: FALSE marks the contaminated models
    assert not any(m.source_id.startswith("Contamination/") for m in batch.models)
    assert dict(loader.skipped) == {"flagged": 4, "superseded": 2}


def test_v1_repeated_repo_keeps_newest_full_precision_evaluation(
    v1: tuple[OpenLLMLeaderboardV1Loader, SourceBatch],
) -> None:
    _, batch = v1
    arc = only(results_of(batch, "MTSAIR/MultiVerse_70B", "ARC"))  # rows of 2024-03-26 and 2024-03-27
    assert (arc.value, arc.date, arc.setting) == (78.58, date(2024, 3, 27), "25-shot; precision=float16")
    gpt2 = only(results_of(batch, "gpt2", "ARC"))  # a newer 8-bit run loses to the float16 one
    assert (gpt2.value, gpt2.setting) == (22.01, "25-shot; precision=float16")
    assert len(results_of(batch, "MTSAIR/MultiVerse_70B")) == 6


def test_v1_benchmarks_metrics_and_scale(v1: tuple[OpenLLMLeaderboardV1Loader, SourceBatch]) -> None:
    _, batch = v1
    assert {r.benchmark for r in batch.results} == {"ARC", "HellaSwag", "MMLU", "TruthfulQA", "Winogrande", "GSM8K"}
    assert {r.scale_max for r in batch.results} == {100.0}
    metrics = {r.benchmark: r.metric for r in batch.results}
    assert metrics["TruthfulQA"] == "mc2" and metrics["GSM8K"] == "exact_match"
    gsm8k = only(results_of(batch, "paloalma/Le_Triomphant-ECE-TW3", "GSM8K"))
    assert (gsm8k.value, gsm8k.setting, gsm8k.self_reported) == (79.83, "5-shot; precision=bfloat16", False)


# --- Open LLM Leaderboard v2 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def v2() -> tuple[OpenLLMLeaderboardV2Loader, SourceBatch]:
    loader = OpenLLMLeaderboardV2Loader()
    return loader, loader.load(SAMPLES["open_llm_v2"])


def test_v2_benchmarks_keep_raw_fractions(v2: tuple[OpenLLMLeaderboardV2Loader, SourceBatch]) -> None:
    _, batch = v2
    assert {r.benchmark for r in batch.results} == {"IFEval", "BBH", "MATH Level 5", "GPQA", "MUSR", "MMLU-PRO"}
    assert {r.scale_max for r in batch.results} == {1.0}
    ifeval = only(results_of(batch, "0-hero/Matter-0.2-7B-DPO", "IFEval"))
    assert ifeval.value == pytest.approx(0.330279214705869)
    assert (ifeval.metric, ifeval.date) == ("strict_accuracy", date(2024, 8, 5))
    assert ifeval.setting == "0-shot; precision=bfloat16"


def test_v2_dedup_flags_and_counts(v2: tuple[OpenLLMLeaderboardV2Loader, SourceBatch]) -> None:
    loader, batch = v2
    assert dict(loader.skipped) == {"flagged": 1, "superseded": 1}
    assert "newsbang/Homer-v0.5-Qwen2.5-7B" not in {m.source_id for m in batch.models}
    bbh = only(results_of(batch, "AtAndDev/Qwen2.5-1.5B-continuous-learnt", "BBH"))  # float16 10-13, bfloat16 10-18
    assert (bbh.date, bbh.setting) == (date(2024, 10, 18), "3-shot; precision=bfloat16")
    quantised_only = only(results_of(batch, "EpistemeAI/FineLlama3.1-8B-Instruct", "BBH"))
    assert quantised_only.setting == "3-shot; precision=4bit"  # the only row is kept


def test_v2_mention_details(v2: tuple[OpenLLMLeaderboardV2Loader, SourceBatch]) -> None:
    _, batch = v2
    mentions = {m.source_id: m for m in batch.models}
    assert len(mentions) == 17
    simpo = mentions["AALF/gemma-2-27b-it-SimPO-37K"]
    assert simpo.fine_tuned_from == "google/gemma-2-27b"
    assert simpo.release_date == date(2024, 8, 13)
    assert simpo.parameter_count == 27_227_000_000
    assert mentions["01-ai/Yi-1.5-34B"].fine_tuned_from is None  # the column repeats the model itself
    assert mentions["3rd-Degree-Burn/Llama-3.1-8B-Squareroot"].fine_tuned_from is None  # "... (Merge)"
    assert mentions["3rd-Degree-Burn/L-3.1-Science-Writer-8B"].fine_tuned_from is None  # "Removed"
    assert mentions["3rd-Degree-Burn/L-3.1-Science-Writer-8B"].release_date is None
    vision = mentions["Qwen/Qwen2-VL-7B-Instruct"]
    assert vision.input_modalities == frozenset({"text", "image"}) and "vision" in vision.capabilities
    assert vision.creator == provider_id("Qwen")


# --- LMArena --------------------------------------------------------------------------------


def test_arena_text() -> None:
    loader = LMArenaTextLoader()
    batch = loader.load(SAMPLES["lmarena_text"])
    assert dict(loader.skipped) == {"duplicate model": 1}  # Yi-34B-Chat is listed twice
    assert len(batch.models) == len(batch.results) == 10
    result = only(results_of(batch, "Gemini-2.5-Pro"))
    assert (result.benchmark, result.metric, result.value, result.scale_max, result.date) == (
        "LMArena Text",
        "elo",
        1470.0,
        None,
        None,
    )
    assert result.setting == "votes=26019; ci=+5/-5"
    mentions = {m.source_id: m for m in batch.models}
    gemini = mentions["Gemini-2.5-Pro"]
    assert (gemini.name, gemini.creator, gemini.licence, gemini.open_weights) == (
        "Gemini-2.5-Pro",
        "google",
        "Proprietary",
        False,
    )
    assert mentions["LLaMA-13B"].creator == "meta"
    assert mentions["o1-preview"].knowledge_cutoff == date(2023, 10, 1)
    assert mentions["GLM-4.5"].open_weights is True  # MIT
    assert mentions["Claude 3.5 Haiku (20241022)"].open_weights is False  # the source's typo "Propretary"
    assert mentions["Vicuna-33B"].open_weights is None  # "Non-commercial" says nothing about the weights
    assert mentions["Gemini-2.5-Pro"].input_modalities == frozenset({"text"})
    assert {p.provider_id: p.name for p in batch.providers}["google"] == "Google"


def test_arena_vision() -> None:
    batch = LMArenaVisionLoader().load(SAMPLES["lmarena_vision"])
    assert {r.benchmark for r in batch.results} == {"LMArena Vision"}
    assert all(m.input_modalities == frozenset({"text", "image"}) for m in batch.models)
    assert all("vision" in m.capabilities for m in batch.models)
    qwen = next(m for m in batch.models if m.source_id == "Qwen2.5-VL-32B-Instruct")
    assert (qwen.licence, qwen.open_weights) == ("Apache 2.0", True)


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("Apache 2.0", True),
        ("Llama 3.1 Community", True),
        ("Gemma license", True),
        ("CC-BY-NC-4.0", True),
        ("Proprietary", False),
        ("Propretary", False),
        ("Non-commercial", None),
        ("Other", None),
        ("-", None),
        ("", None),
    ],
)
def test_open_weights_from_licence(licence: str, expected: bool | None) -> None:
    assert open_weights_from_licence(licence) is expected


# --- Epoch ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epoch() -> tuple[EpochLoader, SourceBatch]:
    loader = EpochLoader()
    return loader, loader.load(SAMPLES["epoch"])


def test_epoch_counts_and_skips(epoch: tuple[EpochLoader, SourceBatch]) -> None:
    loader, batch = epoch
    assert dict(loader.skipped) == {"failed run": 1, "no model version": 1}
    assert len(batch.results) == 33
    assert {r.benchmark for r in batch.results} == {
        "SWE-Bench verified",
        "OTIS Mock AIME 2024-2025",
        "Aider polyglot",
        "BALROG",
        "MMLU",
    }
    assert not results_of(batch, "gemini-2.0-flash-001")  # its run is the failed one


def test_epoch_effort_suffix_becomes_setting(epoch: tuple[EpochLoader, SourceBatch]) -> None:
    _, batch = epoch
    aider = {r.setting: r.value for r in results_of(batch, "gpt-5-2025-08-07", "Aider polyglot")}
    assert aider == {
        "reasoning_effort=high; edit_format=diff": 88.0,
        "reasoning_effort=medium; edit_format=diff": 86.7,
        "reasoning_effort=low; edit_format=diff": 81.3,
    }
    sonnet = {r.setting for r in results_of(batch, "claude-3-7-sonnet-20250219", "Aider polyglot")}
    assert sonnet == {"thinking_budget=32K; edit_format=diff", "edit_format=diff"}
    ids = {m.source_id for m in batch.models}
    assert "gpt-5-2025-08-07" in ids and not any("_high" in i or "_medium" in i for i in ids)


def test_epoch_runs(epoch: tuple[EpochLoader, SourceBatch]) -> None:
    _, batch = epoch
    run = only(results_of(batch, "o4-mini-2025-04-16", "SWE-Bench verified"))
    assert (run.value, run.scale_max, run.metric) == (0.346, 1.0, "resolved_rate")
    assert (run.date, run.setting, run.self_reported) == (date(2025, 4, 24), "reasoning_effort=medium", False)
    assert run.source_url and run.source_url.startswith("https://logs.epoch.ai/inspect-viewer/")
    aime = only(results_of(batch, "grok-4-0709", "OTIS Mock AIME 2024-2025"))
    assert (aime.metric, aime.value, aime.date) == ("accuracy", 0.84, None)  # started_at is blank


def test_epoch_external_files(epoch: tuple[EpochLoader, SourceBatch]) -> None:
    _, batch = epoch
    mmlu = only(results_of(batch, "claude-3-5-sonnet-20241022", "MMLU"))
    assert (mmlu.metric, mmlu.value, mmlu.scale_max, mmlu.setting) == ("exact_match", 80.9, 100.0, "5-shot")
    assert mmlu.source_url == "https://crfm.stanford.edu/helm/lite/latest/#/leaderboard/mmlu"
    balrog = only(results_of(batch, "reka-flash-3", "BALROG"))
    assert (balrog.metric, balrog.value, balrog.date) == ("progress", 29.2, date(2025, 3, 13))  # "13/3/2025"
    aider = only(results_of(batch, "grok-4-0709", "Aider polyglot"))
    assert (aider.value, aider.scale_max) == (79.6, 100.0)  # "79.600" without a % sign


def test_epoch_mentions(epoch: tuple[EpochLoader, SourceBatch]) -> None:
    _, batch = epoch
    mentions = {m.source_id: m for m in batch.models}
    sonnet = mentions["claude-3-5-sonnet-20241022"]
    assert (sonnet.name, sonnet.aliases, sonnet.release_date) == (
        "Claude 3.5 Sonnet (Oct 2024)",
        ("Claude 3.5 Sonnet",),
        date(2024, 10, 22),
    )
    o3 = mentions["o3-2025-04-16"]  # model_versions only lists o3_high and o3_medium
    assert (o3.name, o3.release_date) == ("o3", date(2025, 4, 16))
    assert mentions["DeepSeek-V3.1"].creator == provider_id("deepseek-ai")
    assert {p.provider_id: p.homepage for p in batch.providers}[provider_id("deepseek-ai")] == (
        "https://huggingface.co/deepseek-ai"
    )
    bare = mentions["grok-3-mini-beta"]  # left out of the sample's model_versions.csv on purpose
    assert (bare.name, bare.release_date, bare.creator) == ("grok-3-mini-beta", None, None)


def test_epoch_generic_rule_and_unmapped_files(tmp_path: Path) -> None:
    folder = tmp_path / "epoch"
    shutil.copytree(SAMPLES["epoch"], folder)
    (folder / "external_benchmark_newbench.csv").write_text(
        "id,Model version,Score,Shots\nrec1,o3-2025-04-16_high,41.5%,0\nrec2,,12%,\n", encoding="utf-8"
    )
    (folder / "external_benchmark_odd.csv").write_text("id,Model version,Elo rating\nrec1,o3,1200\n", encoding="utf-8")
    loader = EpochLoader()
    batch = loader.load(folder)
    new = only(results_of(batch, "o3-2025-04-16", "newbench"))
    assert (new.metric, new.value, new.scale_max) == ("score", 41.5, 100.0)
    assert new.setting == "reasoning_effort=high; 0-shot"
    assert loader.skipped["unmapped file"] == 1
    assert loader.skipped["no model version"] == 2


def test_epoch_missing_score_column_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "epoch"
    shutil.copytree(SAMPLES["epoch"], folder)
    mmlu = folder / "external_benchmark_mmlu.csv"
    mmlu.write_text(mmlu.read_text(encoding="utf-8-sig").replace(",EM,", ",Exact match,", 1), encoding="utf-8")
    with pytest.raises(LoaderError, match=r"external_benchmark_mmlu.csv is missing CSV column\(s\) EM"):
        EpochLoader().load(folder)


def test_epoch_needs_a_folder_with_model_versions(tmp_path: Path) -> None:
    folder = tmp_path / "epoch"
    shutil.copytree(SAMPLES["epoch"], folder)
    (folder / "model_versions.csv").unlink()
    with pytest.raises(LoaderError, match="model_versions.csv"):
        EpochLoader().load(folder)
    (folder / "benchmarks_runs.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(LoaderError, match="benchmarks_runs.csv"):
        EpochLoader().load(folder)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("o4-mini-2025-04-16_medium", ("o4-mini-2025-04-16", "reasoning_effort=medium")),
        ("gpt-5-2025-08-07_minimal", ("gpt-5-2025-08-07", "reasoning_effort=minimal")),
        ("gemini-2.5-flash-preview-09-25_16k", ("gemini-2.5-flash-preview-09-25", "thinking_budget=16K")),
        ("DeepSeek-V3.1_thinking", ("DeepSeek-V3.1", "thinking=on")),
        ("claude-3-5-sonnet-20241022", ("claude-3-5-sonnet-20241022", None)),
        ("Qwen-1_8B", ("Qwen-1_8B", None)),
        ("MiniCPM-V-2_6", ("MiniCPM-V-2_6", None)),
    ],
)
def test_split_setting(version: str, expected: tuple[str, str | None]) -> None:
    assert split_setting(version) == expected


def test_day_month_year_dates() -> None:
    assert parse_day_month_year("24/1/2025") == date(2025, 1, 24)
    assert parse_day_month_year("2025-08-07") == date(2025, 8, 7)
    assert parse_day_month_year("31/2/2025") is None
    assert parse_day_month_year("") is None


def test_every_mapped_file_names_its_columns() -> None:
    for stem, spec in EXTERNAL_BENCHMARKS.items():
        assert spec.benchmark and spec.scores, stem
        assert all(score.column and score.metric for score in spec.scores), stem
