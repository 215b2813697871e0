"""The typed, immutable document model that every loader produces.

All character offsets (``Span``) index into ``Document.text``, the normalised text
of the whole document that the loader parsed.

>>> span = Span(0, 4)
>>> span.length
4
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """How a unit is tied to a task."""

    LEAD = "lead"  # 牵头单位, X牵头
    ASSIST = "assist"  # 责任/配合/协办/参与单位 next to an explicit lead
    RESPONSIBLE = "responsible"  # an undifferentiated 责任单位 list, no lead given


class Level(StrEnum):
    """Administrative level of the issuing jurisdiction."""

    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    DISTRICT = "district"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in ``Document.text``."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class UnitMention:
    """One unit named in a task's responsibility clause.

    ``name`` is the unit as the gold rules want it (prefix restored, 等 dropped);
    ``printed`` is the text as it stands in the document at ``span``.
    """

    name: str
    printed: str
    role: Role
    span: Span
    collective: bool = False
    evidence: tuple[str, ...] = ()  # the rules that found it, e.g. ("label:牵头单位",)
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Target:
    """A quantitative target, e.g. 地区生产总值年均增长13%以上.

    ``comparator`` is one of ``>=``, ``<=``, ``>``, ``<``, ``=``, ``~`` (about).
    """

    text: str
    indicator: str
    measure: str
    value: float
    unit: str
    comparator: str
    period: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Section:
    """A heading of the section tree (一、 / (一) / 1. …).

    ``path`` is the tuple of numbers from the root, e.g. ``("一", "(一)")``.
    """

    number: str
    title: str
    level: int
    path: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Task:
    """A numbered work item that a document assigns or commits to."""

    id: str  # unique within the document; the printed number, qualified if it repeats
    number: str  # the number as printed, e.g. "12"
    section_path: tuple[str, ...]
    text: str  # clean task text, number and responsibility clause removed
    span: Span
    units: tuple[UnitMention, ...] = ()
    deadline: str | None = None
    targets: tuple[Target, ...] = ()
    evidence: tuple[str, ...] = ()  # how it was segmented, e.g. ("item:ar",), ("table:stacked",)
    confidence: float = 1.0

    def names(self, role: Role) -> list[str]:
        """Unit names with ``role``, in printed order."""
        return [u.name for u in self.units if u.role == role]

    @property
    def lead(self) -> list[str]:
        return self.names(Role.LEAD)

    @property
    def assist(self) -> list[str]:
        return self.names(Role.ASSIST)

    @property
    def responsible(self) -> list[str]:
        return self.names(Role.RESPONSIBLE)


@dataclass(frozen=True, slots=True)
class Metadata:
    """Facts about the document as a whole."""

    source: str  # file name as given
    sha256: str
    title: str | None = None
    issuer: str | None = None  # 发布机构
    doc_number: str | None = None  # 文号, e.g. 鄂州政办发〔2011〕12号
    published: str | None = None  # ISO date, YYYY-MM-DD
    jurisdiction: str | None = None  # e.g. 鄂州市, 下陆区; 全国 for the State Council
    level: Level = Level.UNKNOWN
    year: int | None = None  # the year the tasks are for
    division_code: str | None = None  # 6-digit administrative division code, e.g. 420204
    division_chain: tuple[str, ...] = ()  # province -> city -> county, e.g. (湖北省, 黄石市, 下陆区)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the loader could not make sense of: ``code`` (``no-tasks``,
    ``task-without-units``, ``table-without-tasks`` …), a message and where."""

    code: str
    message: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file: metadata, normalised text, section tree and tasks."""

    metadata: Metadata
    text: str
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = field(default=())
    targets: tuple[Target, ...] = ()  # targets stated outside any task (a report's main goals)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def source(self) -> str:
        return self.metadata.source

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """JSON-ready dict in the scorer's prediction format, plus the full model."""
        tasks = []
        for t in self.tasks:
            d = asdict(t)
            d.update(lead=t.lead, assist=t.assist, responsible=t.responsible)
            tasks.append(d)
        out: dict[str, Any] = {
            "source": self.metadata.source,
            "metadata": asdict(self.metadata),
            "sections": [asdict(s) for s in self.sections],
            "tasks": tasks,
            "targets": [asdict(t) for t in self.targets],
            "diagnostics": [asdict(d) for d in self.diagnostics],
        }
        if include_text:
            out["text"] = self.text
        return out
