"""Small idempotent graph operations shared by the builders.

>>> g = nx.MultiDiGraph()
>>> add_edge(g, "a", "b", EdgeType.LEADS, basis="explicit")
>>> add_edge(g, "a", "b", EdgeType.LEADS, basis="first_listed")  # the first one is kept
>>> g.edges["a", "b", "LEADS"]["basis"]
'explicit'
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from govkg.graph.schema import EdgeType, NodeKind


def add_node(g: nx.MultiDiGraph, key: str, kind: NodeKind, label: str, **attrs: Any) -> str:
    """Add a node unless it exists (an existing node keeps its attributes); return ``key``."""
    if key not in g:
        g.add_node(key, kind=kind.value, label=label, **attrs)
    return key


def add_edge(g: nx.MultiDiGraph, u: str, v: str, etype: EdgeType, **attrs: Any) -> None:
    """Add the ``etype`` edge ``u -> v`` keyed by the type, unless it exists."""
    if not g.has_edge(u, v, key=etype.value):
        g.add_edge(u, v, key=etype.value, type=etype.value, **attrs)


def nodes_of(g: nx.MultiDiGraph, *kinds: NodeKind) -> list[str]:
    """Keys of the nodes of the given kinds, sorted."""
    wanted = {k.value for k in kinds}
    return sorted(n for n, kind in g.nodes(data="kind") if kind in wanted)
