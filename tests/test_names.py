"""One name resolver for CLI, API and page: candidates named as they resolve, never ids; suggestions always."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.graph.store import store_path
from govkg.queries.index import GraphIndex
from govkg.queries.names import AmbiguousName, UnknownName, resolve_unit
from tests.support import stored
from tests.test_cli import govkg


@pytest.fixture(scope="module")
def index(sample_graph) -> GraphIndex:
    return GraphIndex(sample_graph)


@pytest.fixture(scope="module")
def data(sample_documents, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("names")
    stored(sample_documents, folder)
    return folder


def test_ambiguous_lists_names_that_pick_one(index):
    with pytest.raises(AmbiguousName) as e:
        resolve_unit(index, "市发改委")
    picks = [c.pick for c in e.value.candidates]
    assert picks == ["市发改委 (鄂州市)", "市发改委 (鹰潭市)"]
    assert "dept:" not in str(e.value) and "e.g. '市发改委 (鄂州市)'" in str(e.value)
    for pick, cand in zip(picks, e.value.candidates, strict=True):
        assert resolve_unit(index, pick).id == cand.id
    assert resolve_unit(index, "市发改委（鹰潭市）").jurisdiction == "鹰潭市"  # full-width brackets


def test_units_of_an_unplaced_report_are_picked_by_its_file(sample_documents):
    from govkg.graph.build import build_graph
    from govkg.loaders import extract_text

    odd = extract_text("odd.txt", "关于做好重点工作的通知\n一、重点工作\n1、抓好财政收入。(责任单位:市财政局)\n")
    assert odd.metadata.jurisdiction is None
    index = GraphIndex(build_graph([*sample_documents, odd]))
    with pytest.raises(AmbiguousName) as e:
        resolve_unit(index, "市财政局")
    assert "市财政局 (odd.txt)" in str(e.value) and "dept:" not in str(e.value)
    in_odd = next(c for c in e.value.candidates if c.detail == "odd.txt")
    assert resolve_unit(index, "市财政局 (odd.txt)").id == in_odd.id


def test_unknown_names_always_get_suggestions(index):
    for name in ("发展改革局", "完全没有的单位名称xyz"):
        with pytest.raises(UnknownName) as e:
            resolve_unit(index, name)
        assert e.value.suggestions


def test_the_same_answer_on_cli_and_api(data):
    client = TestClient(create_app(store_path(data)), base_url="http://127.0.0.1")
    r = client.get("/api/departments/市发改委")
    assert r.status_code == 409
    assert [c["name"] for c in r.json()["candidates"]] == ["市发改委 (鄂州市)", "市发改委 (鹰潭市)"]
    ok = client.get("/api/departments/市发改委 (鹰潭市)")
    assert ok.status_code == 200 and ok.json()["department"]["jurisdiction"] == "鹰潭市"
    cli = govkg("query", "profile", "市发改委", "--data-dir", data)
    assert cli.returncode == 1 and "市发改委 (鄂州市), 市发改委 (鹰潭市)" in cli.stderr and "dept:" not in cli.stderr
    picked = govkg("query", "profile", "市发改委 (鹰潭市)", "--data-dir", data)
    assert picked.returncode == 0 and "鹰潭市" in picked.stdout


def test_search_says_how_many_of_how_many(data):
    r = govkg("query", "search", "建设", "--limit", "3", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    head = next(line for line in r.stdout.splitlines() if "tasks for" in line)
    shown, total = head.split(" tasks for")[0].split(" of ")
    assert shown.strip().endswith("3") and int(total) > 3
