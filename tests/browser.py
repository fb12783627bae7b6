"""Headless Chromium for the browser tests (Playwright, sync API), shared by every suite.

* :func:`chromium` launches the Debian Chromium (``/usr/bin/chromium``) with the project's flags; a missing
  browser is a failure, not a skip: ``make test`` installs it.
* The ``browser`` fixture (module scope, one browser per test module) wraps it for pytest.
* :class:`Screenshots` keeps full-page screenshots as artefacts under ``tests/artefacts/<suite>/``
  (ignored by git), numbered in the order they are taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"


@contextmanager
def chromium(executable: Path | None = None) -> Iterator[Browser]:
    """A headless Chromium; fails the calling test (never skips it) when the browser is not installed."""
    path = executable or CHROMIUM
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the browser tests need Debian's chromium; `make test` installs it.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module."""
    with chromium() as launched:
        yield launched


class Screenshots:
    """Full-page screenshots kept under ``tests/artefacts/<suite>/``, named ``NN-<name>.png``."""

    def __init__(self, suite: str, root: Path = ARTEFACTS) -> None:
        self.directory = root / suite
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.glob("[0-9][0-9]-*.png"):
            old.unlink()
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"
        path = self.directory / f"{len(self.taken) + 1:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path
