"""Shared fixtures: the tiny fixture graph, built by GENRE's own pipeline from real source samples.

``tests/data/sources`` holds small real excerpts of every public source (see its README).
The session fixture ``fixture_snapshot`` builds them into a graph once and saves it as a
snapshot; tests open it in memory, so they never touch a user's store or ``../shared``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SOURCES = Path(__file__).parent / "tests" / "data" / "sources"
SAMPLE_LOCATIONS = {
    "litellm": SOURCES / "litellm_sample.json",
    "models_dev": SOURCES / "models_dev_sample.json.gz",
    "helm": SOURCES / "helm_sample.yaml",
    "llmstats": SOURCES / "llmstats",
    "open_llm_v1": SOURCES / "open_llm_v1_sample.csv",
    "open_llm_v2": SOURCES / "open_llm_v2_sample.csv",
    "lmarena_text": SOURCES / "lmarena_text_sample.csv",
    "lmarena_vision": SOURCES / "lmarena_vision_sample.csv",
    "epoch": SOURCES / "epoch_sample",
}


@pytest.fixture(scope="session")
def sample_locations() -> dict[str, str]:
    """Source name -> the path of its real sample."""
    return {name: str(path) for name, path in SAMPLE_LOCATIONS.items()}


@pytest.fixture(scope="session")
def fixture_snapshot(tmp_path_factory: pytest.TempPathFactory, sample_locations: dict[str, str]) -> Path:
    """The fixture graph as a snapshot file, built once per test session."""
    from kg.build import build_graph
    from kg.store import Store

    store = Store.open()
    build_graph(store, sample_locations)
    return store.dump_nquads(tmp_path_factory.mktemp("snapshot") / "fixture.nq.gz")


@pytest.fixture()
def kg(fixture_snapshot: Path):
    """A fresh in-memory KnowledgeGraph holding the fixture graph (writes do not leak between tests)."""
    import genre

    return genre.open(snapshot=fixture_snapshot)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own GENRE_HOME, so nothing reads or writes the user's store."""
    monkeypatch.setenv("GENRE_HOME", str(tmp_path / "genre-home"))
    monkeypatch.delenv("GENRE_CONFIG", raising=False)
    monkeypatch.delenv("GENRE_STORE", raising=False)


@pytest.fixture(autouse=True)
def _doctest_fixture(doctest_namespace: dict, fixture_snapshot: Path) -> None:
    """Doctests can open the fixture graph as ``genre.open(snapshot=FIXTURE)``."""
    doctest_namespace["FIXTURE"] = fixture_snapshot
