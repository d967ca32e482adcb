"""The HTTP service's own settings, read from ``GENRE_*`` environment variables.

Kept apart from :class:`genre.settings.Settings` (where the graph lives) because they only
matter to ``genre serve``. API keys are secrets: they come from the environment only.

=============================  =========================================================  ==========
variable                       meaning                                                    default
=============================  =========================================================  ==========
``GENRE_API_KEYS``             comma-separated keys; one is needed to write (feedback,    none: writes
                               adding a model) and, when set, to call a model             refused
``GENRE_API_KEYS_FOR_READS``   ``1``: every /v1 and /sparql request needs a key too        0
``GENRE_MAX_BODY_BYTES``       larger request bodies get 413                              10485760
``GENRE_QUERY_TIMEOUT_S``      SPARQL and Cypher queries running longer get 503           10
``GENRE_CORS_ORIGINS``         comma-separated origins allowed by CORS (``*`` for any)    none
``GENRE_SEMANTIC_LINKING``     ``0``: link requests with the rules only (faster start)    1
``GENRE_QUERY_WORKERS``        SPARQL and Cypher queries run at once (others wait)        4
=============================  =========================================================  ==========

Examples
--------
>>> settings = ServiceSettings.from_env({"GENRE_API_KEYS": "k1, k2", "GENRE_QUERY_TIMEOUT_S": "2.5"})
>>> settings.api_keys, settings.query_timeout_s, settings.api_keys_for_reads
(('k1', 'k2'), 2.5, False)
>>> ServiceSettings.from_env({"GENRE_API_KEYS_FOR_READS": "maybe"})
Traceback (most recent call last):
...
genre.errors.ConfigError: GENRE_API_KEYS_FOR_READS is 'maybe' (valid options: 0, 1, false, no, true, yes)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from genre.errors import ConfigError

_TRUE = ("1", "true", "yes")
_FALSE = ("0", "false", "no")


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Security limits and start-up choices of the HTTP service (see the module table)."""

    api_keys: tuple[str, ...] = ()
    api_keys_for_reads: bool = False
    max_body_bytes: int = 10 * 1024 * 1024
    query_timeout_s: float = 10.0
    cors_origins: tuple[str, ...] = ()
    semantic_linking: bool = True
    query_workers: int = 4

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            raise ConfigError(f"GENRE_MAX_BODY_BYTES must be at least 1024, got {self.max_body_bytes}")
        if not self.query_timeout_s > 0:
            raise ConfigError(f"GENRE_QUERY_TIMEOUT_S must be a positive number of seconds, got {self.query_timeout_s}")
        if self.query_workers < 1:
            raise ConfigError(f"GENRE_QUERY_WORKERS must be at least 1, got {self.query_workers}")
        if any(not key for key in self.api_keys):
            raise ConfigError("GENRE_API_KEYS holds an empty key")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServiceSettings:
        """Read every ``GENRE_<FIELD>`` variable that is set (default ``os.environ``)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            variable = f"GENRE_{field.name.upper()}"
            raw = env.get(variable)
            if raw is None or raw.strip() == "":
                continue
            values[field.name] = _parse(variable, raw.strip(), field.default)
        return cls(**values)  # type: ignore[arg-type]


def _parse(variable: str, raw: str, default: object) -> object:
    if isinstance(default, bool):
        if raw.lower() not in _TRUE + _FALSE:
            raise ConfigError(f"{variable} is {raw!r}", options=_TRUE + _FALSE)
        return raw.lower() in _TRUE
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    try:
        return type(default)(raw)
    except ValueError as error:
        raise ConfigError(f"{variable} must be a {type(default).__name__}, got {raw!r}") from error
