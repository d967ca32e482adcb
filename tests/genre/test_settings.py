"""Settings: defaults, TOML file, environment, strict keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre.errors import ConfigError
from genre.settings import Settings


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "genre.toml"
    config.write_text('[genre]\nstore = "memory"\ndata_dir = "/data"\n')
    settings = Settings.load(path=config, env={"GENRE_HOME": str(tmp_path), "GENRE_DATA_DIR": "/other"})
    assert settings.store == "memory"
    assert settings.data_dir == Path("/other")
    assert settings.store_path == tmp_path / "store"


def test_home_file_is_read_when_present(tmp_path: Path) -> None:
    (tmp_path / "genre.toml").write_text('store = "memory"\n')
    assert Settings.load(env={"GENRE_HOME": str(tmp_path)}).store == "memory"


def test_unknown_keys_and_values_are_errors(tmp_path: Path) -> None:
    config = tmp_path / "genre.toml"
    config.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="unknown setting\\(s\\) colour.*valid options: data_dir, home"):
        Settings.load(path=config, env={})
    with pytest.raises(ConfigError, match="valid options: memory, oxigraph"):
        Settings.load(env={"GENRE_STORE": "sqlite"})
    config.write_text("store = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load(path=config, env={})
    with pytest.raises(ConfigError, match="not found"):
        Settings.load(env={"GENRE_CONFIG": str(tmp_path / "missing.toml")})


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = Settings.load(env={"GENRE_HOME": str(tmp_path)})
    with pytest.raises(AttributeError):
        settings.store = "memory"  # type: ignore[misc]
    assert settings.with_(store="memory").store == "memory"
