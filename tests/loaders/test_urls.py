"""Loaders read a URL as well as a file (served here on loopback, never the internet)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from genre.errors import LoaderError
from loaders import LOADERS

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SOURCES))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("litellm", "litellm_sample.json"),
        ("models_dev", "models_dev_sample.json.gz"),
        ("lmarena_text", "lmarena_text_sample.csv"),
    ],
)
def test_a_url_gives_the_same_records_as_the_file(server: str, name: str, file: str) -> None:
    loader = LOADERS.load(name)()
    from_url = loader.load(f"{server}/{file}")
    from_file = loader.load(SOURCES / file)
    assert from_url.models == from_file.models and from_url.offers == from_file.offers
    assert from_url.source.location.startswith("http://127.0.0.1")


def test_a_missing_url_is_a_loader_error(server: str) -> None:
    with pytest.raises(LoaderError, match="cannot read"):
        LOADERS.load("litellm")().load(f"{server}/nowhere.json")
