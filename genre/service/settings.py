"""The HTTP service's own settings, read from ``GENRE_*`` environment variables.

Read like every part's settings (:func:`genre.settings.read_section`): ``[genre.service]`` in
``genre.toml``, then the variables below. API keys are secrets: they come from the environment only.

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
genre.errors.ConfigError: GENRE_API_KEYS_FOR_READS is 'maybe' (valid options: 0, 1, false, no, off, on, true, yes)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from genre.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Security limits and start-up choices of the HTTP service (see the module table)."""

    api_keys: tuple[str, ...] = field(default=(), repr=False, metadata={"secret": True})
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
        """Read every ``GENRE_<FIELD>`` variable that is set (default ``os.environ``), or ``[genre.service]``."""
        from genre.settings import read_section

        return read_section(cls, "service", env=env, prefix="GENRE_")
