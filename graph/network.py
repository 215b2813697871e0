"""The department collaboration network: units linked by the tasks they share.

>>> from graph.build import build_graph
>>> collaboration_network(build_graph([])).number_of_nodes()
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from govkg.graph.ops import nodes_of
from govkg.graph.schema import UNIT_KINDS, EdgeType, NodeKind


def _report_keys(graph: nx.MultiDiGraph, report: str) -> set[str]:
    """Report nodes matching a report key, a sha256 (or its prefix) or a source file name."""
    return {
        n
        for n in nodes_of(graph, NodeKind.REPORT)
        if report in (n, graph.nodes[n].get("source"))
        or (len(report) >= 8 and str(graph.nodes[n].get("sha256", "")).startswith(report))
    }


def selected_tasks(
    graph: nx.MultiDiGraph,
    report: str | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
) -> list[str]:
    """Task keys of the given report (key, sha256 or source), year and jurisdiction, sorted."""
    reports = _report_keys(graph, report) if report is not None else None
    out = []
    for t in nodes_of(graph, NodeKind.TASK):
        d = graph.nodes[t]
        if reports is not None and d.get("report") not in reports:
            continue
        if year is not None and d.get("year") != year:
            continue
        if jurisdiction is not None and d.get("jurisdiction") != jurisdiction:
            continue
        out.append(t)
    return out


def collaboration_network(
    graph: nx.MultiDiGraph,
    report: str | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    min_weight: int = 1,
) -> nx.Graph:
    """Departments and collectives linked by the number of tasks they both hold, in any role.

    Nodes keep the graph's keys and carry ``kind``, ``label``, ``name``,
    ``jurisdiction``, ``lead_count``, ``assist_count`` and ``task_count`` (within
    the selection); edges carry ``weight`` and ``tasks`` (sorted task keys). With
    ``min_weight > 1``, lighter edges are dropped and so are the units left alone.
    """
    return tasks_network(graph, selected_tasks(graph, report, year, jurisdiction), min_weight)


def tasks_network(graph: nx.MultiDiGraph, tasks: Iterable[str], min_weight: int = 1) -> nx.Graph:
    """The collaboration network of the task keys ``tasks`` (sorted), as ``collaboration_network``."""
    unit_kinds = {k.value for k in UNIT_KINDS}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"lead": 0, "assist": 0, "task": 0})
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in tasks:
        roles: dict[str, set[str]] = defaultdict(set)
        for u, _, key in graph.in_edges(t, keys=True):
            if key in (EdgeType.LEADS, EdgeType.ASSISTS) and graph.nodes[u].get("kind") in unit_kinds:
                roles[u].add(key)
        for u, held in roles.items():
            counts[u]["task"] += 1
            counts[u]["lead"] += EdgeType.LEADS in held
            counts[u]["assist"] += EdgeType.ASSISTS in held
        for pair in combinations(sorted(roles), 2):
            shared[pair].append(t)
    net = nx.Graph()
    for u in sorted(counts):
        d = graph.nodes[u]
        net.add_node(
            u,
            kind=d["kind"],
            label=d.get("label", u),
            name=d.get("name"),
            jurisdiction=d.get("jurisdiction"),
            lead_count=counts[u]["lead"],
            assist_count=counts[u]["assist"],
            task_count=counts[u]["task"],
        )
    for (u, v), tasks in sorted(shared.items()):
        if len(tasks) >= min_weight:
            net.add_edge(u, v, weight=len(tasks), tasks=tasks)
    if min_weight > 1:
        net.remove_nodes_from([n for n in list(net) if net.degree(n) == 0])
    return net
