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

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from genre.errors import ConfigError

STORE_KINDS = ("oxigraph", "memory")
T = TypeVar("T")


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
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.store not in STORE_KINDS:
            raise ConfigError(f"setting 'store' is {self.store!r}", options=STORE_KINDS)

    def section(self, cls: type[T], name: str, *, prefix: str | None = None) -> T:
        """The settings of one part of GENRE: ``[genre.NAME]`` of the file, then ``GENRE_NAME_*`` variables.

        ``cls`` is a frozen dataclass whose fields are the keys; see :func:`read_section`.
        """
        return read_section(cls, name, env=self.env, file_values=self.sections.get(name, {}), prefix=prefix)

    @property
    def recommend(self) -> Any:
        """Scorers, part weights and cost weight (:class:`kg.recommend.config.RecommendConfig`)."""
        from kg.recommend.config import RecommendConfig

        return self.section(RecommendConfig, "recommend")

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
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        sections: dict[str, Mapping[str, Any]] = {}
        home = Path(env["GENRE_HOME"]).expanduser() if env.get("GENRE_HOME") else default_home()
        config_path = path or (Path(env["GENRE_CONFIG"]) if env.get("GENRE_CONFIG") else home / "genre.toml")
        if path is not None or env.get("GENRE_CONFIG") or config_path.is_file():
            values, sections = _read_toml(config_path)
        for item in fields(cls):
            variable = f"GENRE_{item.name.upper()}"
            if item.name not in ("env", "sections") and env.get(variable):
                values[item.name] = env[variable]
        values.setdefault("home", home)
        return cls(**_coerce(values), env=env, sections=sections)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (values are checked again)."""
        return replace(self, **_coerce(changes))


def _read_toml(path: Path) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]]]:
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
    section = dict(data.get("genre", data))
    sections = {key: section.pop(key) for key in list(section) if key in SECTIONS and isinstance(section[key], dict)}
    valid = sorted({item.name for item in fields(Settings)} - {"env", "sections"})
    unknown = sorted(set(section) - set(valid))
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)} in {path}", options=valid + list(SECTIONS))
    return section, sections


SECTIONS = ("recommend", "llm", "service", "neo4j")
"""The parts of GENRE with settings of their own: ``[genre.recommend]``... in the file, ``GENRE_RECOMMEND_*``..."""

_KIND_WORDS = {"int": "a whole number", "float": "a number", "tuple[float,...]": "numbers separated by commas"}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def read_section(
    cls: type[T],
    name: str,
    *,
    env: Mapping[str, str] | None = None,
    file_values: Mapping[str, Any] | None = None,
    prefix: str | None = None,
) -> T:
    """Build the frozen dataclass ``cls`` from file values, then ``{prefix}{FIELD}`` variables.

    ``prefix`` defaults to ``GENRE_{NAME}_``. Values are turned into each field's type, read from
    its annotation (``bool``, ``int``, ``float``, ``str``, ``tuple[str, ...]``, ``tuple[float, ...]``,
    optional versions of these). Fields marked ``metadata={"secret": True}`` are never read from a
    file. Unknown file keys and unparseable values are :class:`ConfigError` naming the setting.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Demo:
    ...     weights: tuple[float, ...] = (1.0,)
    ...     strict: bool = False
    >>> read_section(Demo, "demo", env={"GENRE_DEMO_WEIGHTS": "1, 0.5", "GENRE_DEMO_STRICT": "yes"})
    Demo(weights=(1.0, 0.5), strict=True)
    >>> read_section(Demo, "demo", env={"GENRE_DEMO_STRICT": "maybe"})
    Traceback (most recent call last):
    ...
    genre.errors.ConfigError: GENRE_DEMO_STRICT is 'maybe' (valid options: 0, 1, false, no, off, on, true, yes)
    """
    env = os.environ if env is None else env
    prefix = prefix if prefix is not None else f"GENRE_{name.upper()}_"
    known = {item.name: item for item in fields(cls) if not item.name.startswith("_")}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in (file_values or {}).items():
        if key not in known or known[key].metadata.get("secret"):
            reason = "is a secret: set it in the environment" if key in known else "is not a setting"
            raise ConfigError(
                f"[genre.{name}] {key} {reason}", options=[k for k in known if not known[k].metadata.get("secret")]
            )
        values[key] = _typed(f"[genre.{name}] {key}", value, str(known[key].type))
    for key, item in known.items():
        variable = f"{prefix}{key.upper()}"
        raw = env.get(variable)
        if raw is not None and raw.strip():
            values[key] = _typed(variable, raw.strip(), str(item.type))
    return cls(**values)


def _typed(where: str, value: Any, annotation: str) -> Any:
    """``value`` (a string from a variable, or a TOML value) as the type ``annotation`` names."""
    kind = annotation.replace(" ", "").replace("|None", "").replace("Optional[", "").rstrip("]")
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() not in _TRUE + _FALSE:
                raise ConfigError(f"{where} is {value!r}", options=_TRUE + _FALSE)
            return str(value).lower() in _TRUE
        if kind == "int":
            return int(value)
        if kind == "float":
            number = float(value)
            if math.isnan(number):
                raise ValueError("not a number")
            return number
        if kind.startswith("tuple["):
            parts = value if isinstance(value, list) else [p.strip() for p in str(value).split(",") if p.strip()]
            return tuple(float(p) for p in parts) if "float" in kind else tuple(str(p) for p in parts)
    except ValueError as error:
        raise ConfigError(f"{where} must be {_KIND_WORDS.get(kind, kind)}, got {value!r}") from error
    return str(value)


def _coerce(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn strings from files and variables into the field types."""
    out = dict(values)
    for name in ("home", "data_dir", "snapshot"):
        if out.get(name) not in (None, ""):
            out[name] = Path(out[name]).expanduser()
        elif name in out:
            out[name] = None
    return out
