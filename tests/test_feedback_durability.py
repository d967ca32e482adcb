"""Several processes writing feedback to one persistent store lose nothing; a killed writer corrupts nothing.

Each writer is a real ``python`` process calling :func:`genre.feedback`, which opens the persistent
store, writes one event in one transaction and releases the store; writers wait their turn.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal

WRITER = """
import sys, genre
user, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    event = genre.feedback(user, "GPT-4o", rating=1 + i % 5, comment=f"{user} {i}")
    print(event.id, flush=True)
"""


@pytest.fixture
def store_env(tmp_path: Path, fixture_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A persistent store under a fresh GENRE_HOME, loaded once before the writers start."""
    import genre

    env = {**os.environ, "GENRE_HOME": str(tmp_path / "home"), "GENRE_SNAPSHOT": str(fixture_snapshot)}
    env.pop("GENRE_STORE", None)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    for key in ("GENRE_HOME", "GENRE_SNAPSHOT"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.delenv("GENRE_STORE", raising=False)
    with genre.open(memory=False):
        pass
    return env


def _writer(env: dict[str, str], user: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, user, str(count)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stored_feedback() -> tuple[dict[str, str], Graph, Graph]:
    """Feedback ids -> user ids, the feedback graph (string literals plain, as in the shapes), and its types."""
    import genre
    from kg.feedback import FEEDBACK_GRAPH

    with genre.open(memory=False) as kg:
        rows = kg.store.select("SELECT ?f ?u WHERE { ?f a genre:Feedback ; genre:givenBy ?u }").rows
        graph, types = Graph(), Graph()
        for s, p, o, _ in kg.store.dataset.quads((None, None, None, FEEDBACK_GRAPH)):
            graph.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
        for node in set(graph.objects()):  # the types of the users, models and requests it points to
            for _, p, o, _ in kg.store.dataset.quads((node, RDF.type, None, None)):
                types.add((node, p, o))
    return {str(f).rsplit("/", 1)[-1]: str(u).rsplit("/", 1)[-1] for f, u in rows}, graph, types


@pytest.mark.slow
def test_four_writers_of_250_events_each_lose_none(store_env):
    writers = [_writer(store_env, f"writer-{n}", 250) for n in range(4)]
    acknowledged: dict[str, str] = {}
    for n, writer in enumerate(writers):
        out, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err
        acknowledged.update({line: f"writer-{n}" for line in out.split()})
    assert len(acknowledged) == 1000
    stored, _, _ = _stored_feedback()
    assert {key: stored.get(key) for key in acknowledged} == acknowledged
    assert len(stored) == 1000


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_the_store_consistent(store_env):
    from ontology.validate import shacl_problems

    acknowledged: set[str] = set()
    for round_number in range(3):
        writer = _writer(store_env, f"victim-{round_number}", 100_000)
        assert writer.stdout is not None
        for _ in range(5 + 7 * round_number):  # kill at a different point each round
            acknowledged.add(writer.stdout.readline().strip())
        time.sleep(0.013 * round_number)
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=60)
        acknowledged.update(rest.split())
    acknowledged.discard("")
    stored, graph, types = _stored_feedback()
    assert acknowledged <= set(stored)
    assert len(stored) - len(acknowledged) <= 3  # at most one committed-but-unacknowledged event per kill
    assert shacl_problems(graph, types) == []
    survivor = _writer(store_env, "after", 3)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    assert len(out.split()) == 3
