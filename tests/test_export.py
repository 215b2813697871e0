"""Exports parse back: GEXF, GraphML, Cytoscape.js JSON, CSV; the collaboration network."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from graph.build import build_graph
from graph.export import render, write_atomic
from graph.network import collaboration_network
from graph.schema import collective_key, department_key, report_key
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
    data = json.loads(render(g, "cytoscape"))
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

    from api.cli import app
    from tests.conftest import SAMPLES

    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(app, ["build", str(SAMPLES), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["build", str(SAMPLES), "--data-dir", str(data)])
    assert again.exit_code == 0 and "0 added, 6 unchanged" in again.output  # a second build changes nothing
    out = tmp_path / "x.gexf"
    result = runner.invoke(app, ["export", "-f", "gexf", "-o", str(out), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    net = nx.read_gexf(out)
    assert net.number_of_nodes() == collaboration_network(build_graph(sample_documents)).number_of_nodes() > 0
