"""Pydantic response models of the REST API, validated from the query results.

Every model reads the attributes of a query result (``from_attributes``); a field
named differently in the result says so in its ``validation_alias``, so the JSON
names stay the API's own. A model with exactly a result's fields takes them from
the result's dataclass (``_fields_of``) and adds its OpenAPI example.

>>> from queries.results import UnitRef
>>> Unit.model_validate(UnitRef("dept:x:甲局", "甲局", "Department", "甲局", "x", ())).aliases
[]
>>> Link(source="a", target="b", weight=2).weight
2
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any, Literal, Self, get_type_hints

from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field, create_model, model_validator

from govkg.api.deps import Added
from govkg.queries import departments, diff, source
from govkg.queries.network import NetworkLink, NetworkNode
from govkg.queries.overview import DistrictCount, TargetRow
from govkg.queries.results import RoleTask, TaskInfo


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


def _read_from(*names: str | AliasPath) -> Any:
    """A field validated from the first of ``names`` the result has (the field's own name first)."""
    return Field(validation_alias=AliasChoices(*names))


class Result(BaseModel):
    """A response model validated from a query result's attributes."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def each(cls, results: Iterable[object]) -> list[Self]:
        """The model validated from each of ``results``."""
        return [cls.model_validate(r) for r in results]


def _fields_of(result: type, omit: tuple[str, ...] = ()) -> type[Result]:
    """A ``Result`` with the fields of the dataclass ``result`` but ``omit`` (same names, types, order)."""
    hints = get_type_hints(result)
    fields_ = {f.name: (hints[f.name], ...) for f in fields(result) if f.name not in omit}
    return create_model(f"_{result.__name__}Fields", __base__=Result, __module__=__name__, **fields_)


class Report(Result):
    model_config = _example(
        id="report:78d5a2606a6a4c2e",
        title="区人民政府办公室关于印发2020年区政府重点工作责任分解的通知",
        year=2020,
        jurisdiction="下陆区",
        division_code="420204",
        division_chain=["湖北省", "黄石市", "下陆区"],
        source="001_6ae365a741fde3ec.txt",
        task_count=106,
    )
    id: str
    title: str | None
    year: int | None
    jurisdiction: str | None
    division_code: str | None = None  # administrative division code of the jurisdiction
    division_chain: list[str] = []  # province -> city -> county
    source: str | None
    task_count: int

    @classmethod
    def of_node(cls, key: str, d: dict[str, Any]) -> Self:
        """The report node ``key`` with attributes ``d`` (``GraphIndex.reports``)."""
        return cls(
            id=key,
            title=d.get("title") or d.get("label"),
            year=d.get("year"),
            jurisdiction=d.get("jurisdiction"),
            division_code=d.get("division_code"),
            division_chain=list(d.get("division_chain") or []),
            source=d.get("source"),
            task_count=int(d.get("task_count") or 0),
        )


class Unit(Result):
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


class UnitListItem(Unit):
    lead_count: int
    assist_count: int


class Mention(Result):
    """A unit named in a task's clause, with where it is printed (provenance)."""

    model_config = _example(
        id="dept:下陆区:发展和改革局",
        label="区发改局",
        role="lead",
        basis="explicit",
        printed="区发改局",
        span=[1203, 1207],
        evidence=["label:牵头单位"],
        confidence=1.0,
    )
    id: str = _read_from("id", "unit")
    label: str
    role: Literal["lead", "assist"]
    basis: str
    printed: str
    span: list[int] | None
    evidence: list[str] = []  # the loader rules that found the unit, e.g. label:牵头单位
    confidence: float | None = None


class Task(_fields_of(TaskInfo, omit=("holders",))):
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
    span: list[int] | None
    units: list[Mention] = _read_from("units", "holders")


class SegmentOut(_fields_of(source.Segment)):
    """A piece of a source excerpt: in the task's span or not, in a clause naming units or not,
    and the unit printed there with its role."""

    model_config = _example(
        start=327, text="区卫健局", in_task=True, clause=True, unit="dept:下陆区:卫生健康局", role="lead"
    )
    role: Literal["lead", "assist"] | None = None


class ExcerptOut(Result):
    """A contiguous passage of the report's normalised text, ``[start, end)``."""

    start: int
    end: int
    segments: list[SegmentOut]


class TaskSource(Result):
    """A task with its source text: the passage of the report around it, cut into segments, the
    clauses that name its units (character ranges), and every unit with its role and evidence."""

    task: Task
    source: str | None = None  # the report's file name
    text_stored: bool = True  # False for a report stored before the store kept texts (build it again)
    excerpts: list[ExcerptOut]
    clauses: list[list[int]]


class TaskPage(Result):
    total: int
    offset: int
    limit: int
    items: list[Task]


class RoleTaskOut(Result):
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

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        """A ``RoleTask`` reads as its task's fields with its role and basis."""
        if isinstance(data, RoleTask):
            task = {f.name: getattr(data.task, f.name) for f in fields(data.task)}
            return {**task, "role": data.role, "basis": data.basis}
        return data


def _brief(name: str, model: type[Result], keep: tuple[str, ...], doc: str) -> type[Result]:
    """A model with ``keep``, fields of ``model`` (same types, defaults and aliases, in its order)."""
    chosen = {n: (f.annotation, f) for n, f in model.model_fields.items() if n in keep}
    return create_model(name, __base__=Result, __module__=__name__, __doc__=doc, **chosen)  # type: ignore[call-overload]


TaskBrief = _brief(
    "TaskBrief",
    RoleTaskOut,
    ("id", "number", "text", "report", "report_title", "year", "deadline"),
    "A task in a list: ``RoleTaskOut`` without the role (``/api/tasks/{id}`` has the full record).",
)
MentionBrief = _brief(
    "MentionBrief",
    Mention,
    ("id", "label", "role", "basis"),
    "A unit holding a task, in a list: ``Mention`` without where it is printed (``/api/tasks/{id}``).",
)


class DepartmentTasks(Result):
    department: Unit
    tasks: list[RoleTaskOut]


class CoOwned(Result):
    """A task the department shares: the task in brief, the department's role, the other units
    holding it and who leads."""

    task: TaskBrief  # type: ignore[valid-type]
    role: Literal["lead", "assist"]
    others: list[MentionBrief]  # type: ignore[valid-type]
    leads: list[str] = _read_from("leads", AliasPath("task", "leads"))


class CoOwnedTasks(Result):
    department: Unit
    other: Unit | None
    tasks: list[CoOwned]


class CollaboratorOut(_fields_of(departments.Collaborator)):
    model_config = _example(
        unit=Unit.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
        shared=12,
        department_leads=7,
        partner_leads=1,
        neither_leads=4,
    )
    unit: Unit


class Collaborators(Result):
    department: Unit
    collaborators: list[CollaboratorOut]


class ReportLoad(_fields_of(departments.ReportLoad)):
    pass


class ProfileOut(Result):
    department: Unit = _read_from("department", "unit")
    lead_count: int
    assist_count: int
    reports: list[ReportLoad] = _read_from("reports", "loads")
    topics: list[str]
    predecessors: list[Unit]
    successors: list[Unit]


class Node(_fields_of(NetworkNode)):
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


class Link(_fields_of(NetworkLink)):
    weight: int = Field(ge=1)


class Network(Result):
    nodes: list[Node]
    links: list[Link]


class District(_fields_of(DistrictCount)):
    pass


class TargetOut(_fields_of(TargetRow)):
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


class LeadCount(Result):
    department: Unit = _read_from("department", "unit")
    lead: int
    assist: int


class Load(_fields_of(diff.Load)):
    pass


class MatchedTask(Result):
    before: RoleTaskOut
    after: RoleTaskOut
    similarity: float


class Change(Result):
    """A department's tasks in two reports (question 9)."""

    department: Unit = _read_from("department", "unit")
    lineage: list[Unit]
    before_report: str
    after_report: str
    before: Load
    after: Load
    gained: list[RoleTaskOut]
    lost: list[RoleTaskOut]
    kept: list[MatchedTask]


class Upload(_fields_of(Added)):
    """The outcome of ``POST /api/documents``."""

    model_config = _example(
        status="added",
        report="report:07884e50c9f77e9a",
        source="2021_xialu_sample.txt",
        tasks=12,
        nodes=540,
        edges=1330,
    )


class Problem(BaseModel):
    """An error: ``detail`` says what is wrong; names come with suggestions or candidates."""

    model_config = _example(
        detail="unknown name '发展改革局'; did you mean 区发改局, 发改委?", suggestions=["区发改局", "发改委"]
    )
    detail: str
    suggestions: list[str] | None = None
    candidates: list[dict[str, Any]] | None = None
    errors: list[dict[str, Any]] | None = None  # 422 for a malformed request: each field's error
