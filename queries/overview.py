"""Questions 7 and 8: tasks with no lead, the busiest leads, tasks per district, targets.

>>> from graph.build import build_graph
>>> from queries.index import GraphIndex
>>> tasks_without_lead(GraphIndex(build_graph([])))
[]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from govkg.graph.ops import nodes_of
from govkg.graph.schema import EdgeType, NodeKind
from govkg.queries.index import GraphIndex
from govkg.queries.results import TaskInfo, UnitRef


def tasks_without_lead(
    index: GraphIndex, report: str | None = None, year: int | None = None
) -> list[TaskInfo]:
    """Question 7a: tasks no unit leads (no holder at all, or only assisting ones)."""
    return [t for t in index.select(index.tasks.values(), report=report, year=year) if not t.leads]


@dataclass(frozen=True, slots=True)
class LeadCount:
    unit: UnitRef
    lead: int
    assist: int


def top_leads(
    index: GraphIndex, limit: int = 10, report: str | None = None, year: int | None = None
) -> list[LeadCount]:
    """Question 7b: the units that lead the most tasks (ties by assist count, then key)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for t in index.select(index.tasks.values(), report=report, year=year):
        for h in t.per_unit:
            counts[h.unit][h.role] += 1
    rows = [LeadCount(index.units[u], c["lead"], c["assist"]) for u, c in counts.items() if c["lead"]]
    rows.sort(key=lambda r: (-r.lead, -r.assist, r.unit.id))
    return rows[:limit]


@dataclass(frozen=True, slots=True)
class DistrictCount:
    id: str
    name: str
    jurisdiction: str | None
    tasks: int
    by_unit: int  # tasks tied to it through a responsible unit (its government, office …)
    by_text: int  # tasks whose text names it


def tasks_per_district(
    index: GraphIndex, report: str | None = None, year: int | None = None
) -> list[DistrictCount]:
    """Question 7c: for each district, the tasks that concern it, most first."""
    g = index.graph
    wanted = {t.id for t in index.select(index.tasks.values(), report=report, year=year)}
    rows = []
    for n in nodes_of(g, NodeKind.DISTRICT):
        bases: dict[str, set[str]] = defaultdict(set)
        for t, _, k, basis in g.in_edges(n, keys=True, data="basis"):
            if k == EdgeType.CONCERNS.value and t in wanted:
                bases[t].add(str(basis))
        if bases:
            d = g.nodes[n]
            rows.append(
                DistrictCount(
                    id=n,
                    name=str(d.get("name") or d.get("label")),
                    jurisdiction=d.get("jurisdiction"),
                    tasks=len(bases),
                    by_unit=sum("unit" in b for b in bases.values()),
                    by_text=sum("text" in b for b in bases.values()),
                )
            )
    return sorted(rows, key=lambda r: (-r.tasks, r.id))


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A quantitative target with its report and (if stated in one) its task."""

    id: str
    text: str
    indicator: str
    measure: str
    value: float
    unit: str
    comparator: str
    period: str | None
    report: str
    year: int | None
    task: str | None


def targets(
    index: GraphIndex, indicator: str | None = None, report: str | None = None, year: int | None = None
) -> list[TargetRow]:
    """Question 8: targets whose indicator contains ``indicator`` (e.g. ``生产总值``)."""
    key = index.report_key(report)
    rows = []
    for n in nodes_of(index.graph, NodeKind.TARGET):
        d = index.graph.nodes[n]
        ind = str(d.get("indicator") or "")
        rep = str(d.get("report") or "")
        rep_year = index.reports.get(rep, {}).get("year")
        if indicator is not None and indicator not in ind:
            continue
        if (key is not None and rep != key) or (year is not None and rep_year != year):
            continue
        rows.append(
            TargetRow(
                id=n,
                text=str(d.get("text") or ""),
                indicator=ind,
                measure=str(d.get("measure") or ""),
                value=float(d.get("value") or 0.0),
                unit=str(d.get("unit") or ""),
                comparator=str(d.get("comparator") or ""),
                period=d.get("period"),
                report=rep,
                year=rep_year,
                task=d.get("task"),
            )
        )
    return rows
