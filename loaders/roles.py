"""The one role policy: how unit lists and mentions get lead, assist or responsible, and
how far a finding is trusted.

- a list labelled or cued as lead leads, one labelled as assisting assists;
- a 责任单位 list assists when the same task names a lead, else it is responsible;
- a unit marked as lead inside a list (市发改委(牵头)) leads, and then the task's
  responsible units assist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from govkg.loaders.model import Role, UnitMention
from govkg.loaders.units import split_units
from govkg.loaders.vocabulary import table

if TYPE_CHECKING:
    from govkg.loaders.clauses import Clause, UnitList


def roles(clauses: tuple[Clause, ...]) -> list[tuple[UnitList, Role]]:
    """Each list with its role: 责任单位 lists assist when a lead is named, else are responsible.

    >>> from loaders.clauses import Clause, UnitList
    >>> from loaders.model import Span
    >>> c = Clause(Span(0, 1), (UnitList("responsible", "市财政局", 0),))
    >>> roles((c,))[0][1]
    <Role.RESPONSIBLE: 'responsible'>
    """
    lists = [u for c in clauses for u in c.lists]
    has_lead = any(u.kind == "lead" and split_units(u.text, u.start) for u in lists)
    role_of = {"lead": Role.LEAD, "assist": Role.ASSIST}
    fallback = Role.ASSIST if has_lead else Role.RESPONSIBLE
    return [(u, role_of.get(u.kind, fallback)) for u in lists]


def settle_roles(units: Sequence[UnitMention]) -> tuple[UnitMention, ...]:
    """Responsible units become assisting ones when the same task names a lead.

    >>> from loaders.model import Span
    >>> u = [UnitMention("甲局", "甲局", Role.LEAD, Span(0, 2)), UnitMention("乙局", "乙局", Role.RESPONSIBLE, Span(3, 5))]
    >>> [x.role.value for x in settle_roles(u)]
    ['lead', 'assist']
    """
    if not any(u.role is Role.LEAD for u in units):
        return tuple(units)
    return tuple(replace(u, role=Role.ASSIST) if u.role is Role.RESPONSIBLE else u for u in units)


def confidence(evidence: str) -> float:
    """How far a finding is trusted, by the kind of rule behind it (``evidence_confidence``
    in clauses.json).

    >>> confidence("label:牵头单位"), confidence("cue:by_lead")
    (1.0, 0.8)
    """
    levels = table("clauses")["evidence_confidence"]
    return float(levels.get(evidence, levels.get(evidence.split(":", 1)[0], 0.5)))
