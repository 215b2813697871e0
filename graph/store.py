"""The embedded store: the graph persisted atomically to one JSON file.

The file is networkx node-link JSON (``edges="links"``) with nodes and links
sorted, so the same graph always gives the same bytes, plus a ``govkg`` format
marker checked on load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.files import write_atomic

FORMAT = "govkg-graph"
VERSION = 1


class StoreError(ValueError):
    """A graph file that cannot be read or written; the message names the file."""


def dumps(graph: nx.MultiDiGraph) -> bytes:
    """The stored form of ``graph``: deterministic, UTF-8 node-link JSON."""
    data = nx.node_link_data(graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], str(e.get("key"))))
    data["govkg"] = {"format": FORMAT, "version": VERSION}
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def save_graph(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``graph`` to ``path`` atomically (temp file + rename).

    Raises ``StoreError`` if an attribute is not JSON-serialisable; the previous
    file, if any, is then untouched.
    """
    try:
        data = dumps(graph)
    except (TypeError, ValueError) as e:
        raise StoreError(f"{path}: cannot store the graph: {e}") from e
    write_atomic(path, data)


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by ``save_graph``; raises ``StoreError`` naming the file if invalid."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: no such graph file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StoreError(f"{path}: not a govkg graph file (invalid JSON: {e})") from None
    _validate(data, path)
    return _graph(data)


def _graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The graph of validated node-link data (what ``nx.node_link_graph`` does, faster)."""
    g = nx.MultiDiGraph(**data.get("graph", {}))
    g.add_nodes_from((n.pop("id"), n) for n in data["nodes"])
    g.add_edges_from((e.pop("source"), e.pop("target"), e.pop("key"), e) for e in data["links"])
    return g


def _validate(data: Any, path: Path) -> None:
    marker = data.get("govkg") if isinstance(data, dict) else None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT:
        raise StoreError(f"{path}: not a govkg graph file (no '{FORMAT}' format marker)")
    version = marker.get("version")
    if version != VERSION:
        raise StoreError(f"{path}: unsupported govkg graph version {version!r} (expected {VERSION})")
    if not (data.get("directed") and data.get("multigraph")):
        raise StoreError(f"{path}: corrupt govkg graph file (not a directed multigraph)")
    if not isinstance(data.get("nodes"), list) or not isinstance(data.get("links"), list):
        raise StoreError(f"{path}: corrupt govkg graph file (nodes/links are not lists)")
    for item in data["nodes"]:
        if not isinstance(item, dict) or "id" not in item or "kind" not in item:
            raise StoreError(f"{path}: corrupt govkg graph file (bad node {str(item)[:80]})")
    for item in data["links"]:
        if not isinstance(item, dict) or not {"source", "target", "key"} <= item.keys():
            raise StoreError(f"{path}: corrupt govkg graph file (bad link {str(item)[:80]})")
