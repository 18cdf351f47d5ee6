"""Take screenshots of pages of a running Rehabilita, signed in as a demo user, to look at what people see.

.venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 manager@example.org /dashboard /projects/ --lang en
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("email")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--lang", default="es")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--out", default="/tmp/shots")  # noqa: S108 (a developer tool, not the app)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto(f"{args.base}/login")
        if not page.locator("#lang-select").is_visible():
            page.click(".navbar-toggler")  # on a phone the language menu sits in the collapsed menu
        page.select_option("#lang-select", args.lang)
        page.wait_for_load_state("networkidle")
        if args.email != "-":
            page.fill("input[name=email]", args.email)
            page.fill("input[name=password]", "rehabilita-demo")
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "_").replace("?", "_") or "root"
            target = out / f"{name}-{args.lang}-{args.width}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
