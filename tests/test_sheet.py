"""The tracking sheet: ``govkg export --what tasks`` and ``GET /api/tasks.xlsx|.csv``, read back with openpyxl."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from govkg.api.app import create_app
from govkg.graph.store import store_path
from govkg.queries.sheet import HEADERS
from tests.support import stored
from tests.test_cli import govkg

FAGAIJU = "区发改局"


@pytest.fixture(scope="module")
def data(sample_documents, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sheet")
    stored(sample_documents, folder)
    return folder


@pytest.fixture(scope="module")
def client(data) -> TestClient:
    return TestClient(create_app(store_path(data)), base_url="http://127.0.0.1")


def _rows(ws) -> list[dict[str, object]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_cli_xlsx_reads_back(data, client, tmp_path):
    out = tmp_path / "tasks.xlsx"
    r = govkg("export", "-f", "xlsx", "--what", "tasks", "-o", out, "--data-dir", data,
              "--department", FAGAIJU, "--role", "lead")  # fmt: skip
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    assert tuple(c.value for c in ws[1]) == HEADERS and ws[1][0].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["F"].width == 60 and ws.column_dimensions["A"].width == 36
    rows = _rows(ws)
    api = client.get("/api/tasks", params={"department": FAGAIJU, "role": "lead", "limit": 500}).json()
    assert len(rows) == api["total"] > 0 and f"{len(rows)} tasks written" in r.stdout
    assert all(FAGAIJU in str(row["牵头单位"]) for row in rows)
    first = next(t for t in api["items"] if t["id"] == rows[0]["任务键"])
    assert rows[0]["工作任务"] == first["text"] and rows[0]["原文位置"] == f"{first['span'][0]}-{first['span'][1]}"
    assert any(row["配合单位"] for row in rows)  # assisting units have their own column


def test_cli_csv_and_errors(data, tmp_path):
    out = tmp_path / "tasks.csv"
    r = govkg("export", "-f", "csv", "--what", "tasks", "-o", out, "--data-dir", data, "--year", "2021")
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 12 and {r["年度"] for r in rows} == {"2021"}
    assert any(r["完成时限"] for r in rows) or any(r["牵头单位"] for r in rows)
    bad = govkg("export", "-f", "ttl", "--what", "tasks", "-o", out, "--data-dir", data)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "csv" in bad.stderr


def test_api_sheet_has_the_filters_of_api_tasks(client):
    params = {"q": "疫情防控"}
    listed = client.get("/api/tasks", params={**params, "limit": 500}).json()
    x = client.get("/api/tasks.xlsx", params=params)
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in x.headers["content-disposition"]
    rows = _rows(load_workbook(io.BytesIO(x.content)).active)
    assert [r["任务键"] for r in rows] == [t["id"] for t in listed["items"]] and rows
    c = client.get("/api/tasks.csv", params={"year": 2020, "jurisdiction": "下陆区"})
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert tuple(lines[0]) == HEADERS and len(lines) - 1 == 106
    targets = [r for r in lines[1:] if r[HEADERS.index("目标")]]
    assert targets  # tasks with quantitative targets show them
    assert client.get("/api/tasks.xlsx", params={"department": "发展改革局"}).status_code == 404
