"""Neo4j Browser, served by the test Neo4j at /browser, runs a cookbook query in headless Chromium.

As a user would: open http://127.0.0.1:<http>/browser/, connect to the Bolt server (no
auth), run the file's ``:param`` lines and then the query in the editor, and read the
rows in the result table. The screenshot is left in ``SCREENSHOT``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx

from govkg.queries.stores import BoltStore, query_text
from tests.support import missing_service
from tests.test_neo4j import cookbook_params
from tests.test_page import CHROMIUM, CHROMIUM_ARGS

SCREENSHOT = Path("/tmp/govkg-neo4j-browser.png")
TIMEOUT_MS = 60_000
QUESTION = "collaborators"


def test_browser_is_served_at_slash_browser(neo4j_server):
    response = httpx.get(f"{neo4j_server.http_uri}/browser/", timeout=30)
    assert response.status_code == 200 and "<title>Neo4j Browser</title>" in response.text
    discovery = httpx.get(f"{neo4j_server.http_uri}/", timeout=30).json()
    assert discovery["bolt_direct"] == neo4j_server.uri and discovery["neo4j_edition"] == "community"


def _table_rows(frame_text: str) -> list[list]:
    """Rows of a result frame's table view: the tab-separated cells after the row number, as JSON values."""
    rows = []
    for line in frame_text.splitlines():
        if line.startswith("\t"):
            try:
                rows.append([json.loads(c) for c in line.split("\t")[1:]])
            except json.JSONDecodeError:  # the header: column names
                continue
    return rows


def _settle(page, frames, quiet_ms: int = 2000) -> None:  # noqa: ANN001 - playwright objects
    """Wait until at least one frame is shown and their number has not changed for ``quiet_ms``."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = frames.count()
        if count != last:
            last, since = count, time.monotonic()
        elif count > 0 and (time.monotonic() - since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"Neo4j Browser's frames did not settle ({last} shown)")


def test_a_cookbook_query_runs_in_neo4j_browser(neo4j_server):
    if not Path(CHROMIUM).exists():
        missing_service("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    text = query_text(QUESTION, "cypher")
    params = re.findall(r"^// (:param .+)$", text, re.MULTILINE)
    with BoltStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as store:
        rows = store.run(QUESTION, **cookbook_params(neo4j_server, QUESTION))
        expected = [[r["unit"], r["label"], r["shared_tasks"]] for r in rows]
    assert expected

    bolt = neo4j_server.uri
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            outside: list[str] = []  # Browser's telemetry and guides: never sent off this machine

            def local_only(route) -> None:
                if route.request.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", local_only)
            page.goto(f"{neo4j_server.http_uri}/browser/?dbms={bolt}&preselectAuthMethod=NO_AUTH")
            # The rows compared below, equal to what Bolt answers from this server's data, show which
            # server it reached. The connect frame's "You are connected to bolt://…" line is not waited
            # for: once in CI it did not show within 60 s although the browser was connected.
            page.get_by_text("Connected to Neo4j").wait_for()
            frames = page.locator('[data-testid="frame"]')
            _settle(page, frames)  # the start-up frames are all drawn before the editor is used

            def run(command: str) -> None:
                count = frames.count()
                page.click('[data-testid="activeEditor"]')
                page.keyboard.insert_text(command)
                page.click('[data-testid="editor-Run"]')
                expect(frames).to_have_count(count + 1, timeout=TIMEOUT_MS)

            for line in params:
                run(line)
            run(text)
            frame = frames.filter(has_text=f"Started streaming {len(expected)} records").first
            frame.wait_for()
            page.screenshot(path=str(SCREENSHOT))
            rows = _table_rows(frame.inner_text())
        finally:
            browser.close()
    assert rows == expected, f"see {SCREENSHOT}"
