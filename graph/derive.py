"""Graph-wide facts recomputed after documents are added.

These depend on everything the graph knows, not on one document, so they are
recomputed over the whole graph (cheap: linear in units and tasks):

- a unit's ``label`` (its most common printed form) and ``aliases`` (all printed forms),
  from the ``name``/``printed`` provenance of its LEADS/ASSISTS edges;
- Department MEMBER_OF Collective, where a collective's members can be told by name
  (各街办 -> 东街办, 各区(市)政府 -> 贵溪市政府);
- Department SUCCEEDED_BY Department for reform renamings within one jurisdiction;
- Task CONCERNS District for known districts named in the task text.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from govkg.graph.ops import add_edge, nodes_of
from govkg.graph.resolve import GOVERNMENT, collective_tails, is_member, successor
from govkg.graph.schema import RESPONSIBILITY_EDGES, UNIT_KINDS, EdgeType, NodeKind, unplaced_scope


def refresh(g: nx.MultiDiGraph) -> None:
    """Recompute labels, aliases, MEMBER_OF, SUCCEEDED_BY and text CONCERNS in place."""
    relabel_units(g)
    link_members(g)
    link_successors(g)
    link_text_districts(g)


def most_common(names: Counter[str]) -> str:
    """The most frequent name; ties go to the shorter, then the smaller one."""
    return min(names, key=lambda n: (-names[n], len(n), n))


def relabel_units(g: nx.MultiDiGraph) -> None:
    """Set each unit's label and aliases from the printed forms on its responsibility edges."""
    responsibility = {e.value for e in RESPONSIBILITY_EDGES}
    for n in nodes_of(g, *UNIT_KINDS):
        names: Counter[str] = Counter()
        printed: set[str] = set()
        for _, _, key, d in g.out_edges(n, keys=True, data=True):
            if key in responsibility:
                names[d.get("name") or d.get("printed")] += 1
                printed.add(d.get("printed") or d.get("name"))
        if names:
            g.nodes[n]["label"] = most_common(names)
            g.nodes[n]["aliases"] = sorted(set(names) | printed)


def _home(g: nx.MultiDiGraph, node: str) -> str:
    """A unit's or district's jurisdiction, or if it is unplaced the scope in its key (one per document)."""
    jurisdiction = g.nodes[node]["jurisdiction"]
    return jurisdiction if jurisdiction is not None else node.split(":", 2)[1]


def _districts_by_home(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for n in nodes_of(g, NodeKind.DISTRICT):
        out[_home(g, n)].append(n)
    return out


def link_members(g: nx.MultiDiGraph) -> None:
    """Department MEMBER_OF Collective for the collective's jurisdiction and its districts.

    The jurisdiction's own government is never a member of its collectives. Units and
    districts of a document whose jurisdiction is unknown are matched within that document
    only (their key scope, ``govkg.graph.schema.unplaced_scope``), never across such documents.
    """
    districts = _districts_by_home(g)
    departments: dict[str, list[str]] = defaultdict(list)
    for n in nodes_of(g, NodeKind.DEPARTMENT):
        departments[_home(g, n)].append(n)
    known: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}
    for c in nodes_of(g, NodeKind.COLLECTIVE):
        data = g.nodes[c]
        tails = tuple(
            dict.fromkeys(t for a in data["aliases"] or [data["name"]] for t in collective_tails(a))
        )
        if not tails:
            continue
        home = _home(g, c)
        places = [home] + [g.nodes[d]["name"] for d in districts.get(home, [])]
        for place in places:
            for dept in departments.get(place, []):
                member = g.nodes[dept]
                if place == home and member["name"] == GOVERNMENT:
                    continue
                names = tuple(member["aliases"] or [member["name"]])
                if (tails, names) not in known:  # the same names recur in every jurisdiction
                    known[tails, names] = is_member(tails, names)
                if known[tails, names]:
                    add_edge(g, dept, c, EdgeType.MEMBER_OF)


def link_successors(g: nx.MultiDiGraph) -> None:
    """Department SUCCEEDED_BY the nearest successor that exists in the same jurisdiction (for an
    unplaced department: in its document).

    Renaming chains skip absent steps: 卫生局 -> (卫计委) -> 卫健委.
    """
    index = {(_home(g, n), g.nodes[n]["name"]): n for n in nodes_of(g, NodeKind.DEPARTMENT)}
    for (home, name), node in sorted(index.items(), key=lambda kv: kv[1]):
        seen = {name}
        nxt = successor(name)
        while nxt and nxt not in seen:
            if (home, nxt) in index:
                add_edge(g, node, index[(home, nxt)], EdgeType.SUCCEEDED_BY)
                break
            seen.add(nxt)
            nxt = successor(nxt)


def _task_home(g: nx.MultiDiGraph, task: str) -> str:
    """A task's jurisdiction, or if its document's is unknown that document's unplaced-unit scope
    (``task:<sha16>:<id>`` -> ``?<sha8>``)."""
    jurisdiction = g.nodes[task].get("jurisdiction")
    return jurisdiction if jurisdiction is not None else unplaced_scope(task.split(":", 2)[1])


def link_text_districts(g: nx.MultiDiGraph) -> None:
    """Task CONCERNS District when the task text names a known district of its jurisdiction.

    For a task of a document whose jurisdiction is unknown: the districts of that document.
    """
    districts = _districts_by_home(g)
    for t in nodes_of(g, NodeKind.TASK):
        text = g.nodes[t].get("text") or ""
        for d in districts.get(_task_home(g, t), []):
            if g.nodes[d]["name"] in text:
                add_edge(g, t, d, EdgeType.CONCERNS, basis="text")
