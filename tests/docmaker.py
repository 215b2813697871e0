"""Hand-made Documents for graph tests (no parser needed).

``make_document`` writes a small document text with one line per task and a
responsibility clause, and records every unit mention with its true span.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from loaders.model import Document, Level, Metadata, Role, Section, Span, Target, Task, UnitMention

LABELS = {Role.LEAD: "牵头单位", Role.ASSIST: "责任单位", Role.RESPONSIBLE: "责任单位"}


def _unit(spec: str | tuple[str, str]) -> tuple[str, str]:
    """``"市发改委"`` or ``("市统筹办", "统筹办")`` -> (name, printed)."""
    return (spec, spec) if isinstance(spec, str) else spec


def make_document(
    tasks: Sequence[dict[str, Any]],
    jurisdiction: str | None = "下陆区",
    level: Level = Level.DISTRICT,
    year: int | None = 2020,
    source: str = "made.txt",
    title: str = "重点工作责任分解",
) -> Document:
    """A Document with one section ``一、`` and the given tasks.

    Each task is a dict with ``text`` and optional ``lead``, ``assist``,
    ``responsible`` (lists of names or (name, printed) pairs) and ``targets``
    (list of (text, value) pairs).
    """
    text = f"{title}\n一、重点工作\n"
    section = Section("一", "重点工作", 1, ("一",), Span(len(title) + 1, len(text) - 1))
    built = []
    for i, spec in enumerate(tasks, 1):
        start = len(text)
        text += f"{i}、{spec['text']}"
        targets = []
        for t_text, value in spec.get("targets", []):
            at = text.index(t_text, start)
            targets.append(
                Target(t_text, t_text[:4], "增长", value, "%", ">=", None, Span(at, at + len(t_text)))
            )
        units = []
        for role in (Role.LEAD, Role.ASSIST, Role.RESPONSIBLE):
            names = spec.get(role.value, [])
            if not names:
                continue
            text += f"[{LABELS[role]}:"
            for j, u in enumerate(names):
                name, printed = _unit(u)
                if j:
                    text += "、"
                units.append(
                    UnitMention(name, printed, role, Span(len(text), len(text) + len(printed)), "各" in name)
                )
                text += printed
            text += "]"
        built.append(
            Task(
                str(i),
                str(i),
                ("一",),
                spec["text"],
                Span(start, len(text)),
                tuple(units),
                None,
                tuple(targets),
            )
        )
        text += "\n"
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = Metadata(source, sha, title, None, None, None, jurisdiction, level, year)
    return Document(meta, text, (section,), tuple(built))
