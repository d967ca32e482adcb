"""Routing quality: GENRE picks one model per test prompt of a routing log; the log says how it did.

:func:`evaluate_routing` builds GENRE's request/outcome subgraph from the *training* log only
(an in-memory store, :func:`kg.outcomes.import_routing`), then for every test prompt estimates each
model's outcome from the most similar past requests in that graph
(:class:`kg.recommend.past_requests.PastRequests`, whose neighbourhood size, temperature and
shrinkage are chosen by leave-one-out on the training prompts), and its cost from the same
neighbours. GENRE's choice at cost weight ``w`` maximises ``quality^(1−w) × cheapness^w``, the form
of its performance part (:mod:`kg.evaluation.routing_metrics`).

The baselines of :mod:`kg.evaluation.routing_baselines` (random, best_single, cheapest, knn, mlp) and
the oracle run on the same split, the same sentence vectors and the same choice rule. For each
system: accuracy and cost per query at cost weight 0 (quality first), AIQ over the sweep of
:data:`SWEEP` cost weights (one cost range for all systems), the lowest cost at which a sweep point
reaches best_single's accuracy, and NDCG@3 of the model ranking at cost weight 0. Missing outcomes
(blank cells) are left out of every mean and counted.

A log without costs (open7b) is priced with :func:`cost_proxy`: a model's parameter count in
billions (read from its name) per query, in ``cost_unit`` "B-params"; the result says so.

Examples
--------
>>> from pathlib import Path
>>> from loaders.routing import read_routing
>>> folder = Path(__file__).resolve().parents[2] / "tests" / "data" / "routing"
>>> log = read_routing("open7b", [folder / "open7b_sample.json"])
>>> cost_proxy(log.models)[0][:2], cost_proxy(log.models)[1]
([7.0, 7.0], 'B-params')
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genre.errors import ValidationError
from kg.evaluation.routing_baselines import BASELINES, RouterData, model_means, oracle
from kg.evaluation.routing_metrics import aiq, choose, cost_to_reach, mean_ndcg, outcome_of
from kg.evaluation.routing_prior import graph_prior
from kg.outcomes import Resolver, import_routing
from kg.recommend.past_requests import PastRequests
from kg.recommend.text_vectors import embed_texts, focus_text
from kg.store import Store
from loaders.routing import RoutingLog, restrict

SYSTEMS = ("genre", "random", "best_single", "cheapest", "oracle", "knn", "mlp")
"""Every system of a routing evaluation, GENRE first."""

SWEEP = tuple(float(w) for w in np.round(np.linspace(0.0, 1.0, 51), 3))
"""Cost weights of the sweep (0: quality first, 1: cost first)."""

TUNING_GRID = {
    "neighbours": (10, 20, 40, 80, 160),
    "temperature": (0.02, 0.05, 0.1, 1.0),
    "shrink": (0.5, 2.0, 5.0),
}
"""Past-request settings tried by leave-one-out on the training prompts."""

Progress = Callable[[str], None]


@dataclass(slots=True)
class SystemResult:
    """One system's figures on the test prompts."""

    accuracy: float
    cost_per_query: float
    aiq: float
    ndcg_at_3: float
    cost_to_match_best_single: float | None
    missing_choices: int
    sweep: list[dict[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: ``ndcg@3`` spelled as in the issue."""
        data = asdict(self)
        data["ndcg@3"] = data.pop("ndcg_at_3")
        return data


@dataclass(slots=True)
class RoutingEvaluation:
    """Everything one routing evaluation measured."""

    format: str
    models: list[str]
    train_prompts: int
    test_prompts: int
    missing_outcomes: int
    train_missing_outcomes: int
    cost_unit: str
    cost_note: str
    best_single_model: str
    systems: dict[str, SystemResult]
    genre_settings: dict[str, Any]
    cost_range: tuple[float, float]
    seed: int
    seconds: float
    goals: dict[str, Any] = field(default_factory=dict)

    @property
    def genre_sweep(self) -> list[dict[str, float]]:
        """GENRE's (cost weight, accuracy, cost) for each weight of the sweep."""
        return self.systems["genre"].sweep

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``genre eval routing --json`` (NaN, e.g. NDCG with no solvable prompt, becomes null)."""
        return _finite(
            {
                "format": self.format,
                "models": self.models,
                "train_prompts": self.train_prompts,
                "test_prompts": self.test_prompts,
                "missing_outcomes": self.missing_outcomes,
                "train_missing_outcomes": self.train_missing_outcomes,
                "cost_unit": self.cost_unit,
                "cost_note": self.cost_note,
                "best_single_model": self.best_single_model,
                "cost_range": list(self.cost_range),
                "seed": self.seed,
                "seconds": round(self.seconds, 1),
                "genre_settings": self.genre_settings,
                "goals": self.goals,
                "systems": {name: result.as_dict() for name, result in self.systems.items()},
                "genre_sweep": self.genre_sweep,
            }
        )


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by ``None`` (valid JSON)."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


_SIZE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])")
_MIXTURE = re.compile(r"(\d+)\s*x\s*(\d+(?:\.\d+)?)\s*[bB]")


def cost_proxy(models: Sequence[str]) -> tuple[list[float], str]:
    """Per-query cost of each model when the log has none: its parameter count in billions, from its name.

    A mixture ``8x7b`` counts 8 × 7; a name without a size gets the median of the others (1 when
    no name has one).

    >>> cost_proxy(["meta-llama/Meta-Llama-3-8B", "mistralai/mixtral-8x7b", "gpt-4"])
    ([8.0, 56.0, 32.0], 'B-params')
    """
    sizes: list[float | None] = []
    for name in models:
        mixture = _MIXTURE.search(name)
        single = _SIZE.search(name)
        sizes.append(
            float(mixture.group(1)) * float(mixture.group(2)) if mixture else float(single.group(1)) if single else None
        )
    known = [size for size in sizes if size is not None]
    fallback = float(np.median(known)) if known else 1.0
    return [size if size is not None else fallback for size in sizes], "B-params"


def _matrices(log: RoutingLog, models: Sequence[str], proxy: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Scores and costs (prompts × ``models``, NaN when unknown); costs from ``proxy`` when given."""
    scores = np.full((len(log.records), len(models)), np.nan)
    costs = np.full((len(log.records), len(models)), np.nan)
    column = {model: position for position, model in enumerate(models)}
    for row, record in enumerate(log.records):
        for model, value in record.scores.items():
            if model in column:
                scores[row, column[model]] = value
        for model, value in record.costs.items():
            if model in column:
                costs[row, column[model]] = value
    if proxy is not None:
        costs = np.repeat(np.asarray(proxy, dtype=float)[None, :], len(log.records), axis=0)
    return scores, costs


def split(log: RoutingLog, *, test_fraction: float = 0.2, seed: int = 0) -> tuple[RoutingLog, RoutingLog]:
    """A seeded split of ``log`` into train and test logs (``test_fraction`` of the prompts to test)."""
    if not 0.0 < test_fraction < 1.0:
        raise ValidationError(f"the test fraction must lie strictly between 0 and 1, got {test_fraction}")
    order = np.random.default_rng(seed).permutation(len(log.records))
    cut = int(round(len(order) * (1.0 - test_fraction)))
    if cut == 0 or cut == len(order):
        raise ValidationError(f"{len(order)} prompts cannot be split {1 - test_fraction:.0%}/{test_fraction:.0%}")
    train = [log.records[i] for i in sorted(order[:cut])]
    test = [log.records[i] for i in sorted(order[cut:])]
    return restrict(log, train), restrict(log, test)


def tune_past_requests(
    past: PastRequests, scores: np.ndarray, *, sample: int = 2000, seed: int = 0
) -> dict[str, float]:
    """Neighbours, temperature and shrinkage with the lowest leave-one-out squared error on training prompts.

    ``scores`` are the training outcomes in the table's model order. At most ``sample`` prompts
    are held out in turn (seeded), each predicted from all the others.
    """
    count = len(past.table.requests)
    rows = np.random.default_rng(seed).permutation(count)[: min(sample, count)]
    similarity = past.vectors[rows] @ past.vectors.T
    similarity[np.arange(len(rows)), rows] = -np.inf
    widest = min(max(TUNING_GRID["neighbours"]), count - 1)
    if widest < 1:
        return {"neighbours": past.neighbours, "temperature": past.temperature, "shrink": past.shrink}
    top = np.argpartition(-similarity, widest - 1, axis=1)[:, :widest]
    top_similarity = np.take_along_axis(similarity, top, axis=1)
    order = np.argsort(-top_similarity, axis=1)
    top, top_similarity = np.take_along_axis(top, order, 1), np.take_along_axis(top_similarity, order, 1)
    truth = scores[rows]
    known = ~np.isnan(truth)
    best: tuple[float, dict[str, float]] | None = None
    for neighbours in TUNING_GRID["neighbours"]:
        k = min(neighbours, widest)
        for temperature in TUNING_GRID["temperature"]:
            for shrink in TUNING_GRID["shrink"]:
                estimate = past.aggregate(
                    top[:, :k], top_similarity[:, :k], temperature=temperature, shrink=shrink
                ).scores
                error = float(np.mean((estimate[known] - truth[known]) ** 2))
                if best is None or error < best[0] - 1e-12:
                    best = (error, {"neighbours": k, "temperature": temperature, "shrink": shrink})
    assert best is not None  # the grid is not empty
    return best[1]


def _result(
    quality: np.ndarray,
    costs: np.ndarray,
    test_scores: np.ndarray,
    true_costs: np.ndarray,
    cost_range: tuple[float, float],
) -> tuple[list[dict[str, float]], float, int]:
    """The sweep of one system, its NDCG@3 at weight 0 and its missing choices at weight 0."""
    sweep = []
    missing_first = 0
    for weight in SWEEP:
        choice = choose(quality, costs, weight, cost_range)
        accuracy, cost, missing = outcome_of(choice, test_scores, true_costs)
        if weight == 0.0:
            missing_first = missing
        sweep.append({"cost_weight": weight, "accuracy": accuracy, "cost": cost})
    return sweep, mean_ndcg(quality, costs, test_scores), missing_first


def evaluate_routing(
    train: RoutingLog,
    test: RoutingLog,
    *,
    seed: int = 0,
    cache_dir: Path | None = None,
    base: Store | None = None,
    resolve: Resolver | None = None,
    progress: Progress | None = None,
) -> RoutingEvaluation:
    """Measure GENRE and the baselines on ``test`` after learning from ``train`` only.

    ``base`` is a store to import the training outcomes into (default: a fresh in-memory store
    holding only the outcome graph); with one, GENRE's quality estimate is multiplied by each model's
    graph performance prior (:func:`kg.evaluation.routing_prior.graph_prior`, divided by the best
    model's). ``resolve`` maps a log's model name to a graph model (default: by resolution key).
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    if train.format != test.format:
        raise ValidationError(f"train ({train.format}) and test ({test.format}) logs differ in format")
    models = list(test.models)
    if not models or not test.records or not train.records:
        raise ValidationError("the routing evaluation needs training and test prompts with models")
    proxy, unit = (None, "USD") if train.has_costs and test.has_costs else cost_proxy(models)
    note = (
        "costs are the log's USD per answer"
        if proxy is None
        else "the log has no costs: cost proxy = each model's parameter count in billions (from its name) per query"
    )
    train_scores, train_costs = _matrices(train, models, proxy)
    test_scores, test_costs = _matrices(test, models, proxy)

    say(f"importing {len(train.records)} training prompts into the outcome graph")
    store = base if base is not None else Store.open()
    report = import_routing(store, train, name="train", resolve=resolve)
    say("embedding prompts (cached by text hash)")
    past = PastRequests.from_store(store, graphs=[str(report.graph)], cache_dir=cache_dir)
    iri_column = past.column
    table_columns = np.array([iri_column.get(report.models.get(model, ""), -1) for model in models])
    table_scores = past.table.scores
    settings = tune_past_requests(past, table_scores, seed=seed)
    past.neighbours, past.temperature, past.shrink = (
        int(settings["neighbours"]),
        float(settings["temperature"]),
        float(settings["shrink"]),
    )
    test_vectors = embed_texts([focus_text(record.prompt) for record in test.records], cache_dir=cache_dir)
    train_vectors = embed_texts([focus_text(record.prompt) for record in train.records], cache_dir=cache_dir)
    estimate = past.estimate([record.prompt for record in test.records], similarity=test_vectors @ past.vectors.T)

    def in_model_order(values: np.ndarray, fill: np.ndarray) -> np.ndarray:
        safe = np.maximum(table_columns, 0)
        return np.where(table_columns[None, :] >= 0, values[:, safe], fill[None, :])

    train_data = RouterData(train_vectors, train_scores, train_costs)
    estimates: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    genre_costs = (
        in_model_order(estimate.costs, model_means(train_costs))
        if proxy is None
        else np.repeat(np.asarray(proxy)[None, :], len(test.records), axis=0)
    )
    genre_quality = in_model_order(estimate.scores, model_means(train_scores))
    if base is not None:
        prior = graph_prior(store, [report.models[model] for model in models if model in report.models])
        settings["graph_prior"] = {model: round(prior.get(report.models.get(model, ""), 0.5), 4) for model in models}
        weights = np.array([prior.get(report.models.get(model, ""), 0.5) for model in models])
        genre_quality = genre_quality * (weights / weights.max())[None, :]
    estimates["genre"] = (genre_quality, genre_costs)
    for name in SYSTEMS:
        if name == "genre":
            continue
        say(f"running baseline {name}")
        if name == "oracle":
            estimates[name] = oracle(train_data, RouterData(test_vectors, test_scores, test_costs))
        else:
            estimates[name] = BASELINES.load(name)(train_data, test_vectors, seed=seed)

    model_costs = model_means(np.vstack([train_costs, test_costs]))
    cost_range = (float(model_costs.min()), float(model_costs.max()))
    results: dict[str, SystemResult] = {}
    sweeps: dict[str, list[dict[str, float]]] = {}
    for name, (quality, costs) in estimates.items():
        sweep, ndcg, missing = _result(quality, costs, test_scores, test_costs, cost_range)
        sweeps[name] = sweep
        first = sweep[0]
        results[name] = SystemResult(
            accuracy=first["accuracy"],
            cost_per_query=first["cost"],
            aiq=0.0,
            ndcg_at_3=ndcg,
            cost_to_match_best_single=None,
            missing_choices=missing,
            sweep=sweep,
        )
    every_cost = [point["cost"] for sweep in sweeps.values() for point in sweep if np.isfinite(point["cost"])]
    aiq_range = (min(every_cost), max(every_cost))
    target = results["best_single"].accuracy
    for result in results.values():
        points = [(point["cost"], point["accuracy"]) for point in result.sweep]
        result.aiq = aiq(points, cost_range=aiq_range)
        result.cost_to_match_best_single = cost_to_reach(points, target)
    best_single_model = models[int(np.argmax(model_means(train_scores)))]
    evaluation = RoutingEvaluation(
        format=test.format,
        models=models,
        train_prompts=len(train.records),
        test_prompts=len(test.records),
        missing_outcomes=int(np.isnan(test_scores).sum()),
        train_missing_outcomes=int(np.isnan(train_scores).sum()),
        cost_unit=unit,
        cost_note=note,
        best_single_model=best_single_model,
        systems=results,
        genre_settings=settings,
        cost_range=aiq_range,
        seed=seed,
        seconds=time.perf_counter() - started,
    )
    evaluation.goals = goals(evaluation)
    return evaluation


def goals(evaluation: RoutingEvaluation) -> dict[str, Any]:
    """How GENRE stands against issue 6's goals (both computed for every format)."""
    systems = evaluation.systems
    genre, single = systems["genre"], systems["best_single"]
    baselines = {name: result.aiq for name, result in systems.items() if name not in ("genre", "oracle")}
    cost = genre.cost_to_match_best_single
    share = cost / single.cost_per_query if cost is not None and single.cost_per_query > 0 else None
    best_baseline = max(baselines, key=lambda name: baselines[name])
    budget = 0.25 * single.cost_per_query
    affordable = [point["accuracy"] for point in genre.sweep if point["cost"] <= budget]
    return {
        "match_best_single_at_25pct_cost": {
            "best_single_accuracy": single.accuracy,
            "best_single_cost": single.cost_per_query,
            "genre_cost_to_match": cost,
            "cost_share": share,
            "genre_accuracy_at_25pct_cost": max(affordable) if affordable else None,
            "met": share is not None and share <= 0.25,
        },
        "aiq_above_every_baseline": {
            "genre_aiq": genre.aiq,
            "best_baseline": best_baseline,
            "best_baseline_aiq": baselines[best_baseline],
            "margin": genre.aiq - baselines[best_baseline],
            "met": genre.aiq > baselines[best_baseline],
        },
        "accuracy_3_points_above_best_single": {
            "genre_accuracy": genre.accuracy,
            "best_single_accuracy": single.accuracy,
            "margin_points": 100 * (genre.accuracy - single.accuracy),
            "met": genre.accuracy >= single.accuracy + 0.03,
        },
    }


def plot(evaluation: RoutingEvaluation, path: Path | str) -> Path:
    """One figure with every system's cost–quality sweep (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5.5))
    for name, result in evaluation.systems.items():
        costs = [point["cost"] for point in result.sweep]
        accuracy = [point["accuracy"] for point in result.sweep]
        style = {"linewidth": 2.5, "zorder": 5} if name == "genre" else {"linewidth": 1.2}
        axes.plot(costs, accuracy, marker="o", markersize=3, label=f"{name} (AIQ {result.aiq:.3f})", **style)
    target = evaluation.systems["best_single"].accuracy
    axes.axhline(
        target, color="grey", linestyle=":", linewidth=1, label=f"best single ({evaluation.best_single_model})"
    )
    if evaluation.cost_unit == "USD":
        axes.set_xscale("log")
    axes.set_xlabel(f"mean cost per query ({evaluation.cost_unit})")
    axes.set_ylabel("mean outcome (accuracy)")
    axes.set_title(
        f"Routing on {evaluation.format}: {evaluation.train_prompts} train / {evaluation.test_prompts} test prompts"
    )
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8, loc="lower right")
    target_path = Path(path)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(target_path, dpi=120)
    plt.close(figure)
    return target_path
