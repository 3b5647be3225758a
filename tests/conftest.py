from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "syria"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip: dataset files never go into the repository."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: dataset tests need ../shared/data beside the repository")
    return data


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def chromium():
    """Debian's headless chromium under playwright, or skip: browser tests need /usr/bin/chromium (CI installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (CI does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            # No background requests: this machine's network is closed, and a test page must make none.
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()
