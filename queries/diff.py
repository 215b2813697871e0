"""Question 9: what changed for one department between two reports.

Tasks are matched across the reports by the Jaccard similarity of their jieba
tokens (greedy, best pairs first, at least ``MATCH_THRESHOLD``); unmatched tasks of
the later report are gained, of the earlier one lost. A unit renamed in a reform
(SUCCEEDED_BY) counts as the same department on both sides.

>>> jaccard(frozenset("ab"), frozenset("bc"))
0.3333333333333333
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from govkg.graph.schema import EdgeType
from govkg.queries.departments import unit_tasks
from govkg.queries.index import GraphIndex
from govkg.queries.names import resolve_unit
from govkg.queries.results import RoleTask, UnitRef

MATCH_THRESHOLD = 0.3


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


@dataclass(frozen=True, slots=True)
class Load:
    lead: int
    assist: int


@dataclass(frozen=True, slots=True)
class MatchedTask:
    before: RoleTask
    after: RoleTask
    similarity: float


@dataclass(frozen=True, slots=True)
class ReportChange:
    """The department's tasks in ``before_report`` vs ``after_report``."""

    unit: UnitRef
    lineage: tuple[UnitRef, ...]  # the unit and its predecessors/successors by renaming
    before_report: str
    after_report: str
    gained: tuple[RoleTask, ...]
    lost: tuple[RoleTask, ...]
    kept: tuple[MatchedTask, ...]
    before: Load
    after: Load


def lineage(index: GraphIndex, unit: str) -> list[str]:
    """The unit and every unit linked to it by SUCCEEDED_BY chains, sorted."""
    succession = nx.DiGraph(
        (u, v) for u, v, k in index.graph.edges(keys=True) if k == EdgeType.SUCCEEDED_BY.value
    )
    if unit not in succession:
        return [unit]
    return sorted(nx.node_connected_component(succession.to_undirected(), unit))


def _load(rows: list[RoleTask]) -> Load:
    return Load(sum(r.role == "lead" for r in rows), sum(r.role == "assist" for r in rows))


def report_change(index: GraphIndex, department: str, before: str, after: str) -> ReportChange:
    """Question 9: tasks gained and lost and the lead/assist load, ``before`` -> ``after``.

    >>> report_change(index, "区发改局", "001_6ae365a741fde3ec.txt", "2021_xialu_sample.txt")  # doctest: +SKIP
    """
    unit = resolve_unit(index, department)
    units = lineage(index, unit.id)
    keys = index.report_key(before), index.report_key(after)
    old, new = ([rt for u in units for rt in unit_tasks(index, u, report=k)] for k in keys)
    tokens = index.task_tokens
    pairs = sorted(
        (
            (jaccard(tokens[a.task.id], tokens[b.task.id]), i, j)
            for i, a in enumerate(old)
            for j, b in enumerate(new)
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    kept = []
    for sim, i, j in pairs:
        if sim < MATCH_THRESHOLD:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            kept.append(MatchedTask(old[i], new[j], round(sim, 4)))
    return ReportChange(
        unit=unit,
        lineage=tuple(index.units[u] for u in units),
        before_report=str(keys[0]),
        after_report=str(keys[1]),
        gained=tuple(r for j, r in enumerate(new) if j not in used_new),
        lost=tuple(r for i, r in enumerate(old) if i not in used_old),
        kept=tuple(sorted(kept, key=lambda m: m.after.task.id)),
        before=_load(old),
        after=_load(new),
    )
