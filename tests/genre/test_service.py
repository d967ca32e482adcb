"""The HTTP service, through FastAPI's TestClient on the fixture graph (rules-only linking for speed)."""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from genre.service import ServiceSettings, create_app  # noqa: E402

KEY = "test-key-123"
WRITE = {"Authorization": f"Bearer {KEY}"}
GOOD_YAML = "id: svc-model\nname: Service Model\ninput_modalities: [text]\ncapabilities: [text-generation]\n"
BAD_YAML = "id: svc-bad\nname: Service Bad\ncapabilities: [telepathy]\n"
STACK_WORDS = ("Traceback", 'File "', "line ", ".py")


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def settings(**changes: Any) -> ServiceSettings:
    values: dict[str, Any] = {"api_keys": (KEY,), "semantic_linking": False, "max_body_bytes": 64 * 1024}
    values.update(changes)
    return ServiceSettings(**values)


@pytest.fixture(scope="module")
def shared_kg(fixture_snapshot):
    """One fixture graph for the read-only tests of this module (built once: the linker takes seconds)."""
    import genre

    return genre.open(snapshot=fixture_snapshot)


@pytest.fixture(scope="module")
def client(shared_kg) -> Iterator[TestClient]:
    with TestClient(create_app(shared_kg, settings()), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture()
def writer(kg) -> Iterator[TestClient]:
    """A client over a fresh graph, for tests that write."""
    with TestClient(create_app(kg, settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == response.status_code
    assert not any(word in body["error"]["message"] for word in ("Traceback", 'File "'))
    return body["error"]


# -- health, docs, page ------------------------------------------------------------------------------
def test_health_docs_and_page(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["store"] == "memory" and health["semantic_linking"] is False
    schema = client.get("/openapi.json").json()
    for path in ("/v1/recommend", "/v1/link", "/v1/feedback", "/v1/models", "/v1/models/{model_id}", "/sparql",
                 "/v1/cypher", "/v1/chat/completions", "/healthz"):  # fmt: skip
        assert path in schema["paths"], path
    assert "text/csv" in schema["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
    assert client.get("/docs").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404 and error_of(response)["type"] == "HTTPError"


# -- recommend and link --------------------------------------------------------------------------------
def test_recommend_returns_the_cli_json(client: TestClient, shared_kg) -> None:
    from kg.recommend import recommender_for

    body = {"text": "Write a Python function that parses dates", "k": 3, "cost_weight": 0.5}
    response = client.post("/v1/recommend", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"request", "recommendations", "removed_by_constraint"}
    assert [r["rank"] for r in answer["recommendations"]] == [1, 2, 3]
    assert answer["request"]["cost_weight"] == 0.5
    direct = recommender_for(shared_kg).recommend(body["text"], k=3, cost_weight=0.5, semantic=False).as_dict()
    assert [r["model_id"] for r in answer["recommendations"]] == [r["model_id"] for r in direct["recommendations"]]


def test_recommend_with_an_image_attachment_needs_image_input(client: TestClient) -> None:
    image = base64.b64encode(png(64, 48)).decode()
    body = {"text": "what is written on this receipt?", "k": 2,
            "attachments": [{"filename": "../receipt.png", "content_base64": image}]}  # fmt: skip
    response = client.post("/v1/recommend", json=body)
    assert response.status_code == 200, response.text
    assert "image" in response.json()["request"]["modalities"]


def test_recommend_rejects_bad_input_with_clear_errors(client: TestClient) -> None:
    assert client.post("/v1/recommend", json={"text": "hi", "k": 0}).status_code == 422
    assert client.post("/v1/recommend", json={"text": "hi", "cost_weight": 2}).status_code == 422
    bad = client.post("/v1/recommend", json={"text": "hi", "attachments": [{"filename": "a", "content_base64": "!!"}]})
    assert bad.status_code == 400 and "base64" in error_of(bad)["message"]
    broken = client.post("/v1/recommend", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422


def test_recommend_emptied_by_a_constraint_is_422_naming_it(client: TestClient) -> None:
    response = client.post("/v1/recommend", json={"text": "an open-weights model from Anthropic only"})
    error = error_of(response)
    assert response.status_code == 422 and error["type"] == "RecommendationError"
    assert error["constraint"] == "providers_include" and error["removed_by_constraint"]["open_weights"] > 0


def test_link_with_constraints(client: TestClient) -> None:
    body = {"text": "Translate this contract into French with GPT-4o", "constraints": {"max_input_price": 1.0,
            "avoid_providers": ["openai"]}}  # fmt: skip
    response = client.post("/v1/link", json=body)
    assert response.status_code == 200, response.text
    linked = response.json()
    assert ("task", "translation") in {(e["type"], e["iri"].rsplit("/", 1)[-1]) for e in linked["entities"]}
    assert linked["constraints"]["max_input_price"] == 1.0
    assert any(p.endswith("/openai") for p in linked["constraints"]["providers_exclude"])
    unknown = client.post("/v1/link", json={"text": "x", "constraints": {"colour": "red"}})
    assert unknown.status_code == 422


# -- models ----------------------------------------------------------------------------------------------
def test_model_list_filters_match_the_python_api(client: TestClient, shared_kg) -> None:
    response = client.get("/v1/models", params={"capability": "vision", "input_modality": "image",
                                                "max_input_price": 2, "limit": 5})  # fmt: skip
    assert response.status_code == 200
    listed = response.json()
    expected = shared_kg.models(capability="vision", input_modality="image", max_input_price=2, limit=5)
    assert [m["id"] for m in listed["data"]] == [m.id for m in expected]
    assert listed["object"] == "list" and all(m["offer"]["input_price"] <= 2 for m in listed["data"])


def test_model_list_pages_and_search(client: TestClient) -> None:
    first = client.get("/v1/models", params={"limit": 3}).json()
    second = client.get("/v1/models", params={"limit": 3, "offset": 3}).json()
    both = client.get("/v1/models", params={"limit": 6}).json()
    assert [m["id"] for m in first["data"] + second["data"]] == [m["id"] for m in both["data"]]
    assert first["has_more"] is True
    found = client.get("/v1/models", params={"q": "gpt-4o"}).json()["data"]
    assert found and found[0]["id"] == "gpt-4o" and all("gpt-4o" in m["id"] or m["label"] for m in found)
    vision = client.get("/v1/models", params={"q": "gemini", "capability": "vision"}).json()["data"]
    assert vision and all("gemini" in (m["id"] + m["label"]).lower() for m in vision)
    nothing = client.get("/v1/models", params={"q": "no-such-model-anywhere"}).json()
    assert nothing["data"] == [] and nothing["has_more"] is False


def test_model_list_unknown_filter_is_400_with_options(client: TestClient) -> None:
    response = client.get("/v1/models", params={"capability": "telepathy"})
    error = error_of(response)
    assert response.status_code == 400 and "telepathy" in error["message"] and "vision" in error["options"]


def test_model_card_by_any_alias_with_sources(client: TestClient) -> None:
    response = client.get("/v1/models/openai/gpt-4o-2024-08-06")
    assert response.status_code == 200
    card = response.json()
    assert card["label"] == "GPT-4o" and card["offers"] and card["benchmarks"]
    assert card["sources"] and all(source["graph"].startswith("https://w3id.org/genre/") for source in card["sources"])
    assert any(source["title"] for source in card["sources"])
    missing = client.get("/v1/models/gpt-4oo")
    assert missing.status_code == 404 and "close matches" in error_of(missing)["message"]


def test_add_model_needs_a_key_and_validates(writer: TestClient) -> None:
    yaml = {"content-type": "application/yaml"}
    assert writer.post("/v1/models", content=GOOD_YAML, headers=yaml).status_code == 401
    wrong = writer.post("/v1/models", content=GOOD_YAML, headers={**yaml, "X-API-Key": "nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    added = writer.post("/v1/models", content=GOOD_YAML, headers={**yaml, **WRITE})
    assert added.status_code == 201 and added.json() == {"added": ["https://w3id.org/genre/model/svc-model"]}
    card = writer.get("/v1/models/svc-model").json()
    assert card["id"] == "svc-model" and "Service Model" in [card["label"], *card["aliases"]]
    again = writer.post("/v1/models", content=GOOD_YAML, headers={**yaml, **WRITE})
    assert again.status_code == 422 and "already has this model" in json.dumps(error_of(again)["problems"])
    bad = writer.post("/v1/models", content=BAD_YAML, headers={**yaml, "X-API-Key": KEY})
    error = error_of(bad)
    assert bad.status_code == 422 and "nothing was written" in error["message"]
    assert any("telepathy" in problem["message"] for problem in error["problems"])


def test_add_model_as_json_and_turtle(writer: TestClient) -> None:
    description = {"id": "svc-json", "name": "Service JSON", "input_modalities": ["text"]}
    assert writer.post("/v1/models", json=description, headers=WRITE).status_code == 201
    turtle = """@prefix genre: <https://w3id.org/genre/ontology#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <https://w3id.org/genre/model/svc-ttl> a genre:Model ; skos:prefLabel "Service Turtle" ."""
    response = writer.post("/v1/models", content=turtle, headers={**WRITE, "content-type": "text/turtle"})
    assert response.status_code in (201, 422), response.text
    if response.status_code == 422:  # the shapes may ask for more than a label: then every problem is listed
        assert error_of(response)["problems"]
    unsupported = writer.post("/v1/models", content="x", headers={**WRITE, "content-type": "text/plain"})
    assert unsupported.status_code == 422 and "application/yaml" in error_of(unsupported)["message"]


def test_writes_are_refused_when_the_server_has_no_keys(kg) -> None:
    with TestClient(create_app(kg, settings(api_keys=())), raise_server_exceptions=False) as open_client:
        response = open_client.post("/v1/models", content=GOOD_YAML, headers={"content-type": "application/yaml"})
        assert response.status_code == 403 and "GENRE_API_KEYS" in error_of(response)["message"]
        assert open_client.get("/v1/models").status_code == 200


def test_reads_need_a_key_when_configured(kg) -> None:
    with TestClient(create_app(kg, settings(api_keys_for_reads=True))) as strict:
        assert strict.get("/v1/models").status_code == 401
        assert strict.get("/v1/models", headers={"X-API-Key": KEY}).status_code == 200
        assert strict.get("/sparql", params={"query": "ASK {}"}).status_code == 401
        assert strict.get("/healthz").status_code == 200


def test_oversized_bodies_get_413(client: TestClient) -> None:
    big = {"text": "x" * 10, "attachments": [{"filename": "a.txt", "content_base64": "QUFB" * 20_000}]}
    response = client.post("/v1/recommend", json=big)
    assert response.status_code == 413 and "GENRE_MAX_BODY_BYTES" in error_of(response)["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"text": "'
        for _ in range(100):
            yield b"y" * 1024
        yield b'"}'

    streamed = client.post("/v1/recommend", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_cors_origins_are_configurable(kg) -> None:
    with TestClient(create_app(kg, settings(cors_origins=("https://app.example",)))) as cors:
        allowed = cors.options("/v1/models", headers={"Origin": "https://app.example",
                                                      "Access-Control-Request-Method": "GET"})  # fmt: skip
        assert allowed.headers.get("access-control-allow-origin") == "https://app.example"
        other = cors.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# -- feedback ----------------------------------------------------------------------------------------------
def test_feedback_needs_a_key_and_is_recorded(writer: TestClient) -> None:
    if not hasattr(writer.app.state.genre.kg, "feedback"):
        pytest.skip("KnowledgeGraph.feedback is not in this version yet (kg/feedback is being written)")
    body = {"user": "ada", "model": "gpt-4o", "rating": 5, "request": "summarise a contract"}
    assert writer.post("/v1/feedback", json=body).status_code == 401
    response = writer.post("/v1/feedback", json=body, headers=WRITE)
    assert response.status_code == 201, response.text
    assert response.json()["rating"] == 5
    thumb = writer.post("/v1/feedback", json={"user": "ada", "model": "gpt-4o", "kind": "up"}, headers=WRITE)
    assert thumb.status_code == 201
    unknown = writer.post("/v1/feedback", json={"user": "ada", "model": "gpt-4oo", "kind": "down"}, headers=WRITE)
    assert unknown.status_code == 404 and "close matches" in error_of(unknown)["message"]
    two = writer.post("/v1/feedback", json={**body, "kind": "up"}, headers=WRITE)
    assert two.status_code == 422 and error_of(two)["problems"]


def test_feedback_body_is_checked_before_the_graph(writer: TestClient) -> None:
    response = writer.post("/v1/feedback", json={"user": "ada", "model": "gpt-4o", "rating": 9}, headers=WRITE)
    assert response.status_code == 422
    assert (
        writer.post("/v1/feedback", json={"user": "ada", "model": "gpt-4o", "kind": "meh"}, headers=WRITE).status_code
        == 422
    )


# -- SPARQL protocol ------------------------------------------------------------------------------------------
COUNT = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a genre:Model }"


def test_sparql_get_post_form_and_body_agree(client: TestClient, shared_kg) -> None:
    expected = int(shared_kg.sparql(COUNT).rows[0][0])
    answers = [
        client.get("/sparql", params={"query": COUNT}),
        client.post("/sparql", data={"query": COUNT}),
        client.post("/sparql", content=COUNT, headers={"content-type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200 and response.headers["content-type"] == "application/sparql-results+json"
        body = response.json()
        assert body["head"]["vars"] == ["n"]
        cell = body["results"]["bindings"][0]["n"]
        assert int(cell["value"]) == expected and cell["datatype"].endswith("#integer")


def test_sparql_csv_tsv_and_ask_by_accept(client: TestClient) -> None:
    text = "SELECT ?m ?label WHERE { ?m a genre:Model ; skos:prefLabel ?label } ORDER BY ?label LIMIT 3"
    csv = client.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "m,label" and len(lines) == 4 and lines[1].startswith("https://w3id.org/genre/model/")
    tsv = client.get("/sparql", params={"query": text}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.splitlines()[0] == "?m\t?label" and tsv.text.splitlines()[1].startswith("<https://")
    ask = client.get("/sparql", params={"query": "ASK { ?m a genre:Model }"}, headers={"Accept": "application/json"})
    assert ask.json() == {"head": {}, "boolean": True}
    refused = client.get("/sparql", params={"query": text}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/csv" in error_of(refused)["message"]


def test_sparql_construct_as_turtle(client: TestClient) -> None:
    text = "CONSTRUCT { ?m skos:prefLabel ?l } WHERE { ?m a genre:Model ; skos:prefLabel ?l } LIMIT 2"
    response = client.get("/sparql", params={"query": text})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert "prefLabel" in response.text


def test_sparql_refuses_updates_and_bad_queries(client: TestClient) -> None:
    update = "INSERT DATA { <https://e.org/a> <https://e.org/b> 1 }"
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
    ):
        assert response.status_code == 400 and "read-only" in error_of(response)["message"]
    assert client.get("/sparql", params={"query": "SELEKT nothing"}).status_code == 400
    assert client.get("/sparql").status_code == 422
    assert client.post("/sparql", content=COUNT, headers={"content-type": "text/plain"}).status_code == 400
    graph = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "https://e.org/g"})
    assert graph.status_code == 400


def test_slow_queries_hit_the_time_limit(kg) -> None:
    with TestClient(create_app(kg, settings(query_timeout_s=0.05))) as hurried:
        state = hurried.app.state.genre
        release = threading.Event()
        state.kg.store.select = lambda *args, **kwargs: release.wait(5)  # a query the engine is slow to answer
        try:
            response = hurried.get("/sparql", params={"query": COUNT})
        finally:
            release.set()
        assert response.status_code == 503 and "GENRE_QUERY_TIMEOUT_S" in error_of(response)["message"]
        assert response.headers["retry-after"]


# -- Cypher ----------------------------------------------------------------------------------------------------
def test_cypher_named_and_text_queries(client: TestClient) -> None:
    named = client.post("/v1/cypher", json={"query": "model-providers", "params": {"model": "GPT-4o"}})
    assert named.status_code == 200, named.text
    assert "openai" in [row["provider_id"] for row in named.json()["rows"]]
    text = client.post("/v1/cypher", json={"query": "MATCH (m:Model) WHERE m.id = $id RETURN m.prefLabel AS label",
                                           "params": {"id": "gpt-4o"}})  # fmt: skip
    assert text.json() == {"columns": ["label"], "rows": [{"label": "GPT-4o"}]}


def test_cypher_is_read_only(client: TestClient) -> None:
    for query in ("MATCH (m:Model) DETACH DELETE m", "CREATE (x:Model {id: 'x'})", "MATCH (n) SET n.x = 1"):
        response = client.post("/v1/cypher", json={"query": query})
        assert response.status_code == 400 and "read-only" in error_of(response)["message"]
    files = client.post("/v1/cypher", json={"query": "/etc/passwd.cypher"})
    assert files.status_code == 400 and "not read over HTTP" in error_of(files)["message"]
    clash = client.post("/v1/cypher", json={"query": "RETURN 1 AS one", "params": {"write": True}})
    assert clash.status_code == 400
    assert client.post("/v1/cypher", json={"query": "MATCH (m:Model RETURN m"}).status_code == 400


# -- errors ----------------------------------------------------------------------------------------------------
def test_unexpected_errors_are_plain_500_without_a_trace(kg, caplog) -> None:
    with TestClient(create_app(kg, settings()), raise_server_exceptions=False) as broken:
        broken.app.state.genre.kg.model = lambda name: {}["boom"]  # a bug deep inside
        response = broken.get("/v1/models/gpt-4o")
    assert response.status_code == 500
    error = error_of(response)
    assert error["type"] == "InternalError" and error["error_id"] in error["message"]
    assert not any(word in response.text for word in STACK_WORDS) and "boom" not in response.text
    assert error["error_id"] in caplog.text  # the trace stays in the server log


# -- chat completions -------------------------------------------------------------------------------------------
def chat_body(model: str = "genre/auto") -> dict[str, Any]:
    image = "data:image/png;base64," + base64.b64encode(png(32, 32)).decode()
    return {
        "model": model,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "what is in this picture?"},
                    {"type": "image_url", "image_url": {"url": image}},
                ],
            }
        ],
    }


def test_chat_other_model_names_are_400_listing_genre_auto(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json=chat_body("gpt-4o"), headers=WRITE)
    assert response.status_code == 400 and "genre/auto" in error_of(response)["message"]


def test_chat_needs_a_key_when_the_server_has_keys(client: TestClient) -> None:
    assert client.post("/v1/chat/completions", json=chat_body()).status_code == 401


def test_chat_is_503_saying_what_to_set_when_calls_are_not_configured(client: TestClient, monkeypatch) -> None:
    for variable in ("GENRE_LLM_API_BASE", "GENRE_LLM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                     "GEMINI_API_KEY", "MISTRAL_API_KEY", "GROQ_API_KEY", "AWS_ACCESS_KEY_ID"):  # fmt: skip
        monkeypatch.delenv(variable, raising=False)
    started = time.perf_counter()
    response = client.post("/v1/chat/completions", json=chat_body(), headers=WRITE)
    assert response.status_code == 503, response.text
    message = error_of(response)["message"]
    assert "GENRE_LLM_API_BASE" in message or "litellm" in message.lower() or "API_KEY" in message
    assert time.perf_counter() - started < 60


def test_chat_answers_through_the_recommended_model(client: TestClient, monkeypatch) -> None:
    calling = pytest.importorskip("genre.calling")
    seen: dict[str, Any] = {}

    class Result:
        def as_openai_response(self) -> dict[str, Any]:
            return {"object": "chat.completion", "model": seen["call_id"], "choices": [], "genre": {"why": "best"}}

    def fake_answer(messages: Any, *, recommendations: Any, params: Any = None, **options: Any) -> Result:
        seen["call_id"], seen["params"] = recommendations[0].offer.call_id, params
        seen["modalities"] = recommendations.request["modalities"]
        return Result()

    monkeypatch.setattr(calling, "answer", fake_answer)  # ask() calls it: no network in tests
    response = client.post("/v1/chat/completions", json={**chat_body(), "temperature": 0.2}, headers=WRITE)
    assert response.status_code == 200, response.text
    assert response.json()["model"] == seen["call_id"] and "image" in seen["modalities"]
    assert seen["params"] == {"temperature": 0.2}
