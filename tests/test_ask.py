"""Calling the recommended model (``genre.calling``, ``genre ask``) against a local OpenAI-compatible server.

The server below runs on 127.0.0.1 inside the tests and implements ``POST /v1/chat/completions``; it
can be told to fail (or stall) for some model names, so fallback is exercised. Every provider
credential is removed from the environment first, so no test can reach a real provider.
Recommendations are real: the fixture graph, linked by rules only.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import genre
from genre.calling import LLMSettings, answer, ask, request_content, user_message
from genre.calling.call import missing_configuration
from genre.cli import main
from genre.errors import ConfigError, ModelCallError
from kg.recommend import Recommendations, RecommendConfig, Recommender

pytest.importorskip("litellm")

SAFE_VARIABLE = re.compile(
    r"(PATH|HOME|USER|LOGNAME|SHELL|TERM|LANG|LC_\w+|TZ|PWD|TMPDIR|TEMP|TMP|PYTHON\w*|PYTEST\w*|VIRTUAL_ENV|XDG_\w+"
    r"|GENRE_(HOME|STORE|SNAPSHOT|CONFIG|DATA_DIR)|HF_HUB_OFFLINE|LITELLM_LOCAL_MODEL_COST_MAP|\w+_NUM_THREADS)$"
)
REQUEST = "Write a Python function that parses dates"


class ChatServer(ThreadingHTTPServer):
    """A local OpenAI-compatible chat server that records requests and fails or stalls when told to."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.fail: dict[str, int] = {}
        self.stall: set[str] = set()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/v1"

    def models(self) -> list[str]:
        return [body["model"] for body in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        model = body.get("model", "")
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
        elif model in self.server.stall:
            time.sleep(3)
            self._send(200, {})
        elif model in self.server.fail:
            code = self.server.fail[model]
            self._send(code, {"error": {"message": f"told to fail {model} with {code}", "type": "test", "code": code}})
        else:
            self._send(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 1_700_000_000,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": f"answer from {model}"},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16},
                },
            )

    def _send(self, code: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_provider_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only harmless variables stay, so no provider is configured and nothing can reach a real one."""
    for name in list(os.environ):
        if not SAFE_VARIABLE.match(name):
            monkeypatch.delenv(name)


@pytest.fixture()
def server() -> Iterator[ChatServer]:
    chat = ChatServer()
    thread = threading.Thread(target=chat.serve_forever, daemon=True)
    thread.start()
    yield chat
    chat.shutdown()
    chat.server_close()


@pytest.fixture()
def settings(server: ChatServer) -> LLMSettings:
    return LLMSettings(api_base=server.base, api_key="test-key", timeout=10)


@pytest.fixture(scope="module")
def recommender(fixture_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Recommender:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENRE_HOME", str(tmp_path_factory.mktemp("ask-home")))
        return Recommender(genre.open(snapshot=fixture_snapshot), config=RecommendConfig()).warm()


@pytest.fixture(scope="module")
def recommendations(recommender: Recommender) -> Recommendations:
    return recommender.recommend(REQUEST, k=5, semantic=False)


def callable_ones(recommendations: Recommendations) -> list:
    found = [r for r in recommendations if r.offer.call_id]
    assert len(found) >= 2, "the fixture graph should offer two callable candidates for the request"
    return found


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_the_first_callable_candidate_answers(recommendations: Recommendations, server, settings) -> None:
    first = callable_ones(recommendations)[0]
    result = answer(REQUEST, recommendations=recommendations, settings=settings)
    assert server.models() == [first.offer.call_id]
    assert (result.model_id, result.call_id, result.text) == (
        first.model_id,
        first.offer.call_id,
        "answer from " + first.offer.call_id,
    )
    assert result.usage == {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}
    assert [a.error for a in result.attempts] == ["NotConfigured"] * (first.rank - 1)
    assert result.why.rank == first.rank and result.why.of == len(recommendations)
    assert result.why.score == first.score and result.why.evidence == first.evidence[:3]
    if first.offer.input_price is not None and first.offer.output_price is not None:
        expected = (12 * first.offer.input_price + 4 * first.offer.output_price) / 1e6
        assert result.cost_source == "offer" and result.cost_usd == pytest.approx(expected)


def test_the_openai_response_says_which_model_answered_and_why(recommendations, server, settings) -> None:
    result = answer([{"role": "user", "content": REQUEST}], recommendations=recommendations, settings=settings)
    response = result.as_openai_response()
    assert response["object"] == "chat.completion" and response["model"] == result.call_id
    assert response["choices"][0]["message"] == {"role": "assistant", "content": result.text}
    assert response["choices"][0]["finish_reason"] == "stop"
    assert result.model_id in response["system_fingerprint"]
    info = response["genre"]
    assert info["model_id"] == result.model_id and info["why"]["rank"] == result.why.rank
    assert {"relevance", "performance", "personalization", "evidence", "summary"} <= set(info["why"])
    assert info["candidates"] == [r.model_id for r in recommendations]
    json.dumps(response)  # JSON-ready


def test_a_failing_first_candidate_falls_back_to_the_second(recommendations, server, settings) -> None:
    first, second = callable_ones(recommendations)[:2]
    server.fail[first.offer.call_id] = 429
    result = answer(REQUEST, recommendations=recommendations, settings=settings)
    assert server.models() == [first.offer.call_id, second.offer.call_id]
    assert result.model_id == second.model_id and result.why.rank == second.rank
    failed = [a for a in result.attempts if a.error != "NotConfigured"]
    assert [(a.model_id, a.error, a.status_code) for a in failed] == [(first.model_id, "RateLimitError", 429)]
    assert "told to fail" in failed[0].message


def test_a_stalled_candidate_times_out_and_the_next_answers(recommendations, server) -> None:
    first, second = callable_ones(recommendations)[:2]
    server.stall.add(first.offer.call_id)
    quick = LLMSettings(api_base=server.base, timeout=0.5)
    result = answer(REQUEST, recommendations=recommendations, settings=quick)
    assert result.model_id == second.model_id
    assert [a.error for a in result.attempts if a.error != "NotConfigured"] == ["Timeout"]


def test_every_candidate_failing_lists_the_attempts(recommendations, server, settings) -> None:
    codes = iter([401, 404, 500, 503, 400])
    for r in callable_ones(recommendations):
        server.fail[r.offer.call_id] = next(codes)
    with pytest.raises(ModelCallError) as caught:
        answer(REQUEST, recommendations=recommendations, settings=settings)
    error = caught.value
    assert error.configured is True and len(error.attempts) == len(recommendations)
    assert str(error).startswith("every recommended model failed through " + server.base)
    for r in recommendations:
        assert r.model_id in str(error)
    errors = {a.error for a in error.attempts}
    assert {"AuthenticationError", "NotFoundError"} <= errors


def test_max_attempts_bounds_the_calls(recommendations, server, settings) -> None:
    for r in callable_ones(recommendations):
        server.fail[r.offer.call_id] = 500
    with pytest.raises(ModelCallError):
        answer(REQUEST, recommendations=recommendations, settings=settings, max_attempts=1)
    assert len(server.requests) == 1


def test_no_configuration_says_what_to_set(recommendations) -> None:
    with pytest.raises(ModelCallError) as caught:
        answer(REQUEST, recommendations=recommendations, settings=LLMSettings.from_env())
    error = caught.value
    assert error.configured is False and "GENRE_LLM_API_BASE" in str(error)
    assert {a.error for a in error.attempts} == {"NotConfigured"}
    keyed = [a for a in error.attempts if a.call_id]
    assert keyed and all(a.message.startswith("set ") for a in keyed)


def test_without_a_base_only_providers_set_up_in_the_environment_are_called(recommendations, monkeypatch) -> None:
    from genre.calling import load_litellm

    litellm = load_litellm()
    some = next(r for r in recommendations if r.offer.call_id)

    def offer(call_id: str | None):
        return replace(some, offer=replace(some.offer, call_id=call_id))

    direct = LLMSettings()
    assert missing_configuration(litellm, offer("openai/gpt-4o"), direct) == "set OPENAI_API_KEY"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert missing_configuration(litellm, offer("openai/gpt-4o"), direct) is None
    # a provider LiteLLM has no key list for is still not called until a variable names it
    assert "SAMBANOVA_API_KEY" in missing_configuration(litellm, offer("sambanova/DeepSeek-R1"), direct)
    monkeypatch.setenv("SAMBANOVA_API_KEY", "sk-test")
    assert missing_configuration(litellm, offer("sambanova/DeepSeek-R1"), direct) is None
    # a provider that signs in by an interactive device flow is never started from here
    assert "interactive sign-in" in missing_configuration(litellm, offer("github_copilot/gpt-4o"), direct)
    proxy = LLMSettings(api_base="http://127.0.0.1:9/v1")
    assert missing_configuration(litellm, offer("github_copilot/gpt-4o"), proxy) is None
    assert "no LiteLLM id" in missing_configuration(
        litellm, replace(some, offer=replace(some.offer, call_id=None)), proxy
    )


def test_without_litellm_the_message_says_what_to_install(recommendations, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "litellm", None)
    with pytest.raises(ModelCallError, match=r"pip install 'genre-llm\[ask\]'"):
        answer(REQUEST, recommendations=recommendations)
    assert main(["ask", REQUEST, "--no-semantic"]) == 1
    assert "pip install 'genre-llm[ask]'" in capsys.readouterr().err


def test_the_preset_and_overrides_reach_the_server(recommendations, server, settings) -> None:
    first = callable_ones(recommendations)[0]
    answer(REQUEST, recommendations=recommendations, settings=settings)
    sent = server.requests[-1]
    for key in ("temperature", "top_p", "max_tokens"):
        assert sent[key] == first.config[key], key
    assert sent["messages"] == [{"role": "user", "content": REQUEST}]
    result = answer(REQUEST, recommendations=recommendations, settings=settings, params={"temperature": 0.05})
    assert server.requests[-1]["temperature"] == 0.05 == result.params["temperature"]
    assert server.requests[-1]["max_tokens"] == first.config["max_tokens"]
    with pytest.raises(ConfigError, match="unknown chat parameter"):
        answer(REQUEST, recommendations=recommendations, settings=settings, params={"temprature": 0.1})


def test_multimodal_parts_reach_the_server_unchanged(recommendations, server, settings) -> None:
    image = {
        "type": "image_url",
        "image_url": {"url": "data:image/png;base64," + base64.b64encode(png_bytes()).decode()},
    }
    audio = {
        "type": "input_audio",
        "input_audio": {"data": base64.b64encode(b"RIFF-not-really").decode(), "format": "wav"},
    }
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "What is in these?"}, image, audio]},
    ]
    answer(messages, recommendations=recommendations, settings=settings)
    assert server.requests[-1]["messages"] == messages


def test_ask_links_inline_images_like_attached_files(recommender, server, settings, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    expected = recommender.recommend("What is in this picture?", attachments=[photo], k=3, semantic=False)
    inline = user_message(
        "What is in this picture?",
        [
            {
                "type": "image_url",
                "image_url": {"url": "data:image/png;base64," + base64.b64encode(png_bytes()).decode()},
            }
        ],
    )
    assert [(name, data) for name, data in request_content([inline]).files] == [("image-1.png", png_bytes())]
    result = ask([inline], recommender=recommender, k=3, semantic=False, settings=settings)
    assert [r.model_id for r in result.recommendations] == [r.model_id for r in expected]
    assert server.requests[-1]["messages"] == [inline]
    by_file = ask(
        "What is in this picture?", attachments=[photo], recommender=recommender, k=3, semantic=False, settings=settings
    )
    assert [r.model_id for r in by_file.recommendations] == [r.model_id for r in expected]
    assert server.requests[-1]["messages"][0]["content"][1]["type"] == "image_url"
    remote = user_message(
        "What is in this picture?", [{"type": "image_url", "image_url": {"url": "https://example.org/a.png"}}]
    )
    assert request_content([remote]).remote_modalities == ["image"]
    by_url = ask([remote], recommender=recommender, k=3, semantic=False, settings=settings)
    assert [r.model_id for r in by_url.recommendations] == [r.model_id for r in expected]


def test_genre_ask_prints_the_answer_and_why(fixture_snapshot: Path, server, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    monkeypatch.setenv("GENRE_LLM_API_BASE", server.base)
    assert main(["ask", REQUEST, "-k", "3", "--no-semantic"]) == 0
    captured = capsys.readouterr()
    model = server.models()[-1]
    assert captured.out.strip() == f"answer from {model}"
    assert (
        f": {model}) in " in captured.err and "why: rank " in captured.err and "tokens: 12 in + 4 out" in captured.err
    )
    assert main(["ask", REQUEST, "-k", "3", "--no-semantic", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == f"answer from {model}" and data["call_id"] == model
    assert len(data["recommendations"]) == 3 and data["why"]["rank"] >= 1


def test_genre_ask_unconfigured_exits_1(fixture_snapshot: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GENRE_STORE", "memory")
    monkeypatch.setenv("GENRE_SNAPSHOT", str(fixture_snapshot))
    assert main(["ask", REQUEST, "--no-semantic"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no recommended model can be called") and "GENRE_LLM_API_BASE" in err


def test_bad_settings_and_messages_are_clear() -> None:
    with pytest.raises(ConfigError, match="GENRE_LLM_API_BASE must be an http"):
        LLMSettings.from_env({"GENRE_LLM_API_BASE": "localhost:4000"})
    with pytest.raises(ConfigError, match="role 'robot'"):
        answer([{"role": "robot", "content": "hi"}], recommendations=[])
    with pytest.raises(ConfigError, match="no user message"):
        answer([{"role": "system", "content": "hi"}], recommendations=[])
