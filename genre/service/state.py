"""What the service holds for its lifetime: the graph, the recommender, the linker, locks and a query pool.

The recommender and the linker take seconds to build (~20 s with semantic linking on the default
graph), so :meth:`ServiceState.start` builds them once and every request shares them. The store is
single-process: the service keeps it open until it stops. Writes go one at a time
(:attr:`ServiceState.write_lock`); SPARQL and Cypher run in a small pool with a time limit
(:meth:`ServiceState.limited`).

Examples
--------
>>> import genre
>>> from genre.service.settings import ServiceSettings
>>> state = ServiceState(genre.open(snapshot=FIXTURE), ServiceSettings(semantic_linking=False)).start()
>>> state.limited(lambda: 6 * 7, "a sum")
42
>>> state.stop()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from genre.service.errors import QueryTimeoutError, ServiceUnavailableError
from genre.service.settings import ServiceSettings

T = TypeVar("T")


class ServiceState:
    """The shared, long-lived parts of the service.

    Parameters
    ----------
    kg:
        The KnowledgeGraph to serve; ``None`` opens ``genre.open()`` at start (and closes it at stop).
    settings:
        The service's settings.
    """

    def __init__(self, kg: Any, settings: ServiceSettings) -> None:
        self.kg = kg
        self.settings = settings
        self.owns_store = kg is None
        self.recommender: Any = None
        self.linker: Any = None
        self.write_lock = threading.Lock()
        self.cypher_lock = threading.Lock()
        self._cypher: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self.started_s: float | None = None

    # -- life -------------------------------------------------------------------------------------
    def start(self) -> ServiceState:
        """Open the graph (if none was given) and build the recommender and the linker."""
        import genre
        from kg.linking import linker_for
        from kg.recommend import recommender_for

        began = time.perf_counter()
        if self.kg is None:
            self.kg = genre.open()
        self.recommender = recommender_for(self.kg).warm()
        self.linker = linker_for(self.kg, semantic=self.settings.semantic_linking)
        self._pool = ThreadPoolExecutor(self.settings.query_workers, thread_name_prefix="genre-query")
        self.started_s = round(time.perf_counter() - began, 2)
        return self

    def stop(self) -> None:
        """Let go of the pool, the Cypher database and (when the service opened it) the store."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        with self.cypher_lock:
            if self._cypher is not None:
                self._cypher.close()
                self._cypher = None
        if self.owns_store and self.kg is not None:
            self.kg.store.close()
            self.kg = None

    @property
    def ready(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._pool is not None

    def require_ready(self) -> None:
        """Raise :class:`ServiceUnavailableError` while the service is starting or stopping."""
        if not self.ready:
            raise ServiceUnavailableError("the service is starting (building the recommender); try again shortly")

    # -- work -------------------------------------------------------------------------------------
    @property
    def semantic(self) -> bool:
        """Whether requests are linked with the sentence model too."""
        return self.settings.semantic_linking

    def limited(self, work: Callable[[], T], what: str) -> T:
        """Run ``work`` in the query pool and wait at most ``query_timeout_s`` for it.

        Past the limit the caller gets :class:`QueryTimeoutError`; a query the engine cannot
        interrupt finishes in the background, holding one of the pool's workers until then.
        """
        pool = self._pool
        if pool is None:
            self.require_ready()
            raise ServiceUnavailableError("the service is stopping")
        future = pool.submit(work)
        limit = self.settings.query_timeout_s
        try:
            return future.result(timeout=limit)
        except FutureTimeout:
            future.cancel()
            raise QueryTimeoutError(
                f"{what} ran past the time limit of {limit:g} s (GENRE_QUERY_TIMEOUT_S); "
                "narrow it (a LIMIT, more bound values) and try again"
            ) from None

    def cypher(self) -> Any:
        """The shared Cypher runner (embedded Ladybug), created on first use; use under :attr:`cypher_lock`."""
        if self._cypher is None:
            from queries.cypher import Cypher

            self._cypher = Cypher(self.kg)
        return self._cypher
