"""GENRE: a knowledge-graph recommender of large language models.

The public API is re-exported here and imported lazily, so that ``import genre``
(and ``genre --help``) stays fast and lower layers can import :mod:`genre.errors`
without pulling in the store.

Examples
--------
>>> import genre
>>> genre.GenreError.__name__
'GenreError'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "GenreError": "genre.errors",
    "ConfigError": "genre.errors",
    "OntologyError": "genre.errors",
    "ValidationError": "genre.errors",
    "LoaderError": "genre.errors",
    "StoreError": "genre.errors",
    "QueryError": "genre.errors",
    "NotFoundError": "genre.errors",
    "LinkingError": "genre.errors",
    "RecommendationError": "genre.errors",
    "ModelCallError": "genre.errors",
    "Settings": "genre.settings",
    "open": "genre.api",
    "feedback": "genre.api",
    "KnowledgeGraph": "queries.api",
    "link": "kg.linking",
    "recommend": "kg.recommend",
    "ask": "genre.calling",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'genre' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
