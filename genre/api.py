"""The public entry point: :func:`open` gives a :class:`~queries.api.KnowledgeGraph`.

Examples
--------
>>> import genre
>>> kg = genre.open(snapshot=FIXTURE)     # in memory, from the fixture snapshot of the tests
>>> kg.stats().models > 0
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from genre.settings import Settings
from kg.snapshot import ensure_snapshot
from kg.store import Store
from queries.api import KnowledgeGraph

if TYPE_CHECKING:
    from kg.feedback import FeedbackEvent


def open(  # noqa: A001 - mirrors the builtin on purpose: genre.open()
    *,
    settings: Settings | None = None,
    snapshot: Path | str | None = None,
    memory: bool | None = None,
) -> KnowledgeGraph:
    """Open GENRE's knowledge graph, loading the snapshot into the store on first use.

    Parameters
    ----------
    settings:
        Settings to use (default: :meth:`Settings.load`, from ``GENRE_*`` variables).
    snapshot:
        Snapshot to load instead of the shipped default; given alone, the store is in memory.
    memory:
        Force an in-memory store (True) or the persistent one under ``GENRE_HOME`` (False).
    """
    settings = settings or Settings.load()
    if memory is None:
        memory = settings.store == "memory" or snapshot is not None
    store = Store.open(None if memory else settings.store_path)
    ensure_snapshot(store, Path(snapshot) if snapshot is not None else settings.snapshot)
    return KnowledgeGraph(store)


def feedback(user: str, model: str, *, kg: KnowledgeGraph | None = None, **judgement: Any) -> FeedbackEvent:
    """Record one piece of feedback: ``genre.feedback("ana", "GPT-4o", rating=5)``.

    Judgements (exactly one, or only a comment): ``rating=1..5``, ``up=True``, ``down=True``,
    ``prefer="OTHER MODEL"``, ``tie="OTHER MODEL"``, ``chose=True``; optional ``request="TEXT"``
    and ``comment="TEXT"``. Without ``kg`` the persistent store is opened for this one write and
    released at once, so several processes can write in turn.

    >>> kg = open(snapshot=FIXTURE)
    >>> feedback("ana", "GPT-4o", up=True, kg=kg).kind
    'up'
    """
    if kg is not None:
        return kg.feedback(user, model, **judgement)
    with open() as graph:
        return graph.feedback(user, model, **judgement)
