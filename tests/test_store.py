"""The SQLite store: round trip, idempotence, same text in two formats, removal, schema, JSON export."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace

import networkx as nx
import pytest

from govkg.graph.build import build_graph
from govkg.graph.schema import NodeKind
from govkg.graph.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    _from_parts,
    dumps,
    loads,
    snapshot_parts,
    text_sha256,
)
from tests.docmaker import made_documents


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "govkg.sqlite") as s:
        yield s


def test_round_trip_equals_the_built_graph(store, sample_documents):
    """Everything the graph holds (spans, printed forms, bases, targets, metadata) comes back."""
    assert [r.status for r in store.add_all(sample_documents)] == ["added"] * len(sample_documents)
    assert dumps(store.load_graph()) == dumps(build_graph(sample_documents))


def test_made_documents_in_any_order_round_trip(store):
    made = made_documents()
    store.add_all(reversed(made))
    assert dumps(store.load_graph()) == dumps(build_graph(made))


def test_wal_mode_and_schema_version(store):
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() == SCHEMA_VERSION


def test_a_connection_keeps_the_cache_it_is_opened_with(tmp_path):
    path = tmp_path / "govkg.sqlite"
    Store.open(path).close()
    with Store.open(path, create=False) as plain, Store.open(path, create=False, cache_mib=64) as roomy:
        assert plain.read("PRAGMA cache_size") == [(-2000,)]  # SQLite's default: 2,000 KiB
        assert roomy.read("PRAGMA cache_size") == [(-65536,)]


def test_re_adding_is_a_no_op(store):
    made = made_documents()
    store.add_all(made)
    generation = store.generation()
    again = store.add_all(made)
    assert {r.status for r in again} == {"unchanged"}
    assert store.generation() == generation
    assert store.counts() == (4, sum(len(d.tasks) for d in made))


def test_same_text_in_another_file_is_one_report(store, sample_documents):
    doc = sample_documents[-1]
    other = replace(doc, metadata=replace(doc.metadata, source="copy.docx", sha256="f" * 64))
    other = replace(other, text=other.text.replace("\n", "\n\n"))  # line breaks differ, words do not
    assert text_sha256(other) == text_sha256(doc)
    assert store.add(doc).status == "added"
    r = store.add(other)
    assert (r.status, r.report, r.same_as) == ("unchanged", store.reports()[0].key, doc.source)
    assert store.counts()[0] == 1


def test_removing_a_report_takes_exactly_its_rows(store, sample_documents):
    store.add_all(sample_documents)
    gone = sample_documents[1]
    (row,) = store.find(gone.source)
    removed = store.remove(row.key)
    assert removed.task_count == len(gone.tasks)
    rest = [d for d in sample_documents if d is not gone]
    assert dumps(store.load_graph()) == dumps(build_graph(rest))
    with pytest.raises(StoreError, match="no report"):
        store.remove(row.key)


def test_find_by_key_sha_prefix_source_and_title(store):
    made = made_documents()
    store.add_all(made)
    first = store.reports()[0]
    assert store.find(first.key) == store.find(first.sha256[:12]) == store.find("xialu.txt") == [first]
    assert len(store.find("重点工作责任分解")) == 4  # every made document has this title
    assert store.find("nothing") == []


def test_clear_empties_the_store(store):
    store.add_all(made_documents())
    store.clear()
    assert store.counts() == (0, 0) and store.load_graph().number_of_nodes() == 0


def test_a_failed_add_leaves_nothing(store, sample_documents):
    store.add(sample_documents[0])
    before = dumps(store.load_graph())
    bad = sample_documents[1]
    task = replace(bad.tasks[0], deadline={"not", "json"})  # type: ignore[arg-type]
    bad = replace(bad, tasks=(task, *bad.tasks[1:]))
    with pytest.raises(StoreError, match=f"^{re.escape(bad.source)}: cannot store its graph"):
        store.add(bad)
    assert store.counts()[0] == 1 and dumps(store.load_graph()) == before


def test_not_a_store_names_the_file(tmp_path):
    path = tmp_path / "govkg.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="govkg.sqlite: not a govkg store"):
        Store.open(path)
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "missing.sqlite", create=False)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "govkg.sqlite"
    Store.open(path).close()
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this govkg"):
        Store.open(path)


def test_json_export_round_trips(sample_graph):
    data = dumps(sample_graph)
    back = loads(data)
    assert dumps(back) == data
    assert sum(1 for _, k in back.nodes(data="kind") if k == NodeKind.TASK) == 251
    with pytest.raises(StoreError, match="x.json: not a govkg graph file"):
        loads(b'{"nodes": []}', "x.json")


def _groups_united(store: Store) -> nx.MultiDiGraph:
    """The groups' graphs, checked disjoint, united."""
    whole = nx.MultiDiGraph()
    for reports in store.groups().values():
        part = store.group_graph(reports)
        assert not any(n in whole for n in part)
        whole.add_nodes_from(part.nodes(data=True))
        whole.add_edges_from(part.edges(keys=True, data=True))
    return whole


def test_the_graph_is_the_disjoint_union_of_its_groups(store, sample_documents):
    """Nothing derived crosses two groups: unit labels, members, successors, districts in task text."""
    made = made_documents()
    store.add_all([*sample_documents, *made])
    groups = store.groups()
    assert 1 < len(groups) < len(sample_documents) + len(made)
    assert sorted(r for rs in groups.values() for r in rs) == sorted(r for (r,) in store.read("SELECT id FROM reports"))
    assert dumps(_groups_united(store)) == dumps(build_graph([*sample_documents, *made]))


def test_real_documents_split_into_groups_whose_union_is_the_graph(store, dev_documents):
    store.add_all(dev_documents)
    assert len(store.groups()) > 1
    assert dumps(_groups_united(store)) == dumps(build_graph(dev_documents))


def test_refresh_caches_the_derived_graph_and_rewrites_only_changed_groups(store, sample_documents):
    from govkg.api.tables import refresh

    first, rest = sample_documents[:3], sample_documents[3:]
    store.add_all(first)
    refresh(store)
    assert store.read("SELECT count(*) FROM snapshot")[0][0] > 0
    assert dumps(store.load_graph()) == dumps(build_graph(first))  # from the cache
    store.add_all(rest)  # a new generation: the cache is stale, not used
    assert dumps(store.load_graph()) == dumps(build_graph(sample_documents))
    store.read("CREATE TEMP TABLE written (report TEXT)")
    store.read("CREATE TEMP TRIGGER log AFTER INSERT ON t_reports BEGIN INSERT INTO written VALUES (new.key); END")
    refresh(store)
    written = {k for (k,) in store.read("SELECT report FROM written")}
    changed = {g for g, rs in store.groups().items() if any(r > len(first) for r in rs)}
    want = {k for (k,) in store.read(f"SELECT key FROM t_reports WHERE grp IN ({','.join(map(str, changed))})")}
    assert written == want and len(written) < len(sample_documents)  # the first documents' own groups were kept
    assert dumps(store.load_graph()) == dumps(build_graph(sample_documents))


def test_the_snapshot_is_cached_in_parts(store, sample_documents):
    """SQLite refuses a value over 1 GB, which a million tasks' snapshot exceeds: it is kept in parts."""
    graph = build_graph(sample_documents)
    parts = snapshot_parts(graph, size=50)
    assert len(parts) > 10 and dumps(_from_parts(parts)) == dumps(graph)


def test_a_version_4_store_keeps_its_reports_and_drops_its_snapshot(tmp_path, sample_documents):
    from govkg.graph.store import SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4

    path = tmp_path / "govkg.sqlite"
    with sqlite3.connect(path) as c:  # what govkg with schema 4 wrote
        for statement in (*SCHEMA_V1, *SCHEMA_V2, *SCHEMA_V3, *SCHEMA_V4):
            c.execute(statement)
        c.execute("PRAGMA user_version = 4")
    with sqlite3.connect(path) as c:
        c.execute("INSERT INTO snapshot VALUES (1, 0, x'00')")  # the one-row cache of schema 4
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s._conn.execute("SELECT count(*) FROM snapshot").fetchone()[0] == 0
        s.add_all(sample_documents)
        assert dumps(s.load_graph()) == dumps(build_graph(sample_documents))


def test_a_version_1_store_is_migrated_keeping_its_reports(tmp_path, sample_documents):
    from govkg.graph.store import SCHEMA_V1

    path = tmp_path / "govkg.sqlite"
    with sqlite3.connect(path) as c:  # what govkg with schema 1 wrote
        for statement in SCHEMA_V1:
            c.execute(statement)
        c.execute("PRAGMA user_version = 1")
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION == 8
        s.add_all(sample_documents)
        assert dumps(s.load_graph()) == dumps(build_graph(sample_documents))


def test_a_version_5_store_keeps_its_reports_and_rewrites_its_read_tables(tmp_path, sample_documents):
    from govkg.api.tables import Tables, refresh

    path = tmp_path / "govkg.sqlite"
    with Store.open(path) as s:
        s.add_all(sample_documents)
        refresh(s)
        want = Tables(s).search("招商引资", 0, 100)
        reports = s.reports()
    with sqlite3.connect(path) as c:  # the search and hold tables as schema 5 had them, and current
        for table in ("task_search", "task_tokens", "t_holds", "t_shared", "groups"):
            c.execute(f"DROP TABLE {table}")
        c.execute("CREATE TABLE task_tokens (id INTEGER PRIMARY KEY, task TEXT NOT NULL UNIQUE, n INTEGER, tokens TEXT)")
        c.execute("CREATE TABLE postings (token TEXT, id INTEGER, PRIMARY KEY (token, id)) WITHOUT ROWID")
        c.execute("CREATE TABLE t_holds (unit, ord, role, basis, shared, PRIMARY KEY (unit, ord)) WITHOUT ROWID")
        c.execute("INSERT INTO postings VALUES ('招商引资', 1)")
        c.execute("PRAGMA user_version = 5")
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.reports() == reports and not Tables(s).current()
        refresh(s)
        assert Tables(s).current() and Tables(s).search("招商引资", 0, 100) == want
        assert want.total > 0
