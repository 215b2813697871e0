"""Exports of the graph: GEXF, GraphML, Cytoscape.js JSON and a CSV edge list.

- ``gexf``: the department collaboration network (``govkg.graph.network``), for Gephi, with
  positions (``govkg.graph.layout``), colour and size as viz attributes and a Louvain
  ``community`` per node;
- ``graphml``: the whole property graph, one type per attribute name and unique edge
  ids (python-igraph and Cytoscape read it);
- ``cytoscape``: the whole property graph in Cytoscape's JSON form
  (``{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}``), which
  Cytoscape.js ``cy.json()`` and Cytoscape Desktop import;
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

from govkg.graph.files import write_atomic
from govkg.graph.layout import packed_layout
from govkg.graph.network import collaboration_network

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


COMMUNITY_SEED = 42
GEXF_SCALE = 1000.0  # positions in [-1, 1] become [-1000, 1000], Gephi's usual range
# Colours of the ten largest communities (Tableau 10); the others are grey.
PALETTE = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))  # fmt: skip
OTHER_COLOUR = (170, 170, 170)


def network_communities(net: nx.Graph) -> dict[str, int]:
    """Node -> Louvain community number (fixed seed); 0 is the largest community."""
    if net.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(net))}
    parts = nx.community.louvain_communities(net, weight="weight", seed=COMMUNITY_SEED)
    parts = sorted(parts, key=lambda p: (-len(p), min(p)))
    return {n: i for i, part in enumerate(parts) for n in part}


def gexf_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """The flattened collaboration network with ``community`` and Gephi ``viz`` data on every node."""
    net = flatten(collaboration_network(graph))
    groups = network_communities(net)
    positions = packed_layout(net)
    for n, d in net.nodes(data=True):
        r, g, b = PALETTE[groups[n]] if groups[n] < len(PALETTE) else OTHER_COLOUR
        x, y = positions[n]
        d["community"] = groups[n]
        d["viz"] = {
            "position": {"x": round(x * GEXF_SCALE, 3), "y": round(y * GEXF_SCALE, 3), "z": 0.0},
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "size": 5.0 + 2.0 * d.get("lead_count", 0),
        }
    return net


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(gexf_network(graph), buf)
    return buf.getvalue()


def _one_type_per_name(items: list[dict[str, Any]]) -> None:
    """Give each attribute name one type, in place: ints mixed with floats become floats, other mixes str."""
    types: dict[str, set[type]] = {}
    for d in items:
        for k, v in d.items():
            types.setdefault(k, set()).add(type(v))
    for k, found in types.items():
        if len(found) > 1:
            convert = float if found <= {int, float} else str
            for d in items:
                if k in d:
                    d[k] = convert(d[k])


def graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The flattened graph with one type per attribute name and edge keys ``source|type|target``."""
    flat = nx.MultiDiGraph()
    nodes = [(n, _flat(d)) for n, d in graph.nodes(data=True)]
    edges = [(u, v, f"{u}|{k}|{v}", {"type": str(k), **_flat(d)}) for u, v, k, d in graph.edges(keys=True, data=True)]
    _one_type_per_name([d for _, d in nodes])
    _one_type_per_name([d for *_, d in edges])
    flat.add_nodes_from(nodes)
    flat.add_edges_from(edges)
    return flat


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(graph), buf, encoding="utf-8")
    return buf.getvalue()


def cytoscape_elements(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape.js elements: nodes with ``data.id``; edges with ``data.id/source/target``."""
    nodes = [{"data": {**d, "id": n}} for n, d in sorted(graph.nodes(data=True))]
    edges = [
        {"data": {**d, "id": f"{u}|{k}|{v}", "source": u, "target": v}}
        for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    ]
    return {"nodes": nodes, "edges": edges}


def cytoscape_document(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The Cytoscape JSON document: ``{"format_version", "generated_by", "data", "elements"}``."""
    return {
        "format_version": "1.0",
        "generated_by": "govkg",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": "govkg"},
        "elements": cytoscape_elements(graph),
    }


def _cytoscape(graph: nx.MultiDiGraph) -> bytes:
    return json.dumps(cytoscape_document(graph), ensure_ascii=False, sort_keys=True).encode("utf-8")


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
