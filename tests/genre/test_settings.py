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


def test_each_part_reads_its_own_section_of_the_file_then_the_environment(tmp_path):
    from genre.calling import LLMSettings

    config = tmp_path / "genre.toml"
    config.write_text(
        '[genre]\nstore = "memory"\n\n[genre.recommend]\ncost_weight = 0.5\nweights = [1, 1, 0.5]\n\n'
        '[genre.llm]\napi_base = "http://127.0.0.1:4000/v1/"\ntimeout = 5\n',
        encoding="utf-8",
    )
    settings = Settings.load(path=config, env={"GENRE_HOME": str(tmp_path), "GENRE_RECOMMEND_EVIDENCE": "5"})
    assert (settings.recommend.cost_weight, settings.recommend.weights, settings.recommend.evidence) == (
        0.5,
        (1.0, 1.0, 0.5),
        5,
    )
    llm = settings.section(LLMSettings, "llm")
    assert (llm.api_base, llm.timeout) == ("http://127.0.0.1:4000/v1", 5.0)


def test_a_section_refuses_unknown_keys_and_secrets_in_the_file(tmp_path):
    from genre.calling import LLMSettings

    config = tmp_path / "genre.toml"
    config.write_text('[genre.recommend]\ncost_wieght = 0.5\n[genre.llm]\napi_key = "sk-1"\n', encoding="utf-8")
    settings = Settings.load(path=config, env={"GENRE_HOME": str(tmp_path)})
    with pytest.raises(ConfigError, match=r"cost_wieght is not a setting .*cost_weight"):
        _ = settings.recommend
    with pytest.raises(ConfigError, match="api_key is a secret"):
        settings.section(LLMSettings, "llm")
