"""LLM-Stats (github.com/JonathanChavezTamales/LLMStats): models, self-reported scores, provider prices.

The source is a folder (a checkout of the repository) holding:

- ``models/<org>/<model>/model.json``: name, description, release date, knowledge
  cutoff, context sizes, licence, parameter count, ``multimodal``, the model it was
  fine-tuned from, and ``qualitative_metrics``: benchmark scores with the method, date,
  source link and whether the maker reported them;
- ``providers/<provider>/provider.json``: ``name``, ``website`` and ``providermodels``,
  each a ``model_id`` (a model folder's name) with prices per token, throughput
  (tokens/s) and latency (s).

Each model gives a :class:`~loaders.records.ModelMention` keyed ``"<org>/<model>"``
and one :class:`~loaders.records.ResultRecord` per score; each provider a
:class:`~loaders.records.ProviderRecord` and one :class:`~loaders.records.OfferRecord`
per model it serves, prices converted to USD per million tokens.

Scores are kept on the source's scale. Most are fractions, so ``scale_max`` is 1.0 for
a score in [0, 1]; a larger score (Elo, BLEU, MT-Bench out of 10) or an error rate
(WER, lower is better) gets ``scale_max=None``. Links to ``https://example.com/...`` are
placeholders and are dropped.

Examples
--------
>>> open_weights("Proprietary"), open_weights("Apache 2.0"), open_weights(None)
(False, True, None)
>>> score_scale(0.586, "Score"), score_scale(8.99, "Chat evaluation"), score_scale(0.041, "WER")
(1.0, None, None)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genre.errors import LoaderError
from loaders.base import (
    Loader,
    modality_capabilities,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    per_million,
    read_json,
)
from loaders.records import ModelMention, OfferRecord, ProviderRecord, ResultRecord, SourceBatch

PROPRIETARY = frozenset({"proprietary"})
"""Licence values meaning the weights are not published; any other licence means they are."""

_LOWER_IS_BETTER = frozenset({"wer", "cer"})
_PLACEHOLDER_LINK = "https://example.com/"


def open_weights(licence: str | None) -> bool | None:
    """Whether a model's weights are published, from its licence; ``None`` when the licence is blank."""
    text = (licence or "").strip().lower()
    if not text:
        return None
    return text not in PROPRIETARY


def score_scale(score: float, method: str) -> float | None:
    """What a perfect score is: 1.0 for a fraction, ``None`` for open scales and error rates."""
    if method.strip().lower() in _LOWER_IS_BETTER:
        return None
    return 1.0 if 0.0 <= score <= 1.0 else None


class LLMStatsLoader(Loader):
    """Model mentions, benchmark results, providers and offers from an LLM-Stats checkout (a local folder).

    Examples
    --------
    >>> LLMStatsLoader.name, LLMStatsLoader.default_path
    ('llmstats', 'catalogs/llmstats')
    """

    name = "llmstats"
    title = "LLM-Stats model and provider data"
    licence = "CC-BY-4.0"
    homepage = "https://github.com/JonathanChavezTamales/LLMStats"
    default_path = "catalogs/llmstats"
    folder_source = True

    def parse(self, location: str, batch: SourceBatch) -> None:
        """Fill ``batch`` from the ``models/`` and ``providers/`` folders under ``location``."""
        if Path(location).expanduser().is_file():
            raise LoaderError(f"{location} is a file; LLM-Stats is read from a folder holding models/ and providers/")
        model_files = list(self.iter_files(location, "models/*/*/model.json"))
        if not model_files:
            raise LoaderError(f"{location} holds no models/<org>/<model>/model.json: is it an LLM-Stats checkout?")
        source_ids = {path.parent.name: f"{path.parent.parent.name}/{path.parent.name}" for path in model_files}
        for path in model_files:
            _read_model(path, source_ids, batch)
        known = {mention.source_id for mention in batch.models}
        for path in self.iter_files(location, "providers/*/provider.json"):
            _read_provider(path, source_ids, known, batch)


def _object(path: Path) -> dict[str, Any]:
    """A JSON file that must hold an object."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise LoaderError(f"{path} is not an LLM-Stats record: expected a JSON object")
    return data


def _read_model(path: Path, source_ids: dict[str, str], batch: SourceBatch) -> None:
    """One ``model.json``: a mention and its results."""
    data = _object(path)
    folder = path.parent.name
    source_id = source_ids[folder]
    multimodal = parse_bool(data.get("multimodal")) is True
    inputs = frozenset({"text", "image"} if multimodal else {"text"})
    outputs = frozenset({"text"})
    parent = data.get("fine_tuned_from_model_id")
    batch.models.append(
        ModelMention(
            source_id=source_id,
            name=data.get("name") or None,
            creator=path.parent.parent.name,
            aliases=(folder,),
            description=data.get("description") or None,
            release_date=parse_date(data.get("release_date")),
            knowledge_cutoff=parse_date(data.get("knowledge_cutoff")),
            parameter_count=parse_int(data.get("param_count")),
            open_weights=open_weights(data.get("license")),
            licence=(data.get("license") or "").strip() or None,
            input_modalities=inputs,
            output_modalities=outputs,
            capabilities=modality_capabilities(inputs, outputs),
            fine_tuned_from=source_ids.get(parent, parent) if parent else None,
            context_window=parse_int(data.get("input_context_size")),
            max_output_tokens=parse_int(data.get("output_context_size")),
        )
    )
    for index, metric in enumerate(data.get("qualitative_metrics") or []):
        batch.results.append(_result(path, index, source_id, metric))


def _result(path: Path, index: int, source_id: str, metric: Any) -> ResultRecord:
    """One ``qualitative_metrics`` item as a result."""
    score = parse_float(metric.get("score")) if isinstance(metric, dict) else None
    if score is None or not metric.get("dataset_name"):
        raise LoaderError(f"{path}: qualitative_metrics[{index}] needs a dataset_name and a numeric score")
    method = str(metric.get("analysis_method") or "").strip() or "score"
    link = metric.get("source_link") or None
    return ResultRecord(
        model_source_id=source_id,
        benchmark=str(metric["dataset_name"]),
        metric=method,
        value=score,
        scale_max=score_scale(score, method),
        date=parse_date(metric.get("date_recorded")),
        source_url=None if link is None or link.startswith(_PLACEHOLDER_LINK) else link,
        self_reported=parse_bool(metric.get("is_self_reported")),
    )


def _read_provider(path: Path, source_ids: dict[str, str], known: set[str], batch: SourceBatch) -> None:
    """One ``provider.json``: the provider and an offer per model it serves."""
    data = _object(path)
    provider = path.parent.name
    batch.providers.append(
        ProviderRecord(provider_id=provider, name=data.get("name") or None, homepage=data.get("website") or None)
    )
    for index, item in enumerate(data.get("providermodels") or []):
        if not isinstance(item, dict) or not item.get("model_id"):
            raise LoaderError(f"{path}: providermodels[{index}] has no model_id")
        model_id = str(item["model_id"])
        source_id = source_ids.get(model_id, model_id)
        if source_id not in known:  # a model with no model.json: mention it by its id alone
            known.add(source_id)
            batch.models.append(ModelMention(source_id=source_id))
        batch.offers.append(
            OfferRecord(
                model_source_id=source_id,
                provider=provider,
                provider_model_id=model_id,
                input_price_per_mtok=per_million(item.get("price_per_input_token")),
                output_price_per_mtok=per_million(item.get("price_per_output_token")),
                throughput_tokens_per_s=parse_float(item.get("throughput")),
                latency_s=parse_float(item.get("latency")),
            )
        )
