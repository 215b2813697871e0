"""The collaboration network page in a real headless Chromium (Debian's), driven by Playwright.

The app is the real one (``govkg.api.app.create_app``) over a graph file built from the samples,
served by uvicorn on a free loopback port. Set GOVKG_PAGE_URL to test a server that is
already running instead.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support import missing_service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # WebGL (sigma.js) through the software rasteriser when there is no GPU.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
SCREENSHOT = Path("/tmp/govkg-page.png")
NEXT_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
TIMEOUT_MS = 20_000



@pytest.fixture(scope="module")
def base_url(request, tmp_path_factory) -> Iterator[str]:
    """URL of the app serving the samples' graph (or of GOVKG_PAGE_URL)."""
    if os.environ.get("GOVKG_PAGE_URL"):
        yield os.environ["GOVKG_PAGE_URL"].rstrip("/")
        return
    if not Path(CHROMIUM).exists():
        missing_service("Debian's chromium is not installed")
    from tests.support import serving, stored

    path = stored(request.getfixturevalue("sample_documents"), tmp_path_factory.mktemp("page"))
    with serving(path) as url:
        yield url


@pytest.fixture(scope="module")
def network(api) -> dict:
    response = api.get("/api/network")
    response.raise_for_status()
    return response.json()


class Page:
    """A freshly loaded page, with the page errors and the hosts it asked for."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(base_url + "/")
        self.wait_ready()

    def wait_ready(self) -> None:
        self.page.wait_for_function("window.govkg && window.govkg.ready")

    def state(self) -> dict:
        return self.page.evaluate(
            "({nodeCount: govkg.nodeCount, edgeCount: govkg.edgeCount, selected: govkg.selected,"
            " matches: govkg.matches, error: govkg.error})"
        )

    def wait_tasks(self) -> list[dict]:
        self.page.wait_for_function("window.govkg.tasksLoaded")
        return self.page.eval_on_selector_all(
            "#task-list li.task", "els => els.map(e => ({id: e.dataset.taskId, role: e.dataset.role}))"
        )


@pytest.fixture
def page(browser, base_url) -> Iterator[Page]:
    p = Page(browser, base_url)
    yield p
    p.context.close()


def _tasks(api, node_id: str, role: str = "any") -> list[dict]:
    response = api.get(f"/api/departments/{quote(node_id, safe='')}/tasks", params={"role": role})
    response.raise_for_status()
    return response.json()["tasks"]


def _loneliest(network: dict) -> dict:
    """The node farthest from its nearest neighbour on the layout: safest to click."""

    def gap(node: dict) -> float:
        return min(
            (math.dist((node["x"], node["y"]), (o["x"], o["y"])) for o in network["nodes"] if o is not node),
            default=math.inf,
        )

    return max(network["nodes"], key=gap)


def test_page_draws_the_whole_network(page, network):
    assert len(network["nodes"]) > 10
    state = page.state()
    assert state["error"] is None
    assert state["nodeCount"] == len(network["nodes"])
    assert state["edgeCount"] == len(network["links"])
    assert page.page.text_content("#node-count") == str(len(network["nodes"]))
    assert page.page.locator("#legend-communities li").count() >= 1
    labels = page.page.eval_on_selector_all("#search-options option", "els => els.map(e => e.value)")
    assert {n["label"] for n in network["nodes"]} == set(labels)
    assert page.errors == []


def test_page_loads_nothing_from_other_hosts(page):
    assert page.requests
    assert all(url.startswith(page.base_url + "/") for url in page.requests), page.requests


def test_report_filter_changes_the_count(page, api, network):
    reports = api.get("/api/reports").json()
    assert page.page.locator("#f-report option").count() == len(reports) + 1
    counts = {r["id"]: len(api.get("/api/network", params={"report": r["id"]}).json()["nodes"]) for r in reports}
    report = min(counts, key=counts.get)
    assert counts[report] < len(network["nodes"])
    page.page.select_option("#f-report", report)
    page.page.wait_for_function(f"window.govkg.ready && window.govkg.nodeCount === {counts[report]}")
    page.page.select_option("#f-report", "")
    page.page.wait_for_function(f"window.govkg.ready && window.govkg.nodeCount === {len(network['nodes'])}")


def test_min_weight_filter_drops_edges(page, api, network):
    heavy = api.get("/api/network", params={"min_weight": 2}).json()
    assert len(heavy["links"]) < len(network["links"])
    page.page.fill("#f-min-weight", "2")
    page.page.dispatch_event("#f-min-weight", "change")
    page.page.wait_for_function(f"window.govkg.ready && window.govkg.edgeCount === {len(heavy['links'])}")
    assert page.state()["nodeCount"] == len(heavy["nodes"])


def test_search_selects_a_department_and_lists_its_tasks(page, api, network):
    top = max(network["nodes"], key=lambda n: (n["lead_count"], n["weighted_degree"]))
    page.page.fill("#search", top["label"])
    page.page.wait_for_function("window.govkg.selected !== null")
    state = page.state()
    assert state["selected"] == top["id"]
    assert top["id"] in state["matches"]
    listed = page.wait_tasks()
    expected = _tasks(api, top["id"])
    assert sorted(t["id"] for t in listed) == sorted(t["id"] for t in expected)
    assert [t["role"] for t in listed].count("lead") == sum(t["role"] == "lead" for t in expected) > 0
    assert page.page.text_content("#dept-name") == top["label"]

    page.page.click("#role-tabs button[data-role=lead]")
    page.page.wait_for_function("window.govkg.tasksLoaded")
    roles = page.page.eval_on_selector_all("#task-list li.task", "els => els.map(e => e.dataset.role)")
    assert roles and set(roles) == {"lead"}
    assert len(roles) == len(_tasks(api, top["id"], "lead"))
    page.page.screenshot(path=str(SCREENSHOT))


def test_partial_search_highlights_without_selecting(page, network):
    label = network["nodes"][0]["label"]
    part = label[: max(1, len(label) // 2)]
    page.page.fill("#search", part)
    page.page.wait_for_function("window.govkg.matches.length > 0")
    state = page.state()
    expected = {n["id"] for n in network["nodes"] if part in n["label"]}
    assert set(state["matches"]) >= expected
    if not any(n["label"] == part for n in network["nodes"]):
        assert state["selected"] is None
    page.page.press("#search", "Enter")
    page.page.wait_for_function("window.govkg.selected !== null")
    assert page.state()["selected"] in expected


def test_click_on_a_node_opens_its_tasks(page, api, network):
    node = _loneliest(network)
    for _ in range(3):  # on a busy machine the first click can land while a frame is pending
        page.page.wait_for_function("window.govkg.cameraIdle()")  # aim once the camera has stopped
        page.page.evaluate(NEXT_FRAMES)
        where = page.page.evaluate("id => window.govkg.nodePosition(id)", node["id"])
        page.page.mouse.move(where["x"], where["y"])
        page.page.evaluate(NEXT_FRAMES)
        page.page.mouse.click(where["x"], where["y"])
        try:
            page.page.wait_for_function("window.govkg.selected !== null", timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    assert page.state()["selected"] == node["id"]
    listed = page.wait_tasks()
    expected = _tasks(api, node["id"])
    assert len(listed) == len(expected) > 0
    assert {t["role"] for t in listed} == {t["role"] for t in expected}
    page.page.click("#panel-close")
    assert page.state()["selected"] is None
    assert page.page.is_visible("#panel-empty")


def test_the_view_is_kept_in_the_url(page, api, network):
    parts = {r["id"]: api.get("/api/network", params={"report": r["id"]}).json() for r in api.get("/api/reports").json()}
    report = max(parts, key=lambda r: len(parts[r]["nodes"]))
    part = parts[report]
    node = max(part["nodes"], key=lambda n: n["lead_count"])
    page.page.select_option("#f-report", report)
    page.page.wait_for_function(f"window.govkg.ready && window.govkg.nodeCount === {len(part['nodes'])}")
    page.page.fill("#search", node["label"])
    page.page.wait_for_function("window.govkg.tasksLoaded")
    url = page.page.url
    assert "#" in url

    again = page.context.new_page()
    again.goto(url)
    again.wait_for_function("window.govkg && window.govkg.ready && window.govkg.selected !== null")
    assert again.evaluate("window.govkg.nodeCount") == len(part["nodes"])
    assert again.evaluate("window.govkg.selected") == node["id"]
    assert again.input_value("#f-report") == report


def test_side_panel_links_move_the_selection(page, network):
    first = page.page.locator("#top-leads button").first
    first_id = first.get_attribute("data-node")
    first.click()
    page.page.wait_for_function(f"window.govkg.selected === {first_id!r}")
    page.wait_tasks()
    chip = page.page.locator("#dept-neighbours button").first
    partner = chip.get_attribute("data-node")
    assert partner != first_id and partner in {n["id"] for n in network["nodes"]}
    chip.focus()
    page.page.keyboard.press("Enter")  # reachable from the keyboard
    page.page.wait_for_function(f"window.govkg.selected === {partner!r}")


def test_chinese_labels_have_a_font(page):
    # Without a CJK font (Debian's fonts-noto-cjk) Chromium draws 部 as the same empty box
    # as a character that no font has.
    differs = page.page.evaluate(
        """(() => {
          const draw = (text) => {
            const canvas = document.createElement("canvas");
            canvas.width = canvas.height = 40;
            const ctx = canvas.getContext("2d");
            ctx.font = '28px "Noto Sans CJK SC", sans-serif';
            ctx.fillText(text, 4, 32);
            return Array.from(ctx.getImageData(0, 0, 40, 40).data).join();
          };
          return draw("部") !== draw("\\u{10FFFD}");
        })()"""
    )
    assert differs
