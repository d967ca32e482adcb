"""The routers GENRE is measured against, each a function from training data to (quality, cost) estimates.

Every router returns two arrays, test prompts × models: the quality it expects of each model and
the cost it expects (:mod:`kg.evaluation.routing_metrics` turns them into choices at each cost
weight). They see the training outcomes and the sentence vectors of the prompts, never the test
outcomes — except ``oracle``, which is the ceiling by definition.

- ``random``: a random quality per prompt and model (seeded);
- ``best_single``: every prompt gets each model's mean training outcome (at cost weight 0: always
  the best model on the training data);
- ``cheapest``: every model equally good, so the cheapest always wins;
- ``oracle``: the true test outcomes and costs;
- ``knn``: the mean outcome of the :data:`KNN_NEIGHBOURS` training prompts most similar in sentence
  embedding (cosine), as RouterBench's kNN router;
- ``mlp``: a multi-output MLP regressor (scikit-learn) from the sentence embedding to every model's
  outcome, as RouterBench's MLP router (missing training outcomes are imputed with the model's mean).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> train = RouterData(rng.normal(size=(20, 4)), rng.integers(0, 2, (20, 3)).astype(float), np.ones((20, 3)))
>>> quality, cost = best_single(train, rng.normal(size=(2, 4)))
>>> quality.shape, bool((quality[0] == quality[1]).all())
((2, 3), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genre.registry import Registry

KNN_NEIGHBOURS = 10


@dataclass(slots=True)
class RouterData:
    """Unit sentence vectors of prompts, their outcomes and costs (prompts × models, NaN when unknown)."""

    vectors: np.ndarray
    scores: np.ndarray
    costs: np.ndarray


def model_means(values: np.ndarray, default: float = 0.0) -> np.ndarray:
    """Per-model mean over known values (``default`` for a model with none)."""
    known = ~np.isnan(values)
    counts = known.sum(axis=0)
    sums = np.where(known, values, 0.0).sum(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), default)


def _broadcast(row: np.ndarray, count: int) -> np.ndarray:
    return np.repeat(row[None, :], count, axis=0)


def random_router(train: RouterData, test_vectors: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A uniformly random quality per prompt and model."""
    rng = np.random.default_rng(seed)
    count = len(test_vectors)
    return rng.random((count, train.scores.shape[1])), _broadcast(model_means(train.costs), count)


def best_single(train: RouterData, test_vectors: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Each model's mean training outcome, for every prompt."""
    count = len(test_vectors)
    return _broadcast(model_means(train.scores), count), _broadcast(model_means(train.costs), count)


def cheapest(train: RouterData, test_vectors: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Every model equally good: the cheapest on the training data is always chosen."""
    count = len(test_vectors)
    costs = model_means(train.costs)
    return np.ones((count, len(costs))), _broadcast(costs, count)


def oracle(train: RouterData, test: RouterData) -> tuple[np.ndarray, np.ndarray]:
    """The true test outcomes (missing: 0) and costs (missing: the training mean)."""
    means = model_means(train.costs)
    return np.nan_to_num(test.scores, nan=0.0), np.where(np.isnan(test.costs), means[None, :], test.costs)


def knn(
    train: RouterData, test_vectors: np.ndarray, *, seed: int = 0, neighbours: int = KNN_NEIGHBOURS
) -> tuple[np.ndarray, np.ndarray]:
    """Mean outcome of the most similar training prompts (cosine of unit vectors)."""
    similarity = test_vectors @ train.vectors.T
    count = min(neighbours, similarity.shape[1])
    top = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
    outcomes = train.scores[top]
    known = ~np.isnan(outcomes)
    means = model_means(train.scores)
    sums = np.where(known, outcomes, 0.0).sum(axis=1)
    counts = known.sum(axis=1)
    quality = np.where(counts > 0, sums / np.maximum(counts, 1), means[None, :])
    return quality, _broadcast(model_means(train.costs), len(test_vectors))


def mlp(train: RouterData, test_vectors: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A multi-output MLP from sentence vectors to outcomes (scikit-learn, early stopping, seeded)."""
    from sklearn.neural_network import MLPRegressor

    means = model_means(train.scores)
    targets = np.where(np.isnan(train.scores), means[None, :], train.scores)
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        alpha=1e-3,
        learning_rate_init=1e-3,
        max_iter=300,
        early_stopping=len(train.vectors) >= 50,  # a validation tenth needs a few prompts
        n_iter_no_change=15,
        random_state=seed,
    )
    model.fit(train.vectors, targets)
    quality = np.clip(model.predict(test_vectors).reshape(len(test_vectors), -1), 0.0, 1.0)
    return quality, _broadcast(model_means(train.costs), len(test_vectors))


BASELINES = Registry("routing baseline")
"""The learned and fixed baselines by name (``oracle`` is separate: it reads the test outcomes)."""
for _name, _function in (
    ("random", "random_router"),
    ("best_single", "best_single"),
    ("cheapest", "cheapest"),
    ("knn", "knn"),
    ("mlp", "mlp"),
):
    BASELINES.register(_name, f"kg.evaluation.routing_baselines:{_function}")
