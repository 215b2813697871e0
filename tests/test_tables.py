"""The read tables answer the hot questions exactly as the graph path does, and follow the store."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from govkg.api import models as m
from govkg.api.app import create_app
from govkg.api.tables import Tables, refresh, search_term
from govkg.graph.store import Store, dumps
from govkg.queries import departments, network, search
from govkg.queries.index import GraphIndex
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
        index = GraphIndex(s.load_graph())
        for word in WORDS:  # the removed report's tasks are out of the full-text index too
            got, want = Tables(s).search(word, 0, 500), search.search_tasks(index, word)
            assert (got.total, [json.loads(r)["id"] for r in got.rows]) == (len(want), [h.task.id for h in want])


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


def _matching(s: Store, token: str) -> list[int]:
    """The row ids (search ranks) the full-text index finds for one token, in order."""
    return [r for (r,) in s.read("SELECT rowid FROM task_search WHERE task_search MATCH ? ORDER BY rowid", (search_term(token),))]


def _written(s: Store) -> dict[str, list]:
    tables = ("t_reports", "t_units", "t_tasks", "t_holds", "t_shared", "t_networks", "task_tokens")
    out = {t: sorted(s.read(f"SELECT * FROM {t}"), key=repr) for t in tables}
    out["task_search"] = [_matching(s, t) for t in sorted({t for (ts,) in s.read("SELECT tokens FROM task_tokens") for t in ts.split("\x1f")})]
    out["snapshot"] = [dumps(s.load_graph())]  # marshal's bytes depend on object sharing, not only on values
    return out


def test_refresh_in_processes_equals_refresh_in_one(sample_documents, tmp_path):
    written = []
    for jobs in (1, 2):
        with Store.open(stored(sample_documents, tmp_path / str(jobs))) as s:
            assert len(s.groups()) >= 4
            refresh(s, jobs, min_tasks=0)
            written.append(_written(s))
    assert written[0] == written[1] and len(written[0]["t_tasks"]) > 200
    assert {j for (j, _, _) in written[0]["t_networks"]} >= {"鄂州市", "下陆区", "鹰潭市", "镇海区"}


def test_a_worker_that_dies_fails_the_refresh_and_the_next_one_writes_the_rest(sample_documents, tmp_path):
    """A worker killed mid-refresh (as the kernel's out-of-memory killer would) fails the refresh
    with ``BrokenProcessPool`` instead of waiting forever; the tables are not current, the groups
    written before are kept, and the next refresh writes only the others (in batches, as
    by default)."""
    import multiprocessing
    import os
    import signal
    from concurrent.futures.process import BrokenProcessPool

    from bench.corpus import variant_documents

    def kill_a_worker(groups, _):  # noqa: ANN001, ANN202 - once the workers are at work
        for i, group in enumerate(groups):
            if i == 1:
                os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
            yield group

    path = stored(variant_documents(sample_documents, 3000), tmp_path)
    with Store.open(path) as s:
        every = len(s.groups())
        assert every > 20
        with pytest.raises(BrokenProcessPool):
            refresh(s, 2, min_tasks=0, track=kill_a_worker, batch_tasks=1)  # a transaction per group
        assert not Tables(s).current()
        kept = s.read("SELECT count(DISTINCT grp) FROM groups")[0][0]
        assert 1 <= kept < every and s.read("SELECT count(DISTINCT ord >> 24) FROM t_tasks")[0][0] == kept

        def counted(groups, total):  # noqa: ANN001, ANN202
            written.append(total)
            yield from groups

        written: list[int] = []
        refresh(s, track=counted)
        assert written == [every - kept]
        assert Tables(s).current() and s.read("SELECT count(*) FROM t_tasks")[0][0] >= 3000
        resumed = _written(s)
    with Store.open(stored(variant_documents(sample_documents, 3000), tmp_path / "whole")) as whole:
        refresh(whole)
        assert _written(whole) == resumed


def test_a_write_during_a_refresh_commits_at_once_and_the_refresh_ends_with_it(sample_documents, tmp_path):
    """Each group is written in its own transaction: another writer commits between two groups
    (it used to wait for the whole refresh), and the refresh plans again and ends current."""
    path = stored(sample_documents[:3], tmp_path / "during")
    added: list[str] = []

    def add_meanwhile(groups, _):  # noqa: ANN001, ANN202 - between the first two group writes
        for i, group in enumerate(groups):
            if i == 1 and not added:
                with Store.open(path) as other:
                    added.append(other.add(sample_documents[3]).report)
            yield group

    with Store.open(path) as s:
        assert len(s.groups()) >= 2
        generation = refresh(s, track=add_meanwhile)
        assert added and generation == s.generation() and Tables(s).current()
        assert Tables(s).reports(0, 100).total == 4
        during = _written(s)
    with Store.open(stored(sample_documents[:4], tmp_path / "after")) as after:
        refresh(after)
        assert _written(after) == during


def test_a_report_removed_and_added_again_is_refreshed(sample_documents, tmp_path):
    """Its rows come back under a new report id with the same keys: the rows of its old group must
    be gone before they are written again."""
    path = stored(sample_documents, tmp_path / "again")
    with Store.open(path) as s:
        refresh(s)
        first = s.reports()[0]
        s.remove(first.key)
        s.add(sample_documents[0])
        refresh(s)
        assert Tables(s).current() and Tables(s).reports(0, 100).total == len(sample_documents)
        again = _answers(s)
    with Store.open(stored(sample_documents[1:] + sample_documents[:1], tmp_path / "fresh")) as fresh:
        refresh(fresh)
        assert _answers(fresh) == again


def _answers(s: Store) -> tuple:
    """What the read tables answer, apart from report ids (and so groups and task ords)."""
    return (
        sorted(s.read("SELECT key, report, year, task, brief, leads FROM t_tasks")),
        sorted(s.read("SELECT key, json FROM t_units")),
        sorted(s.read("SELECT key, year, json FROM t_reports")),
        sorted(s.read("SELECT jurisdiction, json FROM t_networks")),
        sorted(s.read("SELECT unit, role, basis, shared, year FROM t_holds")),
        [Tables(s).search(w, 0, 500) for w in WORDS],
    )


def test_two_refreshes_at_once_end_with_the_tables_one_refresh_writes(sample_documents, tmp_path):
    """Two processes refreshing one store (a build and a server) take turns (``refresh_lock``):
    without it, both would write the same groups and the second would collide with the first."""
    import threading

    path = stored(sample_documents, tmp_path / "both")
    errors: list[BaseException] = []

    def refreshing() -> None:
        try:
            with Store.open(path) as s:
                refresh(s)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=refreshing) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store.open(path) as s:
        assert Tables(s).current()
        both = _written(s)
    with Store.open(stored(sample_documents, tmp_path / "one")) as one:
        refresh(one)
        assert _written(one) == both


def test_a_task_whose_search_rank_is_taken_takes_the_next_and_is_found(sample_documents, tmp_path):
    from govkg.queries.index import search_rank

    path = stored(sample_documents[:1], tmp_path)
    with Store.open(path) as s:
        index = GraphIndex(s.load_graph())
        key = next(k for k, tokens in index.task_tokens.items() if "建设" in tokens)
        rank = search_rank(key, len(index.task_tokens[key]))
        with s.reading() as c:  # another task's hash collided with it
            c.execute("INSERT INTO task_tokens VALUES ('task:other:1', ?, 'zz')", (rank,))
            c.execute("INSERT INTO task_search (rowid, terms) VALUES (?, ?)", (rank, search_term("zz")))
        refresh(s)
        assert s.read("SELECT rank FROM task_tokens WHERE task = ?", (key,)) == [(rank + 1,)]
        found = Tables(s).search("建设", 0, 500)
        assert key in {json.loads(r)["id"] for r in found.rows}
        assert found.total == len(search.search_tasks(index, "建设"))
