"""Exports of the graph: GEXF, GraphML, Cytoscape.js JSON and a CSV edge list.

- ``gexf``: the department collaboration network (``graph.network``), for Gephi;
- ``graphml``: the whole property graph;
- ``cytoscape``: the whole property graph as Cytoscape.js elements
  (``{"nodes": [{"data": …}], "edges": [{"data": …}]}``);
- ``csv``: the collaboration network's edges (source, target, weight, labels).

GEXF and GraphML cannot hold lists or None: lists become JSON strings, None is left out.

>>> import networkx as nx
>>> render(nx.MultiDiGraph(), "csv").decode().splitlines()[0]
'source,target,weight,source_label,target_label'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import networkx as nx

from graph.files import write_atomic
from graph.network import collaboration_network

__all__ = ["FORMATS", "render", "write_atomic"]


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes as GEXF/GraphML scalars: lists/dicts to JSON strings, None dropped."""
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        out[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, list | tuple | dict) else v
    return out


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` with every attribute a scalar (see ``_flat``)."""
    flat = graph.__class__()
    flat.add_nodes_from((n, _flat(d)) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():
        flat.add_edges_from((u, v, k, _flat(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        flat.add_edges_from((u, v, _flat(d)) for u, v, d in graph.edges(data=True))
    return flat


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(flatten(collaboration_network(graph)), buf)
    return buf.getvalue()


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(flatten(graph), buf, encoding="utf-8")
    return buf.getvalue()


def cytoscape_elements(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape.js elements: nodes with ``data.id``; edges with ``data.id/source/target``."""
    nodes = [{"data": {**d, "id": n}} for n, d in sorted(graph.nodes(data=True))]
    edges = [
        {"data": {**d, "id": f"{u}|{k}|{v}", "source": u, "target": v}}
        for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    ]
    return {"nodes": nodes, "edges": edges}


def _cytoscape(graph: nx.MultiDiGraph) -> bytes:
    return json.dumps(cytoscape_elements(graph), ensure_ascii=False, sort_keys=True).encode("utf-8")


def _csv(graph: nx.MultiDiGraph) -> bytes:
    net = collaboration_network(graph)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", "weight", "source_label", "target_label"])
    edges = sorted(net.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))
    for u, v, weight in edges:
        w.writerow([u, v, weight, net.nodes[u]["label"], net.nodes[v]["label"]])
    return buf.getvalue().encode("utf-8")


FORMATS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {
    "gexf": _gexf,
    "graphml": _graphml,
    "cytoscape": _cytoscape,
    "csv": _csv,
}


def render(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """``graph`` exported as ``fmt`` (one of ``FORMATS``), as bytes ready to write."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return FORMATS[fmt](graph)
