"""Loaders read a URL as well as a file (served here on loopback, never the internet)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from genre.errors import LoaderError
from loaders import LOADERS

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the samples, plus the folder sources packed as archives, to serve."""
    folder = tmp_path_factory.mktemp("served") / "sources"
    shutil.copytree(SOURCES, folder)
    shutil.make_archive(str(folder / "llmstats"), "gztar", SOURCES, "llmstats")
    shutil.make_archive(str(folder / "epoch"), "zip", SOURCES, "epoch_sample")
    return folder


@pytest.fixture(scope="module")
def server(served: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
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


@pytest.mark.parametrize(
    ("name", "archive", "folder"), [("llmstats", "llmstats.tar.gz", "llmstats"), ("epoch", "epoch.zip", "epoch_sample")]
)
def test_folder_sources_read_archives(served: Path, name: str, archive: str, folder: str) -> None:
    loader = LOADERS.load(name)()
    from_archive = loader.load(served / archive)
    from_folder = loader.load(SOURCES / folder)
    assert from_archive.models == from_folder.models and from_archive.results == from_folder.results
    assert from_archive.source.location.endswith(archive)


def test_folder_sources_read_archives_by_url(server: str) -> None:
    batch = LOADERS.load("llmstats")().load(f"{server}/llmstats.tar.gz")
    assert batch.models and batch.results


def test_a_broken_archive_is_a_loader_error(tmp_path: Path) -> None:
    broken = tmp_path / "llmstats.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoaderError, match="not a readable zip or tar archive"):
        LOADERS.load("llmstats")().load(broken)


def test_a_missing_url_is_a_loader_error(server: str) -> None:
    with pytest.raises(LoaderError, match="cannot read"):
        LOADERS.load("litellm")().load(f"{server}/nowhere.json")
