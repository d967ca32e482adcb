"""Routing outcome logs: per-prompt, per-model scores (and costs) in the RouterBench and open7b formats.

Both formats become one :class:`RoutingLog` of :class:`RoutingRecord` s, one per prompt:

- ``routerbench`` (CSV, RouterBench / RouterDC ``routerbench_zs``): columns ``sample_id``, ``prompt``
  (a Python-list literal of one string), ``eval_name``, one score column per model (0/1, blank when
  the model was not run), ``<model>|model_response`` and ``<model>|total_cost`` (USD), and
  ``oracle_model_to_route_to``.
- ``open7b`` (JSON, RouterDC ``split2_model7``): a list of ``{"question", "scores": {model: score}}``
  with soft scores in [0, 1]; no costs.

A blank or unreadable score is *missing*: it is left out of the record and counted in
:attr:`RoutingLog.missing`, never read as 0.

Examples
--------
>>> from pathlib import Path
>>> folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "routing"
>>> log = read_routing("routerbench", [folder / "routerbench_sample.csv"])
>>> len(log.records), log.missing, log.models[:2]
(5, 2, ['WizardLM/WizardLM-13B-V1.2', 'claude-instant-v1'])
>>> log.records[0].task
'arc-challenge'
"""

from __future__ import annotations

import ast
import csv
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genre.errors import LoaderError

FORMATS = ("routerbench", "open7b")
"""Routing-log formats GENRE reads."""

_ROUTERBENCH_META = {"", "sample_id", "prompt", "eval_name", "oracle_model_to_route_to"}


@dataclass(frozen=True, slots=True)
class RoutingRecord:
    """One past prompt and how each model did on it.

    ``scores`` holds only the models with a known outcome (in [0, 1]); ``costs`` the USD cost of
    each model's answer where the log states it.
    """

    prompt: str
    scores: dict[str, float]
    costs: dict[str, float] = field(default_factory=dict)
    sample_id: str | None = None
    task: str | None = None


@dataclass(slots=True)
class RoutingLog:
    """Every record read from one or more files of one format."""

    format: str
    models: list[str]
    records: list[RoutingRecord]
    files: list[str]
    missing: int = 0
    """Model × prompt cells with no usable score (blank or unreadable)."""
    has_costs: bool = False


def _prompt_text(cell: str) -> str:
    """RouterBench stores a prompt as a Python list literal of strings; join them."""
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return "\n".join(value)
    return text


def _score(cell: object) -> float | None:
    """A score in [0, 1], or ``None`` when blank, not a number or out of range."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        return None
    return value


def _cost(cell: object) -> float | None:
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_routerbench(path: Path) -> tuple[list[str], list[RoutingRecord], int]:
    """Models, records and the count of missing scores of one RouterBench CSV."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        header = reader.fieldnames or []
        if "prompt" not in header:
            raise LoaderError(f"{path} is not a RouterBench CSV: it has no 'prompt' column (columns: {header[:6]})")
        models = [name for name in header if "|" not in name and name not in _ROUTERBENCH_META]
        if not models:
            raise LoaderError(f"{path} has no model score columns")
        records, missing = [], 0
        for row in reader:
            scores, costs = {}, {}
            for model in models:
                value = _score(row.get(model))
                if value is None:
                    missing += 1
                else:
                    scores[model] = value
                cost = _cost(row.get(f"{model}|total_cost"))
                if cost is not None:
                    costs[model] = cost
            records.append(
                RoutingRecord(
                    prompt=_prompt_text(row["prompt"] or ""),
                    scores=scores,
                    costs=costs,
                    sample_id=row.get("sample_id") or None,
                    task=row.get("eval_name") or None,
                )
            )
    return models, records, missing


def read_open7b(path: Path) -> tuple[list[str], list[RoutingRecord], int]:
    """Models, records and the count of missing scores of one open7b JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LoaderError(f"{path} is not readable JSON: {error}") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) and "question" in item for item in data):
        raise LoaderError(f"{path} is not an open7b file: expected a list of {{'question', 'scores'}} objects")
    models: list[str] = list(dict.fromkeys(name for item in data for name in (item.get("scores") or {})))
    task = path.stem.removesuffix("_train").removesuffix("-train").removesuffix("_test").removesuffix("-test")
    records, missing = [], 0
    for position, item in enumerate(data):
        raw = item.get("scores") or {}
        scores = {}
        for model in models:
            value = _score(raw.get(model))
            if value is None:
                missing += 1
            else:
                scores[model] = value
        records.append(RoutingRecord(str(item["question"]), scores, {}, f"{task}.{position}", task))
    return models, records, missing


def read_routing(format: str, files: Iterable[Path | str]) -> RoutingLog:
    """Read ``files`` of ``format`` (one of :data:`FORMATS`) into one log; models are the union, in order."""
    if format not in FORMATS:
        raise LoaderError(f"unknown routing-log format {format!r}", options=FORMATS)
    reader = read_routerbench if format == "routerbench" else read_open7b
    paths = [Path(file) for file in files]
    if not paths:
        raise LoaderError("no routing-log file given")
    models: list[str] = []
    records: list[RoutingRecord] = []
    missing = 0
    for path in paths:
        if not path.is_file():
            raise LoaderError(f"routing log not found: {path}")
        file_models, file_records, file_missing = reader(path)
        models.extend(name for name in file_models if name not in models)
        records.extend(file_records)
        missing += file_missing
    return RoutingLog(
        format=format,
        models=models,
        records=records,
        files=[str(path) for path in paths],
        missing=missing,
        has_costs=any(record.costs for record in records),
    )


def restrict(log: RoutingLog, records: Sequence[RoutingRecord]) -> RoutingLog:
    """A log with the same models and format over ``records`` (a split); missing is recounted."""
    missing = sum(len(log.models) - len(record.scores) for record in records)
    return RoutingLog(log.format, list(log.models), list(records), list(log.files), missing, log.has_costs)
