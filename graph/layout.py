"""Positions for drawing the collaboration network.

Used by the page's server-side layout (``govkg.queries.index``) and by ``govkg draw``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

MAX_SPRING_NODES = 2000  # a spring layout of a larger component costs minutes (quadratic per step)


def packed_layout(network: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]: each connected component laid out on its own, then packed in rows.

    A plain spring layout flings disconnected components (e.g. separate jurisdictions) to the
    edges of the picture; packing keeps every component readable. Each component gets a square
    whose area is proportional to its number of nodes.

    >>> pos = packed_layout(nx.union(nx.path_graph(3), nx.path_graph([7, 8])))
    >>> sorted(pos) == [0, 1, 2, 7, 8] and all(-1 <= c <= 1 for p in pos.values() for c in p)
    True
    """
    parts = sorted(_parts(network), key=lambda c: (-len(c), min(map(str, c))))
    if not parts:
        return {}
    boxes = [_box(_ordered(network, part), seed) for part in parts]
    gap = 0.6
    width = max(boxes[0][0], (sum((b + gap) ** 2 for b, _ in boxes) * 4 / 3) ** 0.5)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for side, local in boxes:
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for v, (lx, ly) in local.items():
            pos[v] = (x + side / 2 + lx, y - side / 2 + ly)
        x += side + gap
        row_height = max(row_height, side)
    if len(pos) == 1:
        return {v: (0.0, 0.0) for v in pos}
    return {v: (float(px), float(py)) for v, (px, py) in nx.rescale_layout_dict(pos, scale=1).items()}


def _box(sub: nx.Graph, seed: int) -> tuple[float, dict]:
    """(side of its square, positions) of one component: a spring layout scaled to the square."""
    side = len(sub) ** 0.5
    if len(sub) == 1:
        return side, {next(iter(sub)): (0, 0)}
    return side, nx.rescale_layout_dict(nx.spring_layout(sub, weight="weight", seed=seed), scale=side / 2)


def _parts(network: nx.Graph) -> Iterator[set]:
    """The connected components; one larger than ``MAX_SPRING_NODES`` is split by the nodes'
    ``jurisdiction`` (and the connected pieces of each), which are laid out and packed on their own."""
    for part in nx.connected_components(network):
        if len(part) <= MAX_SPRING_NODES:
            yield part
            continue
        groups: dict[str, set] = defaultdict(set)
        for n in part:
            groups[str(network.nodes[n].get("jurisdiction"))].add(n)
        for group in groups.values():
            yield from nx.connected_components(network.subgraph(group))


def _ordered(network: nx.Graph, part: set) -> nx.Graph:
    """The subgraph of ``part``'s nodes with only edge weights, nodes in sorted order: the spring
    layout depends on node order, which must not depend on set iteration (string hashing differs
    between processes); it reads no other attribute. Built from the adjacency: a subgraph view
    filters every edge it yields."""
    nodes = sorted(part, key=str)
    out = nx.Graph()
    out.add_nodes_from(nodes)
    adj = network.adj
    out.add_weighted_edges_from((u, v, d.get("weight", 1)) for u in nodes for v, d in adj[u].items() if v in part)
    return out
