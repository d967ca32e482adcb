"""Take the web page's screenshots against the DEFAULT graph: recommend.png, explorer.png, model-card.png.

Starts the real service (``genre.service.create_app`` over ``genre.open()``, the shipped graph loaded
in memory unless ``GENRE_STORE`` says otherwise) on a free loopback port, drives it in headless
Chromium and saves the pictures next to this file. About a minute (loading the graph, building the
recommender and the linker).

    HF_HUB_OFFLINE=1 python docs/screenshots/take.py [--no-semantic] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from web_support import chromium, missing_browser, screenshot, serve, wait_for, wait_text  # noqa: E402

REQUEST = "Read the totals from these scanned invoices into JSON with a Python script, on a budget"


def invoice_png(path: Path, width: int = 64, height: int = 48) -> Path:
    """A small grey PNG standing in for a scanned invoice (the linker reads the file type from its bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xee\xee\xee" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs (default: next to this script)")
    parser.add_argument("--no-semantic", action="store_true", help="link requests with the rules only")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if missing_browser():
        print(missing_browser(), file=sys.stderr)
        return 2
    os.environ.setdefault("GENRE_STORE", "memory")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from genre.service import ServiceSettings, create_app

    began = time.perf_counter()
    app = create_app(None, ServiceSettings(semantic_linking=not args.no_semantic))
    with tempfile.TemporaryDirectory(prefix="genre-shots-") as scratch, serve(app, startup_timeout_s=600) as url:
        print(f"service up in {time.perf_counter() - began:.0f} s at {url}", file=sys.stderr)
        with chromium(Path(scratch) / "profile", width=args.width) as driver:
            driver.get(url + "/")
            wait_for(driver, "#request-text").send_keys(REQUEST)
            driver.find_element(By.ID, "attachments").send_keys(str(invoice_png(Path(scratch) / "invoice-scan.png")))
            driver.find_element(By.ID, "user-name").send_keys("ana")
            count = driver.find_element(By.ID, "k")
            count.clear()
            count.send_keys("3")
            driver.find_element(By.ID, "recommend-button").click()
            wait_text(driver, "#recommend-status", "recommended", timeout=120)
            first = driver.find_element(By.CSS_SELECTOR, ".rec-card")
            model_id = first.get_attribute("data-model")
            node = first.find_element(By.CSS_SELECTOR, ".node.type-benchmark, .node.type-capability")
            driver.execute_script("arguments[0].focus()", node)  # show the caption and highlighted links
            print(screenshot(driver, args.out / "recommend.png", width=args.width))

            driver.set_window_size(args.width, 900)
            driver.get(url + "/#/models")
            wait_for(driver, "#model-table tbody tr")
            capability = Select(driver.find_element(By.ID, "filter-capability"))
            WebDriverWait(driver, 30).until(lambda _: len(capability.options) > 5)
            Select(driver.find_element(By.ID, "filter-capability")).select_by_value("vision")
            Select(driver.find_element(By.ID, "filter-modality")).select_by_value("image")
            driver.find_element(By.ID, "filter-price").send_keys("1")
            driver.find_element(By.ID, "model-search").send_keys("qwen")
            driver.find_element(By.ID, "explore-button").click()
            wait_text(driver, "#explore-status", "Models 1", timeout=60)
            time.sleep(0.5)
            print(screenshot(driver, args.out / "explorer.png", width=args.width))

            driver.set_window_size(args.width, 900)
            driver.get(url + f"/#/models/{model_id}")
            wait_for(driver, ".model-card-view h2")
            time.sleep(0.5)
            print(screenshot(driver, args.out / "model-card.png", width=args.width, max_height=2000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
