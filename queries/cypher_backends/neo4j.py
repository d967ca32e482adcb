"""The Neo4j back end: Cypher on a server the property graph was synced to (``genre kg neo4j-sync``).

Examples
--------
>>> class Driver:  # a stand-in for neo4j's driver
...     def execute_query(self, query, parameters, **options):
...         from types import SimpleNamespace
...         return SimpleNamespace(keys=["n"], records=[{"n": parameters["x"]}], summary=None)
...     def close(self): pass
>>> Neo4jBackend(None, driver=Driver()).run("RETURN $x AS n", {"x": 1}).rows
[(1,)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.property_graph.neo4j import Neo4jClient, Neo4jConfig
from queries.cypher_result import CypherResult, native


class Neo4jBackend:
    """Runs Cypher on Neo4j (``GENRE_NEO4J_*`` settings unless ``config`` or ``driver`` is given)."""

    name = "neo4j"

    def __init__(
        self, kg: Any = None, *, config: Neo4jConfig | None = None, driver: Any = None, **options: Any
    ) -> None:
        self.kg = kg
        self.client = Neo4jClient(
            config or (None if driver is not None else Neo4jConfig.from_env()), driver=driver, **options
        )

    def run(self, text: str, parameters: Mapping[str, Any] | None = None, *, write: bool = False) -> CypherResult:
        """Run ``text`` with ``parameters`` bound as query parameters (routed to a reader unless ``write``)."""
        result = self.client.execute(text, parameters or {}, write=write)
        rows = [tuple(native(value) for value in record.values()) for record in result.records]
        return CypherResult(tuple(result.keys), rows)

    def close(self) -> None:
        """Close the driver."""
        self.client.close()
