"""The page as an analyst works in it, in headless Chromium at desktop and 420 px phone sizes.

Its own server (uploads change the graph it serves); screenshots go to /tmp/govkg-page-*.png.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.conftest import SAMPLES
from tests.support import missing_service
from tests.test_page import CHROMIUM, TIMEOUT_MS

FAGAIJU = "dept:下陆区:发展和改革局"
R2020, R2021 = "001_6ae365a741fde3ec.txt", "2021_xialu_sample.txt"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 420, "height": 860}


@pytest.fixture(scope="module")
def base_url(sample_documents, tmp_path_factory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        missing_service("Debian's chromium is not installed")
    from tests.support import serving, stored

    path = stored([d for d in sample_documents if not d.source.startswith("004")], tmp_path_factory.mktemp("page-work"))
    with serving(path) as url:
        yield url


def _open(browser, base_url: str, viewport: dict, errors: list[str]):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/")
    page.wait_for_function("window.govkg && window.govkg.ready")
    return context, page


@pytest.fixture(params=["desktop", "phone"])
def size(request) -> str:
    return request.param


@pytest.fixture
def page(browser, base_url, size):
    errors: list[str] = []
    context, page = _open(browser, base_url, DESKTOP if size == "desktop" else PHONE, errors)
    yield page
    assert errors == []
    context.close()


def _select(page, name: str) -> None:
    page.fill("#search", name)
    page.press("#search", "Enter")
    page.wait_for_function("window.govkg.selected !== null")
    page.wait_for_function("window.govkg.tasksLoaded")


def test_layout_fits_and_is_labelled_by_jurisdiction(page, size):
    labels = page.evaluate("window.govkg.clusterLabels")
    assert {"下陆区", "鄂州市"} <= set(labels)
    legend = page.inner_text("#legend-communities")
    assert "下陆区" in legend or "鄂州市" in legend
    box = page.evaluate(
        "(() => { const r = document.getElementById('graph').getBoundingClientRect();"
        " const p = document.getElementById('panel').getBoundingClientRect();"
        " const l = document.querySelector('.legend');"
        " return {w: r.width, h: r.height, panelTop: p.top, graphBottom: r.bottom,"
        " page: document.scrollingElement.scrollWidth, legendOver: l.scrollWidth - l.clientWidth}; })()"
    )
    width = DESKTOP["width"] if size == "desktop" else PHONE["width"]
    assert box["page"] <= width  # nothing sticks out sideways
    assert box["w"] >= width * 0.6 and box["h"] >= 280
    assert box["legendOver"] <= 1  # the legend fits without scrolling
    assert page.evaluate("(() => { const l = document.querySelector('.legend');"
                         " return l.scrollHeight - l.clientHeight; })()") <= 1  # nor is it cut
    if size == "phone":
        assert box["panelTop"] >= box["graphBottom"] - 1  # the panel is under the drawing
    page.wait_for_function("window.govkg.cameraIdle()")
    page.wait_for_timeout(300)  # labels are placed once the camera rests
    boxes = page.evaluate("window.govkg.labelBoxes")
    assert len(boxes) >= (15 if size == "desktop" else 8)  # labels at the default zoom …
    for i, a in enumerate(boxes):  # … and none overlaps another
        for b in boxes[i + 1 :]:
            assert not (a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"])
    clusters = page.evaluate("window.govkg.clusterBoxes")
    assert len(clusters) >= 2
    for a in boxes:  # labels keep clear of the jurisdiction labels and inside the drawing
        assert a["x1"] <= box["w"]
        for b in clusters:
            assert not (a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"])
    page.screenshot(path=f"/tmp/govkg-page-{size}-overview.png")
    _select(page, "区发改局")
    page.wait_for_function("window.govkg.cameraIdle()")
    page.wait_for_timeout(300)
    focus = page.evaluate("window.govkg.focusLabelBoxes")
    assert len(focus) >= (6 if size == "desktop" else 3), focus  # the department and its closest partners …
    for i, a in enumerate(focus):  # … without overlapping labels
        for b in focus[i + 1 :]:
            assert not (a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"])
    page.screenshot(path=f"/tmp/govkg-page-{size}.png")


def test_search_nothing_found_ambiguous_and_picked(page):
    page.fill("#search", "完全没有的单位")
    page.wait_for_function("window.govkg.searchStatus.includes('找不到')")
    page.press("#search", "Enter")
    page.wait_for_function("document.querySelectorAll('#search-status button').length > 0")
    assert page.evaluate("window.govkg.selected") is None
    page.fill("#search", "市发改委")
    page.press("#search", "Enter")
    page.wait_for_function("window.govkg.searchStatus.includes('市发改委 (鄂州市)')")
    assert "dept:" not in page.evaluate("window.govkg.searchStatus")
    page.click("#search-status button:has-text('市发改委 (鄂州市)')")
    page.wait_for_function("window.govkg.selected === 'dept:鄂州市:发展和改革委员会'")


def _open_source(page, item) -> None:
    task_id = item.get_attribute("data-task-id")
    item.locator(".task-text").click()
    page.wait_for_function(f"window.govkg.sourceLoaded === {task_id!r}")


def test_task_panel_shows_the_source_text_with_the_clause_and_every_unit(page, api, size):
    _select(page, "区发改局")
    first = page.locator("#task-list li.task").first
    task_id = first.get_attribute("data-task-id")
    _open_source(page, first)
    body = api.get(f"/api/tasks/{quote(task_id, safe='')}/source").json()
    units = body["task"]["units"]
    # the passage of the report: context around the task, the task's own text in it
    passage = first.locator(".source-text").first.inner_text()
    assert body["task"]["text"][:20] in passage
    assert passage == "".join(s["text"] for s in body["excerpts"][0]["segments"])
    assert len(passage) > len(body["task"]["text"])  # more than the task: the text around it
    # the clause naming the units is one highlight holding every unit as printed, with its role
    clause = first.locator(".source-text mark.clause")
    assert clause.count() == len(body["clauses"]) == 1
    assert "牵头单位" in clause.inner_text()  # the label is part of the clause
    marked = clause.locator("mark.unit").evaluate_all("els => els.map(e => [e.dataset.role, e.innerText])")
    assert marked == [[u["role"], u["printed"]] for u in sorted(units, key=lambda u: u["span"])]
    assert {r for r, _ in marked} == {"lead", "assist"}
    # every unit listed with its role and the rule that found it
    shown = first.locator(".unit-roles li").evaluate_all("els => els.map(e => [e.dataset.role, e.innerText])")
    assert [r for r, _ in shown] == [u["role"] for u in units]
    for u, (_, text) in zip(units, shown, strict=True):
        assert u["label"] in text and u["evidence"] and all(e in text for e in u["evidence"])
    width = PHONE["width"] if size == "phone" else DESKTOP["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # the passage wraps
    first.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/govkg-page-{size}-source.png")
    first.screenshot(path=f"/tmp/govkg-page-{size}-task.png")


def test_tasks_without_a_lead_open_their_source_too(page, api):
    page.click("#view-no-lead")
    page.wait_for_function("window.govkg.viewLoaded === 'no-lead'")
    item = page.locator("#view-list li.task").first
    _open_source(page, item)
    assert item.locator(".source-text").count() >= 1
    assert item.locator("mark.unit[data-role=lead]").count() == 0  # nobody leads it


def test_views_without_lead_targets_and_change(page, api):
    page.click("#view-no-lead")
    page.wait_for_function("window.govkg.viewLoaded === 'no-lead'")
    expected = len(api.get("/api/tasks/without-lead").json())
    assert page.locator("#view-list li.task").count() == min(200, expected)
    assert f"({expected})" in page.inner_text("#view-title")
    page.click("#view-targets")
    page.wait_for_function("window.govkg.viewLoaded === 'targets'")
    assert page.locator("#view-list li.task").count() == min(200, len(api.get("/api/targets").json()))
    _select(page, "区发改局")
    reports = {r["source"]: r["id"] for r in api.get("/api/reports").json()}
    page.select_option("#change-from", reports[R2020])
    page.select_option("#change-to", reports[R2021])
    page.click("#change button")
    page.wait_for_function("window.govkg.changeLoaded")
    change = api.get(f"/api/departments/{quote(FAGAIJU)}/change", params={"from": R2020, "to": R2021}).json()
    text = page.inner_text("#change-result")
    assert f"{change['before']['lead']} → {change['after']['lead']}" in text


def test_download_the_current_selection_as_a_tracking_sheet(page, api):
    _select(page, "区发改局")
    page.click("#role-tabs button[data-role=lead]")
    page.wait_for_function("window.govkg.tasksLoaded")
    href = page.get_attribute("#download-sheet", "href")
    assert "department=" in href and "role=lead" in href
    with page.expect_download() as info:
        page.click("#download-sheet")
    rows = list(load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active.iter_rows(values_only=True))
    expected = api.get(f"/api/departments/{quote(FAGAIJU)}/tasks", params={"role": "lead"}).json()["tasks"]
    assert len(rows) - 1 == len(expected) > 0


def test_upload_from_the_page(browser, base_url, api):
    errors: list[str] = []
    context, page = _open(browser, base_url, DESKTOP, errors)
    before = len(api.get("/api/reports").json())
    page.set_input_files("#upload-file", str(SAMPLES / "004_3d56d1888d1ed129.txt"))
    page.fill("#upload-jurisdiction", "黄石市下陆区")
    page.click("#upload button")
    page.wait_for_function("window.govkg.uploadStatus !== null")
    assert page.evaluate("window.govkg.uploadStatus") == "added", page.inner_text("#upload-status")
    reports = api.get("/api/reports").json()
    assert len(reports) == before + 1
    assert next(r for r in reports if r["source"].startswith("004"))["division_code"] == "420204"
    page.wait_for_function("window.govkg.ready")
    assert page.locator("#f-report option").count() == before + 2  # "all" and each report
    assert errors == []
    context.close()
