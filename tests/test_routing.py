"""Routing evaluation: the metrics on hand-computed cases, the baselines, and ``genre eval routing`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from genre.cli import main
from genre.errors import ValidationError
from kg.evaluation.routing import SYSTEMS, cost_proxy, evaluate_routing, split
from kg.evaluation.routing_baselines import RouterData, best_single, cheapest, knn, mlp, oracle, random_router
from kg.evaluation.routing_metrics import aiq, choose, cost_to_reach, mean_ndcg, ndcg_at, outcome_of, upper_hull
from loaders.routing import read_routing

DATA = Path(__file__).parent / "data" / "routing"
ROUTERBENCH = DATA / "routerbench_sample.csv"
OPEN7B = DATA / "open7b_sample.json"


# --------------------------------------------------------------------------- metrics


def test_upper_hull_drops_dominated_and_concave_points() -> None:
    points = [(0.0, 0.5), (0.5, 0.6), (1.0, 1.0), (2.0, 0.9), (0.2, 0.4)]
    # (0.5, 0.6) lies below the chord from (0, 0.5) to (1, 1); (2, 0.9) is dearer and worse; (0.2, 0.4) worse
    assert upper_hull(points) == [(0.0, 0.5), (1.0, 1.0)]


def test_aiq_of_known_points() -> None:
    # trapezoid from (0, .5) to (1, 1): (0.5 + 1) / 2
    assert aiq([(0.0, 0.5), (1.0, 1.0)], cost_range=(0.0, 1.0)) == pytest.approx(0.75)
    # a single point at cost 0.5: 0 below it, flat after it: 0.8 * 0.5
    assert aiq([(0.5, 0.8)], cost_range=(0.0, 1.0)) == pytest.approx(0.4)
    # the curve stays at its best quality up to the end of a wider range: (0.75 * 1 + 1.0 * 1) / 2
    assert aiq([(0.0, 0.5), (1.0, 1.0)], cost_range=(0.0, 2.0)) == pytest.approx(0.875)
    # a point below the hull changes nothing
    assert aiq([(0.0, 0.5), (0.5, 0.6), (1.0, 1.0)], cost_range=(0.0, 1.0)) == pytest.approx(0.75)


def test_ndcg_at_3_by_hand() -> None:
    discounts = 1 / np.log2([2, 3, 4])
    assert ndcg_at([1, 1, 0, 0], [0, 1, 0, 1], k=3) == pytest.approx(1.0)
    assert ndcg_at([0, 1, 1], [1, 1, 0], k=3) == pytest.approx(
        (discounts[1] + discounts[2]) / (discounts[0] + discounts[1])
    )
    assert ndcg_at([0, 0], [0, 0]) is None  # nothing to rank
    quality = np.array([[0.9, 0.1, 0.5]])
    scores = np.array([[0.0, 1.0, np.nan]])  # the missing outcome is left out of the ranking
    assert mean_ndcg(quality, np.ones((1, 3)), scores) == pytest.approx(discounts[1] / discounts[0])


def test_choose_trades_quality_for_cost() -> None:
    quality = np.array([[0.9, 0.6]])
    costs = np.array([[1.0, 0.01]])
    assert choose(quality, costs, 0.0, (0.01, 1.0))[0] == 0
    assert choose(quality, costs, 1.0, (0.01, 1.0))[0] == 1
    tied = choose(np.array([[0.5, 0.5]]), costs, 0.0, (0.01, 1.0))
    assert tied[0] == 1  # a tie goes to the cheaper model


def test_outcome_of_leaves_missing_out_and_counts_it() -> None:
    scores = np.array([[1.0, np.nan], [0.0, 1.0]])
    costs = np.array([[1.0, 2.0], [1.0, 2.0]])
    accuracy, cost, missing = outcome_of(np.array([1, 1]), scores, costs)
    assert (accuracy, cost, missing) == (1.0, 2.0, 1)


def test_cost_to_reach() -> None:
    points = [(1.0, 0.5), (2.0, 0.8), (3.0, 0.9)]
    assert cost_to_reach(points, 0.8) == 2.0
    assert cost_to_reach(points, 0.95) is None


# --------------------------------------------------------------------------- baselines


@pytest.fixture()
def toy() -> tuple[RouterData, RouterData]:
    """Two clusters of prompts; model 0 (dear) solves cluster A, model 1 (cheap) cluster B, model 2 neither."""
    rng = np.random.default_rng(1)
    centres = np.eye(8)[:2]

    def data(count: int) -> RouterData:
        cluster = rng.integers(0, 2, count)
        vectors = centres[cluster] + 0.05 * rng.normal(size=(count, 8))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        scores = np.stack([cluster == 0, cluster == 1, np.zeros(count, bool)], axis=1).astype(float)
        costs = np.tile([1.0, 0.1, 0.01], (count, 1))
        return RouterData(vectors, scores, costs)

    return data(120), data(40)


def _mean_outcome(quality: np.ndarray, costs: np.ndarray, test: RouterData, weight: float = 0.0) -> tuple[float, float]:
    accuracy, cost, _ = outcome_of(choose(quality, costs, weight, (0.01, 1.0)), test.scores, test.costs)
    return accuracy, cost


def test_baselines_behave(toy: tuple[RouterData, RouterData]) -> None:
    train, test = toy
    results = {
        name: _mean_outcome(*function(train, test.vectors, seed=0), test)
        for name, function in {
            "random": random_router,
            "best_single": best_single,
            "cheapest": cheapest,
            "knn": knn,
            "mlp": mlp,
        }.items()
    }
    results["oracle"] = _mean_outcome(*oracle(train, test), test)
    assert results["oracle"][0] == pytest.approx(1.0)
    assert all(results["oracle"][0] >= accuracy for accuracy, _ in results.values())
    assert results["cheapest"][1] == pytest.approx(0.01)  # always the cheapest model
    assert all(results["cheapest"][1] <= cost for _, cost in results.values())
    assert results["knn"][0] == pytest.approx(1.0)  # the clusters are easy to tell apart
    assert results["knn"][0] > results["best_single"][0]
    assert results["mlp"][0] > results["best_single"][0]
    assert 0.0 <= results["random"][0] <= 1.0


def test_cost_proxy_reads_sizes_from_names() -> None:
    sizes, unit = cost_proxy(["mistralai/Mistral-7B-v0.1", "meta-llama/Meta-Llama-3-8B", "mixtral-8x7b", "mystery"])
    assert sizes == [7.0, 8.0, 56.0, 8.0] and unit == "B-params"


def test_split_is_seeded_and_disjoint() -> None:
    log = read_routing("open7b", [OPEN7B])
    train, test = split(log, test_fraction=0.4, seed=3)
    again, _ = split(log, test_fraction=0.4, seed=3)
    assert [r.prompt for r in train.records] == [r.prompt for r in again.records]
    assert len(train.records) == 3 and len(test.records) == 2
    assert not {r.prompt for r in train.records} & {r.prompt for r in test.records}
    assert train.missing + test.missing == log.missing
    with pytest.raises(ValidationError):
        split(log, test_fraction=1.5)


# --------------------------------------------------------------------------- end to end


def test_evaluate_routing_on_the_samples() -> None:
    log = read_routing("routerbench", [ROUTERBENCH])
    evaluation = evaluate_routing(log, log, seed=0)  # train = test: GENRE may remember every outcome
    assert set(evaluation.systems) == set(SYSTEMS)
    oracle_result = evaluation.systems["oracle"]
    assert all(oracle_result.accuracy >= result.accuracy - 1e-9 for result in evaluation.systems.values())
    assert evaluation.systems["cheapest"].cost_per_query == min(r.cost_per_query for r in evaluation.systems.values())
    assert evaluation.missing_outcomes == 2 and evaluation.cost_unit == "USD"
    assert len(evaluation.genre_sweep) > 10


@pytest.mark.parametrize(("fmt", "file"), [("routerbench", ROUTERBENCH), ("open7b", OPEN7B)])
def test_eval_routing_cli_json(fmt: str, file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "curves.png"
    code = main(
        ["eval", "routing", "--format", fmt, "--train", str(file), "--split", "0.4", "--json", "--plot", str(plot)]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data["systems"]) == set(SYSTEMS)
    for result in data["systems"].values():
        assert {"accuracy", "cost_per_query", "aiq", "ndcg@3", "cost_to_match_best_single"} <= set(result)
    assert data["test_prompts"] == 2 and data["train_prompts"] == 3
    assert isinstance(data["missing_outcomes"], int) and data["genre_sweep"]
    assert data["cost_unit"] == ("USD" if fmt == "routerbench" else "B-params")
    assert plot.is_file() and plot.stat().st_size > 1000


def test_eval_routing_cli_explains_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "routing", "--format", "open7b", "--train", str(tmp_path / "missing.json")])
    assert code != 0
    assert "not found" in capsys.readouterr().err
