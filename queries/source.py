"""A task's source text: the passage of its report around it, with the clause naming its units.

``task_source(text, task)`` cuts the report's normalised text (the one the spans index)
into excerpts around the task's span and the clauses that name its units, and each
excerpt into segments that say what they are: inside the task, inside a clause, a unit
as printed (with its role). A clause is the run of unit mentions not parted by a sentence
or line break, widened to the words around them on the same line (the label ``牵头单位:``
before, ``负责`` after); it is found from the spans alone, so it works for labels, table
cells and running text alike.

>>> from govkg.queries.results import Holder, TaskInfo
>>> text = "一、稳增长\\n1.抓好项目建设。(牵头单位:区发改局;责任单位:区财政局)\\n2.下一项。"
>>> lead = Holder("dept:甲", "区发改局", "lead", "explicit", "区发改局", (21, 25))
>>> assist = Holder("dept:乙", "区财政局", "assist", "explicit", "区财政局", (31, 35))
>>> task = TaskInfo("t1", "1", "抓好项目建设", "r", "报告", 2021, "甲区", None, (6, 36), (lead, assist))
>>> src = task_source(text, task)
>>> [text[a:b] for a, b in src.clauses]
['牵头单位:区发改局;责任单位:区财政局']
>>> [(s.text, s.role) for s in src.excerpts[0].segments if s.role]
[('区发改局', 'lead'), ('区财政局', 'assist')]
>>> src.excerpts[0].start, src.excerpts[0].end
(0, 43)
"""

from __future__ import annotations

from dataclasses import dataclass

from govkg.queries.results import Holder, TaskInfo

CONTEXT = 100  # characters of context shown before and after, cut at a line or sentence end
REACH_BEFORE = 12  # characters a clause reaches before its first unit (its label, 由 …)
REACH_AFTER = 8  # … and after its last one (负责, 配合 …)
SENTENCE = "。！？!?\n"  # parts two clauses; ends a context cut
CLAUSE_EDGE = SENTENCE + "\t，,；;：:（(【[]】)）、"  # a clause's words stop at these …
LABEL_MARK = "：:"  # … but a label's colon stays inside when the clause starts with it


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of an excerpt: its text and offset in the report's text, whether it is part of the
    task's span and of a clause naming units, and the unit printed there (with its role)."""

    start: int
    text: str
    in_task: bool
    clause: bool
    unit: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A contiguous passage of the report's text, ``[start, end)``, as segments."""

    start: int
    end: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class TaskSource:
    """A task's excerpts (in text order, usually one) and the clause ranges highlighted in them."""

    excerpts: tuple[Excerpt, ...]
    clauses: tuple[tuple[int, int], ...]


def clause_ranges(text: str, mentions: tuple[Holder, ...]) -> tuple[tuple[int, int], ...]:
    """The clauses naming ``mentions`` in ``text``: mentions grouped while no sentence or line break
    parts them, each group widened to the words around it up to a clause edge."""
    spans = sorted({h.span for h in mentions if h.span and 0 <= h.span[0] < h.span[1] <= len(text)})
    groups: list[list[int]] = []
    for start, end in spans:
        if groups and not any(c in SENTENCE for c in text[groups[-1][1] : start]):
            groups[-1][1] = max(groups[-1][1], end)
        else:
            groups.append([start, end])
    out = []
    for start, end in groups:
        out.append((_reach_back(text, start), _reach_on(text, end)))
    return tuple(out)


def _reach_back(text: str, start: int) -> int:
    """Where the clause whose first unit is at ``start`` begins: back over a label (``牵头单位:``)
    or a cue word (``由``), never past a clause edge nor ``REACH_BEFORE`` characters."""
    lo = max(0, start - REACH_BEFORE)
    i = start
    if i > lo and text[i - 1] in LABEL_MARK:  # 牵头单位:X — the label belongs to the clause
        i -= 1
    while i > lo and text[i - 1] not in CLAUSE_EDGE:
        i -= 1
    if i > lo or lo == 0 or text[i - 1] in CLAUSE_EDGE:
        return i
    return start  # no edge within reach: the words before belong to the task, not the clause


def _reach_on(text: str, end: int) -> int:
    """Where the clause whose last unit ends at ``end`` ends (``负责``, ``配合``), up to a clause
    edge within ``REACH_AFTER`` characters, else at the unit."""
    hi = min(len(text), end + REACH_AFTER)
    i = end
    while i < hi and text[i] not in CLAUSE_EDGE:
        i += 1
    return i if i < hi or hi == len(text) or text[i] in CLAUSE_EDGE else end


def _window(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` with up to ``CONTEXT`` characters around, cut just after a line break on each
    side (a sentence end when the lines are longer than that)."""
    start = max(0, lo - CONTEXT)
    if start > 0:
        before = text[start:lo]
        cut = next((before.find(c) for c in ("\n", *SENTENCE) if c in before), -1)
        start = start + cut + 1 if cut >= 0 else lo
    end = min(len(text), hi + CONTEXT)
    if end < len(text):
        after = text[hi:end]
        last = next((after.rfind(c) for c in ("\n", *SENTENCE) if c in after), -1)
        end = hi + last + 1 if last >= 0 else hi
    return start, end


def task_source(text: str, task: TaskInfo) -> TaskSource:
    """The excerpts of ``text`` (the report's normalised text) around ``task`` and its clauses."""
    clauses = clause_ranges(text, task.holders)
    ranges = sorted([*([task.span] if task.span else []), *clauses])
    windows: list[list[int]] = []
    for lo, hi in ranges:
        start, end = _window(text, lo, hi)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    units = {h.span: h for h in task.per_unit if h.span}
    units.update({h.span: h for h in task.holders if h.span and h.span not in units})
    excerpts = tuple(
        Excerpt(start, end, _segments(text, start, end, task.span, clauses, units)) for start, end in windows
    )
    return TaskSource(excerpts, clauses)


def _segments(
    text: str,
    start: int,
    end: int,
    span: tuple[int, int] | None,
    clauses: tuple[tuple[int, int], ...],
    units: dict[tuple[int, int], Holder],
) -> tuple[Segment, ...]:
    """``text[start:end]`` cut wherever the task, a clause or a unit begins or ends."""
    marks = [r for r in (span, *clauses, *units) if r]
    cuts = sorted({start, end, *(p for r in marks for p in r if start < p < end)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        unit = next((h for (u0, u1), h in units.items() if u0 <= a and b <= u1), None)
        out.append(
            Segment(
                start=a,
                text=text[a:b],
                in_task=bool(span and span[0] <= a and b <= span[1]),
                clause=any(c0 <= a and b <= c1 for c0, c1 in clauses),
                unit=unit.unit if unit else None,
                role=unit.role if unit else None,
            )
        )
    return tuple(out)
