"""Hand-made Documents for graph tests (no parser needed).

``make_document`` writes a small document text with one line per task and a
responsibility clause, and records every unit mention with its true span.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from govkg.loaders.model import Document, Level, Metadata, Role, Section, Span, Target, Task, UnitMention

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


# --- a small corpus exercising the resolution rules ---

XIALU = [
    {"text": "推进项目建设", "lead": ["区发改局"], "assist": ["区科信局", "东街办(工业新区)", "区统筹办"]},
    {"text": "发展旅游产业", "lead": ["东街办(旅游新区)"], "assist": ["下陆公安分局", "区发改局"]},
    {"text": "维护社会稳定", "responsible": ["区公安分局", "区财政局", "各街办(新区)"]},
    {"text": "支持东街办老旧小区改造", "responsible": ["区住建局"]},
    {"text": "改善空气质量", "lead": ["区环保局"]},
]
EZHOU_2011 = [
    {
        "text": "地区生产总值增长13%以上",
        "responsible": ["市发改委", ("市统筹办", "统筹办"), "华容区政府", "各区政府"],
        "targets": [("地区生产总值增长13%以上", 13.0)],
    },
    {"text": "加强环境保护", "lead": ["市环保局"], "assist": ["市卫生局", "市政府"]},
    {"text": "推进华容区城乡一体化", "lead": ["市统筹办"]},
]
EZHOU_2019 = [
    {"text": "打好污染防治攻坚战", "lead": ["市生态环境局"], "assist": ["市发改委", "市卫健委"]},
    {"text": "深化改革", "lead": ["鄂州市发展和改革委员会"]},
]
YINGTAN = [
    {"text": "推进招商引资", "responsible": ["贵溪市政府", "余江区政府", "各区(市)政府", "贵溪市商务局"]}
]


def made_documents() -> list[Document]:
    """Four small documents: 下陆区 2020, 鄂州市 2011 and 2019, 鹰潭市 2023."""
    return [
        make_document(XIALU, "下陆区", Level.DISTRICT, 2020, "xialu.txt"),
        make_document(EZHOU_2011, "鄂州市", Level.CITY, 2011, "ezhou2011.txt"),
        make_document(EZHOU_2019, "鄂州市", Level.CITY, 2019, "ezhou2019.txt"),
        make_document(YINGTAN, "鹰潭市", Level.CITY, 2023, "yingtan.txt"),
    ]
