"""The REST API over a real store built from the samples (FastAPI TestClient)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.graph.store import Store
from tests.conftest import SAMPLES, unplaced_department
from tests.support import stored

FAGAIJU = "dept:下陆区:发展和改革局"
SYNTHETIC = SAMPLES / "2021_xialu_sample.txt"


@pytest.fixture(scope="module")
def client(sample_documents, tmp_path_factory) -> TestClient:
    return TestClient(create_app(stored(sample_documents, tmp_path_factory.mktemp("api"))), base_url="http://127.0.0.1")


@pytest.fixture
def without_2021(sample_documents, tmp_path) -> Path:
    """A store of the samples without the synthetic 2021 report."""
    return stored([d for d in sample_documents if d.source != SYNTHETIC.name], tmp_path)


def dump(path: Path) -> list:
    """Every stored report with its rows, for comparing store states."""
    import sqlite3

    with sqlite3.connect(path) as c:
        return [c.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("reports", "nodes", "edges")]


def test_reports(client):
    reports = client.get("/api/reports").json()
    assert len(reports) == 6
    xialu = [r for r in reports if r["jurisdiction"] == "下陆区"]
    assert [(r["year"], r["task_count"]) for r in xialu] == [(2020, 106), (2021, 12)]
    assert set(reports[0]) == {"id", "title", "year", "jurisdiction", "division_code", "division_chain", "source", "task_count"}


def test_network_contract(client):
    body = client.get("/api/network").json()
    node = next(n for n in body["nodes"] if n["id"] == FAGAIJU)
    assert set(node) == {
        "id", "label", "kind", "jurisdiction", "lead_count", "assist_count", "degree",
        "weighted_degree", "betweenness", "community", "x", "y",
    }  # fmt: skip
    assert node["label"] == "区发改局" and isinstance(node["community"], int)
    ids = {n["id"] for n in body["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in body["links"])
    heavy = client.get("/api/network", params={"min_weight": 5, "year": 2020}).json()
    assert heavy["links"] and all(link["weight"] >= 5 for link in heavy["links"])
    same = {n["id"]: (n["x"], n["y"]) for n in body["nodes"]}
    assert all(same[n["id"]] == (n["x"], n["y"]) for n in heavy["nodes"])
    one = client.get("/api/network", params={"report": "001_6ae365a741fde3ec.txt"}).json()
    assert {n["jurisdiction"] for n in one["nodes"]} == {"下陆区"}
    assert client.get("/api/network", params={"min_weight": 0}).status_code == 422


def test_department_tasks_contract(client, sample_documents):
    body = client.get(
        f"/api/departments/{quote(FAGAIJU, safe='')}/tasks", params={"role": "lead", "year": 2020}
    ).json()
    assert body["department"] == {
        "id": FAGAIJU, "label": "区发改局", "kind": "Department", "name": "发展和改革局",
        "jurisdiction": "下陆区", "aliases": ["区发改局"],
    }  # fmt: skip
    assert [t["number"] for t in body["tasks"]][:3] == ["3", "14", "24"]
    first = body["tasks"][0]
    assert {"id", "text", "role", "basis", "report", "report_title", "year", "deadline"} <= set(first)
    assert first["role"] == "lead" and first["basis"] == "explicit"
    assert first["report_title"].startswith("区人民政府办公室关于印发2020年")
    by_alias = client.get("/api/departments/区发改局/tasks").json()
    assert len(by_alias["tasks"]) == 27
    in_002 = unplaced_department(sample_documents, "002_9222e8fa776e91ee.txt", "发展和改革委员会")
    unplaced = client.get(f"/api/departments/{quote(in_002, safe='')}/tasks").json()
    assert unplaced["department"]["jurisdiction"] == "鹰潭市" and len(unplaced["tasks"]) == 2  # in 002


def test_name_errors(client, sample_documents):
    unknown = client.get("/api/departments/发展改革局/tasks")
    assert unknown.status_code == 404
    assert "区发改局" in unknown.json()["suggestions"] and "发展改革局" in unknown.json()["detail"]
    ambiguous = client.get("/api/departments/市发改委")
    assert ambiguous.status_code == 409
    assert {c["id"] for c in ambiguous.json()["candidates"]} == {
        "dept:鄂州市:发展和改革委员会",
        unplaced_department(sample_documents, "002_9222e8fa776e91ee.txt", "发展和改革委员会"),
    }  # fmt: skip
    assert client.get("/api/departments/发改委").json()["department"]["jurisdiction"] == "鄂州市"
    assert client.get("/api/tasks/task:nope:1").status_code == 404
    assert client.get("/api/network", params={"report": "nope.txt"}).status_code == 404


def test_profile_co_owned_collaborators_change(client):
    profile = client.get("/api/departments/发改委").json()
    assert (profile["lead_count"], profile["assist_count"]) == (18, 9)
    assert profile["topics"]
    co = client.get("/api/departments/区发改局/co-owned", params={"with": "区科信局", "year": 2020}).json()
    assert len(co["tasks"]) == 11 and co["other"]["label"] == "区科信局"
    eight = next(t for t in co["tasks"] if t["task"]["number"] == "8")
    assert eight["leads"] == ["dept:下陆区:科技和信息化局"] and eight["role"] == "assist"
    top = client.get("/api/departments/区发改局/collaborators", params={"year": 2020}).json()[
        "collaborators"
    ][0]
    assert (top["unit"]["label"], top["shared"]) == ("区招商服务中心", 12)
    change = client.get(
        "/api/departments/区乡村振兴局/change",
        params={"from": "001_6ae365a741fde3ec.txt", "to": SYNTHETIC.name},
    ).json()
    assert {u["label"] for u in change["lineage"]} == {"区乡村振兴局", "区扶贫工作专班"}
    assert [(k["before"]["number"], k["after"]["number"]) for k in change["kept"]] == [("72", "6")]


def test_tasks_listing_search_and_provenance(client):
    page = client.get(
        "/api/tasks", params={"report": "001_6ae365a741fde3ec.txt", "limit": 10, "offset": 100}
    ).json()
    assert page["total"] == 106 and len(page["items"]) == 6
    found = client.get("/api/tasks", params={"q": "养老服务"}).json()
    first = found["items"][0]
    assert first["number"] == "10" and first["year"] == 2021
    assert [u["label"] for u in first["units"]] == ["区民政局", "区卫健局", "区财政局", "各街办(新区)"]
    lead = first["units"][0]
    assert lead["role"] == "lead" and lead["printed"] == "区民政局" and len(lead["span"]) == 2
    assert first["span"][0] < lead["span"][0] <= first["span"][1]  # the clause lies in the task's span
    assert client.get("/api/tasks", params={"q": "养老服务", "department": "区民政局"}).json()["total"] == 1
    district = client.get("/api/tasks", params={"district": "东街办"}).json()
    assert district["total"] == 8
    leads = client.get("/api/tasks", params={"department": "区发改局", "role": "lead", "year": 2020}).json()
    assert leads["total"] == 11
    both = {"department": "区发改局", "district": "东街办", "jurisdiction": "下陆区"}
    assert [t["number"] for t in client.get("/api/tasks", params=both).json()["items"]] == [
        "24",
        "25",
        "31",
        "56",
        "57",
    ]
    assert client.get("/api/tasks", params={"limit": 0}).status_code == 422


def test_overview_endpoints(client):
    assert client.get("/api/tasks/without-lead", params={"report": "001_6ae365a741fde3ec.txt"}).json() == []
    top = client.get("/api/departments/top-leads", params={"limit": 2}).json()
    assert [(r["department"]["label"], r["lead"]) for r in top] == [("市发改委", 18), ("区发改局", 12)]
    districts = client.get("/api/districts").json()
    assert districts[0]["name"] == "东街办" and districts[0]["tasks"] == 8
    targets = client.get("/api/targets", params={"indicator": "生产总值", "year": 2021}).json()
    assert [(t["value"], t["comparator"]) for t in targets] == [(10.0, ">=")]
    listed = client.get("/api/departments", params={"q": "发改"}).json()
    assert {d["label"] for d in listed} >= {"市发改委", "区发改局"}


@pytest.mark.parametrize(
    ("fmt", "media", "start"),
    [("gexf", "application/gexf+xml", b"<?xml"), ("graphml", "application/graphml+xml", b"<?xml"),
     ("cytoscape", "application/json", b"{"), ("csv", "text/csv", b"source,target,weight")],
)  # fmt: skip
def test_network_downloads(client, fmt, media, start):
    r = client.get(f"/api/network/export/{fmt}")
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.content.startswith(start) and "attachment" in r.headers["content-disposition"]
    assert "区发改局".encode() in r.content
    assert client.get("/api/network/export/png").status_code == 422


def test_page_and_static_files(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert client.get("/static/app.js").status_code == 200
    assert "/api/network" in client.get("/openapi.json").json()["paths"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn." not in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_upload_txt_merges_once(without_2021):
    client = TestClient(create_app(without_2021), base_url="http://127.0.0.1")
    assert client.get("/api/departments/区乡村振兴局").status_code == 404
    data = SYNTHETIC.read_bytes()
    first = client.post("/api/documents", files={"file": (SYNTHETIC.name, data, "text/plain")})
    assert first.status_code == 201 and first.json()["status"] == "added" and first.json()["tasks"] == 12
    before = dump(without_2021)
    with Store.open(without_2021) as store:
        assert first.json()["report"] in store.load_graph()
    # the index was refreshed: the new unit, its renaming and the new report are served
    profile = client.get("/api/departments/区乡村振兴局").json()
    assert [u["label"] for u in profile["predecessors"]] == ["区扶贫工作专班"]
    assert len(client.get("/api/reports").json()) == 6
    again = client.post("/api/documents", files={"file": ("copy.txt", data, "text/plain")})
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert dump(without_2021) == before


def test_upload_docx(without_2021):
    import docx

    d = docx.Document()
    for line in SYNTHETIC.read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    client = TestClient(create_app(without_2021), base_url="http://127.0.0.1")
    r = client.post(
        "/api/documents", files={"file": ("xialu2021.docx", buf.getvalue(), "application/octet-stream")}
    )
    assert r.status_code == 201, r.text
    assert r.json()["tasks"] == 12
    tasks = client.get("/api/departments/区乡村振兴局/tasks").json()["tasks"]
    assert [t["number"] for t in tasks] == ["6"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.docx", b"PK\x03\x04 not a zip"),
        ("scan.pdf", b"%PDF-1.4 garbage"),
        ("notes.xyz", "任务".encode()),
        ("empty.txt", b""),
        ("prose.txt", "本文没有编号的任务,只有一段说明文字。".encode()),
    ],
)
def test_bad_upload_changes_nothing(without_2021, name, data):
    client = TestClient(create_app(without_2021), base_url="http://127.0.0.1")
    before_file = dump(without_2021)
    before = client.get("/api/reports").json()
    r = client.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and name in detail and "/tmp" not in detail
    assert dump(without_2021) == before_file
    assert client.get("/api/reports").json() == before


def test_response_field_names_are_pinned(client):
    """Response models that take fields from the query dataclasses keep the API's JSON names and order."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    expected = {
        "Node": "id label kind jurisdiction lead_count assist_count degree weighted_degree betweenness "
        "community x y",
        "Link": "source target weight",
        "District": "id name jurisdiction tasks by_unit by_text",
        "TargetOut": "id text indicator measure value unit comparator period report year task",
        "Upload": "status report source tasks nodes edges",
        "ReportLoad": "report title year lead assist",
        "Load": "lead assist",
        "Task": "id number text report report_title year jurisdiction deadline span units",
        "CollaboratorOut": "unit shared department_leads partner_leads neither_leads",
        "Mention": "id label role basis printed span evidence confidence",
        "SegmentOut": "start text in_task clause unit role",
        "TaskSource": "task source text_stored excerpts clauses",
        "RoleTaskOut": "id number text role basis report report_title year deadline",
        "TaskBrief": "id number text report report_title year deadline",
        "MentionBrief": "id label role basis",
        "CoOwned": "task role others leads",
    }
    assert {name: " ".join(schemas[name]["properties"]) for name in expected} == expected
    assert schemas["Link"]["properties"]["weight"]["minimum"] == 1
    assert schemas["Upload"]["properties"]["status"]["enum"] == ["added", "unchanged"]
    assert schemas["Node"]["examples"][0]["label"] == "区发改局"


def test_list_endpoints_are_paginated_with_the_total(client):
    everything = client.get("/api/reports")
    assert everything.headers["X-Total-Count"] == "6"
    page = client.get("/api/reports", params={"offset": 2, "limit": 3})
    assert page.headers["X-Total-Count"] == "6"
    assert page.json() == everything.json()[2:5]
    tasks = client.get(f"/api/departments/{FAGAIJU}/tasks", params={"limit": 2, "offset": 1})
    total = int(tasks.headers["X-Total-Count"])
    full = client.get(f"/api/departments/{FAGAIJU}/tasks").json()["tasks"]
    assert total == len(full) > 3 and tasks.json()["tasks"] == full[1:3]
    for url in ("/api/tasks/without-lead", "/api/departments", "/api/districts", "/api/targets",
                f"/api/departments/{FAGAIJU}/collaborators", f"/api/departments/{FAGAIJU}/co-owned"):  # fmt: skip
        r = client.get(url, params={"limit": 1})
        assert r.status_code == 200 and int(r.headers["X-Total-Count"]) >= 1, url
    assert client.get("/api/reports", params={"limit": 0}).status_code == 422


def test_one_upload_path(client):
    posts = [path for path, ops in client.get("/openapi.json").json()["paths"].items() if "post" in ops]
    assert posts == ["/api/documents"]
    r = client.post("/documents", files={"file": ("a.txt", "1、任务。(牵头单位:区发改局)".encode(), "text/plain")})
    assert r.status_code in (404, 405)
