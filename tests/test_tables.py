"""The read tables answer the hot questions exactly as the graph path does, and follow the store."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from govkg.api import models as m
from govkg.api.app import create_app
from govkg.api.tables import Tables, refresh
from govkg.graph.store import Store
from govkg.queries import departments, network, search
from govkg.queries.index import GraphIndex, tokenize
from tests.support import stored

WORDS = ("建设", "养老服务", "招商引资", "营商环境", "乡村振兴", "不存在的词语", "建设 工作", "推进 项目 建设")


@pytest.fixture(scope="module")
def built(sample_documents, tmp_path_factory):
    """(store path, index of its graph) with the read tables written, as ``govkg build`` leaves it."""
    path = stored(sample_documents, tmp_path_factory.mktemp("tables"))
    with Store.open(path) as s:
        refresh(s)
        assert s.tables_generation() == s.generation()
        index = GraphIndex(s.load_graph())
    return path, index


@pytest.fixture(scope="module")
def client(built):
    app = create_app(built[0])
    assert app.state.govkg.tables() is not None  # these tests exercise the tables path
    return TestClient(app, base_url="http://127.0.0.1")


def _busy(index: GraphIndex, n: int = 12) -> list[str]:
    return sorted(index.unit_tasks, key=lambda u: (-len(index.unit_tasks[u]), u))[:n]


def test_tables_are_current_after_refresh_and_stale_after_a_write(built, sample_documents, tmp_path):
    path = stored(sample_documents[:2], tmp_path)
    with Store.open(path) as s:
        assert not Tables(s).current()
        refresh(s)
        assert Tables(s).current()
        s.add(sample_documents[2])
        assert not Tables(s).current()
        refresh(s)
        tables = Tables(s)
        assert tables.current() and tables.reports(0, 100).total == 3
        removed = s.reports()[0]
        s.remove(removed.key)
        refresh(s)
        tokened = {k for (k,) in s._conn.execute("SELECT task FROM task_tokens")}
        assert tokened and not any(k.startswith(f"task:{removed.sha256[:16]}:") for k in tokened)


def test_department_tasks_and_co_owned_equal_the_graph_path(client, built):
    _, index = built
    for unit in _busy(index):
        ref = m.Unit.model_validate(index.units[unit]).model_dump(mode="json")
        for role, year in (("any", None), ("lead", None), ("assist", 2020)):
            got = client.get(f"/api/departments/{quote(unit)}/tasks", params={"role": role, "limit": 7,
                             "offset": 1, **({"year": year} if year else {})})  # fmt: skip
            rows = departments.unit_tasks(index, unit, role, year=year)
            assert got.status_code == 200 and got.headers["X-Total-Count"] == str(len(rows))
            want = {"department": ref, "tasks": [m.RoleTaskOut.model_validate(r).model_dump(mode="json") for r in rows[1:8]]}
            assert got.json() == want
        shared = departments.co_owned(index, unit)
        got = client.get(f"/api/departments/{quote(unit)}/co-owned", params={"limit": 5})
        assert got.headers["X-Total-Count"] == str(len(shared))
        want_rows = [m.CoOwned.model_validate(r).model_dump(mode="json") for r in shared[:5]]
        assert got.json() == {"department": ref, "other": None, "tasks": want_rows}
        if shared:
            partner = shared[0].others[0].unit
            pair = departments.co_owned(index, unit, partner)
            got = client.get(f"/api/departments/{quote(unit)}/co-owned", params={"with": partner}).json()
            assert got["other"]["id"] == partner
            assert got["tasks"] == [m.CoOwned.model_validate(r).model_dump(mode="json") for r in pair]


def test_tasks_search_and_reports_equal_the_graph_path(client, built):
    _, index = built
    for key in list(index.tasks)[::37]:
        assert client.get(f"/api/tasks/{quote(key)}").json() == m.Task.model_validate(index.tasks[key]).model_dump(mode="json")
    assert client.get("/api/tasks/task:nope:1").status_code == 404
    for word in WORDS:
        hits = search.search_tasks(index, word)
        got = client.get("/api/tasks", params={"q": word, "limit": 9, "offset": 2}).json()
        assert got["total"] == len(hits)
        assert got["items"] == [m.Task.model_validate(h.task).model_dump(mode="json") for h in hits[2:11]]
    every = client.get("/api/tasks", params={"limit": 20, "offset": 5}).json()
    assert every["total"] == len(index.tasks)
    assert [t["id"] for t in every["items"]] == list(index.tasks)[5:25]
    got = client.get("/api/reports", params={"limit": 4, "offset": 1})
    assert got.headers["X-Total-Count"] == str(len(index.reports)) and len(got.json()) == 4
    assert {r["id"] for r in client.get("/api/reports").json()} == set(index.reports)


def test_network_of_a_jurisdiction_equals_the_graph_path(client, built):
    _, index = built
    places = sorted({t.jurisdiction for t in index.tasks.values() if t.jurisdiction})
    assert places
    units_only = sorted({u.jurisdiction for u in index.units.values() if u.jurisdiction} - set(places))
    for place in [*places, *units_only, "不存在区"]:  # a place without tasks has an empty network
        want = m.Network.model_validate(network.network_view(index, jurisdiction=place)).model_dump(mode="json")
        assert client.get("/api/network", params={"jurisdiction": place}).json() == want


def test_a_name_that_is_not_a_key_still_resolves(client, built):
    got = client.get(f"/api/departments/{quote('区发改局')}/tasks", params={"limit": 3})
    assert got.status_code == 200 and got.json()["department"]["id"] == "dept:下陆区:发展和改革局"
    assert client.get(f"/api/departments/{quote('没有这个局')}/co-owned").status_code == 404


def test_work_done_in_processes_equals_that_done_in_one(sample_documents, tmp_path):
    from dataclasses import replace

    from govkg.api.tables import working

    places = ("东西区", "南北区", "中新区", "华安区", "平宁区")
    docs = [
        replace(d, metadata=replace(d.metadata, jurisdiction=p, sha256=f"{i:02d}" + d.metadata.sha256[2:]),
                text=f"{d.text}\n({p})")
        for i, (p, d) in enumerate((p, d) for p in places for d in sample_documents)
    ]  # fmt: skip
    with Store.open(stored(docs, tmp_path)) as s:
        graph = s.load_graph()
    texts = [t.text for t in GraphIndex(graph).tasks.values()]
    with working(GraphIndex(graph), jobs=1, min_tasks=0) as work:
        one, tokens = work.networks(), list(work.map(tokenize, texts))
    with working(GraphIndex(graph), jobs=2, min_tasks=0) as work:
        two, in_processes = work.networks(), list(work.map(tokenize, texts))
    assert {p for p, _ in one} >= set(places) and one == two
    assert tokens == in_processes and len(tokens) == len(texts) > 1000


def _die(_: object) -> None:
    """Ends the worker process that runs it, as the kernel's out-of-memory killer would."""
    import os

    os._exit(9)


def test_a_worker_that_dies_fails_the_work_instead_of_hanging(sample_documents, tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    from govkg.api.tables import working

    with Store.open(stored(sample_documents, tmp_path)) as s:
        index = GraphIndex(s.load_graph())
    with pytest.raises(BrokenProcessPool), working(index, jobs=2, min_tasks=0) as work:
        list(work.map(_die, range(4)))
