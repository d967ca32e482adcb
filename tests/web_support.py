"""Helpers for driving GENRE's web page in headless Chromium: the service in a thread and a browser.

Used by ``tests/test_web.py`` and ``docs/screenshots/take.py``. Selenium and uvicorn are imported
only when used, so importing this module is cheap.

Examples
--------
>>> missing_browser() is None or "chromium" in missing_browser() or "selenium" in missing_browser()
True
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from genre.service.bench import serve_in_thread

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (no Chromium, chromedriver or Selenium), or ``None``."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(Path(path).name)):
            return f"{path} is missing: install Debian's chromium and chromium-driver to run the web page tests"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


def serve(app: Any, *, startup_timeout_s: float = 180.0) -> Any:
    """Run ``app`` with uvicorn on a free loopback port in a thread; a context manager yielding its base URL."""
    return serve_in_thread(app, startup_timeout=startup_timeout_s)


@contextmanager
def chromium(profile: Path, *, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium driven by Selenium 4, with a fresh profile in ``profile`` and nothing online."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(width, height)
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, css: str, *, timeout: float = 60.0, visible: bool = True) -> Any:
    """The first element matching ``css`` once it is there (and visible), else a TimeoutException."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    condition = ec.visibility_of_element_located if visible else ec.presence_of_element_located
    return WebDriverWait(driver, timeout).until(condition((By.CSS_SELECTOR, css)))


def wait_text(driver: Any, css: str, pattern: str, *, timeout: float = 60.0) -> str:
    """The text of ``css`` once it contains ``pattern`` (any case)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d: Any) -> str | bool:
        for element in d.find_elements(By.CSS_SELECTOR, css):
            text = element.text
            if pattern.lower() in text.lower():
                return text
        return False

    return WebDriverWait(driver, timeout).until(found)


def browser_errors(driver: Any) -> list[str]:
    """Severe messages from the page's console (script errors), when the driver can read them."""
    try:
        return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    except Exception:  # noqa: BLE001 - not every driver offers logs; then there is nothing to report
        return []


def screenshot(driver: Any, path: Path, *, width: int = 1280, max_height: int = 2400) -> Path:
    """A screenshot of the whole page (up to ``max_height`` pixels tall) at ``width``."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), max_height))
    driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    return path
