"""The Neo4j store (graph/neo4j_store.py) and the Cypher cookbook against a real Bolt server."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import networkx as nx
import pytest
from neo4j import GraphDatabase

from graph.neo4j_store import Neo4jSyncError, property_value, schema_statements, sync
from graph.schema import RESPONSIBILITY_EDGES, NodeKind
from ontology.rdf import to_rdf
from queries.stores import QUESTIONS, BoltStore, SparqlStore, ask
from tests.test_rdf import (
    SEED_001,
    co_owned_nx,
    collaborators_nx,
    department_printed_as,
    targets_nx,
    tasks_per_district_nx,
    tasks_without_lead_nx,
    tiny_graph,
    top_leads_nx,
)


def _sync(server, graph: nx.MultiDiGraph, database: str | None = None) -> str:
    return sync(graph, server.uri, server.user, server.password, database or server.database)


def _read(server, cypher: str, database: str | None = None) -> list[dict]:
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        records, _, _ = driver.execute_query(cypher, database_=database or server.database)
    return [r.data() for r in records]


def _counts(server, database: str | None = None) -> tuple[Counter, Counter]:
    nodes = _read(server, "MATCH (n) RETURN labels(n) AS labels, count(n) AS n", database)
    rels = _read(server, "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n", database)
    return (
        Counter({"/".join(sorted(r["labels"])): r["n"] for r in nodes}),
        Counter({r["type"]: r["n"] for r in rels}),
    )


def _checksum(server, database: str | None = None) -> str:
    """A hash of every node's and relationship's properties, independent of order."""
    nodes = _read(server, "MATCH (n) RETURN properties(n) AS p", database)
    rels = _read(
        server, "MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS p", database
    )
    lines = sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in nodes + rels)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _nx_counts(graph: nx.MultiDiGraph) -> tuple[Counter, Counter]:
    return (
        Counter(kind for _, kind in graph.nodes(data="kind")),
        Counter(str(k) for _, _, k in graph.edges(keys=True)),
    )


@pytest.fixture(scope="module")
def loaded(bolt_server, sample_graph) -> tuple[str, str]:
    """The samples' graph synced twice into the test database: (first summary, second summary)."""
    return _sync(bolt_server, sample_graph), _sync(bolt_server, sample_graph)


@pytest.fixture(scope="module")
def bolt(bolt_server, loaded):
    with BoltStore(bolt_server.uri, bolt_server.user, bolt_server.password, bolt_server.database) as store:
        yield store


@pytest.fixture(scope="module")
def sparql(sample_graph) -> SparqlStore:
    return SparqlStore(to_rdf(sample_graph))


# -- without a server -----------------------------------------------------------------------------


def test_properties_are_neo4j_values():
    assert property_value(["一", "(一)"]) == ["一", "(一)"]
    assert property_value((3, 5)) == [3, 5]
    assert property_value({"a": [1]}) == '{"a": [1]}'
    assert property_value(6.5) == 6.5


def test_schema_statements_use_neo4j_5_syntax_and_cover_every_kind():
    stmts = schema_statements()
    for kind in NodeKind:
        assert f"FOR (n:`{kind}`) REQUIRE n.key IS UNIQUE" in "\n".join(stmts)
    assert all(" IF NOT EXISTS FOR " in s for s in stmts)


def test_sync_to_a_closed_port_raises_a_clear_error():
    with pytest.raises(Neo4jSyncError, match=r"bolt://127\.0\.0\.1:1 .*failed"):
        sync(tiny_graph(), "bolt://127.0.0.1:1", "neo4j", "x", "neo4j")


# -- against the Bolt server ----------------------------------------------------------------------


def test_sync_loads_every_node_and_edge(bolt_server, sample_graph, loaded):
    first, _ = loaded
    nodes, rels = _counts(bolt_server)
    assert (nodes, rels) == _nx_counts(sample_graph)
    assert first.startswith(
        f"{sample_graph.number_of_nodes()} nodes, {sample_graph.number_of_edges()} relationships"
    )


def test_second_sync_changes_nothing(bolt_server, sample_graph, loaded):
    _, second = loaded
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 0 relationships" in second
    before = _counts(bolt_server), _checksum(bolt_server)
    third = _sync(bolt_server, sample_graph)
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 0 relationships" in third
    assert (_counts(bolt_server), _checksum(bolt_server)) == before


def test_node_and_edge_properties_match_the_graph(bolt_server, sample_graph, loaded):
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    (node,) = _read(bolt_server, f"MATCH (n:Department {{key: '{dept}'}}) RETURN properties(n) AS p")
    attrs = sample_graph.nodes[dept]
    assert node["p"] == {**{k: v for k, v in attrs.items() if v is not None}, "key": dept}
    task = next(v for _, v, k in sample_graph.out_edges(dept, keys=True) if k == "LEADS")
    (edge,) = _read(
        bolt_server,
        f"MATCH (:Department {{key: '{dept}'}})-[r:LEADS]->(:Task {{key: '{task}'}}) RETURN properties(r) AS p",
    )
    attrs = sample_graph.edges[dept, task, "LEADS"]
    assert edge["p"] == {k: v for k, v in attrs.items() if v is not None}
    assert isinstance(edge["p"]["span"], list)


def test_uniqueness_constraints_exist(bolt_server, loaded):
    rows = _read(bolt_server, "SHOW CONSTRAINTS")
    labels = {label for r in rows if r["type"] == "UNIQUENESS" for label in r["labelsOrTypes"]}
    assert labels >= {k.value for k in NodeKind}


def test_sync_deletes_what_the_graph_no_longer_has(bolt_server):
    db = bolt_server.scratch_database
    g = tiny_graph()
    _sync(bolt_server, g, db)
    gone = next(n for n, k in g.nodes(data="kind") if k == NodeKind.TASK)
    degree = g.degree(gone)
    smaller = g.copy()
    smaller.remove_node(gone)
    summary = _sync(bolt_server, smaller, db)
    assert f"deleted 1 nodes, {degree} relationships" in summary
    assert _counts(bolt_server, db) == _nx_counts(smaller)
    assert _read(bolt_server, f"MATCH (n {{key: '{gone}'}}) RETURN n.key AS k", db) == []
    u, v, etype = next((u, v, k) for u, v, k in smaller.edges(keys=True) if k == "MEMBER_OF")
    smaller.remove_edge(u, v, etype)
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 1 relationships" in _sync(
        bolt_server, smaller, db
    )
    assert _counts(bolt_server, db) == _nx_counts(smaller)
    assert "created 1 nodes" in _sync(bolt_server, g, db)
    assert _counts(bolt_server, db) == _nx_counts(g)


def test_cli_neo4j_command_syncs_the_stored_graph(bolt_server, tmp_path):
    from typer.testing import CliRunner

    from api.cli import app
    from graph.build import build_graph
    from tests.docmaker import made_documents
    from tests.support import stored

    g = build_graph(made_documents())
    stored(made_documents(), tmp_path)
    args = ["neo4j", "--uri", bolt_server.uri, "--user", bolt_server.user, "--password", bolt_server.password]
    result = CliRunner().invoke(app, [*args, "--database", bolt_server.scratch_database, "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships" in result.output


# -- the cookbook ---------------------------------------------------------------------------------


def _params(graph: nx.MultiDiGraph) -> dict:
    held = Counter(
        a["report"] for _, _, k, a in graph.edges(keys=True, data=True) if k in RESPONSIBILITY_EDGES
    )
    reports = sorted(held, key=lambda r: (-held[r], r))  # the two reports with most responsibilities
    return {
        "dept": department_printed_as(graph, SEED_001, "区发改局"),
        "other": department_printed_as(graph, SEED_001, "区卫健局"),
        "limit": 10,
        "word": "生产总值",
        "before": reports[0],
        "after": reports[1],
    }


def test_co_owned_tasks_of_the_seed_001_development_bureau_cypher_networkx_sparql(sample_graph, bolt, sparql):
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    by_cypher = ask(bolt, "co_owned", dept=dept)
    assert len(by_cypher) >= 10
    assert by_cypher == co_owned_nx(sample_graph, dept)
    assert by_cypher == ask(sparql, "co_owned", dept=dept)


def test_cypher_answers_like_networkx(sample_graph, bolt):
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    shared = {r["unit"]: r["shared_tasks"] for r in ask(bolt, "collaborators", dept=dept)}
    assert shared == collaborators_nx(sample_graph, dept)
    assert [r["task"] for r in ask(bolt, "tasks_without_lead")] == tasks_without_lead_nx(sample_graph)
    assert [(r["unit"], r["lead_tasks"]) for r in ask(bolt, "top_leads", limit=8)] == top_leads_nx(
        sample_graph, 8
    )
    per_district = [(r["district"], r["tasks"]) for r in ask(bolt, "tasks_per_district")]
    assert per_district == tasks_per_district_nx(sample_graph)
    targets = [r["target"] for r in ask(bolt, "targets_by_indicator", word="生产总值")]
    assert targets == targets_nx(sample_graph, "生产总值")


def test_cypher_change_between_reports_counts_like_networkx(sample_graph, bolt):
    from queries.diff import report_change
    from queries.index import GraphIndex

    p = _params(sample_graph)
    change = report_change(GraphIndex(sample_graph), p["dept"], p["before"], p["after"])
    assert [u.id for u in change.lineage] == [p["dept"]]  # no renaming: counts are comparable
    rows = ask(bolt, "change_between_reports", before=p["before"], after=p["after"])
    (row,) = [r for r in rows if r["unit"] == p["dept"]]
    expected = (change.before.lead + change.before.assist, change.after.lead + change.after.assist)
    assert (row["before_tasks"], row["after_tasks"]) == expected
    assert row["change"] == expected[1] - expected[0] != 0


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_cookbook_query_runs_and_agrees_with_sparql(name, sample_graph, bolt, sparql):
    params = {p: v for p, v in _params(sample_graph).items() if p in QUESTIONS[name].params}
    by_cypher = ask(bolt, name, **params)
    assert by_cypher, f"{name} found nothing in the samples"
    assert by_cypher == ask(sparql, name, **params)
