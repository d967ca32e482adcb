"""Cypher over GENRE's graph: named ``.cypher`` queries, parameters bound as parameters, read-only by default.

Named queries live in ``queries/cypher/*.cypher`` with the header convention of the SPARQL ones
(``// param model: model = gpt-4o``) and answer the same questions as their SPARQL twins.
Node-typed parameters (a model alias, a capability label...) are resolved to IRIs through
:meth:`queries.api.KnowledgeGraph.bind`; every value is passed to the engine as a query
parameter (``$model``), never pasted into the text. A query that writes is refused unless
``write=True`` (:mod:`queries.cypher_safety`).

Back ends are registered in :data:`CYPHER_BACKENDS`: ``ladybug`` (embedded, default) and ``neo4j``.

Examples
--------
>>> import genre, tempfile
>>> cypher = Cypher(genre.open(snapshot=FIXTURE), folder=Path(tempfile.mkdtemp()))
>>> [row["provider_id"] for row in cypher.run("model-providers", model="GPT-4o").dicts()][:2]
['azure', 'openai']
>>> cypher.run("MATCH (m:Model) DETACH DELETE m")
Traceback (most recent call last):
...
genre.errors.QueryError: this Cypher query writes (DETACH); queries are read-only unless write=True (--write)
>>> cypher.close()
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from genre.errors import ConfigError, NotFoundError, QueryError
from genre.registry import Registry
from queries.api import KnowledgeGraph
from queries.cypher_result import CypherResult
from queries.cypher_safety import check_read_only
from queries.headers import parse_file
from queries.named import NamedQuery

CYPHER_FOLDER = Path(__file__).resolve().parent / "cypher"
SUFFIXES = (".cypher", ".cyp", ".cql")

CYPHER_BACKENDS = Registry("Cypher back end")
CYPHER_BACKENDS.register("ladybug", "queries.cypher_backends.ladybug:LadybugBackend")
CYPHER_BACKENDS.register("neo4j", "queries.cypher_backends.neo4j:Neo4jBackend")


def cypher_query_names() -> list[str]:
    """Names of the shipped Cypher queries."""
    return sorted(path.stem for path in CYPHER_FOLDER.glob("*.cypher"))


@cache
def named_cypher_query(name: str) -> NamedQuery:
    """The shipped Cypher query called ``name``; :class:`NotFoundError` lists the valid names."""
    path = CYPHER_FOLDER / f"{name}.cypher"
    if not path.is_file():
        raise NotFoundError(f"no named Cypher query {name!r}", options=cypher_query_names())
    return parse_file(path, "//")


def find_query(text: str) -> NamedQuery | None:
    """A named query or a ``.cypher`` file named by ``text``, or ``None`` when ``text`` is Cypher itself."""
    if text in cypher_query_names():
        return named_cypher_query(text)
    if text.strip().endswith(SUFFIXES) and "\n" not in text:
        path = Path(text.strip())
        if not path.is_file():
            raise ConfigError(f"Cypher query file not found: {path}")
        return parse_file(path, "//")
    return None


def cypher_parameters(kg: KnowledgeGraph, query: NamedQuery, params: Mapping[str, Any]) -> dict[str, Any]:
    """A named query's parameters as plain values: checked, typed, node names resolved to IRIs."""
    return {name: _plain(term.toPython()) for name, term in kg.bind(query, params).items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (str, int, float, bool, date, datetime)):
        return value
    return str(value)


class Cypher:
    """Run Cypher on one back end over ``kg``.

    Parameters
    ----------
    kg:
        The knowledge graph (names in parameters resolve through it; Ladybug projects its store).
    backend:
        A name registered in :data:`CYPHER_BACKENDS`, or a back-end object with
        ``run(text, parameters, *, write)`` and ``close()``.
    **options:
        Keyword arguments of the back end (``folder=`` for Ladybug, ``config=``/``driver=`` for Neo4j).
    """

    def __init__(self, kg: KnowledgeGraph, *, backend: str | Any = "ladybug", **options: Any) -> None:
        self.kg = kg
        self.backend = CYPHER_BACKENDS.load(backend)(kg, **options) if isinstance(backend, str) else backend

    def run(self, query: str | NamedQuery, *, write: bool = False, **params: Any) -> CypherResult:
        """Run a named query, a query file or Cypher text; ``params`` are bound as ``$name``.

        For Cypher text, parameters pass as given (strings stay strings). Raises
        :class:`QueryError` for a write without ``write=True``, unknown or ill-typed parameters,
        and engine errors.
        """
        named = find_query(query) if isinstance(query, str) else query
        if named is not None and named.parameters:
            parameters = cypher_parameters(self.kg, named, params)
        else:
            parameters = {name: _plain(value) for name, value in params.items()}
        text = named.text if named is not None else str(query)
        if not text.strip():
            raise QueryError("empty Cypher query")
        if not write:
            check_read_only(text)
        return self.backend.run(text, parameters, write=write)

    def close(self) -> None:
        """Release the back end."""
        self.backend.close()
