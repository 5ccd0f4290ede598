"""The README's map screenshot (docs/img/explorer-map.png), from the real data.

    python tools/explorer_screenshot.py [OUT.png]

Builds the explorer into a temporary folder with `dprk-data site`, opens it from file:// in
headless Chromium (Playwright driving the system's chromium; nothing is downloaded) and saves
the map. Run it by hand when the data or the page change.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from dprk_sanctions.cli import main as cli
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs/img/explorer-map.png"
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "explorer"
        if cli(["site", "--package", str(REPO), "--out", str(folder)]) != 0:
            sys.exit(1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url[:7] == "file://" else r.abort()
            )
            page.goto(f"{(folder / 'index.html').as_uri()}#map")
            page.wait_for_selector("body[data-ready='yes']")
            page.locator("circle[data-site='sohae']").focus()  # list one site's launches
            page.keyboard.press("Enter")
            page.locator(".layout").screenshot(path=str(out))
            browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
