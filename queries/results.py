"""Typed, immutable rows shared by the named queries.

>>> UnitRef("dept:下陆区:发展和改革局", "区发改局", "Department", "发展和改革局", "下陆区", ("区发改局",)).label
'区发改局'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A department or collective: its node key, display label, canonical name and aliases."""

    id: str
    label: str
    kind: str
    name: str
    jurisdiction: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Holder:
    """A unit's hold on a task: ``role`` is ``lead`` or ``assist``; ``basis`` says why, ``evidence``
    names the loader rules that found the unit (``label:牵头单位`` …) with their ``confidence``."""

    unit: str
    label: str
    role: str
    basis: str
    printed: str
    span: tuple[int, int] | None
    evidence: tuple[str, ...] = ()
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """A task with its report and the units that hold it (leads first, in printed order)."""

    id: str
    number: str
    text: str
    report: str
    report_title: str
    year: int | None
    jurisdiction: str | None
    deadline: str | None
    span: tuple[int, int] | None
    holders: tuple[Holder, ...]

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(h.unit for h in self.holders if h.role == "lead")

    @property
    def per_unit(self) -> tuple[Holder, ...]:
        """Each unit's first holder (leads come first: a unit leading and assisting holds it as lead)."""
        first: dict[str, Holder] = {}
        for h in self.holders:
            first.setdefault(h.unit, h)
        return tuple(first.values())


@dataclass(frozen=True, slots=True)
class RoleTask:
    """A task seen from one unit: the unit's ``role`` (``lead``/``assist``) and its basis."""

    task: TaskInfo
    role: str
    basis: str
