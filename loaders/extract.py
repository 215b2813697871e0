"""File -> Document: the loader pipeline (read, normalise, segment, parse clauses).

>>> doc = extract_text("a.txt", "一、重点工作\\n1、推进项目建设。(责任单位:市发改委、财政局)")
>>> [(t.id, t.text, t.responsible) for t in doc.tasks]
[('1', '推进项目建设。', ['市发改委', '市财政局'])]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from loaders.clauses import Clause, UnitList, find_clauses, roles
from loaders.errors import LoadError
from loaders.metadata import extract_metadata
from loaders.model import Document, Metadata, Role, Section, Span, Target, Task, UnitMention
from loaders.normalize import normalize
from loaders.readers import read_text
from loaders.structure import Item, closing_start, has_children, is_heading, outline, review_spans, title
from loaders.tables import Table, find_tables
from loaders.targets import find_targets
from loaders.units import (
    UnitContext,
    jurisdiction_prefix,
    restates_prefix,
    settle_roles,
    split_units,
    unit_mentions,
)
from loaders.vocabulary import unit_words

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
_SPACES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True, slots=True)
class _Draft:
    """A task before ids and units are settled."""

    number: str
    section_path: tuple[str, ...]
    text_span: Span  # the task text: after the number, before a labelled clause
    span: Span
    clauses: tuple[Clause, ...]
    lists: tuple[tuple[UnitList, Role], ...]
    deadline: str | None


def extract_text(name: str, text: str, sha256: str = "", jurisdiction: str | None = None) -> Document:
    """Parse already-decoded document text into a Document; ``jurisdiction`` overrides the one found."""
    text = normalize(text)
    metadata = _metadata(text, name, sha256, jurisdiction)
    tables = find_tables(text)
    items = outline(text, [t.span for t in tables])
    drafts, task_items = _item_drafts(text, items, metadata.year)
    drafts += _table_drafts(items, tables)
    drafts.sort(key=lambda d: d.span.start)
    context = _unit_context(drafts, metadata)
    ids = _ids(drafts)
    tasks = tuple(_task(text, d, i, context) for d, i in zip(drafts, ids, strict=True))
    sections = tuple(
        Section(it.number, title(text, it), it.depth + 1, it.path, it.span)
        for k, it in enumerate(items)
        if k not in task_items
    )
    return Document(metadata, text, sections, tasks, _outside_targets(text, [t.span for t in tasks]))


def load_document(path: str | Path, jurisdiction: str | None = None) -> Document:
    """Read and parse one file; raises ``LoadError`` naming the file and the reason.

    ``jurisdiction`` (黄石市下陆区) is used instead of the one the document names."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(path, e.strerror or "cannot read file") from e
    return extract_text(path.name, read_text(path), hashlib.sha256(data).hexdigest(), jurisdiction)


def _metadata(text: str, name: str, sha256: str, jurisdiction: str | None = None) -> Metadata:
    try:
        return extract_metadata(text, name, sha256, jurisdiction)
    except NotImplementedError:  # engineer B's module not there yet
        return Metadata(source=name, sha256=sha256)


def _targets(text: str, offset: int) -> tuple[Target, ...]:
    try:
        return find_targets(text, offset)
    except NotImplementedError:
        return ()


def _item_drafts(text: str, items: Sequence[Item], year: int | None = None) -> tuple[list[_Draft], set[int]]:
    """Drafts for the numbered items that are tasks, and the indexes of those items.

    When some items carry a responsibility clause, the tasks are the items with a clause
    and the leaf items of the lists that have clauses; otherwise every leaf item outside
    a review of past work, except title lines in lists that also hold sections. (An
    item's own text ends where its first sub-item starts.)
    """
    items = list(items)
    clauses = [find_clauses(text, it.body_start, it.end) for it in items]
    absorbed = _absorb_trailing_clauses(text, items, clauses)
    leaf = [not has_children(items, k) for k in range(len(items))]
    with_clause = {(it.parent, it.style) for it, c in zip(items, clauses, strict=True) if c}
    if with_clause:
        chosen = [
            k
            for k, it in enumerate(items)
            if clauses[k] or (leaf[k] and (it.parent, it.style) in with_clause)
        ]
    else:
        review = review_spans(text, items, year)
        # a titled item with paragraphs under it is a task in a flat list, a section elsewhere
        sectioned = {(it.parent, it.style) for k, it in enumerate(items) if not leaf[k]}
        chosen = [
            k
            for k, it in enumerate(items)
            if leaf[k]
            and not (is_heading(text, it) and (it.parent, it.style) in sectioned)
            and not any(r.start <= it.start < r.end for r in review)
        ]
    return [_item_draft(text, items[k], clauses[k]) for k in chosen], set(chosen) | absorbed


def _absorb_trailing_clauses(text: str, items: list[Item], clauses: list[tuple[Clause, ...]]) -> set[int]:
    """Give an item the clause that follows its sub-points (``1、总述 (1)… (2)… (牵头单位:A)``).

    When only the last of two or more leaf sub-items carries a clause, and that clause
    stands on its own line, or the item's siblings carry their own clauses, or no list
    in the document numbered like the sub-items has two items with clauses, the clause
    closes the item: the item then runs to the clause and holds its sub-points. Updates
    ``items`` and ``clauses`` in place; returns the indexes of the absorbed sub-items.
    """
    absorbed: set[int] = set()
    groups = Counter((it.parent, it.style) for it, c in zip(items, clauses, strict=True) if c)
    task_styles = {style for (_, style), n in groups.items() if n >= 2}  # styles of real task lists
    for k, it in enumerate(items):
        kids = [j for j in range(k + 1, len(items)) if items[j].parent == k]
        if len(kids) < 2 or clauses[k] or any(has_children(items, j) for j in kids):
            continue
        last = kids[-1]
        if not clauses[last] or any(clauses[j] for j in kids[:-1]):
            continue
        own_line = text[: clauses[last][0].span.start].rstrip(" ").endswith("\n")
        if own_line or (it.parent, it.style) in groups or items[last].style not in task_styles:
            items[k] = replace(it, end=items[last].end)
            clauses[k], clauses[last] = clauses[last], ()
            absorbed.update(kids)
    return absorbed


def _item_draft(text: str, item: Item, clauses: tuple[Clause, ...]) -> _Draft:
    item = replace(item, end=closing_start(text, item.body_start, item.end))
    text_end, end = item.end, item.end
    text_start = item.body_start
    if clauses and clauses[0].labelled:  # the task text stops where the (last) clause starts
        text_end, end = clauses[-1].span.start, clauses[-1].span.end
        if not text[item.body_start : text_end].strip(" \n,;:。"):  # unless the clause comes first
            text_start, text_end, end = clauses[0].span.end, item.end, item.end
    elif clauses:  # national clauses close their paragraph; what follows is not the task
        line_end = text.find("\n", clauses[-1].span.end, item.end)
        text_end = end = item.end if line_end < 0 else line_end
    deadline = next((c.deadline for c in clauses if c.deadline), None)
    return _Draft(
        item.number,
        item.path,
        Span(text_start, text_end),
        Span(item.start, end),
        clauses,
        tuple(roles(clauses)),
        deadline,
    )


def _table_drafts(items: Sequence[Item], tables: Sequence[Table]) -> list[_Draft]:
    drafts = []
    for table in tables:
        before = [it for it in items if it.start < table.span.start]
        path = (*before[-1].path, before[-1].number) if before else ()
        for row in table.rows:
            clause = Clause(row.span, row.lists, row.deadline)
            drafts.append(
                _Draft(
                    row.number,
                    (*path, *row.section),
                    row.text_span,
                    row.span,
                    (),
                    tuple(roles((clause,))),
                    row.deadline,
                )
            )
    return drafts


def _unit_context(drafts: Sequence[_Draft], metadata: Metadata) -> UnitContext:
    lists = [[p.text for p in split_units(u.text, u.start)] for d in drafts for u, _ in d.lists]
    stems: tuple[str, ...] = ()
    if metadata.jurisdiction:  # 鄂州市 -> 鄂州: units named 鄂州… carry their own place
        stem = metadata.jurisdiction
        while len(stem) > 2 and stem.endswith(unit_words("jurisdiction_prefixes")):
            stem = stem[:-1]
        stems = (stem,)
    return UnitContext(restore_prefix=not restates_prefix(lists), place_stems=stems)


def _ids(drafts: Sequence[_Draft]) -> list[str]:
    """Task ids: the printed numbers, or, where numbering restarts, numbers qualified by section path."""
    numbers = [d.number for d in drafts]
    restarts = len(set(numbers)) < len(numbers)
    ids = ["".join(d.section_path) + d.number if restarts else d.number for d in drafts]
    seen: Counter[str] = Counter()
    out = []
    for i in ids:
        seen[i] += 1
        out.append(i if seen[i] == 1 else f"{i}#{seen[i]}")
    return out


def _task(text: str, draft: _Draft, task_id: str, context: UnitContext) -> Task:
    body = text[draft.text_span.start : draft.text_span.end]
    for c in draft.clauses:  # national clauses inside the text span
        if draft.text_span.start <= c.span.start and c.span.end <= draft.text_span.end:
            body = body.replace(text[c.span.start : c.span.end], "", 1)
    units: list[UnitMention] = []
    seen: set[str] = set()
    stated = None  # the jurisdiction prefix an earlier list of the task stated
    for unit_list, role in draft.lists:
        pieces = split_units(unit_list.text, unit_list.start)
        for u in unit_mentions(pieces, role, context, stated):
            if u.name not in seen:
                seen.add(u.name)
                units.append(u)
        stated = (jurisdiction_prefix(pieces[0].text) if pieces else None) or stated
    targets = _targets(text[draft.text_span.start : draft.text_span.end], draft.text_span.start)
    return Task(
        id=task_id,
        number=draft.number,
        section_path=draft.section_path,
        text=one_line(body),
        span=draft.span,
        units=settle_roles(units),
        deadline=draft.deadline,
        targets=targets,
    )


def one_line(text: str) -> str:
    """``text`` on one line: a line break between two Latin letters or digits becomes a
    space; any other goes (Chinese text has no spaces between words).

    >>> one_line("加快垃圾分\\n类处理。\\n 全面推进 5G\\nnetwork")
    '加快垃圾分类处理。全面推进 5G network'
    """
    text = text.strip()
    return _SPACES.sub(lambda m: " " if _latin_break(text, m.start(), m.end()) else "", text)


def _latin_break(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and _latin(text[start - 1]) and _latin(text[end])


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _outside_targets(text: str, spans: Sequence[Span]) -> tuple[Target, ...]:
    """Targets stated outside every task (a report's main goals)."""
    found: list[Target] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start > pos:
            found.extend(_targets(text[pos : span.start], pos))
        pos = max(pos, span.end)
    if pos < len(text):
        found.extend(_targets(text[pos:], pos))
    return tuple(found)
