"""Question 4: the department collaboration network with its measures and fixed layout.

Nodes are departments and collectives, edge weight the number of tasks both hold
(``govkg.graph.network.collaboration_network``), filtered by report, year, jurisdiction
and minimum weight. Each node has degree, weighted degree, betweenness, a Louvain
community (fixed seed) and its position in the index's one layout of the
unfiltered network, or with a jurisdiction in the layout of that jurisdiction's
network (other filters never re-run the layout; a jurisdiction's drawing does not
move when documents of another are added).

>>> from graph.build import build_graph
>>> from queries.index import GraphIndex
>>> network_view(GraphIndex(build_graph([]))).nodes
()
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

import networkx as nx

from govkg.graph.network import collaboration_network
from govkg.queries.index import GraphIndex

COMMUNITY_SEED = 42
EXACT_BETWEENNESS_NODES = 500  # above this, betweenness is estimated from a seeded sample
BETWEENNESS_SAMPLE = 200  # pivots of the estimate


@dataclass(frozen=True, slots=True)
class NetworkNode:
    id: str
    label: str
    kind: str
    jurisdiction: str | None
    lead_count: int
    assist_count: int
    degree: int
    weighted_degree: int
    betweenness: float
    community: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class NetworkLink:
    source: str
    target: str
    weight: int


@dataclass(frozen=True, slots=True)
class NetworkView:
    nodes: tuple[NetworkNode, ...]
    links: tuple[NetworkLink, ...]


def view_dict(view: NetworkView) -> dict[str, list[dict[str, Any]]]:
    """The view as plain data, equal to ``dataclasses.asdict`` (without its deep copy of each
    value: the rows hold scalars only).

    >>> view_dict(NetworkView((), (NetworkLink("a", "b", 2),)))
    {'nodes': [], 'links': [{'source': 'a', 'target': 'b', 'weight': 2}]}
    """
    return {"nodes": _rows(view.nodes, NetworkNode), "links": _rows(view.links, NetworkLink)}


def _rows(items: tuple[Any, ...], kind: type) -> list[dict[str, Any]]:
    names = tuple(f.name for f in fields(kind))
    values = attrgetter(*names)
    return [dict(zip(names, values(item), strict=True)) for item in items]


def communities(net: nx.Graph) -> dict[str, int]:
    """Node -> community number (Louvain, fixed seed); 0 is the largest community."""
    if net.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(net))}
    parts = nx.community.louvain_communities(net, weight="weight", seed=COMMUNITY_SEED)
    parts = sorted(parts, key=lambda p: (-len(p), min(p)))
    return {n: i for i, part in enumerate(parts) for n in part}


def betweenness(net: nx.Graph) -> dict[str, float]:
    """Betweenness centrality (unweighted, normalised as networkx does): exact, by igraph's C code,
    up to ``EXACT_BETWEENNESS_NODES`` nodes; estimated by networkx from a seeded sample beyond.

    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    n = net.number_of_nodes()
    if n > EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(net, k=BETWEENNESS_SAMPLE, seed=COMMUNITY_SEED)
    if n <= 2:
        return dict.fromkeys(net, 0.0)
    import igraph  # 0.4 s to import: not at start-up, which reads these views from the store

    nodes = list(net)
    at = {v: i for i, v in enumerate(nodes)}
    counts = igraph.Graph(n=n, edges=[(at[u], at[v]) for u, v in net.edges()]).betweenness(directed=False)
    scale = 2 / ((n - 1) * (n - 2))  # each pair of other nodes once, out of (n - 1)(n - 2) / 2
    return {v: c * scale for v, c in zip(nodes, counts, strict=True)}


def network_view(
    index: GraphIndex,
    report: str | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    min_weight: int = 1,
) -> NetworkView:
    """The filtered collaboration network with measures and the cached layout (memoised per filter)."""
    key = index.report_key(report)
    return index.memo(
        ("network_view", key, year, jurisdiction, min_weight),
        lambda: _view(index, key, year, jurisdiction, min_weight),
    )


def _view(
    index: GraphIndex, key: str | None, year: int | None, jurisdiction: str | None, min_weight: int
) -> NetworkView:
    if (key, year, min_weight) != (None, None, 1):
        net = collaboration_network(index.graph, key, year, jurisdiction, min_weight)
    else:
        net = index.network if jurisdiction is None else index.jurisdiction_network(jurisdiction)
    return view_of(net, index.layout if jurisdiction is None else index.jurisdiction_layout(jurisdiction))


def view_of(net: nx.Graph, layout: dict[str, tuple[float, float]]) -> NetworkView:
    """The view of a collaboration network: its measures, positions from ``layout``, sorted rows."""
    between = betweenness(net)
    groups = communities(net)
    nodes = tuple(
        NetworkNode(
            id=n,
            label=str(d.get("label") or n),
            kind=str(d.get("kind")),
            jurisdiction=d.get("jurisdiction"),
            lead_count=int(d.get("lead_count", 0)),
            assist_count=int(d.get("assist_count", 0)),
            degree=int(net.degree(n)),
            weighted_degree=int(net.degree(n, weight="weight")),
            betweenness=round(float(between.get(n, 0.0)), 6),
            community=groups[n],
            x=layout.get(n, (0.0, 0.0))[0],
            y=layout.get(n, (0.0, 0.0))[1],
        )
        for n, d in sorted(net.nodes(data=True))
    )
    links = tuple(
        NetworkLink(u, v, int(w)) if u < v else NetworkLink(v, u, int(w))
        for u, v, w in net.edges(data="weight")
    )
    return NetworkView(nodes, tuple(sorted(links, key=lambda link: (link.source, link.target))))
