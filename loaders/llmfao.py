"""LLMFAO pairwise votes: who preferred which model's answer to which prompt.

The LLMFAO crowd data (github.com/dustalov/llmfao, CC-BY-4.0) is a CSV of pairwise comparisons,
``id, prompt, model_x, model_y, worker, winner, left, right``: crowd worker ``worker`` saw the
answers of models ``model_x`` (shown left, named in ``left``) and ``model_y`` (right) to prompt
``prompt`` and chose ``left``, ``right`` or ``tie``. Beside it, ``models.jsonl`` gives each model's
``id``, display ``name``, ``api_id`` and ``org`` (its maker) and ``prompts.jsonl`` each prompt's text;
both are optional (read from the same folder when present).

:func:`read_votes` turns the CSV into :class:`PairwiseVote` records (names, not numeric ids);
:func:`read_models` and :func:`read_prompts` read the side files. Turning the models into graph
models and the votes into feedback is :mod:`kg.preference_import`.

Examples
--------
>>> votes = read_votes("tests/data/preferences/llmfao_sample.csv")
>>> votes[0].model_x, votes[0].model_y, votes[0].winner, votes[0].worker
('Alpaca (7B)', 'Weaver 12k', 'right', '90')
>>> votes[0].preferred, votes[0].other
('Weaver 12k', 'Alpaca (7B)')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from genre.errors import LoaderError
from loaders.base import read_csv, read_text

WINNERS = ("left", "right", "tie")
"""The values of the ``winner`` column."""

REQUIRED = ("prompt", "model_x", "model_y", "worker", "winner")


@dataclass(frozen=True, slots=True)
class LlmfaoModel:
    """One row of ``models.jsonl``: the model's numeric id, display name, API id and maker."""

    id: str
    name: str
    api_id: str | None = None
    org: str | None = None


@dataclass(frozen=True, slots=True)
class PairwiseVote:
    """One crowd judgement: ``worker`` compared ``model_x`` (left) with ``model_y`` (right) on ``prompt``.

    ``winner`` is ``left``, ``right`` or ``tie``; ``prompt`` is the prompt's id and ``prompt_text`` its
    text when ``prompts.jsonl`` was found; ``row`` is the line's position in the file (from 1).
    """

    pair_id: str
    prompt: str
    model_x: str
    model_y: str
    worker: str
    winner: str
    row: int
    prompt_text: str | None = None

    @property
    def is_tie(self) -> bool:
        """True for a tie."""
        return self.winner == "tie"

    @property
    def preferred(self) -> str:
        """The winning model (for a tie: ``model_x``)."""
        return self.model_y if self.winner == "right" else self.model_x

    @property
    def other(self) -> str:
        """The losing model (for a tie: ``model_y``)."""
        return self.model_x if self.winner == "right" else self.model_y


def _jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise LoaderError(f"{path}:{number} is not a JSON line: {error}") from error
    return rows


def read_models(path: str | Path) -> dict[str, LlmfaoModel]:
    """``models.jsonl`` as numeric id -> :class:`LlmfaoModel`."""
    models = {}
    for row in _jsonl(Path(path)):
        if "id" not in row or "name" not in row:
            raise LoaderError(f"{path}: every model needs an 'id' and a 'name', got {sorted(row)}")
        models[str(row["id"])] = LlmfaoModel(
            id=str(row["id"]), name=str(row["name"]).strip(), api_id=row.get("api_id"), org=row.get("org")
        )
    return models


def read_prompts(path: str | Path) -> dict[str, str]:
    """``prompts.jsonl`` as prompt id -> prompt text."""
    return {str(row["id"]): str(row.get("text") or "") for row in _jsonl(Path(path)) if "id" in row}


def read_votes(
    path: str | Path, *, models: dict[str, LlmfaoModel] | None = None, prompts: dict[str, str] | None = None
) -> list[PairwiseVote]:
    """The votes of an LLMFAO comparisons CSV (see the module docstring).

    Models are named by the ``left``/``right`` columns, or else through ``models`` (default: the
    ``models.jsonl`` beside the file). Raises :class:`LoaderError` for a missing column, an unknown
    ``winner`` value or a model id that nothing names.
    """
    file = Path(path)
    folder = file.parent
    if models is None:
        models = read_models(folder / "models.jsonl") if (folder / "models.jsonl").is_file() else {}
    if prompts is None:
        prompts = read_prompts(folder / "prompts.jsonl") if (folder / "prompts.jsonl").is_file() else {}
    rows = read_csv(file, required=REQUIRED)
    votes = []
    for number, row in enumerate(rows, start=1):
        winner = (row.get("winner") or "").strip().lower()
        if winner not in WINNERS:
            raise LoaderError(f"{file} row {number}: winner must be one of {', '.join(WINNERS)}, got {winner!r}")
        names = []
        for column, side in (("model_x", "left"), ("model_y", "right")):
            name = (row.get(side) or "").strip()
            ident = (row.get(column) or "").strip()
            if not name and ident in models:
                name = models[ident].name
            if not name:
                name = ident
            if not name:
                raise LoaderError(f"{file} row {number}: no model in {column!r} or {side!r}")
            names.append(name)
        prompt = (row.get("prompt") or "").strip()
        votes.append(
            PairwiseVote(
                pair_id=(row.get("id") or str(number)).strip(),
                prompt=prompt,
                model_x=names[0],
                model_y=names[1],
                worker=(row.get("worker") or "").strip() or "anonymous",
                winner=winner,
                row=number,
                prompt_text=prompts.get(prompt) or None,
            )
        )
    return votes


def models_by_name(models: dict[str, LlmfaoModel]) -> dict[str, LlmfaoModel]:
    """The same models keyed by display name."""
    return {model.name: model for model in models.values()}
