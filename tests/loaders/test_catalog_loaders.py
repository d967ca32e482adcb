"""The catalog loaders (LiteLLM, models.dev, HELM, LLM-Stats) on small real samples.

The samples under ``tests/data/sources`` are cut from the real files (see the README
there); each test checks what a loader makes of them: ids, prices per million tokens,
modalities and features, skipped entries, dates, provenance, and clear errors on
malformed input.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from genre.errors import LoaderError
from loaders import LOADERS
from loaders.base import Loader
from loaders.helm import HelmLoader
from loaders.litellm import LiteLLMLoader
from loaders.llmstats import LLMStatsLoader
from loaders.models_dev import ModelsDevLoader
from loaders.records import CAPABILITY_IDS, MODALITY_IDS, SourceBatch

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
SAMPLES = {
    "litellm": SOURCES / "litellm_sample.json",
    "models_dev": SOURCES / "models_dev_sample.json.gz",
    "helm": SOURCES / "helm_sample.yaml",
    "llmstats": SOURCES / "llmstats",
}
CLASSES: dict[str, type[Loader]] = {
    "litellm": LiteLLMLoader,
    "models_dev": ModelsDevLoader,
    "helm": HelmLoader,
    "llmstats": LLMStatsLoader,
}


@pytest.fixture(scope="module")
def batches() -> dict[str, SourceBatch]:
    return {name: CLASSES[name]().load(SAMPLES[name]) for name in CLASSES}


def by_id(records, attribute="source_id"):
    return {getattr(record, attribute): record for record in records}


# --- all four ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_registered_under_its_name(name):
    assert LOADERS.load(name) is CLASSES[name]
    assert CLASSES[name].name == name


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_provenance(name, batches):
    loader, source = CLASSES[name], batches[name].source
    assert (source.name, source.title, source.licence, source.homepage) == (
        loader.name,
        loader.title,
        loader.licence,
        loader.homepage,
    )
    assert source.location == str(SAMPLES[name])
    assert isinstance(source.retrieved, date)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_vocabulary_is_closed(name, batches):
    batch = batches[name]
    for record in batch.models:
        assert record.input_modalities <= MODALITY_IDS and record.output_modalities <= MODALITY_IDS
        assert record.capabilities <= CAPABILITY_IDS
    for offer in batch.offers:
        assert offer.input_modalities <= MODALITY_IDS and offer.output_modalities <= MODALITY_IDS
        assert offer.features <= CAPABILITY_IDS
    # every offer and result points at a model mention of the same batch
    mentioned = {record.source_id for record in batch.models}
    assert {offer.model_source_id for offer in batch.offers} <= mentioned
    assert {result.model_source_id for result in batch.results} <= mentioned


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_missing_source(name, tmp_path):
    with pytest.raises(LoaderError, match="not found"):
        CLASSES[name]().load(tmp_path / "nowhere")


@pytest.mark.parametrize("name", ["litellm", "models_dev", "helm"])
def test_csv_like_garbage(name, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_text("model,score\ngpt-4o,0.9\n")
    with pytest.raises(LoaderError, match="garbage.csv"):
        CLASSES[name]().load(path)


# --- LiteLLM -------------------------------------------------------------------------


def test_litellm_keeps_language_models_and_counts_the_rest(batches):
    batch = batches["litellm"]
    assert len(batch.offers) == len(batch.models) == 15
    assert batch.skipped == {
        "alias": 1,
        "mode=audio_speech": 1,
        "mode=audio_transcription": 1,
        "mode=embedding": 1,
        "mode=image_generation": 1,
        "mode=rerank": 1,
        "no mode": 1,
    }
    offers = by_id(batch.offers, "call_id")
    assert "text-embedding-3-small" not in offers and "sample_spec" not in offers
    assert {offers[key].mode for key in ("o1-pro", "gpt-realtime", "babbage-002", "gpt-4o")} == {
        "responses",
        "realtime",
        "completion",
        "chat",
    }


def test_litellm_ids_and_prices(batches):
    offers = by_id(batches["litellm"].offers, "call_id")
    gpt4o = offers["gpt-4o"]
    assert (gpt4o.provider, gpt4o.provider_model_id, gpt4o.model_source_id) == ("openai", "gpt-4o", "gpt-4o")
    assert (gpt4o.input_price_per_mtok, gpt4o.output_price_per_mtok) == (2.5, 10.0)
    assert (gpt4o.context_window, gpt4o.max_output_tokens) == (128000, 16384)
    assert gpt4o.deprecation_date == date(2027, 1, 14)
    assert offers["azure/gpt-4o"].provider_model_id == "gpt-4o"
    assert offers["azure/eu/gpt-4o"].provider_model_id == "gpt-4o"  # data-zone segment dropped
    assert offers["azure/eu/gpt-4o"].input_price_per_mtok == 2.75
    bedrock = offers["anthropic.claude-3-5-sonnet-20240620-v1:0"]
    assert (bedrock.provider, bedrock.provider_model_id) == ("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert offers["bedrock/us-west-2/anthropic.claude-v2:1"].provider_model_id == "anthropic.claude-v2:1"
    assert offers["vertex_ai/claude-3-5-sonnet@20240620"].provider == "vertex_ai-anthropic_models"
    assert offers["vertex_ai/claude-3-5-sonnet@20240620"].provider_model_id == "claude-3-5-sonnet@20240620"
    together = offers["together_ai/Qwen/Qwen2.5-7B-Instruct-Turbo"]
    assert together.provider_model_id == "Qwen/Qwen2.5-7B-Instruct-Turbo"
    assert offers["o1-pro"].output_price_per_mtok == 600.0


def test_litellm_modalities_and_features(batches):
    offers = by_id(batches["litellm"].offers, "call_id")
    assert offers["gpt-4o"].input_modalities == {"text", "image", "document"}
    assert {"vision", "document-understanding", "function-calling", "parallel-function-calling"} <= offers[
        "gpt-4o"
    ].features
    assert {"structured-output", "prompt-caching"} <= offers["gpt-4o"].features
    gemini = offers["gemini/gemini-2.5-pro"]
    assert gemini.input_modalities == MODALITY_IDS
    assert {"reasoning", "web-search", "video-understanding", "audio-understanding"} <= gemini.features
    tts = offers["gemini-2.5-pro-preview-tts"]
    assert tts.output_modalities == {"audio"} and "speech-generation" in tts.features
    assert offers["deepseek-chat"].input_modalities == {"text"}


def test_litellm_creators_only_when_certain(batches):
    models = by_id(batches["litellm"].models)
    assert models["gpt-4o"].creator == "openai"
    assert models["azure/gpt-4o"].creator == "openai"
    assert models["anthropic.claude-3-5-sonnet-20240620-v1:0"].creator == "anthropic"
    assert models["vertex_ai/claude-3-5-sonnet@20240620"].creator == "anthropic"
    assert models["gemini/gemini-2.5-pro"].creator == "google"
    assert models["together_ai/Qwen/Qwen2.5-7B-Instruct-Turbo"].creator == "alibaba"
    assert models["ollama/vicuna"].creator is None
    assert models["gpt-4o"].context_window == 128000


def test_litellm_providers(batches):
    providers = {record.provider_id for record in batches["litellm"].providers}
    assert {"openai", "azure", "bedrock", "gemini", "vertex_ai-anthropic_models", "together_ai", "ollama"} <= providers
    assert providers == {offer.provider for offer in batches["litellm"].offers}


@pytest.mark.parametrize("text", ["{", "[1, 2]"])
def test_litellm_malformed(text, tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(text)
    with pytest.raises(LoaderError, match="prices.json"):
        LiteLLMLoader().load(path)


# --- models.dev ----------------------------------------------------------------------


def test_models_dev_records(batches):
    batch = batches["models_dev"]
    assert [provider.provider_id for provider in batch.providers] == ["openai", "togetherai", "groq"]
    assert by_id(batch.providers, "provider_id")["openai"].homepage == "https://platform.openai.com/docs/models"
    assert len(batch.offers) == len(batch.models) == 10
    gpt4o = by_id(batch.models)["openai/gpt-4o"]
    assert (gpt4o.name, gpt4o.family, gpt4o.creator) == ("GPT-4o", "gpt", "openai")
    assert (gpt4o.release_date, gpt4o.knowledge_cutoff) == (date(2024, 5, 13), date(2023, 9, 1))
    assert gpt4o.open_weights is False
    assert gpt4o.input_modalities == {"text", "image", "document"}  # "pdf" is a document
    assert {"vision", "document-understanding", "function-calling", "structured-output"} <= gpt4o.capabilities
    assert (gpt4o.context_window, gpt4o.max_output_tokens) == (128000, 16384)
    offer = by_id(batch.offers, "model_source_id")["openai/gpt-4o"]
    assert (offer.input_price_per_mtok, offer.output_price_per_mtok) == (2.5, 10.0)
    assert (offer.provider, offer.provider_model_id, offer.call_id) == ("openai", "gpt-4o", "openai/gpt-4o")


def test_models_dev_call_ids_and_creators(batches):
    offers = by_id(batches["models_dev"].offers, "model_source_id")
    models = by_id(batches["models_dev"].models)
    llama = "togetherai/meta-llama/Llama-3.3-70B-Instruct-Turbo"
    assert offers[llama].call_id == "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"
    assert offers["groq/llama-3.3-70b-versatile"].call_id == "groq/llama-3.3-70b-versatile"
    assert models[llama].creator == "meta-llama"
    assert models["groq/openai/gpt-oss-120b"].creator == "openai"
    assert models["groq/llama-3.3-70b-versatile"].creator is None  # groq hosts other makers' models
    assert models["groq/openai/gpt-oss-120b"].open_weights is True
    assert "reasoning" in models["openai/o3-mini"].capabilities
    assert models["openai/gpt-image-1"].output_modalities >= {"image"}
    assert "image-generation" in models["openai/gpt-image-1"].capabilities


def test_models_dev_reads_plain_json_too(tmp_path):
    path = tmp_path / "api.json"
    path.write_bytes(gzip.decompress(SAMPLES["models_dev"].read_bytes()))
    assert len(ModelsDevLoader().load(path).offers) == 10


@pytest.mark.parametrize(
    ("text", "problem"),
    [("{", "not valid JSON"), ('{"openai": {"id": "openai"}}', "'openai' has no 'models'"), ("[]", "JSON object")],
)
def test_models_dev_malformed(text, problem, tmp_path):
    path = tmp_path / "models.json.gz"
    path.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(LoaderError, match=problem) as error:
        ModelsDevLoader().load(path)
    assert "models.json.gz" in str(error.value)


def test_models_dev_broken_gzip(tmp_path):
    path = tmp_path / "models.json.gz"
    path.write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(LoaderError, match="models.json.gz"):
        ModelsDevLoader().load(path)


# --- HELM ----------------------------------------------------------------------------


def test_helm_mentions(batches):
    models = by_id(batches["helm"].models)
    assert len(models) == 11 and "simple/model1" not in models
    assert batches["helm"].skipped == {"test model": 1}
    gpt4o = models["openai/gpt-4o-2024-05-13"]
    assert (gpt4o.name, gpt4o.creator, gpt4o.open_weights) == ("GPT-4o (2024-05-13)", "openai", False)
    assert gpt4o.release_date == date(2024, 4, 9)
    assert gpt4o.input_modalities == {"text", "image"} and gpt4o.output_modalities == {"text"}
    assert gpt4o.capabilities == {"vision", "text-generation", "instruction-following"}
    llama = models["meta/llama-3-8b"]
    assert (llama.open_weights, llama.parameter_count) == (True, 8_000_000_000)
    granite = models["ibm-granite/granite-3.0-2b-instruct"]
    assert granite.release_date == date(2024, 10, 21)  # given as `release`, not `release_date`
    assert models["HuggingFaceM4/idefics-80b-instruct"].creator == "huggingfacem4"


def test_helm_tags(batches):
    models = by_id(batches["helm"].models)
    gigagan = models["adobe/giga-gan"]
    assert gigagan.output_modalities == {"image"} and "image-generation" in gigagan.capabilities
    assert "code-generation" in models["openai/code-davinci-002"].capabilities
    assert models["openai/text-embedding-ada-002"].capabilities == {"embedding"}
    gemini = models["google/gemini-1.5-pro-001"]
    assert gemini.input_modalities == {"text", "image", "audio"}
    assert {"vision", "audio-understanding"} <= gemini.capabilities
    gopher = models["deepmind/gopher"]  # only HELM's UNSUPPORTED_MODEL_TAG: a text model, as HELM evaluates it
    assert gopher.capabilities == {"text-generation"} and gopher.input_modalities == {"text"}
    assert gopher.open_weights is False


def test_helm_providers_are_the_makers(batches):
    providers = by_id(batches["helm"].providers, "provider_id")
    assert providers["openai"].name == "OpenAI"
    assert providers["huggingfacem4"].name == "HuggingFace"
    assert "simple" not in providers
    assert batches["helm"].offers == [] and batches["helm"].results == []


def test_helm_repeated_name_is_read_once(tmp_path):
    path = tmp_path / "model_metadata.yaml"
    path.write_text("models:\n  - name: acme/rocket\n    access: open\n  - name: acme/rocket\n    access: open\n")
    batch = HelmLoader().load(path)
    assert [model.source_id for model in batch.models] == ["acme/rocket"]
    assert batch.skipped == {"repeated name": 1}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("other: []\n", "top-level 'models' list"),
        ("models: [\n", "not valid YAML"),
        ("models:\n  - display_name: No name\n", r"models\[0\] has no 'name'"),
    ],
)
def test_helm_malformed(text, problem, tmp_path):
    path = tmp_path / "model_metadata.yaml"
    path.write_text(text)
    with pytest.raises(LoaderError, match=problem) as error:
        HelmLoader().load(path)
    assert "model_metadata.yaml" in str(error.value)


# --- LLM-Stats -----------------------------------------------------------------------


def test_llmstats_models(batches):
    models = by_id(batches["llmstats"].models)
    omni = models["qwen/qwen2.5-omni-7b"]
    assert (omni.name, omni.creator, omni.aliases) == ("Qwen2.5-Omni-7B", "qwen", ("qwen2.5-omni-7b",))
    assert (omni.licence, omni.open_weights, omni.parameter_count) == ("Apache 2.0", True, 7_000_000_000)
    assert (omni.context_window, omni.max_output_tokens) == (32768, 32768)
    assert omni.input_modalities == {"text", "image"} and "vision" in omni.capabilities
    assert omni.release_date == date(2025, 3, 27)
    gpt35 = models["openai/gpt-3.5-turbo-0125"]
    assert (gpt35.open_weights, gpt35.input_modalities) == (False, {"text"})
    r1 = models["deepseek/deepseek-r1"]
    assert r1.fine_tuned_from == "deepseek-v3"  # its base has no model.json in the sample


def test_llmstats_results(batches):
    results = [result for result in batches["llmstats"].results if result.model_source_id == "qwen/qwen2.5-omni-7b"]
    by_benchmark = {result.benchmark: result for result in results}
    assert len(results) == 5
    assert by_benchmark["MMMU"].value == 0.592 and by_benchmark["MMMU"].scale_max == 1.0
    assert by_benchmark["MMMU"].self_reported is True
    assert by_benchmark["CoVoST2 en-zh"].metric == "BLEU" and by_benchmark["CoVoST2 en-zh"].scale_max is None
    assert by_benchmark["Common Voice 15"].metric == "WER" and by_benchmark["Common Voice 15"].scale_max is None
    assert by_benchmark["MMMU"].date == date(2025, 3, 27)
    assert by_benchmark["MMMU"].source_url == "https://github.com/QwenLM/Qwen2.5-Omni"
    gpt35 = [result for result in batches["llmstats"].results if result.model_source_id == "openai/gpt-3.5-turbo-0125"]
    assert gpt35 and all(result.source_url is None for result in gpt35)  # example.com placeholders dropped
    assert all(result.self_reported is False for result in gpt35)


def test_llmstats_providers_and_offers(batches):
    batch = batches["llmstats"]
    providers = by_id(batch.providers, "provider_id")
    assert providers["deepseek"].name == "DeepSeek" and providers["deepseek"].homepage == "https://deepseek.com/"
    offers = {(offer.provider, offer.provider_model_id): offer for offer in batch.offers}
    assert len(offers) == 5
    r1 = offers[("deepseek", "deepseek-r1")]
    assert r1.model_source_id == "deepseek/deepseek-r1"
    assert (r1.input_price_per_mtok, r1.output_price_per_mtok) == (0.55, 2.19)
    assert (r1.throughput_tokens_per_s, r1.latency_s) == (9.0, 0.3)
    # a served model without a model.json still gets a mention, keyed by its id
    assert offers[("openai", "gpt-4o-2024-08-06")].model_source_id == "gpt-4o-2024-08-06"
    assert "gpt-4o-2024-08-06" in {model.source_id for model in batch.models}


def test_llmstats_rejects_a_file():
    with pytest.raises(LoaderError, match="litellm_sample.json is a file"):
        LLMStatsLoader().load(SAMPLES["litellm"])


def test_llmstats_folder_without_models(tmp_path):
    with pytest.raises(LoaderError, match="no models/"):
        LLMStatsLoader().load(tmp_path)


@pytest.mark.parametrize("text", ["{", "[]", "model,score\n"])
def test_llmstats_malformed_model(text, tmp_path):
    path = tmp_path / "models" / "acme" / "rocket-1" / "model.json"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(LoaderError, match="rocket-1"):
        LLMStatsLoader().load(tmp_path)
