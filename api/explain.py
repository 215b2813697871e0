"""``govkg extract --explain``: what the loader found in a document and which rules found it.

>>> from loaders import extract_text
>>> print(explain(extract_text("a.txt", "1、推进项目建设。(牵头单位:市发改委)")))
a.txt: 1 task, 1 unit mention
  1  [item:ar 1.00] 推进项目建设。
       lead         市发改委  label:牵头单位 1.00
"""

from __future__ import annotations

from govkg.loaders.model import Document

_TEXT_WIDTH = 40


def explain(doc: Document) -> str:
    """A plain-text report: diagnostics first, then every task with its evidence."""
    mentions = sum(len(t.units) for t in doc.tasks)
    lines = [f"{doc.source}: {_count(len(doc.tasks), 'task')}, {_count(mentions, 'unit mention')}"]
    for d in doc.diagnostics:
        where = f" at {d.span.start}-{d.span.end}" if d.span else ""
        lines.append(f"  ! {d.code}{where}: {d.message}")
    for t in doc.tasks:
        found = ",".join(t.evidence) or "?"
        text = t.text if len(t.text) <= _TEXT_WIDTH else t.text[:_TEXT_WIDTH] + "…"
        lines.append(f"  {t.id}  [{found} {t.confidence:.2f}] {text}")
        for u in t.units:
            lines.append(f"       {u.role.value:<12} {u.name}  {','.join(u.evidence) or '?'} {u.confidence:.2f}")
        if t.deadline:
            lines.append(f"       {'deadline':<12} {t.deadline}")
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
