"""schemathesis against the service's OpenAPI schema: generated requests to every operation find no 500.

Each operation gets ``GENRE_SCHEMA_EXAMPLES`` (default 40) requests generated from its schema by
schemathesis (Hypothesis, derandomized), sent with a valid API key, so writes are exercised too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from genre.service import ServiceSettings, create_app  # noqa: E402

KEY = "schema-key"
EXAMPLES = int(os.environ.get("GENRE_SCHEMA_EXAMPLES", "40"))
DOCUMENTED_5XX = {"/v1/chat/completions", "/sparql", "/v1/cypher"}
"""Where 502/503 are answers the schema documents: calling models, and the query time limit."""

# Built at import: nothing is opened until the app starts (the fixture below gives it the fixture graph).
APP = create_app(
    None,
    ServiceSettings(api_keys=(KEY,), semantic_linking=False, max_body_bytes=256 * 1024, query_timeout_s=5),
)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module", autouse=True)
def _started(fixture_snapshot) -> Iterator[None]:
    """Start the app over the fixture graph, as its lifespan would."""
    import genre

    state = APP.state.genre
    state.kg = genre.open(snapshot=fixture_snapshot)
    state.owns_store = False
    state.start()
    try:
        yield
    finally:
        state.stop()


def test_every_operation_is_covered() -> None:
    paths = {operation.path for operation in OPERATIONS}
    assert {"/v1/recommend", "/v1/models/{model_id}", "/sparql", "/v1/cypher", "/v1/chat/completions"} <= paths


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_generated_requests_find_no_server_error(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def check(case) -> None:
        response = case.call(headers={"X-API-Key": KEY})
        where = f"{case.method} {case.formatted_path}"
        assert response.status_code != 500, f"{where}: {response.text[:500]}"
        if response.status_code > 500:
            assert case.path in DOCUMENTED_5XX, f"{where}: {response.status_code} {response.text[:500]}"
            assert "error" in response.json()

    check()
