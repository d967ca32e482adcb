"""GENRE's one settings object: a frozen dataclass read from a TOML file and ``GENRE_*`` variables.

Precedence, lowest to highest: the defaults below, the TOML file (``GENRE_CONFIG``, or
``genre.toml`` in the home folder when it exists), then environment variables named
``GENRE_<FIELD>`` in upper case. Unknown keys in the file are errors that list the valid
keys; values are checked on creation. Secrets are never read from the file.

Examples
--------
>>> settings = Settings.load(env={"GENRE_HOME": "/tmp/genre-doc", "GENRE_STORE": "memory"})
>>> settings.store, str(settings.home)
('memory', '/tmp/genre-doc')
>>> Settings.load(env={"GENRE_STORE": "postgres"})
Traceback (most recent call last):
...
genre.errors.ConfigError: setting 'store' is 'postgres' (valid options: memory, oxigraph)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from genre.errors import ConfigError

STORE_KINDS = ("oxigraph", "memory")


def default_home() -> Path:
    """The user's data folder for GENRE (``~/.local/share/genre`` on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("genre", appauthor=False))


@dataclass(frozen=True, slots=True)
class Settings:
    """Where GENRE keeps its data and how it opens it.

    Attributes
    ----------
    home:
        Folder for the persistent store and caches (``GENRE_HOME``).
    store:
        ``oxigraph`` (persistent, on disk under ``home``) or ``memory`` (for tests).
    data_dir:
        Folder holding the public source files that ``genre kg build`` reads by default
        (``GENRE_DATA_DIR``); each source can also be given explicitly.
    snapshot:
        The N-Quads snapshot a fresh store is loaded from; empty means the default
        snapshot shipped with GENRE.
    """

    home: Path
    store: str = "oxigraph"
    data_dir: Path | None = None
    snapshot: Path | None = None

    def __post_init__(self) -> None:
        if self.store not in STORE_KINDS:
            raise ConfigError(f"setting 'store' is {self.store!r}", options=STORE_KINDS)

    @property
    def store_path(self) -> Path:
        """Folder of the persistent Oxigraph store."""
        return self.home / "store"

    @classmethod
    def load(cls, *, path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the defaults, the TOML file and the environment.

        Parameters
        ----------
        path:
            TOML file to read; default ``GENRE_CONFIG`` or ``<home>/genre.toml`` if present.
        env:
            Environment to read (default ``os.environ``).
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        home = Path(env["GENRE_HOME"]).expanduser() if env.get("GENRE_HOME") else default_home()
        config_path = path or (Path(env["GENRE_CONFIG"]) if env.get("GENRE_CONFIG") else home / "genre.toml")
        if path is not None or env.get("GENRE_CONFIG") or config_path.is_file():
            values.update(_read_toml(config_path))
        for field in fields(cls):
            variable = f"GENRE_{field.name.upper()}"
            if env.get(variable):
                values[field.name] = env[variable]
        values.setdefault("home", home)
        return cls(**_coerce(values))

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (values are checked again)."""
        return replace(self, **_coerce(changes))


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"settings file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"settings file {path} is not valid TOML: {error}") from error
    section = data.get("genre", data)
    valid = {field.name for field in fields(Settings)}
    unknown = sorted(set(section) - valid)
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)} in {path}", options=valid)
    return dict(section)


def _coerce(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn strings from files and variables into the field types."""
    out = dict(values)
    for name in ("home", "data_dir", "snapshot"):
        if out.get(name) not in (None, ""):
            out[name] = Path(out[name]).expanduser()
        elif name in out:
            out[name] = None
    return out
