"""Exports parse back, and the tools they are for open them: GEXF, GraphML (igraph), Cytoscape JSON (cytoscape.js), CSV."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from govkg.graph.build import build_graph
from govkg.graph.export import render, write_atomic
from govkg.graph.network import collaboration_network
from govkg.graph.schema import collective_key, department_key, report_key
from tests.docmaker import made_documents


@pytest.fixture(scope="module")
def made():
    return made_documents()


@pytest.fixture(scope="module")
def g(made):
    return build_graph(made)


def test_collaboration_network_counts_shared_tasks(g):
    net = collaboration_network(g)
    dev = department_key("下陆区", "发展和改革局")
    street = department_key("下陆区", "东街办")
    assert net.edges[dev, street]["weight"] == 2  # tasks 1 and 2, in different roles
    assert len(net.edges[dev, street]["tasks"]) == 2
    assert net.nodes[dev]["lead_count"] == 1 and net.nodes[dev]["assist_count"] == 1
    assert net.nodes[street]["lead_count"] == 1 and net.nodes[street]["assist_count"] == 1
    assert net.nodes[collective_key("下陆区", "各街办")]["kind"] == "Collective"
    assert all(g.nodes[n]["kind"] in ("Department", "Collective") for n in net)


def test_collaboration_network_filters(g, made):
    ezhou = collaboration_network(g, jurisdiction="鄂州市")
    assert {d["jurisdiction"] for _, d in ezhou.nodes(data=True)} >= {"鄂州市", "华容区"}
    assert not any(d["jurisdiction"] == "下陆区" for _, d in ezhou.nodes(data=True))
    only_2019 = collaboration_network(g, year=2019)
    assert set(only_2019) == {
        department_key("鄂州市", n) for n in ("生态环境局", "发展和改革委员会", "卫生健康委员会")
    }
    by_key = collaboration_network(g, report=report_key(made[2].metadata.sha256))
    by_source = collaboration_network(g, report="ezhou2019.txt")
    by_sha = collaboration_network(g, report=made[2].metadata.sha256)
    assert set(by_key) == set(by_source) == set(by_sha) == set(only_2019)
    assert collaboration_network(g, report="nothing.txt").number_of_nodes() == 0


def test_min_weight_drops_light_edges_and_lonely_units(g):
    heavy = collaboration_network(g, min_weight=2)
    assert heavy.number_of_edges() >= 1
    assert all(w >= 2 for _, _, w in heavy.edges(data="weight"))
    assert all(heavy.degree(n) > 0 for n in heavy)


def test_gexf_parses_back(g):
    back = nx.read_gexf(io.BytesIO(render(g, "gexf")))
    net = collaboration_network(g)
    assert back.number_of_nodes() == net.number_of_nodes()
    assert back.number_of_edges() == net.number_of_edges()
    node = department_key("下陆区", "东街办")
    assert back.nodes[node]["label"] == net.nodes[node]["label"]
    assert len(json.loads(back.edges[node, department_key("下陆区", "发展和改革局")]["tasks"])) == 2


def test_graphml_parses_back_with_lists_as_json(g):
    back = nx.read_graphml(io.BytesIO(render(g, "graphml")))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    node = department_key("下陆区", "东街办")
    assert set(json.loads(back.nodes[node]["aliases"])) == {"东街办(工业新区)", "东街办(旅游新区)"}


def test_cytoscape_elements(g):
    data = json.loads(render(g, "cytoscape"))["elements"]
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in data["edges"])
    assert len({e["data"]["id"] for e in data["edges"]}) == len(data["edges"])


def test_csv_edge_list(g):
    rows = list(csv.DictReader(io.StringIO(render(g, "csv").decode("utf-8"))))
    net = collaboration_network(g)
    assert len(rows) == net.number_of_edges()
    weights = [int(r["weight"]) for r in rows]
    assert weights == sorted(weights, reverse=True)
    for r in rows:
        assert net.edges[r["source"], r["target"]]["weight"] == int(r["weight"])
        assert r["source_label"] == net.nodes[r["source"]]["label"]


def test_unknown_format(g):
    with pytest.raises(ValueError, match="unknown export format"):
        render(g, "dot")


def test_empty_graph_exports():
    empty = nx.MultiDiGraph()
    for fmt in ("gexf", "graphml", "cytoscape", "csv"):
        assert render(empty, fmt)


def test_write_atomic_writes_export(g, tmp_path):
    out = tmp_path / "x.gexf"
    write_atomic(out, render(g, "gexf"))
    assert nx.read_gexf(out).number_of_nodes() > 0


def test_cli_build_then_export_end_to_end(tmp_path, sample_documents):
    from typer.testing import CliRunner

    from govkg.api.cli import app
    from tests.conftest import SAMPLES

    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(app, ["build", str(SAMPLES), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["build", str(SAMPLES), "--data-dir", str(data)])
    assert again.exit_code == 0 and "0 added, 14 unchanged" in again.output  # a second build changes nothing
    out = tmp_path / "x.gexf"
    result = runner.invoke(app, ["export", "-f", "gexf", "-o", str(out), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    net = nx.read_gexf(out)
    assert net.number_of_nodes() == collaboration_network(build_graph(sample_documents)).number_of_nodes() > 0


# -- each export opened by the tool it is for ----------------------------------------------------


def test_python_igraph_reads_the_graphml(sample_graph, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = tmp_path / "govkg.graphml"
    path.write_bytes(render(sample_graph, "graphml"))
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount()) == (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    assert ig.is_directed()
    index = {v["id"]: v for v in ig.vs}
    assert set(index) == set(sample_graph)
    section = next(n for n, k in sample_graph.nodes(data="kind") if k == "Section")
    jurisdiction = next(n for n, k in sample_graph.nodes(data="kind") if k == "Jurisdiction")
    assert index[section]["level"] == str(sample_graph.nodes[section]["level"])  # int and str share "level"
    assert index[jurisdiction]["level"] == sample_graph.nodes[jurisdiction]["level"]
    u, v, k = next(iter(sample_graph.edges(keys=True)))
    e = ig.es[ig.get_eid(index[u].index, index[v].index)]
    assert e["type"] == k


def test_graphml_edge_ids_are_unique(sample_graph):
    from xml.etree import ElementTree

    root = ElementTree.fromstring(render(sample_graph, "graphml"))
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == sample_graph.number_of_edges() == len(set(ids))
    keys = [(k.get("for"), k.get("attr.name")) for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(keys) == len(set(keys))  # one type per attribute name


def test_cytoscape_js_loads_every_element_with_cy_json(sample_graph, tmp_path):
    import shutil
    import subprocess

    from tests.conftest import REPO

    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "cytoscape").is_dir():
        from tests.support import missing_service

        missing_service("node and the npm package cytoscape (npm ci) are needed")
    path = tmp_path / "govkg.cyjs"
    path.write_bytes(render(sample_graph, "cytoscape"))
    dept = department_key("下陆区", "发展和改革局")
    u, v, k = next((u, v, k) for u, v, k in sample_graph.out_edges(dept, keys=True) if k == "LEADS")
    edge_id = f"{u}|{k}|{v}"
    done = subprocess.run(
        [node, str(REPO / "tests" / "cytoscape_load.js"), str(path), dept, edge_id],
        capture_output=True, text=True, timeout=60, check=True, cwd=REPO,
    )  # fmt: skip
    seen = json.loads(done.stdout)
    assert (seen["nodes"], seen["edges"]) == (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    assert seen["node"]["label"] == sample_graph.nodes[dept]["label"]
    assert seen["node"]["aliases"] == sample_graph.nodes[dept]["aliases"]
    assert seen["edgeEnds"] == [u, v] and seen["edge"]["basis"] == sample_graph.edges[u, v, k]["basis"]
    assert seen["name"] == "govkg"


def test_gexf_has_gephi_positions_colours_sizes_and_communities(sample_graph):
    from xml.etree import ElementTree

    data = render(sample_graph, "gexf")
    root = ElementTree.fromstring(data)
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    nodes = root.findall(".//g:node", ns)
    net = collaboration_network(sample_graph)
    assert len(nodes) == net.number_of_nodes() > 0
    for n in nodes:
        pos, colour, size = (n.find(f"viz:{t}", ns) for t in ("position", "color", "size"))
        assert pos is not None and colour is not None and size is not None
        assert all(0 <= int(colour.get(c)) <= 255 for c in "rgb")
    back = nx.read_gexf(io.BytesIO(data))
    positions = {(d["viz"]["position"]["x"], d["viz"]["position"]["y"]) for _, d in back.nodes(data=True)}
    assert len(positions) == back.number_of_nodes()  # every node placed apart
    communities = {d["community"] for _, d in back.nodes(data=True)}
    assert len(communities) > 1
    by_community = {}
    for _, d in back.nodes(data=True):
        colour = tuple(d["viz"]["color"][c] for c in "rgb")
        if d["community"] < 10:
            by_community.setdefault(d["community"], set()).add(colour)
    assert all(len(c) == 1 for c in by_community.values())  # one colour per community
    assert len({next(iter(c)) for c in by_community.values()}) == len(by_community)


def test_cli_exports_neo4j_import_files(sample_graph, sample_documents, tmp_path):
    from typer.testing import CliRunner

    from govkg.api.cli import app
    from govkg.graph.neo4j_import import ARGS_FILE, ARRAY_DELIMITER
    from tests.support import stored

    stored(sample_documents, tmp_path)
    out = tmp_path / "import"
    result = CliRunner().invoke(app, ["export", "-f", "neo4j-import", "-o", str(out), "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    args = (out / ARGS_FILE).read_text(encoding="utf-8").splitlines()
    assert '"--nodes=Task=nodes_Task.csv"' in args and '"--relationships=LEADS=rels_LEADS.csv"' in args
    assert f'"--array-delimiter={ARRAY_DELIMITER}"' in args
    tasks = list(csv.reader(io.StringIO((out / "nodes_Task.csv").read_text(encoding="utf-8"))))
    assert len(tasks) - 1 == sum(1 for _, k in sample_graph.nodes(data="kind") if k == "Task")
    assert tasks[0][0] == "key:ID"
    leads = list(csv.reader(io.StringIO((out / "rels_LEADS.csv").read_text(encoding="utf-8"))))
    assert len(leads) - 1 == sum(1 for *_, k in sample_graph.edges(keys=True) if k == "LEADS")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    result = CliRunner().invoke(app, ["export", "-f", "neo4j-import", "-o", str(a_file), "-d", str(tmp_path)])
    assert result.exit_code == 1 and "is a folder" in str(result.exception)
