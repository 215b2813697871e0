"""File -> Document: the loader pipeline (read, normalise, segment, parse clauses).

>>> doc = extract_text("a.txt", "一、重点工作\\n1、推进项目建设。(责任单位:市发改委、财政局)")
>>> [(t.id, t.text, t.responsible) for t in doc.tasks]
[('1', '推进项目建设。', ['市发改委', '市财政局'])]
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from govkg.loaders.clauses import Clause, UnitList, find_clauses, group_clause, starts_with_label
from govkg.loaders.errors import InternalError, LoadError
from govkg.loaders.grids import box_grids
from govkg.loaders.layout import TextMap, delimit, drop_annotations
from govkg.loaders.metadata import extract_metadata
from govkg.loaders.model import Diagnostic, Document, Metadata, Role, Section, Span, Target, Task, UnitMention
from govkg.loaders.normalize import normalize
from govkg.loaders.readers import read_bytes, text_of
from govkg.loaders.roles import confidence, roles, settle_roles
from govkg.loaders.script import fold_script
from govkg.loaders.structure import (
    Item,
    closing_start,
    has_children,
    is_heading,
    outline,
    review_spans,
    title,
)
from govkg.loaders.tables import Table, find_tables
from govkg.loaders.targets import find_targets
from govkg.loaders.units import (
    UnitContext,
    jurisdiction_prefix,
    restates_prefix,
    split_units,
    unit_mentions,
)
from govkg.loaders.vocabulary import html_junk_phrases, unit_words

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
_SPACES = re.compile(r"\s*\n\s*")
_T = TypeVar("_T")
_PARAGRAPH_MIN = 10  # characters of task text before a paragraph's clause


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
    evidence: str = ""  # how the task was found: "item:ar", "table:stacked" …
    text: str | None = None  # the task text when it is not one stretch of the document (box cells)


def extract_text(name: str, text: str, sha256: str = "", jurisdiction: str | None = None) -> Document:
    """Parse already-decoded document text into a Document; ``jurisdiction`` overrides the one found.

    Each stage runs under its name: an unexpected exception becomes an
    ``InternalError`` naming the file and the stage.
    """
    printed = _stage(name, "normalize", normalize, text)
    # the matching text: reading aids out (``where`` maps its offsets back to ``printed``),
    # folded script and table separators as tabs (both keep the length)
    compact, where = _stage(name, "layout", drop_annotations, printed)
    folded = fold_script(compact)
    boxes = _stage(name, "layout", box_grids, folded)
    text = _stage(name, "layout", delimit, folded)
    metadata = _stage(name, "metadata", _metadata, compact, name, sha256, jurisdiction)
    tables = _stage(name, "layout", find_tables, text, boxes)
    items = _stage(name, "segment", outline, text, [t.span for t in tables])
    drafts, task_items = _stage(name, "segment", _item_drafts, text, items, metadata.year)
    rows = _stage(name, "layout", _table_drafts, items, tables)
    if rows:  # a table holds the tasks: the 一、/(一) items around it without units are its sections
        drafts = [d for d in drafts if d.lists or not d.evidence.startswith(("item:cn", "item:pcn"))]
    drafts += rows
    drafts = _stage(name, "roles", _group_leads, text, items, drafts)
    drafts.sort(key=lambda d: d.span.start)
    context = _stage(name, "units", _unit_context, drafts, metadata)
    ids = _ids(drafts)
    tasks = tuple(
        _stage(name, "units", _task, text, _Printed(printed, where), d, i, context)
        for d, i in zip(drafts, ids, strict=True)
    )
    tasks = tuple(t for t in tasks if not _distractor(t) and not _attachment_item(text, t))
    sections = tuple(
        Section(it.number, title(compact, it), it.depth + 1, it.path, where.span(it.span))
        for k, it in enumerate(items)
        if k not in task_items
    )
    targets = _stage(name, "targets", _outside_targets, text, [t.span for t in tasks])
    if where.index is not None:
        tasks = tuple(replace(t, span=where.span(t.span), targets=_mapped(t.targets, where)) for t in tasks)
        targets = _mapped(targets, where)
    diagnostics = _stage(name, "diagnostics", _diagnostics, tables, tasks, where)
    return Document(metadata, printed, sections, tasks, targets, diagnostics)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_RANKING = re.compile(r"\d+(?:\.\d+)? *分$|第[一二三四五六七八九十\d]+名$")
_RANKING_MAX = 30
# the title of an attached table (附件:1.…任务分解表 2.…进展情况表), not a task
_ATTACHMENT = re.compile(r"^[^。,;]{4,40}(?:分解表|情况表|一览表|任务表|责任表|明细表|汇总表|统计表)$")


def _diagnostics(tables: Sequence[Table], tasks: Sequence[Task], where: TextMap) -> tuple[Diagnostic, ...]:
    """What the loader could not make sense of: no tasks, tables without task rows,
    tasks without units."""
    out = []
    if not tasks:
        out.append(Diagnostic("no-tasks", "no numbered item, table row or clause reads as a task"))
    for table in tables:
        if not table.rows:
            out.append(
                Diagnostic(
                    "table-without-tasks",
                    "a table header was found but no row reads as a task",
                    where.span(table.span),
                )
            )
    without = [t for t in tasks if not t.units]
    if tasks and without:
        ids = ", ".join(t.id for t in without[:10]) + (" …" if len(without) > 10 else "")
        out.append(
            Diagnostic(
                "task-without-units",
                f"{len(without)} of {len(tasks)} tasks name no unit: {ids}",
                without[0].span,
            )
        )
    return tuple(out)


# 附件:1.… / 附件:(its list below) / 附件1.… / 附:; not a bare 附件 or 附件1 title line
_ATTACHMENT_HEAD = re.compile(r"附件?\s*:|附件\s*\d{1,2}\s*[.、]\S")
_ATTACHMENT_LINE = re.compile(r"[^。,;!?]{1,40}")
_ATTACHMENT_ENTRY = re.compile(r"\d{1,2}\s*[.、]")
_ATTACHMENT_LIST_MAX = 12  # lines looked back over for the 附件 head


def _attachment_item(text: str, task: Task) -> bool:
    """True for a task without units that is an entry of the list of attachments
    (附件:1.重点项目清单 / 2.考核办法): it and every line between it and the 附件: line are
    short, unpunctuated and numbered."""
    if task.units or not _ATTACHMENT_LINE.fullmatch(task.text):
        return False
    end = task.span.start
    for _ in range(_ATTACHMENT_LIST_MAX):
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip() if end < task.span.start else ""  # not the item's number
        if _ATTACHMENT_HEAD.match(line):
            return True
        if line and not (_ATTACHMENT_ENTRY.match(line) and _ATTACHMENT_LINE.fullmatch(line)):
            return False
        if start == 0:
            return False
        end = start - 1
    return False


def _distractor(task: Task) -> bool:
    """A "task" without units that is page furniture (分享到:), a ranking (市发改委 95分), the
    title of an attached table (…任务分解表) or holds no Chinese words."""
    if task.units:
        return False
    return (
        len(_CJK.findall(task.text)) < 2
        or task.text.startswith(html_junk_phrases())
        or (len(task.text) <= _RANKING_MAX and _RANKING.search(task.text) is not None)
        or _ATTACHMENT.search(task.text) is not None
    )


@dataclass(frozen=True, slots=True)
class _Printed:
    """The printed text and the map from matching offsets into it."""

    text: str
    where: TextMap

    def slice(self, start: int, end: int) -> str:
        return self.text[self.where.at(start) : self.where.at(end)]


def _mapped(targets: tuple[Target, ...], where: TextMap) -> tuple[Target, ...]:
    return tuple(replace(t, span=where.span(t.span)) for t in targets)


def _stage(name: str, stage: str, fn: Callable[..., _T], *args: Any) -> _T:
    """``fn(*args)``; an unexpected exception becomes an ``InternalError`` for ``name``."""
    try:
        return fn(*args)
    except LoadError:
        raise
    except Exception as e:
        raise InternalError(name, stage, e) from e


def load_document(path: str | Path, jurisdiction: str | None = None) -> Document:
    """Read and parse one file; raises ``LoadError`` naming the file and the reason.

    ``jurisdiction`` (黄石市下陆区) is used instead of the one the document names."""
    path = Path(path)
    data = read_bytes(path)
    try:
        return extract_text(path.name, text_of(path, data), hashlib.sha256(data).hexdigest(), jurisdiction)
    except InternalError as e:
        raise InternalError(path, e.stage, e.error) from e.error


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
    fields = _absorb_fields(text, items, clauses)
    field_start = {}  # the task text of an item with field lines stops at the first one
    for k in sorted(fields, reverse=True):
        if items[k].parent is not None:
            field_start[items[k].parent] = items[k].start
    absorbed = fields | _absorb_trailing_clauses(text, items, clauses)
    leaf = [not has_children(items, k) for k in range(len(items))]
    led = {k for k, it in enumerate(items) if group_clause(title(text, it), it.body_start)}  # X牵头工作
    titled = {k for k in range(len(items)) if not leaf[k] and _titled_lead(text, items[k], clauses[k])}
    led |= titled
    with_clause = {(it.parent, it.style) for it, c in zip(items, clauses, strict=True) if c or it.parent in led}
    # an item with sub-items is a task too when its own text is a sentence (17.继续办好… (1)…)
    worded = [leaf[k] or _states_work(text, it) for k, it in enumerate(items)]
    if with_clause:
        chosen = [
            k
            for k, it in enumerate(items)
            if k not in titled and (clauses[k] or (worded[k] and (it.parent, it.style) in with_clause))
        ]
    else:
        review = review_spans(text, items, year)
        # a titled item with paragraphs under it is a task in a flat list, a section elsewhere
        sectioned = {(it.parent, it.style) for k, it in enumerate(items) if not leaf[k]}
        chosen = [
            k
            for k, it in enumerate(items)
            if worded[k]
            and not (is_heading(text, it) and (it.parent, it.style) in sectioned)
            and not any(r.start <= it.start < r.end for r in review)
        ]
    drafts: list[_Draft] = []
    tasks: set[int] = set()
    for k in chosen:
        paragraphs = _paragraph_drafts(text, items[k]) if leaf[k] else []
        if paragraphs:
            drafts += paragraphs  # the item is the heading of the tasks in its paragraphs
        else:
            draft = _item_draft(text, items[k], clauses[k])
            if k in field_start:
                cut = Span(draft.text_span.start, max(draft.text_span.start, field_start[k]))
                draft = replace(draft, text_span=cut, clauses=())
            drafts.append(draft)
            tasks.add(k)
    return drafts, tasks | absorbed


def _titled_lead(text: str, item: Item, clauses: tuple[Clause, ...]) -> bool:
    """True if a heading over sub-items names their lead in its title line
    ((一)优化营商环境(牵头单位:市发改委) over 1.… 2.…): a section, not a task.

    >>> t = "(一)优化营商环境(牵头单位:市发改委)\\n1.深化改革。配合单位:市财政局"
    >>> it = outline(t)[0]
    >>> _titled_lead(t, it, find_clauses(t, it.body_start, it.end))
    True
    """
    if not clauses or item.style not in ("cn", "pcn") or _states_work(text, item):
        return False
    if not all(c.labelled for c in clauses) or not any(u.kind == "lead" for c in clauses for u in c.lists):
        return False
    pos, rest = item.body_start, []  # the heading's own text without its clauses
    for c in clauses:
        rest.append(text[pos : c.span.start])
        pos = max(pos, c.span.end)
    rest.append(text[pos : item.end])
    own = "".join(rest).strip(" \n()【】[]:;。")
    return "\n" not in own and len(own) <= _TITLE_MAX


_TITLE_MAX = 30  # characters of a heading before its clause


def _states_work(text: str, item: Item) -> bool:
    """True if the item's own first line is a sentence of work (改善农民工居住条件。), not a title."""
    if item.style in ("cn", "pcn"):  # 一、 and (一) number sections
        return False
    line = text[item.body_start : item.end].split("\n", 1)[0].strip()
    return len(line) >= _PARAGRAPH_MIN and line.endswith("。")


def _paragraph_drafts(text: str, item: Item) -> list[_Draft]:
    """Drafts for the unnumbered paragraphs under a heading item when two or more of them
    end with their own clause (一、扩大内需 / 认真落实…(财政厅牵头) / 加强银政合作…(人行牵头)),
    else none. A paragraph runs to the line whose clause closes it; a clause that opens its
    line with no task text before it (牵头单位:… label lines) is not such a paragraph."""
    if not is_heading(text, item):
        return []
    first_end = text.find("\n", item.body_start, item.end)
    found: list[tuple[int, int, tuple[Clause, ...]]] = []
    start = pos = first_end + 1
    for line in text[first_end + 1 : item.end].split("\n"):
        end = pos + len(line)
        clauses = find_clauses(text, pos, end) if line.strip() else ()
        if clauses and any(c.lists for c in clauses):
            if len(text[start : clauses[0].span.start].strip(" \n,;。")) < _PARAGRAPH_MIN:
                return []
            found.append((start, end, clauses))
            start = end + 1
        pos = end + 1
    tail = text[start : item.end].strip()
    if found and len(tail) >= _PARAGRAPH_MIN * 3:  # a last paragraph (cut off, or without a clause)
        found.append((start, item.end, ()))
    if len(found) < 2:
        return []
    path = (*item.path, item.number)
    return [
        _item_draft(text, replace(item, style="para", number=f"#{n}", start=a, body_start=a, end=b, path=path), c)
        for n, (a, b, c) in enumerate(found, 1)
    ]


def _absorb_fields(text: str, items: list[Item], clauses: list[tuple[Clause, ...]]) -> set[int]:
    """Numbered field lines of a task ((一)责任领导:… (二)责任单位:…) belong to the task
    above them: its span grows over them and takes their clauses. Updates ``items`` and
    ``clauses`` in place; returns the indexes of the field items."""
    fields = {
        k
        for k, it in enumerate(items)
        if it.parent is not None and starts_with_label(text, it.body_start, it.end)
    }
    for k in sorted(fields):
        p = items[k].parent
        while p in fields:
            p = items[p].parent
        if p is None:
            continue
        items[p] = replace(items[p], end=max(items[p].end, items[k].end))
        clauses[p] = find_clauses(text, items[p].body_start, items[p].end)
        clauses[k] = ()
    return fields


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
    children: dict[int, list[int]] = defaultdict(list)
    for j, it in enumerate(items):
        if it.parent is not None:
            children[it.parent].append(j)
    for k, it in enumerate(items):
        kids = children.get(k, [])
        if len(kids) < 2 or clauses[k] or any(has_children(items, j) for j in kids):
            continue
        last = kids[-1]
        if not clauses[last] or not clauses[last][0].labelled or any(clauses[j] for j in kids[:-1]):
            continue
        own_line = _line_start(text, clauses[last][0].span.start)
        if own_line or (it.parent, it.style) in groups or items[last].style not in task_styles:
            items[k] = replace(it, end=items[last].end)
            clauses[k], clauses[last] = clauses[last], ()
            absorbed.update(kids)
    return absorbed


def _line_start(text: str, pos: int) -> bool:
    """True when only spaces stand between the line break before ``pos`` and ``pos``."""
    while pos > 0 and text[pos - 1] == " ":
        pos -= 1
    return pos > 0 and text[pos - 1] == "\n"


def _item_draft(text: str, item: Item, clauses: tuple[Clause, ...]) -> _Draft:
    item_end = closing_start(text, item.body_start, item.end)
    text_end, end = item_end, item_end
    text_start = item.body_start
    if clauses and clauses[0].labelled:  # the task text stops where the (last) clause starts
        text_end, end = clauses[-1].span.start, clauses[-1].span.end
        if not text[item.body_start : text_end].strip(" \n,;:。"):  # unless the clause comes first
            text_start, text_end, end = clauses[0].span.end, item_end, item_end
    elif clauses:  # national clauses close their paragraph; what follows is not the task
        line_end = text.find("\n", clauses[-1].span.end, item_end)
        text_end = end = item_end if line_end < 0 else line_end
    deadline = next((c.deadline for c in clauses if c.deadline), None)
    return _Draft(
        item.number,
        item.path,
        Span(text_start, text_end),
        Span(item.start, end),
        clauses,
        tuple(roles(clauses)),
        deadline,
        f"item:{item.style}",
    )


def _table_drafts(items: Sequence[Item], tables: Sequence[Table]) -> list[_Draft]:
    drafts = []
    starts = [it.start for it in items]  # in text order
    for table in tables:
        k = bisect_left(starts, table.span.start)  # items[k - 1] is the last one before the table
        path = (*items[k - 1].path, items[k - 1].number) if k else ()
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
                    f"table:{table.layout}",
                    row.text if table.layout == "box" else None,
                )
            )
    return drafts


def _group_leads(text: str, items: Sequence[Item], drafts: list[_Draft]) -> list[_Draft]:
    """Drafts without a lead under a heading that names one (二、区经开区管委会牵头工作) get it."""
    groups = {}
    for k, it in enumerate(items):
        clause = group_clause(title(text, it), it.body_start)
        if clause is None and has_children(items, k):
            found = find_clauses(text, it.body_start, it.end)
            if _titled_lead(text, it, found):
                clause = Clause(found[0].span, tuple(u for c in found for u in c.lists), found[0].deadline)
        if clause is not None:
            groups[(*it.path, it.number)] = clause
    if not groups:
        return drafts
    out = []
    for d in drafts:
        owner = next(
            (
                groups[d.section_path[:n]]
                for n in range(len(d.section_path), 0, -1)
                if d.section_path[:n] in groups
            ),
            None,
        )
        if owner is None or any(role == Role.LEAD for _, role in d.lists):
            out.append(d)
            continue
        own = Clause(d.span, tuple(u for u, _ in d.lists), d.deadline)
        out.append(replace(d, lists=tuple(roles((owner, own)))))
    return out


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


def _task(text: str, printed: _Printed, draft: _Draft, task_id: str, context: UnitContext) -> Task:
    """The Task of ``draft``: units matched in ``text``, task text and printed units from ``printed``."""
    start, end = draft.text_span.start, draft.text_span.end
    inside = sorted(
        (c.span for c in draft.clauses if start <= c.span.start and c.span.end <= end),
        key=lambda s: s.start,
    )
    pos, parts = start, []
    for span in inside:  # national clauses inside the text span
        if span.start >= pos:
            parts.append(printed.slice(pos, span.start))
            pos = span.end
    body = _joined([*parts, printed.slice(pos, end)]) if draft.text is None else draft.text
    units: list[UnitMention] = []
    seen: dict[str, int] = {}  # unit name -> its index in ``units``
    stated = None  # the jurisdiction prefix an earlier list of the task stated
    for unit_list, role in draft.lists:
        pieces = split_units(unit_list.text, unit_list.start)
        found_by = (unit_list.evidence,) if unit_list.evidence else ()
        sure = confidence(unit_list.evidence)
        for u in unit_mentions(pieces, role, context, stated):
            if u.name in seen:  # named again: a lead mark in any of the task's clauses leads
                at = seen[u.name]
                if u.role is Role.LEAD and units[at].role is not Role.LEAD:
                    units[at] = replace(units[at], role=Role.LEAD)
            else:
                seen[u.name] = len(units)
                span = printed.where.span(u.span)
                units.append(  # every field named: this runs for every mention (replace() costs 5x)
                    UnitMention(
                        name=u.name,
                        printed=printed.text[span.start : span.end],
                        role=u.role,
                        span=span,
                        collective=u.collective,
                        evidence=found_by,
                        confidence=sure,
                    )
                )
        stated = (jurisdiction_prefix(pieces[0].text) if pieces else None) or stated
    targets = _targets(text[draft.text_span.start : draft.text_span.end], draft.text_span.start)
    return Task(
        id=task_id,
        number=draft.number,
        section_path=draft.section_path,
        text=one_line(body if draft.number[:1] not in ("", "#") else _BULLET.sub("", body, count=1)).rstrip("— "),
        span=draft.span,
        units=settle_roles(units),
        deadline=draft.deadline,
        targets=targets,
        evidence=(draft.evidence,) if draft.evidence else (),
        confidence=confidence(draft.evidence),
    )


# a bullet that stands for the number of an unnumbered item (● 推进…); a flag in a numbered
# row (5 | ▲完成…) stays in the text
_BULLET = re.compile(r"^\s*[●○◆◇■□▲△★☆•▪▶►◎※√✓✔❖➢➤]+\s*")


_STOPS = ",;。"


def _joined(parts: list[str]) -> str:
    """The pieces of a task text left around the clauses cut out of it, joined with one
    punctuation mark where both sides of a cut keep one (推進建設。 + 。 -> 推進建設。;
    a full stop wins over a comma).

    >>> _joined(["推進智慧城市建設。", "。"]), _joined(["推进X,", "。加快Y。"]), _joined(["推进X。", ""])
    ('推進智慧城市建設。', '推进X。加快Y。', '推进X。')
    """
    if len(parts) == 1:
        return parts[0]
    out = parts[0]
    for part in parts[1:]:
        head = part.lstrip()
        tail = out.rstrip()
        if head[:1] and head[0] in _STOPS and tail[-1:] and tail[-1] in _STOPS:
            if head[0] == "。":
                out = tail[:-1]
                part = head
            else:
                out, part = tail, head[1:]
        out += part
    return out


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
