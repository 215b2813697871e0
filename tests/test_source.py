"""A task's source text: clauses found from the spans, excerpts of the stored report text, the
store keeping each report's text, and ``GET /api/tasks/{id}/source`` over the samples."""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.graph.store import SCHEMA_V1, SCHEMA_V2, Store
from govkg.queries.results import Holder, TaskInfo
from govkg.queries.source import clause_ranges, task_source
from tests.support import stored


def _holder(text: str, printed: str, role: str, nth: int = 0) -> Holder:
    start = -1
    for _ in range(nth + 1):
        start = text.index(printed, start + 1)
    return Holder(f"dept:{printed}", printed, role, "explicit", printed, (start, start + len(printed)))


def _task(text: str, printed_task: str, *holders: Holder) -> TaskInfo:
    start = text.index(printed_task)
    return TaskInfo("t", "1", printed_task, "r", "报告", None, None, None, (start, start + len(printed_task)), holders)


@pytest.mark.parametrize(
    ("text", "units", "clause"),
    [
        ("1.建设项目。(牵头单位:区发改局;配合单位:区财政局、区科信局)\n", ["区发改局", "区财政局", "区科信局"],
         "牵头单位:区发改局;配合单位:区财政局、区科信局"),
        ("加快建设,由区发改局会同区财政局负责,年底完成。", ["区发改局", "区财政局"], "由区发改局会同区财政局负责"),
        ("1\t建设项目\t区发改局\t区财政局\t年底\n", ["区发改局", "区财政局"], "区发改局\t区财政局"),
        ("一是推进改革。区发改局牵头,区财政局配合。", ["区发改局", "区财政局"], "区发改局牵头,区财政局配合"),
    ],
    ids=["labels", "running-text cue", "table cells", "verbs"],
)
def test_the_clause_is_the_run_of_units_with_its_words(text, units, clause):
    holders = tuple(_holder(text, u, "lead" if i == 0 else "assist") for i, u in enumerate(units))
    assert [text[a:b] for a, b in clause_ranges(text, holders)] == [clause]


def test_units_in_two_sentences_are_two_clauses():
    text = "一、区发改局牵头工作\n1.推进项目建设,区财政局配合。\n"
    holders = (_holder(text, "区发改局", "lead"), _holder(text, "区财政局", "assist"))
    assert [text[a:b] for a, b in clause_ranges(text, holders)] == ["区发改局牵头工作", "区财政局配合"]


def test_excerpts_cover_the_task_its_clauses_and_whole_lines_around_it():
    text = "(一)稳增长\n1.抓好项目建设。(牵头单位:区发改局)\n2.下一项任务。(牵头单位:区财政局)\n"
    task = _task(text, "1.抓好项目建设。(牵头单位:区发改局)", _holder(text, "区发改局", "lead"))
    (excerpt,) = task_source(text, task).excerpts
    assert text[excerpt.start : excerpt.end] == text  # the heading before and the next task after
    assert "".join(s.text for s in excerpt.segments) == text
    (unit,) = [s for s in excerpt.segments if s.unit]
    assert (unit.text, unit.role, unit.clause, unit.in_task) == ("区发改局", "lead", True, True)
    assert not any(s.in_task for s in excerpt.segments if "下一项" in s.text)


def test_a_far_heading_clause_is_its_own_excerpt():
    filler = "".join(f"{i}.其他任务内容说明。\n" for i in range(1, 40))
    text = f"一、区发改局牵头工作\n{filler}40.推进项目建设。\n"
    task = _task(text, "40.推进项目建设。", _holder(text, "区发改局", "lead"))
    src = task_source(text, task)
    assert len(src.excerpts) == 2 and src.excerpts[0].end < src.excerpts[1].start
    assert "区发改局牵头工作" in "".join(s.text for s in src.excerpts[0].segments)
    assert "40.推进项目建设" in "".join(s.text for s in src.excerpts[1].segments)


def test_the_store_keeps_each_report_text_and_removes_it_with_the_report(tmp_path, sample_documents):
    with Store.open(tmp_path / "govkg.sqlite") as s:
        results = s.add_all(sample_documents)
        for doc, r in zip(sample_documents, results, strict=True):
            assert s.text(r.report) == doc.text
        s.remove(results[0].report)
        assert s.text(results[0].report) is None
        assert s._conn.execute("SELECT count(*) FROM texts").fetchone()[0] == len(sample_documents) - 1


@pytest.fixture(scope="module")
def client(sample_documents, tmp_path_factory) -> TestClient:
    return TestClient(create_app(stored(sample_documents, tmp_path_factory.mktemp("source"))), base_url="http://127.0.0.1")


def test_every_sample_task_source_is_its_report_text_with_clauses_and_units(client, sample_documents):
    texts = {d.source: d.text for d in sample_documents}
    tasks = client.get("/api/tasks", params={"limit": 500}).json()["items"]
    assert len(tasks) == sum(len(d.tasks) for d in sample_documents)
    checked = 0
    for t in tasks:
        body = client.get(f"/api/tasks/{quote(t['id'], safe='')}/source").json()
        text = texts[body["source"]]
        assert body["text_stored"] and body["excerpts"]
        for e in body["excerpts"]:
            assert "".join(s["text"] for s in e["segments"]) == text[e["start"] : e["end"]]
        a, b = body["task"]["span"]
        covered = [s for e in body["excerpts"] for s in e["segments"] if s["in_task"]]
        assert "".join(s["text"] for s in covered) == text[a:b]
        marked = {(s["unit"], s["role"], s["text"]) for e in body["excerpts"] for s in e["segments"] if s["unit"]}
        for u in body["task"]["units"]:
            assert text[u["span"][0] : u["span"][1]] == u["printed"]
            assert any(c0 <= u["span"][0] and u["span"][1] <= c1 for c0, c1 in body["clauses"])
            assert u["evidence"], u
            checked += any(unit == u["id"] for unit, _, _ in marked)  # each unit is marked where printed
    assert checked == sum(len(t["units"]) for t in tasks) > 700


def test_unknown_task_and_a_store_older_than_texts(client, tmp_path, sample_documents):
    r = client.get("/api/tasks/task:nope/source")
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    path = tmp_path / "govkg.sqlite"
    with sqlite3.connect(path) as c:  # a store written by govkg with schema 2, before texts
        for statement in (*SCHEMA_V1, *SCHEMA_V2):
            c.execute(statement)
        c.execute("PRAGMA user_version = 2")
    with Store.open(path) as s:
        s.add(sample_documents[0])
        s._conn.execute("DELETE FROM texts")  # as if it had been stored then
    old = TestClient(create_app(path), base_url="http://127.0.0.1")
    task = old.get("/api/tasks", params={"limit": 1}).json()["items"][0]
    body = old.get(f"/api/tasks/{quote(task['id'], safe='')}/source").json()
    assert body["text_stored"] is False and body["excerpts"] == [] and body["task"]["units"] == task["units"]
