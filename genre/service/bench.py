"""Load on loopback: p50/p99 latency and throughput of ``POST /v1/recommend`` under concurrent clients.

:func:`serve_in_subprocess` starts ``genre serve`` on a free loopback port (the realistic set-up:
the clients do not share the server's interpreter); :func:`serve_in_thread` runs an app in this
process (for tests). :func:`benchmark_service` then fires requests from ``clients`` threads, each
with its own HTTP connection, until ``n`` requests are done or ``duration`` seconds have passed.
Requests cycle over the labelled linking requests (English and Chinese, every kind of need). A
request whose constraints leave no model (422) counts as answered, as in ``genre bench recommend``.

Examples
--------
>>> import genre
>>> from genre.service import ServiceSettings, create_app
>>> app = create_app(genre.open(snapshot=FIXTURE), ServiceSettings(semantic_linking=False))
>>> with serve_in_thread(app) as url:
...     report = benchmark_service(url, clients=2, n=6, warmup=2, texts=["summarise a contract"])
>>> report["requests"], report["errors"], report["p50_ms"] > 0
(6, 0, True)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from genre.errors import ConfigError
from genre.service.errors import ServiceUnavailableError

ANSWERED = (200, 422)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, *, timeout: float, alive: Any = None) -> None:
    """Poll ``url``/healthz until it answers ``ok``; :class:`ServiceUnavailableError` after ``timeout`` s."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise ServiceUnavailableError("the service stopped while starting (see its output above)")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).json().get("status") == "ok":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.25)
    raise ServiceUnavailableError(f"the service did not start within {timeout:g} s")


@contextmanager
def serve_in_subprocess(*, semantic: bool = True, startup_timeout: float = 300.0) -> Iterator[str]:
    """Run ``genre serve`` on a free loopback port; yield its base URL; stop it after."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "genre",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if not semantic:
        command.append("--no-semantic")
    process = subprocess.Popen(command, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, timeout=startup_timeout, alive=lambda: process.poll() is None)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve_in_thread(app: Any, *, startup_timeout: float = 300.0) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread of this process on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="genre-bench-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, timeout=startup_timeout, alive=thread.is_alive)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def benchmark_service(
    url: str,
    *,
    clients: int = 8,
    n: int = 400,
    duration: float = 120.0,
    warmup: int = 16,
    texts: Sequence[str] | None = None,
    k: int = 5,
) -> dict[str, Any]:
    """Fire ``POST /v1/recommend`` at ``url`` from ``clients`` threads: at most ``n`` requests and ``duration`` s.

    Returns the requests done, the errors (statuses other than 200 and 422), p50/p99/max
    milliseconds per request as the clients saw it, and the throughput in requests per second.
    """
    import httpx

    if clients < 1 or n < 1 or duration <= 0:
        raise ConfigError(f"clients, n and duration must be positive, got {clients}, {n}, {duration}")
    if texts is None:
        from kg.linking.evaluation import load_requests

        texts = [request.text for request in load_requests()]
    if not texts:
        raise ConfigError("no request text to send")
    with httpx.Client(base_url=url, timeout=120) as client:
        for index in range(warmup):
            client.post("/v1/recommend", json={"text": texts[index % len(texts)], "k": k})
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + duration

    def worker() -> None:
        nonlocal issued
        with httpx.Client(base_url=url, timeout=120) as session:
            while True:
                with lock:
                    if issued >= n or time.monotonic() >= deadline:
                        return
                    index = issued
                    issued += 1
                began = time.perf_counter()
                try:
                    status = session.post("/v1/recommend", json={"text": texts[index % len(texts)], "k": k}).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"genre-bench-client-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    times = np.array(latencies) if latencies else np.array([0.0])
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": sum(count for status, count in statuses.items() if status not in ANSWERED),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "p50_ms": round(float(np.percentile(times, 50)), 1),
        "p99_ms": round(float(np.percentile(times, 99)), 1),
        "max_ms": round(float(times.max()), 1),
        "throughput_rps": round(len(latencies) / wall, 2) if wall > 0 else 0.0,
        "seconds": round(wall, 2),
        "stopped_by": "count" if len(latencies) >= n else "time",
    }
