"""Training graph embeddings with PyKEEN (imported only here, when training).

:func:`train_embeddings` takes the triples of :func:`kg.embeddings.triples.graph_triples`, holds out a
seeded share of the graph's edges (never the users' likes and dislikes, which personalization needs),
trains TransE or RotatE with stochastic local closed-world negatives (PyKEEN's sLCWA loop, Adam,
each model's default loss: margin ranking for TransE, self-adversarial negative sampling for RotatE),
measures filtered link prediction on the held-out edges (:mod:`kg.embeddings.evaluate`: MRR, Hits@10) and returns the
vectors as numpy :class:`~kg.embeddings.vectors.Embeddings`.

Every random step takes ``seed``: the split, the initialisation and the negative samples, so the same
triples, options and seed give the same vectors on the same machine.

Examples
--------
>>> import genre
>>> from kg.embeddings.triples import graph_triples
>>> triples = graph_triples(genre.open(snapshot=FIXTURE).store)
>>> trained = train_embeddings(triples, model="transe", dim=8, epochs=2, progress=False)
>>> trained.embeddings.kind, trained.embeddings.entity_vectors.shape[1]
('transe', 8)
>>> 0.0 <= trained.mrr <= 1.0
True
"""

from __future__ import annotations

import gc
import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from genre.errors import ConfigError
from kg.embeddings.evaluate import link_prediction
from kg.embeddings.vectors import KINDS, Embeddings

DEFAULTS: dict[str, dict[str, Any]] = {
    "transe": {"dim": 64, "learning_rate": 0.01, "negatives": 4},
    "rotate": {"dim": 32, "learning_rate": 0.01, "negatives": 4},
}
"""Per model: embedding dimension (complex for RotatE, so 2 × dim numbers per entity), Adam's learning
rate and negatives per positive; chosen on the default graph (see ``genre kg embed --help``)."""
DEFAULT_MODEL = "rotate"
"""The model ``genre kg embed`` trains unless told otherwise: the better one on the held-out check of the
default graph (20 epochs, seed 42, 7,534 held-out edges, 3,000 ranked): RotatE (dim 32 complex) MRR 0.537,
Hits@10 0.762; TransE (dim 64) MRR 0.439, Hits@10 0.618, for the same numbers per entity and time."""
DEFAULT_EPOCHS = 20
DEFAULT_SEED = 42
HOLDOUT = 0.05
"""Share of the graph's edges held out to measure link prediction."""
BATCH_SIZE = 2048
NOISE = (".*pin_memory.*", "Training instances are always shuffled")
"""Warnings PyKEEN and torch give on every CPU run, which say nothing to a GENRE user."""
THREADS = 1
"""Torch threads while training: on a small shared machine one thread is several times faster than two."""


@dataclass(frozen=True, slots=True)
class Trained:
    """What :func:`train_embeddings` learned and measured."""

    embeddings: Embeddings
    triples: int
    train_triples: int
    test_triples: int
    seconds: float
    mrr: float | None
    hits_at_10: float | None

    def summary(self) -> dict[str, Any]:
        """The figures ``genre kg embed`` prints."""
        meta = self.embeddings.meta
        return {
            "model": self.embeddings.kind,
            "dim": meta.get("dim"),
            "epochs": meta.get("epochs"),
            "seed": meta.get("seed"),
            "entities": len(self.embeddings.entities),
            "relations": len(self.embeddings.relations),
            "triples": self.triples,
            "train_triples": self.train_triples,
            "test_triples": self.test_triples,
            "training_seconds": round(self.seconds, 1),
            "mrr": None if self.mrr is None else round(self.mrr, 4),
            "hits_at_10": None if self.hits_at_10 is None else round(self.hits_at_10, 4),
        }


def _check(model: str, dim: int | None, epochs: int, holdout: float) -> None:
    if model not in KINDS:
        raise ConfigError(f"unknown embedding model {model!r}", options=KINDS)
    if dim is not None and (isinstance(dim, bool) or not 2 <= int(dim) <= 1024):
        raise ConfigError(f"dim must be an integer from 2 to 1024, got {dim!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ConfigError(f"epochs must be a positive integer, got {epochs!r}")
    if not 0.0 <= holdout < 0.5:
        raise ConfigError(f"holdout must lie in [0, 0.5), got {holdout!r}")


def train_embeddings(
    triples: np.ndarray,
    *,
    model: str = DEFAULT_MODEL,
    dim: int | None = None,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = DEFAULT_SEED,
    holdout: float = HOLDOUT,
    learning_rate: float | None = None,
    negatives: int | None = None,
    progress: bool = True,
    threads: int = THREADS,
    meta: dict[str, Any] | None = None,
) -> Trained:
    """Train ``model`` on ``triples`` (an ``(n, 3)`` string array) and measure it on held-out edges.

    ``meta`` (the graph fingerprint and snapshot) is stored with the vectors. Raises
    :class:`~genre.errors.ConfigError` for unknown models or out-of-range options.
    """
    _check(model, dim, epochs, holdout)
    import torch
    from pykeen.models import RotatE, TransE
    from pykeen.training import SLCWATrainingLoop
    from pykeen.triples import TriplesFactory
    from pykeen.utils import set_random_seed

    settings = {**DEFAULTS[model]}
    given = {"dim": dim, "learning_rate": learning_rate, "negatives": negatives}
    settings.update({name: value for name, value in given.items() if value})
    set_random_seed(seed)
    everything = TriplesFactory.from_labeled_triples(np.asarray(triples, dtype=str))
    train, test = _split(everything, holdout, seed)
    set_random_seed(seed)
    kind = {"transe": TransE, "rotate": RotatE}[model]
    network = kind(triples_factory=train, embedding_dim=int(settings["dim"]), random_seed=seed)
    optimizer = torch.optim.Adam(network.parameters(), lr=float(settings["learning_rate"]))
    loop = SLCWATrainingLoop(
        model=network,
        triples_factory=train,
        optimizer=optimizer,
        negative_sampler="basic",
        negative_sampler_kwargs={"num_negs_per_pos": int(settings["negatives"])},
    )
    batch_size = min(BATCH_SIZE, max(16, train.num_triples))
    start = time.perf_counter()
    threads_before = torch.get_num_threads()
    torch.set_num_threads(threads)
    gc.freeze()  # PyKEEN collects garbage every epoch; leave the graph already in memory out of it
    try:
        with warnings.catch_warnings():
            for noise in NOISE:
                warnings.filterwarnings("ignore", message=noise)
            loop.train(
                triples_factory=train,
                num_epochs=epochs,
                batch_size=batch_size,
                sub_batch_size=batch_size,  # no memory search: the CPU has room for whole batches
                use_tqdm=progress,
                use_tqdm_batch=False,
                tqdm_kwargs={"desc": f"training {model}", "unit": "epoch"} if progress else None,
            )
    finally:
        gc.unfreeze()
        torch.set_num_threads(threads_before)
    seconds = time.perf_counter() - start
    entity_vectors = _numpy(network.entity_representations[0])
    relation_vectors = _numpy(network.relation_representations[0])
    entities = [label for label, _ in sorted(everything.entity_to_id.items(), key=lambda item: item[1])]
    relations = [label for label, _ in sorted(everything.relation_to_id.items(), key=lambda item: item[1])]
    info = {
        **(meta or {}),
        "seed": seed,
        "dim": int(settings["dim"]),
        "epochs": epochs,
        "learning_rate": float(settings["learning_rate"]),
        "negatives": int(settings["negatives"]),
        "norm": 1,
        "holdout": holdout,
        "triples": int(everything.num_triples),
        "training_seconds": round(seconds, 1),
        "pykeen": _version("pykeen"),
    }
    embeddings = Embeddings(
        kind=model,
        entities=entities,
        relations=relations,
        entity_vectors=entity_vectors,
        relation_vectors=relation_vectors,
        meta=info,
    )
    mrr = hits = None
    if test is not None:
        mrr, hits = link_prediction(
            embeddings, test.mapped_triples.numpy(), known=everything.mapped_triples.numpy(), seed=seed
        )
        embeddings.meta["metrics"] = {"mrr": mrr, "hits_at_10": hits}
    return Trained(
        embeddings=embeddings,
        triples=int(everything.num_triples),
        train_triples=int(train.num_triples),
        test_triples=0 if test is None else int(test.num_triples),
        seconds=seconds,
        mrr=mrr,
        hits_at_10=hits,
    )


def _split(everything: Any, holdout: float, seed: int) -> tuple[Any, Any | None]:
    """Training and held-out factories over the same ids; users' edges always train."""
    import torch
    from pykeen.triples import TriplesFactory

    from kg.embeddings.triples import USER_RELATIONS

    if holdout <= 0 or everything.num_triples < 20:
        return everything, None
    train, test = everything.split([1.0 - holdout, holdout], random_state=seed)
    user_ids = [everything.relation_to_id[name] for name in USER_RELATIONS if name in everything.relation_to_id]
    if user_ids:
        is_user = torch.isin(test.mapped_triples[:, 1], torch.tensor(user_ids))
        if bool(is_user.any()):
            mapped = torch.cat([train.mapped_triples, test.mapped_triples[is_user]])
            ids = {"entity_to_id": everything.entity_to_id, "relation_to_id": everything.relation_to_id}
            train = TriplesFactory(mapped, **ids)
            test = TriplesFactory(test.mapped_triples[~is_user], **ids)
    return train, (test if test.num_triples else None)


def _numpy(representation: Any) -> np.ndarray:
    """All vectors of a PyKEEN representation; complex ones as [real parts, imaginary parts]."""
    import torch

    with torch.no_grad():
        values = representation(indices=None).detach().cpu()
    if torch.is_complex(values):
        return np.concatenate([values.real.numpy(), values.imag.numpy()], axis=-1)
    return values.numpy()


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def graph_meta(store: Any) -> dict[str, str]:
    """What the embeddings of ``store`` are matched against later: its graph fingerprint and snapshot."""
    from kg.embeddings.signal import _snapshot
    from kg.recommend.tables import graph_fingerprint

    return {"fingerprint": graph_fingerprint(store), "snapshot": _snapshot(store)}


def embed_store(store: Any, *, out: Any = None, **options: Any) -> tuple[Trained, Any]:
    """Project ``store`` to triples, train on them (``options`` as :func:`train_embeddings`) and save.

    Saves to ``out`` (default :func:`kg.embeddings.signal.user_embeddings_path`); returns what was
    trained and the file's path.
    """
    from pathlib import Path

    from kg.embeddings.signal import user_embeddings_path
    from kg.embeddings.triples import graph_triples

    triples = graph_triples(store)
    if len(triples) == 0:
        raise ConfigError("the graph has no edges to embed; load or build a graph first ('genre kg load')")
    trained = train_embeddings(triples, meta=graph_meta(store), **options)
    path = trained.embeddings.save(Path(out) if out is not None else user_embeddings_path())
    return trained, path
