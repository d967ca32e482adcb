"""Where calls go: an OpenAI-compatible base URL for every call, or each provider's own API.

Read from the environment (the key only from there, since it is a secret) or ``[genre.llm]``:

=====================  ========================================================================
variable               meaning
=====================  ========================================================================
``GENRE_LLM_API_BASE``  an OpenAI-compatible base URL (a local server, a LiteLLM proxy...) that
                        every call goes to, with the offer's LiteLLM id as the model name
``GENRE_LLM_API_KEY``   the key sent to that server (none: a placeholder, for servers without auth)
``GENRE_LLM_TIMEOUT``   seconds one call may take before the next candidate is tried (default 60)
=====================  ========================================================================

Without ``GENRE_LLM_API_BASE``, LiteLLM calls each provider directly with the keys it reads from the
environment (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``, ``GEMINI_API_KEY``, ``AWS_ACCESS_KEY_ID``...).

Examples
--------
>>> settings = LLMSettings.from_env({"GENRE_LLM_API_BASE": "http://127.0.0.1:4000/v1", "GENRE_LLM_API_KEY": "sk-1"})
>>> settings.api_base, settings.timeout
('http://127.0.0.1:4000/v1', 60.0)
>>> "sk-1" in repr(settings)
False
>>> LLMSettings.from_env({"GENRE_LLM_TIMEOUT": "soon"})
Traceback (most recent call last):
...
genre.errors.ConfigError: GENRE_LLM_TIMEOUT must be a number, got 'soon'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from genre.errors import ConfigError

DEFAULT_TIMEOUT = 60.0
NO_KEY = "no-key"
"""Sent as the key to a ``GENRE_LLM_API_BASE`` server when ``GENRE_LLM_API_KEY`` is unset (OpenAI clients need one)."""


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """How GENRE calls models.

    Attributes
    ----------
    api_base:
        OpenAI-compatible base URL every call goes to; None: each provider's own API.
    api_key:
        Key for ``api_base`` (never shown in ``repr``).
    timeout:
        Seconds one call may take.
    """

    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False, metadata={"secret": True})
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.api_base is not None:
            object.__setattr__(self, "api_base", self.api_base.strip().rstrip("/") or None)
        if self.api_base is not None and not self.api_base.startswith(("http://", "https://")):
            raise ConfigError(f"GENRE_LLM_API_BASE must be an http:// or https:// URL, got {self.api_base!r}")
        if isinstance(self.timeout, bool) or not isinstance(self.timeout, (int, float)) or not self.timeout > 0:
            raise ConfigError(f"GENRE_LLM_TIMEOUT must be a positive number of seconds, got {self.timeout!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMSettings:
        """Read ``GENRE_LLM_API_BASE``, ``GENRE_LLM_API_KEY`` and ``GENRE_LLM_TIMEOUT`` (default ``os.environ``).

        Also ``[genre.llm]`` of the settings file, through :meth:`genre.settings.Settings.section`.
        """
        from genre.settings import read_section

        return read_section(cls, "llm", env=env)
