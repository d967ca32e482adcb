"""The configuration handed out with a recommendation: a preset from the graph, clipped to the model.

The preset is the one linked (``genre:presetForTask``) to the request's most confidently linked
task that has one; otherwise :data:`DEFAULT_PRESET` (chat default: temperature 0.7, top_p 0.95,
2,048 tokens), and :data:`FALLBACK` when the graph lacks even that. ``max_tokens`` is clipped to
the offer's maximum output tokens (else the model's), and ``reasoning_effort`` is given only to
models with the reasoning capability. The expected answer length used to price a request is
:func:`expected_output_tokens`.

Examples
--------
>>> import genre
>>> from kg.recommend.tables import graph_tables
>>> tables = graph_tables(genre.open(snapshot=FIXTURE).store)
>>> choose_preset(tables, ["https://w3id.org/genre/task/code-generation"]).label
'precise code'
>>> choose_preset(tables, []).iri.rsplit("/", 1)[-1]
'chat-default'
>>> expected_output_tokens(choose_preset(tables, []))
512
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.recommend.tables import CAPABILITY, GraphTables, Preset
from ontology.terms import BASE

DEFAULT_PRESET = f"{BASE}preset/chat-default"
FALLBACK = Preset(DEFAULT_PRESET, "chat default", 0.7, 0.95, 2048, None)
MIN_OUTPUT_TOKENS = 256
"""A request is priced with a quarter of its preset's token budget as output, and at least this."""


def choose_preset(tables: GraphTables, tasks: Sequence[str]) -> Preset:
    """The preset of the first task (most confident first) that has one, else the default."""
    for task in tasks:
        iri = tables.preset_for_task.get(task)
        if iri is not None:
            return tables.presets[iri]
    return tables.presets.get(DEFAULT_PRESET, FALLBACK)


def expected_output_tokens(preset: Preset) -> int:
    """Output tokens assumed when pricing a request: a quarter of the preset's budget, at least 256."""
    return max(MIN_OUTPUT_TOKENS, (preset.max_tokens or 2048) // 4)


def model_config(tables: GraphTables, preset: Preset, *, model: int, offer: int) -> dict[str, Any]:
    """The preset's settings for one model at one offer: ``max_tokens`` clipped, effort only for reasoning models."""
    limit = int(tables.offer_max_output[offer]) or int(tables.model_max_output[model])
    max_tokens = preset.max_tokens
    if max_tokens is not None and limit > 0:
        max_tokens = min(max_tokens, limit)
    config: dict[str, Any] = {
        "preset": preset.iri.rsplit("/", 1)[-1],
        "preset_label": preset.label,
        "temperature": preset.temperature,
        "top_p": preset.top_p,
        "max_tokens": max_tokens,
    }
    reasoning = tables.bit(f"{CAPABILITY}reasoning")
    has_reasoning = bool((int(tables.model_capability_mask[model]) | int(tables.offer_feature_mask[offer])) & reasoning)
    if preset.reasoning_effort and has_reasoning:
        config["reasoning_effort"] = preset.reasoning_effort
    return config
