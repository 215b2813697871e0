"""Pydantic response models of the REST API, built from the query results.

>>> Link(source="a", target="b", weight=2).weight
2
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from queries.departments import Collaborator, CoOwnedTask, Profile
from queries.diff import ReportChange
from queries.results import Holder, RoleTask, TaskInfo, UnitRef


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class Report(BaseModel):
    model_config = _example(
        id="report:78d5a2606a6a4c2e",
        title="区人民政府办公室关于印发2020年区政府重点工作责任分解的通知",
        year=2020,
        jurisdiction="下陆区",
        source="001_6ae365a741fde3ec.txt",
        task_count=106,
    )
    id: str
    title: str | None
    year: int | None
    jurisdiction: str | None
    source: str | None
    task_count: int


class Unit(BaseModel):
    """A department or collective."""

    model_config = _example(
        id="dept:下陆区:发展和改革局",
        label="区发改局",
        kind="Department",
        name="发展和改革局",
        jurisdiction="下陆区",
        aliases=["区发改局"],
    )
    id: str
    label: str
    kind: str = "Department"
    name: str | None = None
    jurisdiction: str | None
    aliases: list[str]

    @classmethod
    def of(cls, u: UnitRef) -> Unit:
        return cls(
            id=u.id,
            label=u.label,
            kind=u.kind,
            name=u.name,
            jurisdiction=u.jurisdiction,
            aliases=list(u.aliases),
        )


class UnitListItem(Unit):
    lead_count: int
    assist_count: int


class Mention(BaseModel):
    """A unit named in a task's clause, with where it is printed (provenance)."""

    model_config = _example(
        id="dept:下陆区:发展和改革局",
        label="区发改局",
        role="lead",
        basis="explicit",
        printed="区发改局",
        span=[1203, 1207],
    )
    id: str
    label: str
    role: Literal["lead", "assist"]
    basis: str
    printed: str
    span: list[int] | None

    @classmethod
    def of(cls, h: Holder) -> Mention:
        return cls(
            id=h.unit,
            label=h.label,
            role=h.role,  # type: ignore[arg-type]
            basis=h.basis,
            printed=h.printed,
            span=list(h.span) if h.span else None,
        )


class Task(BaseModel):
    """A task, its source text span in the report and its units with provenance."""

    model_config = _example(
        id="task:78d5a2606a6a4c2e:3",
        number="3",
        text="积极争取政策支持,努力畅通产业循环、市场循环、经济社会循环……",
        report="report:78d5a2606a6a4c2e",
        report_title="区人民政府办公室关于印发2020年区政府重点工作责任分解的通知",
        year=2020,
        jurisdiction="下陆区",
        deadline=None,
        span=[1100, 1260],
        units=[Mention.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
    )
    id: str
    number: str
    text: str
    report: str
    report_title: str
    year: int | None
    jurisdiction: str | None
    deadline: str | None
    span: list[int] | None
    units: list[Mention]

    @classmethod
    def of(cls, t: TaskInfo) -> Task:
        return cls(
            id=t.id,
            number=t.number,
            text=t.text,
            report=t.report,
            report_title=t.report_title,
            year=t.year,
            jurisdiction=t.jurisdiction,
            deadline=t.deadline,
            span=list(t.span) if t.span else None,
            units=[Mention.of(h) for h in t.holders],
        )


class TaskPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Task]


class RoleTaskOut(BaseModel):
    """A task seen from one department (the page's task list)."""

    model_config = _example(
        id="task:78d5a2606a6a4c2e:3",
        text="积极争取政策支持……",
        role="lead",
        basis="explicit",
        report="report:78d5a2606a6a4c2e",
        report_title="区人民政府办公室关于印发2020年区政府重点工作责任分解的通知",
        year=2020,
        deadline=None,
    )
    id: str
    number: str = ""
    text: str
    role: Literal["lead", "assist"]
    basis: str
    report: str
    report_title: str
    year: int | None
    deadline: str | None

    @classmethod
    def of(cls, rt: RoleTask) -> RoleTaskOut:
        t = rt.task
        return cls(
            id=t.id,
            number=t.number,
            text=t.text,
            role=rt.role,  # type: ignore[arg-type]
            basis=rt.basis,
            report=t.report,
            report_title=t.report_title,
            year=t.year,
            deadline=t.deadline,
        )


class DepartmentTasks(BaseModel):
    department: Unit
    tasks: list[RoleTaskOut]


class CoOwned(BaseModel):
    task: Task
    role: Literal["lead", "assist"]
    others: list[Mention]
    leads: list[str]

    @classmethod
    def of(cls, c: CoOwnedTask) -> CoOwned:
        return cls(
            task=Task.of(c.task),
            role=c.role,
            others=[Mention.of(h) for h in c.others],
            leads=list(c.task.leads),
        )  # type: ignore[arg-type]


class CoOwnedTasks(BaseModel):
    department: Unit
    other: Unit | None
    tasks: list[CoOwned]


class CollaboratorOut(BaseModel):
    model_config = _example(
        unit=Unit.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
        shared=12,
        department_leads=7,
        partner_leads=1,
        neither_leads=4,
    )
    unit: Unit
    shared: int
    department_leads: int
    partner_leads: int
    neither_leads: int

    @classmethod
    def of(cls, c: Collaborator) -> CollaboratorOut:
        return cls(
            unit=Unit.of(c.unit),
            shared=c.shared,
            department_leads=c.department_leads,
            partner_leads=c.partner_leads,
            neither_leads=c.neither_leads,
        )


class Collaborators(BaseModel):
    department: Unit
    collaborators: list[CollaboratorOut]


class ReportLoad(BaseModel):
    report: str
    title: str
    year: int | None
    lead: int
    assist: int


class ProfileOut(BaseModel):
    department: Unit
    lead_count: int
    assist_count: int
    reports: list[ReportLoad]
    topics: list[str]
    predecessors: list[Unit]
    successors: list[Unit]

    @classmethod
    def of(cls, p: Profile) -> ProfileOut:
        return cls(
            department=Unit.of(p.unit),
            lead_count=p.lead_count,
            assist_count=p.assist_count,
            reports=[
                ReportLoad(report=r.report, title=r.title, year=r.year, lead=r.lead, assist=r.assist)
                for r in p.loads
            ],
            topics=list(p.topics),
            predecessors=[Unit.of(u) for u in p.predecessors],
            successors=[Unit.of(u) for u in p.successors],
        )


class Node(BaseModel):
    model_config = _example(
        id="dept:下陆区:发展和改革局",
        label="区发改局",
        kind="Department",
        jurisdiction="下陆区",
        lead_count=12,
        assist_count=15,
        degree=30,
        weighted_degree=61,
        betweenness=0.08,
        community=1,
        x=0.12,
        y=-0.4,
    )
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


class Link(BaseModel):
    source: str
    target: str
    weight: int = Field(ge=1)


class Network(BaseModel):
    nodes: list[Node]
    links: list[Link]


class District(BaseModel):
    id: str
    name: str
    jurisdiction: str | None
    tasks: int
    by_unit: int
    by_text: int


class TargetOut(BaseModel):
    model_config = _example(
        id="target:07884e50c9f77e9a::0",
        text="地区生产总值增长10%以上",
        indicator="地区生产总值",
        measure="增长",
        value=10.0,
        unit="%",
        comparator=">=",
        period="今年",
        report="report:07884e50c9f77e9a",
        year=2021,
        task=None,
    )
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


class LeadCount(BaseModel):
    department: Unit
    lead: int
    assist: int


class Load(BaseModel):
    lead: int
    assist: int


class MatchedTask(BaseModel):
    before: RoleTaskOut
    after: RoleTaskOut
    similarity: float


class Change(BaseModel):
    """A department's tasks in two reports (question 9)."""

    department: Unit
    lineage: list[Unit]
    before_report: str
    after_report: str
    before: Load
    after: Load
    gained: list[RoleTaskOut]
    lost: list[RoleTaskOut]
    kept: list[MatchedTask]

    @classmethod
    def of(cls, c: ReportChange) -> Change:
        return cls(
            department=Unit.of(c.unit),
            lineage=[Unit.of(u) for u in c.lineage],
            before_report=c.before_report,
            after_report=c.after_report,
            before=Load(lead=c.before.lead, assist=c.before.assist),
            after=Load(lead=c.after.lead, assist=c.after.assist),
            gained=[RoleTaskOut.of(r) for r in c.gained],
            lost=[RoleTaskOut.of(r) for r in c.lost],
            kept=[
                MatchedTask(
                    before=RoleTaskOut.of(m.before), after=RoleTaskOut.of(m.after), similarity=m.similarity
                )
                for m in c.kept
            ],
        )


class Upload(BaseModel):
    """The outcome of ``POST /documents``."""

    model_config = _example(
        status="added",
        report="report:07884e50c9f77e9a",
        source="2021_xialu_sample.txt",
        tasks=12,
        nodes=540,
        edges=1330,
    )
    status: Literal["added", "unchanged"]
    report: str
    source: str
    tasks: int
    nodes: int
    edges: int


class Problem(BaseModel):
    """An error: ``detail`` says what is wrong; names come with suggestions or candidates."""

    model_config = _example(
        detail="unknown name '发展改革局'; did you mean 区发改局, 发改委?", suggestions=["区发改局", "发改委"]
    )
    detail: str
    suggestions: list[str] | None = None
    candidates: list[dict[str, Any]] | None = None
