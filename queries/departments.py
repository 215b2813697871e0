"""Questions about one department: its tasks, co-owned tasks, collaborators and profile.

Departments are named as in ``govkg.queries.names.resolve_unit`` (key, label, alias, short form).

>>> from graph.build import build_graph
>>> from queries.index import GraphIndex
>>> tasks_of(GraphIndex(build_graph([])), "区发改局")
Traceback (most recent call last):
...
queries.names.UnknownName: unknown name '区发改局'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum

from govkg.graph.schema import EdgeType
from govkg.queries.index import GraphIndex, keywords
from govkg.queries.names import resolve_unit
from govkg.queries.results import Holder, RoleTask, TaskInfo, UnitRef

TOPICS = 10


class RoleFilter(StrEnum):
    ANY = "any"
    LEAD = "lead"
    ASSIST = "assist"


def unit_tasks(
    index: GraphIndex,
    unit: str,
    role: RoleFilter | str = RoleFilter.ANY,
    report: str | None = None,
    year: int | None = None,
) -> list[RoleTask]:
    """Tasks of the unit with key ``unit`` in ``role``, in report then task order."""
    role = RoleFilter(role)
    held = [rt for rt in index.unit_tasks.get(unit, ()) if role is RoleFilter.ANY or rt.role == role.value]
    wanted = {t.id for t in index.select((rt.task for rt in held), report=report, year=year)}
    return [rt for rt in held if rt.task.id in wanted]


def tasks_of(
    index: GraphIndex,
    department: str,
    role: RoleFilter | str = RoleFilter.ANY,
    report: str | None = None,
    year: int | None = None,
) -> list[RoleTask]:
    """Question 1: the tasks a department leads, assists or holds in any role.

    >>> [rt.task.number for rt in tasks_of(index, "区发改局", "lead", year=2020)][:3]  # doctest: +SKIP
    ['3', '25', '28']
    """
    return unit_tasks(index, resolve_unit(index, department).id, role, report, year)


@dataclass(frozen=True, slots=True)
class CoOwnedTask:
    """A task the department shares: its own role and the other holders."""

    task: TaskInfo
    role: str
    others: tuple[Holder, ...]


def co_owned(
    index: GraphIndex,
    department: str,
    other: str | None = None,
    report: str | None = None,
    year: int | None = None,
) -> list[CoOwnedTask]:
    """Question 2: tasks the department shares with at least one other unit (or with ``other``).

    Each row names the department's role and the other holders; ``task.leads`` says
    who leads it.

    >>> [c.task.number for c in co_owned(index, "区发改局", "区科信局")]  # doctest: +SKIP
    ['3', ...]
    """
    unit = resolve_unit(index, department).id
    partner = resolve_unit(index, other).id if other is not None else None
    out = []
    for rt in unit_tasks(index, unit, report=report, year=year):
        others = tuple(h for h in rt.task.holders if h.unit != unit)
        if others and (partner is None or any(h.unit == partner for h in others)):
            out.append(CoOwnedTask(rt.task, rt.role, others))
    return out


@dataclass(frozen=True, slots=True)
class Collaborator:
    """A unit sharing tasks with the department, split by who leads.

    ``department_leads``: shared tasks the department leads; ``partner_leads``: those
    the collaborator leads; ``neither_leads``: the rest (both assist, or a third unit leads).
    """

    unit: UnitRef
    shared: int
    department_leads: int
    partner_leads: int
    neither_leads: int


def collaborators(
    index: GraphIndex, department: str, report: str | None = None, year: int | None = None
) -> list[Collaborator]:
    """Question 3: the units sharing tasks with the department, most shared tasks first."""
    unit = resolve_unit(index, department).id
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rt in unit_tasks(index, unit, report=report, year=year):
        for h in rt.task.per_unit:
            if h.unit == unit:
                continue
            c = counts[h.unit]
            c["shared"] += 1
            if rt.role == "lead":
                c["department"] += 1
            elif h.role == "lead":
                c["partner"] += 1
            else:
                c["neither"] += 1
    rows = [
        Collaborator(index.units[u], c["shared"], c["department"], c["partner"], c["neither"])
        for u, c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.shared, -r.department_leads, r.unit.id))


@dataclass(frozen=True, slots=True)
class ReportLoad:
    """How many tasks a unit leads and assists in one report."""

    report: str
    title: str
    year: int | None
    lead: int
    assist: int


@dataclass(frozen=True, slots=True)
class Profile:
    """Question 5: who a unit is and what it does.

    ``predecessors`` / ``successors`` are the units it replaced or was replaced by
    in a reform renaming (SUCCEEDED_BY).
    """

    unit: UnitRef
    loads: tuple[ReportLoad, ...]
    topics: tuple[str, ...]
    predecessors: tuple[UnitRef, ...]
    successors: tuple[UnitRef, ...]

    @property
    def lead_count(self) -> int:
        return sum(r.lead for r in self.loads)

    @property
    def assist_count(self) -> int:
        return sum(r.assist for r in self.loads)


def profile(index: GraphIndex, department: str, topics: int = TOPICS) -> Profile:
    """Question 5: names, jurisdiction, lead/assist counts per report and top topics (jieba).

    >>> profile(index, "发改委").unit.jurisdiction  # doctest: +SKIP
    '鄂州市'
    """
    unit = resolve_unit(index, department)
    held = index.unit_tasks.get(unit.id, ())
    per_report: dict[str, Counter[str]] = defaultdict(Counter)
    for rt in held:
        per_report[rt.task.report][rt.role] += 1
    loads = []
    for key, c in per_report.items():
        d = index.reports.get(key, {})
        title = str(d.get("title") or d.get("label") or key)
        loads.append(ReportLoad(key, title, d.get("year"), c["lead"], c["assist"]))
    loads.sort(key=lambda r: (r.year or 0, r.report))
    g = index.graph
    succession = EdgeType.SUCCEEDED_BY.value

    def linked(pairs: list[str]) -> tuple[UnitRef, ...]:
        return tuple(index.units[n] for n in sorted(set(pairs)) if n in index.units)

    return Profile(
        unit=unit,
        loads=tuple(loads),
        topics=tuple(keywords("。".join(rt.task.text for rt in held), topics)) if held else (),
        predecessors=linked([u for u, _, k in g.in_edges(unit.id, keys=True) if k == succession]),
        successors=linked([v for _, v, k in g.out_edges(unit.id, keys=True) if k == succession]),
    )
