"""How well linking works: micro precision and recall on a labelled set, and its speed.

The labelled set (``tests/data/linking_requests.jsonl``, one JSON object per line) gives for
each request its ``text``, ``language``, ``split`` (``dev`` for tuning, ``test`` held out),
gold ``entities`` (IRIs) and gold ``constraints`` (as :meth:`Constraints.as_dict` prints them).

Scores are micro-averaged over items: an entity is one IRI; a constraint is one (name, value)
pair, each provider or feature of a list being its own item. A context length counts as right
within :data:`CONTEXT_TOLERANCE` of the gold value (page and word counts are estimates).

Examples
--------
>>> score = Score(true_positive=8, false_positive=2, false_negative=0)
>>> score.precision, score.recall
(0.8, 1.0)
>>> sorted(constraint_items({"budget": "low", "features": ["a", "b"]}))
[('budget', 'low'), ('features', 'a'), ('features', 'b')]
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from genre.errors import LinkingError
from kg.metrics import Score

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "linking_requests.jsonl"
CONTEXT_TOLERANCE = 0.25
SPLITS = ("dev", "test", "all")


@dataclass(frozen=True, slots=True)
class LabelledRequest:
    """One request of the labelled set with its gold answer."""

    id: str
    text: str
    language: str
    split: str
    entities: frozenset[str]
    constraints: dict[str, Any]


@dataclass(slots=True)
class Evaluation:
    """Entity and constraint scores of one split, by language, with every mistake."""

    split: str
    requests: int
    entities: Score
    constraints: Score
    by_language: dict[str, tuple[Score, Score]] = field(default_factory=dict)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report of ``genre eval linking --json``."""
        return {
            "split": self.split,
            "requests": self.requests,
            "entities": self.entities.as_dict(),
            "constraints": self.constraints.as_dict(),
            "by_language": {
                language: {"entities": e.as_dict(), "constraints": c.as_dict()}
                for language, (e, c) in sorted(self.by_language.items())
            },
        }


def load_requests(path: Path | str | None = None, *, split: str = "all") -> list[LabelledRequest]:
    """Read the labelled set (default :data:`DEFAULT_DATA`), keeping one split or ``all``."""
    if split not in SPLITS:
        raise LinkingError(f"unknown split {split!r}", options=SPLITS)
    file = Path(path) if path is not None else DEFAULT_DATA
    if not file.is_file():
        raise LinkingError(f"labelled requests not found: {file} (give --data FILE)")
    requests = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            request = LabelledRequest(
                id=str(row["id"]),
                text=str(row["text"]),
                language=str(row.get("language", "en")),
                split=str(row.get("split", "dev")),
                entities=frozenset(row.get("entities", [])),
                constraints=dict(row.get("constraints", {})),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise LinkingError(f"{file.name} line {number} is not a labelled request: {error}") from error
        if split == "all" or request.split == split:
            requests.append(request)
    return requests


def constraint_items(constraints: dict[str, Any]) -> set[tuple[str, Any]]:
    """A constraint dict as (name, value) items, one per element of a list."""
    items: set[tuple[str, Any]] = set()
    for name, value in constraints.items():
        if isinstance(value, list):
            items.update((name, element) for element in value)
        elif isinstance(value, float):
            items.add((name, round(value, 4)))
        else:
            items.add((name, value))
    return items


def compare_constraints(predicted: dict[str, Any], gold: dict[str, Any]) -> Score:
    """Micro counts of predicted against gold constraints (context lengths within the tolerance)."""
    found, wanted = constraint_items(predicted), constraint_items(gold)
    context = "min_context_tokens"
    found_context = {v for k, v in found if k == context}
    wanted_context = {v for k, v in wanted if k == context}
    found = {item for item in found if item[0] != context}
    wanted = {item for item in wanted if item[0] != context}
    hits = len(found & wanted)
    context_hits = sum(any(abs(f - w) <= CONTEXT_TOLERANCE * w for f in found_context) for w in wanted_context)
    return Score(
        hits + context_hits,
        len(found - wanted) + len(found_context) - context_hits,
        len(wanted - found) + len(wanted_context) - context_hits,
    )


def evaluate(linker: Any, requests: Sequence[LabelledRequest], *, split: str = "all") -> Evaluation:
    """Link every request with ``linker`` (a :class:`~kg.linking.Linker`) and score it against the gold."""
    report = Evaluation(split, len(requests), Score(), Score())
    for request in requests:
        result = linker.link(request.text)
        predicted = set(result.iris())
        entity_score = Score(
            len(predicted & request.entities),
            len(predicted - request.entities),
            len(request.entities - predicted),
        )
        constraint_score = compare_constraints(result.constraints.as_dict(), request.constraints)
        report.entities += entity_score
        report.constraints += constraint_score
        e, c = report.by_language.get(request.language, (Score(), Score()))
        report.by_language[request.language] = (e + entity_score, c + constraint_score)
        if (
            entity_score.false_positive
            or entity_score.false_negative
            or constraint_score.false_positive
            or (constraint_score.false_negative)
        ):
            report.mistakes.append(
                {
                    "id": request.id,
                    "text": request.text,
                    "extra_entities": sorted(predicted - request.entities),
                    "missed_entities": sorted(request.entities - predicted),
                    "constraints": result.constraints.as_dict(),
                    "gold_constraints": request.constraints,
                }
            )
    return report


def calibrate(linker: Any, requests: Sequence[LabelledRequest]) -> Any:
    """Semantic thresholds that maximise entity micro F1 on ``requests`` (use the ``dev`` split only).

    Rule matches are computed once; each request's concept similarities are computed once; then
    a coordinate search over the per-type thresholds, the margin and the number per type.
    """
    from kg.linking.semantic import SEMANTIC_TYPES, Thresholds, select
    from kg.linking.text import is_chinese

    cases = []
    for request in requests:
        rules = set(linker.link(request.text, semantic=False).iris())
        similarities = {} if is_chinese(request.text) else linker.semantic.similarities(request.text)
        cases.append((rules, similarities, request.entities))

    def f1(thresholds: Thresholds) -> float:
        total = Score()
        for rules, similarities, gold in cases:
            predicted = rules | {iri for iri, _, _ in select(similarities, thresholds)}
            total += Score(len(predicted & gold), len(predicted - gold), len(gold - predicted))
        return total.f1

    best = Thresholds()
    grid = [round(0.2 + 0.025 * step, 3) for step in range(25)]
    options: dict[str, Iterable[Any]] = {kind: grid for kind in SEMANTIC_TYPES}
    options["margin"] = (0.0, 0.02, 0.05, 0.1, 1.0)
    options["per_type"] = (1, 2, 3)
    for _ in range(3):
        for name, values in options.items():
            best = max((replace(best, **{name: value}) for value in values), key=f1)
    return best


@dataclass(frozen=True, slots=True)
class Benchmark:
    """Latency of :meth:`Linker.link` per request after warm-up, in milliseconds."""

    requests: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    def as_dict(self) -> dict[str, Any]:
        """The report of ``genre bench linking --json``."""
        return {"requests": self.requests, "p50_ms": self.p50_ms, "p99_ms": self.p99_ms, "mean_ms": self.mean_ms}


def benchmark(linker: Any, texts: Sequence[str], *, n: int = 500, warmup: int = 20) -> Benchmark:
    """Time ``n`` calls of ``linker.link`` over ``texts`` (cycled) after ``warmup`` untimed calls."""
    if not texts:
        raise LinkingError("no request to time")
    if n < 1:
        raise LinkingError(f"the number of timed requests must be positive, got {n}")
    for index in range(warmup):
        linker.link(texts[index % len(texts)])
    times = []
    for index in range(n):
        start = time.perf_counter()
        linker.link(texts[index % len(texts)])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    return Benchmark(n, round(statistics.median(times), 2), round(p99, 2), round(statistics.fmean(times), 2))
