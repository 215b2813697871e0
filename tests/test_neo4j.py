"""The Neo4j store (graph/neo4j_store.py), its import files and the Cypher cookbook, on a real Neo4j 5.

The server is Neo4j Community from Maven Central, started by ``scripts/neo4j.sh`` in the
session fixture ``neo4j_server`` (tests/bolt_server.py), after ``neo4j-admin database
import full`` loaded the samples' import files into its database.
"""

from __future__ import annotations

import re
from collections import Counter

import networkx as nx
import pytest
from neo4j import GraphDatabase

from govkg.graph.neo4j_import import import_tables
from govkg.graph.neo4j_store import Neo4jSyncError, property_value, schema_statements, sync
from govkg.graph.schema import EdgeType, NodeKind
from govkg.ontology.rdf import to_rdf
from govkg.queries.stores import QUESTIONS, BoltStore, SparqlStore, ask, normalise, query_text
from tests.bolt_server import snapshot
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


def _sync(server, graph: nx.MultiDiGraph) -> str:
    return sync(graph, server.uri, server.user, server.password, server.database)


def _read(server, cypher: str, **params) -> list[dict]:
    with GraphDatabase.driver(server.uri, auth=None) as driver:
        records, _, _ = driver.execute_query(cypher, params, database_=server.database)
    return [r.data() for r in records]


def _nx_counts(graph: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    return (
        dict(Counter(str(kind) for _, kind in graph.nodes(data="kind"))),
        dict(Counter(str(k) for _, _, k in graph.edges(keys=True))),
    )


@pytest.fixture(scope="module")
def loaded(neo4j_server, sample_graph) -> tuple[str, str]:
    """The samples' graph synced twice over the imported database: (first summary, second summary)."""
    return _sync(neo4j_server, sample_graph), _sync(neo4j_server, sample_graph)


@pytest.fixture
def scratch(neo4j_server, sample_graph):
    """The server, for a test that loads something else; the samples are synced back afterwards."""
    yield neo4j_server
    _sync(neo4j_server, sample_graph)


@pytest.fixture(scope="module")
def bolt(neo4j_server, loaded):
    with BoltStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, neo4j_server.database) as store:
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


def test_import_files_have_typed_headers_one_file_per_label_and_type(sample_graph):
    tables = import_tables(sample_graph)
    assert {n for n in tables if n.startswith("nodes_")} == {f"nodes_{k}.csv" for k in NodeKind}
    assert {n for n in tables if n.startswith("rels_")} == {f"rels_{t}.csv" for t in EdgeType}
    header = tables["nodes_Task.csv"].decode().split("\n", 1)[0].split(",")
    assert header[0] == "key:ID" and "year:long" in header and "span:long[]" in header
    assert tables["rels_LEADS.csv"].decode().startswith(":START_ID,:END_ID,")


# -- against Neo4j --------------------------------------------------------------------------------


def test_the_server_is_neo4j_5_community(neo4j_server):
    (row,) = _read(neo4j_server, "CALL dbms.components() YIELD name, versions, edition RETURN *")
    print(f"\ndbms.components(): {row}")  # the closing note quotes this
    assert row["name"] == "Neo4j Kernel" and row["edition"] == "community"
    assert row["versions"][0].startswith("5.26.") and neo4j_server.version == row["versions"][0]


def test_neo4j_admin_import_loads_what_sync_would_write(neo4j_server, sample_graph, loaded):
    labels, types, checksum = neo4j_server.imported
    assert (labels, types) == _nx_counts(sample_graph)
    first, _ = loaded  # sync over the imported database: nothing to create or delete
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 0 relationships" in first
    assert snapshot(neo4j_server.uri)[2] == checksum  # and it set every property to the same value


def test_sync_loads_every_node_and_edge_into_an_empty_database(scratch, sample_graph):
    _read(scratch, "MATCH (n) DETACH DELETE n")
    summary = _sync(scratch, sample_graph)
    n, m = sample_graph.number_of_nodes(), sample_graph.number_of_edges()
    assert summary == f"{n} nodes, {m} relationships (created {n} nodes, {m} relationships; deleted 0 nodes, 0 relationships)"
    labels, types, checksum = snapshot(scratch.uri)
    assert (labels, types) == _nx_counts(sample_graph)
    assert checksum == scratch.imported[2]


def test_second_sync_changes_nothing(neo4j_server, sample_graph, loaded):
    _, second = loaded
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 0 relationships" in second
    before = snapshot(neo4j_server.uri)
    third = _sync(neo4j_server, sample_graph)
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 0 relationships" in third
    assert snapshot(neo4j_server.uri) == before


def test_node_and_edge_properties_match_the_graph(neo4j_server, sample_graph, loaded):
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    (node,) = _read(neo4j_server, "MATCH (n:Department {key: $k}) RETURN properties(n) AS p", k=dept)
    attrs = sample_graph.nodes[dept]
    assert node["p"] == {**{k: v for k, v in attrs.items() if v is not None}, "key": dept}
    task = next(v for _, v, k in sample_graph.out_edges(dept, keys=True) if k == "LEADS")
    (edge,) = _read(
        neo4j_server,
        "MATCH (:Department {key: $d})-[r:LEADS]->(:Task {key: $t}) RETURN properties(r) AS p",
        d=dept,
        t=task,
    )
    attrs = sample_graph.edges[dept, task, "LEADS"]
    assert edge["p"] == {k: v for k, v in attrs.items() if v is not None}
    assert isinstance(edge["p"]["span"], list)


def test_constraints_and_indexes_exist_with_neo4j_names(neo4j_server, loaded):
    constraints = {r["name"]: r for r in _read(neo4j_server, "SHOW CONSTRAINTS")}
    for kind in NodeKind:
        c = constraints[f"{kind.lower()}_key"]
        assert c["type"] == "UNIQUENESS" and c["labelsOrTypes"] == [kind.value] and c["properties"] == ["key"]
    indexes = {r["name"]: r for r in _read(neo4j_server, "SHOW INDEXES")}
    assert indexes["department_name"]["labelsOrTypes"] == ["Department"]
    assert indexes["department_name"]["properties"] == ["name"]
    assert indexes["department_name"]["state"] == "ONLINE"
    assert indexes["task_key"]["owningConstraint"] == "task_key"  # the constraint's own index


def test_sync_deletes_what_the_graph_no_longer_has(scratch):
    g = tiny_graph()
    _sync(scratch, g)
    assert snapshot(scratch.uri)[:2] == _nx_counts(g)
    gone = next(n for n, k in g.nodes(data="kind") if k == NodeKind.TASK)
    degree = g.degree(gone)
    smaller = g.copy()
    smaller.remove_node(gone)
    summary = _sync(scratch, smaller)
    assert f"deleted 1 nodes, {degree} relationships" in summary
    assert snapshot(scratch.uri)[:2] == _nx_counts(smaller)
    assert _read(scratch, "MATCH (n {key: $k}) RETURN n.key AS k", k=gone) == []
    u, v, etype = next((u, v, k) for u, v, k in smaller.edges(keys=True) if k == "MEMBER_OF")
    smaller.remove_edge(u, v, etype)
    assert "created 0 nodes, 0 relationships; deleted 0 nodes, 1 relationships" in _sync(scratch, smaller)
    assert snapshot(scratch.uri)[:2] == _nx_counts(smaller)
    assert "created 1 nodes" in _sync(scratch, g)
    assert snapshot(scratch.uri)[:2] == _nx_counts(g)


def test_sync_in_small_chunks_writes_the_same_database(scratch, sample_graph):
    _read(scratch, "MATCH (n) DETACH DELETE n")
    sync(sample_graph, scratch.uri, scratch.user, scratch.password, scratch.database, batch_size=7)
    assert snapshot(scratch.uri)[2] == scratch.imported[2]


def test_cli_neo4j_command_syncs_the_stored_graph(scratch, tmp_path):
    from typer.testing import CliRunner

    from govkg.api.cli import app
    from govkg.graph.build import build_graph
    from tests.docmaker import made_documents
    from tests.support import stored

    g = build_graph(made_documents())
    stored(made_documents(), tmp_path)
    args = ["neo4j", "--uri", scratch.uri, "-d", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships" in result.output
    assert snapshot(scratch.uri)[:2] == _nx_counts(g)


# -- the cookbook, run as the README tells a user --------------------------------------------------

_PARAM = re.compile(r"^// :param (\w+) => (.+)$", re.MULTILINE)


def cookbook_params(server, name: str) -> dict:
    """The file's ``// :param name => value`` lines, each value evaluated by Neo4j as Browser does."""
    return {
        key: _read(server, f"RETURN {expr} AS value")[0]["value"]
        for key, expr in _PARAM.findall(query_text(name, "cypher"))
    }


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_cookbook_file_runs_as_pasted_and_agrees_with_sparql(name, neo4j_server, loaded, sparql):
    params = cookbook_params(neo4j_server, name)
    assert set(params) == set(QUESTIONS[name].params)
    rows = normalise(_read(neo4j_server, query_text(name, "cypher"), **params))
    assert rows, f"queries/cypher/{name}.cypher returns no rows with its own :param lines"
    assert rows == ask(sparql, name, **params)


def test_cookbook_parameters_name_the_seed_001_departments(neo4j_server, sample_graph):
    assert cookbook_params(neo4j_server, "co_owned")["dept"] == department_printed_as(sample_graph, SEED_001, "区发改局")
    assert cookbook_params(neo4j_server, "co_owned_pair")["other"] == department_printed_as(
        sample_graph, SEED_001, "区科信局"
    )


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


def test_cypher_change_between_reports_counts_like_networkx(neo4j_server, sample_graph, bolt):
    from govkg.queries.diff import report_change
    from govkg.queries.index import GraphIndex

    p = cookbook_params(neo4j_server, "change_between_reports")
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    change = report_change(GraphIndex(sample_graph), dept, p["before"], p["after"])
    assert [u.id for u in change.lineage] == [dept]  # no renaming: counts are comparable
    rows = ask(bolt, "change_between_reports", **p)
    (row,) = [r for r in rows if r["unit"] == dept]
    expected = (change.before.lead + change.before.assist, change.after.lead + change.after.assist)
    assert (row["before_tasks"], row["after_tasks"]) == expected
    assert row["change"] == expected[1] - expected[0] != 0
