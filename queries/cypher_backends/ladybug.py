"""The embedded back end: Ladybug over the projection of the store, rebuilt when the store changes.

Examples
--------
>>> import genre, tempfile
>>> backend = LadybugBackend(genre.open(snapshot=FIXTURE), folder=Path(tempfile.mkdtemp()))
>>> backend.run("MATCH (m:Model) WHERE m.id = $id RETURN m.prefLabel AS label", {"id": "gpt-4o"}).rows
[('GPT-4o',)]
>>> backend.close()
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from genre.errors import QueryError, StoreError
from kg.property_graph.ladybug import LadybugDatabase, ensure_ladybug, store_fingerprint
from queries.api import KnowledgeGraph
from queries.cypher_result import CypherResult, native


class LadybugBackend:
    """Runs Cypher on a Ladybug database holding ``kg``'s projection.

    Parameters
    ----------
    kg:
        The knowledge graph whose store is projected.
    folder:
        Where the databases live (default ``$GENRE_HOME/ladybug``).
    """

    name = "ladybug"

    def __init__(self, kg: KnowledgeGraph, *, folder: Path | None = None) -> None:
        self.kg = kg
        self.folder = folder
        self.database: LadybugDatabase | None = None
        self._handles: tuple[Any, Any, bool] | None = None

    def _connection(self, write: bool) -> Any:
        import ladybug

        if self.database is None or self.database.fingerprint != store_fingerprint(self.kg.store):
            self.close()
            self.database = ensure_ladybug(self.kg.store, folder=self.folder)
        if self._handles is not None and write and self._handles[2]:
            self.close()  # opened read-only: reopen for writing
        if self._handles is None:
            try:
                database = ladybug.Database(str(self.database.path), read_only=not write)
            except RuntimeError as error:
                raise StoreError(f"cannot open the Ladybug database {self.database.path}: {error}") from error
            self._handles = (database, ladybug.Connection(database), not write)
        return self._handles[1]

    def run(self, text: str, parameters: Mapping[str, Any] | None = None, *, write: bool = False) -> CypherResult:
        """Run ``text`` with ``parameters`` bound as query parameters (``$name``).

        The database is opened read-only unless ``write``, so the engine itself refuses a write
        that slipped past :mod:`queries.cypher_safety`; several processes can read it at once.
        A write changes the projection only; it is rebuilt from the store when the store changes.
        """
        connection = self._connection(write)
        try:
            result = connection.execute(text, dict(parameters or {}))
        except RuntimeError as error:
            raise QueryError(f"Cypher query failed on Ladybug: {error}") from error
        if isinstance(result, list):  # several statements: the last one answers
            result = result[-1]
        columns = tuple(result.get_column_names())
        rows = [tuple(native(value) for value in row) for row in result.get_all()]
        return CypherResult(columns, rows)

    def close(self) -> None:
        """Release the database (its file lock goes with it)."""
        if self._handles is not None:
            database, connection, _ = self._handles
            connection.close()
            database.close()
            self._handles = None
