"""Fixtures shared by the Cypher and property-graph tests: one Ladybug database of the fixture graph per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ladybug_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the session's Ladybug databases (the fixture graph is built into it once)."""
    return tmp_path_factory.mktemp("ladybug")


@pytest.fixture()
def cypher(kg, ladybug_folder: Path):
    """A Cypher runner on Ladybug over the fixture graph."""
    from queries.cypher import Cypher

    runner = Cypher(kg, folder=ladybug_folder)
    yield runner
    runner.close()
