"""Responsibility clauses in the body of a task: who leads, who assists, by when.

Two families:

- labelled: ``(责任单位:A、B)``, ``[牵头单位:A;责任单位:B]``, ``牵头单位:A,责任单位:B)``
  with the opening bracket lost, and ``牵头单位:`` / ``配合单位:`` / ``完成时限:`` lines;
- national: ``(A牵头,B、C等按职责分工负责,年内持续推进)``; the part after the units
  is the deadline.

The parser only finds the lists (kind, text, offset); ``govkg.loaders.units`` splits them.

>>> c = find_clauses("推进。(牵头单位:市发改委;责任单位:市财政局)", 0, 24)[0]
>>> [(u.kind, u.text) for u in c.lists]
[('lead', '市发改委'), ('responsible', '市财政局')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from govkg.loaders.model import Span
from govkg.loaders.units import ends_like_unit, is_collective, is_deadline, split_units
from govkg.loaders.vocabulary import clause_labels, national_verbs, table

_OPENERS, _CLOSERS = "([【〔", ")]】〕"
_BRACKET = re.compile(f"[{re.escape(_OPENERS + _CLOSERS)}]")
_LABEL_BEFORE = frozenset("([【〔。;,:!?)]】〕 \n、—.")  # . of a number: 1.配合单位:
_PART_SPLIT = re.compile(r"[,;。]")
_SLOTS = ("lead", "assist", "responsible")
_FIRST_SLOT = r"(?<![^,;。:(\[【〔\s—])(?P<{0}>[^,;。:()\[\]【】〔〕\n—]{{2,120}}?)"  # —— sets a clause off
_NEXT_SLOT = r"(?P<{0}>[^;。:()\[\]【】〔〕\n]{{2,160}}?)"


@dataclass(frozen=True, slots=True)
class UnitList:
    """A unit list of a clause: ``kind`` is ``lead``, ``assist`` or ``responsible``."""

    kind: str
    text: str
    start: int
    evidence: str = ""  # the rule that found it: "label:牵头单位", "cue:by_lead", "column:责任单位" …


@dataclass(frozen=True, slots=True)
class Clause:
    """A responsibility clause at ``span``; ``lists`` may be empty (按…分工对应落实)."""

    span: Span
    lists: tuple[UnitList, ...]
    deadline: str | None = None
    labelled: bool = True  # False for the national style, which may sit mid-text


@cache
def _label_pattern() -> re.Pattern[str]:
    words = sorted((w for ws in clause_labels().values() for w in ws), key=len, reverse=True)
    # 牵头单位: or a bracketed label with or without a colon: 【牵头单位】 [牵头单位]:; also
    # 责任单位为… and labels set off by a space (牵头单位 市发改委 配合单位 市财政局)
    # the look-ahead at the first characters lets the search skip ahead (the optional bracket
    # group would otherwise make it try every label at every position: 6x slower)
    first = "".join(sorted({w[0] for w in words} | {"【", "["}))
    return re.compile(
        rf"(?=[{re.escape(first)}])(?P<open>[【\[])?(?P<label>"
        + "|".join(map(re.escape, words))
        + r")"
        + _LABEL_QUALIFIER
        + r"(?(open)[】\]] *:?|(?: *:|为| (?=[^\s:])))"
    )


# what a label may add before its colon: 牵头单位(部门): 责任单位(人): 责任单位及责任人:
_LABEL_QUALIFIER = r"(?:\((?:部门|单位|处室|科室|人|责任人|负责人)\)|及(?:其)?(?:责任人|负责人|联系人))?"


@cache
def _label_kind() -> dict[str, str]:
    return {w: kind for kind, ws in clause_labels().items() for w in ws}


def _labels(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Label matches in ``text[start:end]`` that stand where a clause can begin."""
    out = []
    for m in _label_pattern().finditer(text, start, end):
        if m.group("open") or m.start() == start or text[m.start() - 1] in _LABEL_BEFORE:
            out.append(m)
    return out


def starts_with_label(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` opens with a clause or field label (责任单位:, 责任领导:).

    >>> starts_with_label("责任领导:张三", 0, 7), starts_with_label("推进。(责任单位:甲局)", 0, 12)
    (True, False)
    """
    m = _label_pattern().match(text, start, end)
    return m is not None


def find_clauses(text: str, start: int, end: int) -> tuple[Clause, ...]:
    """Responsibility clauses in ``text[start:end]``: labelled ones (several when the
    text goes on between them: 一是…(牵头单位:A)二是…(牵头单位:B)), else national ones."""
    labels = _labels(text, start, end)
    if not labels:
        return _national(text, start, end) or cue_clauses(text, start, end)
    label_at = {m.start(): m for m in labels}
    starts = list(label_at)
    clauses: list[Clause] = []
    k = 0
    while k < len(labels):
        clause = _labelled(text, start, end, labels[k], label_at)
        clauses.append(clause)
        k = bisect_left(starts, clause.span.end)  # the first label after the clause
    return tuple(clauses)


def _labelled(text: str, start: int, end: int, first: re.Match[str], label_at: dict[int, re.Match[str]]) -> Clause:
    before = first.start()  # the clause opens at a bracket before its label (…(牵头单位:A)
    while before > start and text[before - 1] == " ":
        before -= 1
    clause_start = before - 1 if before > start and text[before - 1] in _OPENERS else first.start()
    lists: list[UnitList] = []
    deadline = None
    m: re.Match[str] | None = first
    pos = first.start()
    while m is not None:
        seg_end, stop, pos = _segment(text, m.end(), end, label_at)
        kind = _label_kind()[m.group("label")]
        seg = text[m.end() : seg_end].rstrip(" \n,;、。([【〔")  # 市发改委(联系人:… : the bracket held the next label
        if kind == "deadline":
            deadline = seg.strip(" \n,;:。") or deadline
        elif kind != "ignore":
            seg, trailing = split_deadline(seg)
            deadline = deadline or trailing
            lists.append(UnitList(kind, seg, m.end(), f"label:{m.group('label')}"))
        m = None if stop else label_at.get(pos)
    return Clause(Span(clause_start, pos), tuple(lists), deadline)


def split_deadline(segment: str) -> tuple[str, str | None]:
    """A unit list with a trailing deadline part split off.

    >>> split_deadline("市发改委、市财政局,2024年底前完成")
    ('市发改委、市财政局', '2024年底前完成')
    """
    parts = _split_top(segment)
    k = len(parts)
    while k > 1 and is_deadline(parts[k - 1]) and not split_units(parts[k - 1]):
        k -= 1
    if k == len(parts):
        return segment, None
    head = segment[: sum(len(p) + 1 for p in parts[:k]) - 1]
    return head, ",".join(p.strip() for p in parts[k:] if p.strip()) or None


def _segment(text: str, i: int, end: int, label_at: dict[int, re.Match[str]]) -> tuple[int, bool, int]:
    """End of the list that starts at ``i``: (list end, clause ends, next position).

    A list goes on over a line break after its label or after a separator (市发改委、).
    """
    depth, begin = 0, i
    while i < end:
        if i in label_at and i > begin:
            return i, False, i
        c = text[i]
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            if depth == 0:
                return i, True, i + 1
            depth -= 1
        elif depth == 0 and (c == "。" or (c == "\n" and _list_ends(text[begin:i]))):
            nxt = i + 1
            while nxt < end and text[nxt].isspace():
                nxt += 1
            if nxt in label_at:
                return i, False, nxt
            return i, True, i + (c == "。")
        i += 1
    return end, True, end


def _list_ends(content: str) -> bool:
    """True if a list broken by a line end is complete (not empty, no trailing separator)."""
    content = content.strip()
    return bool(content) and content[-1] not in "、,;"


def _national(text: str, start: int, end: int) -> tuple[Clause, ...]:
    clauses = []
    groups = _bracket_groups(text, start, end)
    for open_at, close_at in groups:
        clause = _national_group(text, open_at + 1, close_at)
        if clause is not None:
            clauses.append(Clause(Span(open_at, close_at + 1), clause.lists, clause.deadline, labelled=False))
    if not clauses and groups:
        bare = _bare_list(text, *groups[-1], end)
        return (bare,) if bare else ()
    return tuple(clauses)


def _bare_list(text: str, open_at: int, close_at: int, end: int) -> Clause | None:
    """``。(市发改委、市财政局)`` closing a task: a list of units with no label or verb.

    Taken only after a sentence end, at the end of the task, when every item ends like a unit.
    """
    before = open_at
    while before > 0 and text[before - 1] in " \n":  # the list may stand on its own line
        before -= 1
    if text[before - 1 : before] != "。" or text[close_at + 1 : end].strip(" \n。"):
        return None
    content = text[open_at + 1 : close_at]
    pieces = split_units(content, open_at + 1)
    items = [p for p in _split_top(content.replace("、", ",")) if p.strip()]
    if not pieces or len(pieces) != len(items) or not all(ends_like_unit(p.text) for p in pieces):
        return None
    return Clause(
        Span(open_at, close_at + 1),
        (UnitList("responsible", content, open_at + 1, "bare-list"),),
        labelled=False,
    )


def _bracket_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    groups, depth, open_at = [], 0, -1
    for m in _BRACKET.finditer(text, start, end):
        i, c = m.start(), m.group()
        if c in _OPENERS:
            if depth == 0:
                open_at = i
            depth += 1
        elif c in _CLOSERS and depth:
            depth -= 1
            if depth == 0:
                groups.append((open_at, i))
    return groups


def _national_group(text: str, start: int, end: int) -> Clause | None:
    """``A牵头,B、C按职责分工负责,年内完成`` between ``start`` and ``end``, or None. Units
    listed with commas before a verb are its list too: ``(A牵头,B,C配合)`` has B and C assist.

    >>> t = "(市商务局牵头,市财政局,市统计局配合)"
    >>> [(u.kind, u.text) for u in _national_group(t, 1, len(t) - 1).lists]
    [('lead', '市商务局'), ('assist', '市财政局,市统计局')]
    """
    lists: list[UnitList] = []
    rest: list[str] = []
    bare: list[tuple[int, str]] = []  # unit-only parts since the last list: (offset, part)
    pos = start
    for part in _split_top(text[start:end]):
        found = _verb_list(part, pos)
        if found and bare:  # the list began at the first of them
            found = UnitList(found.kind, text[bare[0][0] : found.start + len(found.text)], bare[0][0], found.evidence)
        if found and split_units(found.text, found.start):
            lists += _with_partner(found)
            bare = []
        elif _unit_slot(part.strip().removeprefix("由")):
            bare.append((pos, part))
        else:
            if lists:  # units not followed by a verb are part of the rest (the deadline)
                rest += [p.strip() for _, p in bare] + [part.strip()]
            bare = []
        pos += len(part) + 1
    if not lists:
        return None
    rest += [p.strip() for _, p in bare]
    if len(lists) == 1 and _sole_unit_in_charge(lists[0]):
        lists[0] = UnitList("lead", lists[0].text, lists[0].start, "verb:负责(sole)")
    deadline = ",".join(p for p in rest if p) or None
    return Clause(Span(start, end), tuple(lists), deadline)


def _sole_unit_in_charge(found: UnitList) -> bool:
    """True for ``(生态环境部负责)``: a bracket that puts one named unit in charge (plain
    负责, no 等, no 由, not a collective) names the lead; ``(X、Y负责)``, ``(X等负责)`` and
    ``(各地区负责)`` stay responsible.

    >>> _sole_unit_in_charge(UnitList("responsible", "生态环境部", 0, "verb:负责"))
    True
    >>> [_sole_unit_in_charge(UnitList("responsible", t, 0, "verb:负责")) for t in ("甲局、乙局", "甲局等", "由甲局", "各地区")]
    [False, False, False, False]
    """
    if found.evidence != "verb:负责":
        return False
    text = found.text.strip()
    pieces = split_units(text, 0)
    return (
        len(pieces) == 1
        and not text.startswith("由")
        and "等" not in text
        and not is_collective(pieces[0].text)
        and ends_like_unit(pieces[0].text)
    )


_PARTNER = "会同"


def _with_partner(found: UnitList) -> list[UnitList]:
    """``X会同Y负责``: X leads and Y assists; any other list as it is."""
    at = found.text.find(_PARTNER)
    if at < 2 or at + len(_PARTNER) >= len(found.text) or found.kind == "assist":
        return [found]
    after = at + len(_PARTNER)
    return [
        UnitList("lead", found.text[:at], found.start, f"verb:{_PARTNER}"),
        UnitList("assist", found.text[after:], found.start + after, f"verb:{_PARTNER}"),
    ]


def _split_top(content: str) -> list[str]:
    """``content`` split on , and ; outside brackets."""
    parts, depth, begin = [], 0, 0
    for i, c in enumerate(content):
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and _PART_SPLIT.match(c):
            parts.append(content[begin:i])
            begin = i + 1
    parts.append(content[begin:])
    return parts


def _verb_list(part: str, start: int) -> UnitList | None:
    stripped = part.rstrip(" 。")
    for kind in ("lead", "responsible", "assist"):
        for verb in national_verbs()[kind]:
            if stripped.endswith(verb) and len(stripped) > len(verb):
                return UnitList(kind, stripped[: -len(verb)], start, f"verb:{verb}")
    return None


@cache
def cue_rules(key: str = "rules") -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The cue rules of ``cues.json`` (``rules`` or ``group_rules``) as (name, compiled
    pattern), in order.

    >>> dict(cue_rules())["by_lead"].search("由市发改委牵头").group("lead")
    '市发改委'
    """
    rules = []
    for rule in table("cues")[key]:
        pattern = rule["pattern"]
        for slot in _SLOTS:
            if "{" + slot + "}" in pattern:
                form = _FIRST_SLOT if pattern.startswith("{" + slot + "}") else _NEXT_SLOT
                pattern = pattern.replace("{" + slot + "}", form.format(slot))
        rules.append((rule["name"], re.compile(pattern)))
    return tuple(rules)


def cue_clauses(text: str, start: int, end: int) -> tuple[Clause, ...]:
    """Clauses of the cue rules (由X会同Y负责, X牵头,Y配合 …) in ``text[start:end]``.

    >>> [(u.kind, u.text) for c in cue_clauses("由街道社区办负责考核。", 0, 11) for u in c.lists]
    [('responsible', '街道社区办')]
    """
    found: list[Clause] = []
    for name, pattern in cue_rules():
        for m in pattern.finditer(text, start, end):
            if any(c.span.start < m.end() and m.start() < c.span.end for c in found):
                continue
            lists = tuple(
                UnitList(slot, m.group(slot), m.start(slot), f"cue:{name}")
                for slot in _SLOTS
                if slot in pattern.groupindex
            )
            if all(_unit_slot(u.text) for u in lists):
                found.append(Clause(Span(m.start(), m.end()), lists, labelled=False))
    return tuple(sorted(found, key=lambda c: c.span.start))


def group_clause(title: str, start: int) -> Clause | None:
    """The lead a group heading names for the tasks below it (区经开区管委会牵头工作), or None.

    >>> [(u.kind, u.text) for u in group_clause("区经开区管委会牵头工作(5项)", 0).lists]
    [('lead', '区经开区管委会')]
    """
    for name, pattern in cue_rules("group_rules"):
        m = pattern.match(title)
        if m:
            lists = tuple(
                UnitList(slot, m.group(slot), start + m.start(slot), f"group:{name}")
                for slot in _SLOTS
                if slot in pattern.groupindex
            )
            if all(_unit_slot(u.text) for u in lists):
                return Clause(Span(start + m.start(), start + m.end()), lists, labelled=False)
    return None


def _unit_slot(content: str) -> bool:
    """True if every item of ``content`` is a unit name (no phrase such as 排名首位的部门)."""
    items = [p for p in re.split(r"[、,;/]", content) if p.strip()]
    pieces = split_units(content)
    return (
        bool(pieces)
        and len(pieces) >= len(items)
        and "的" not in content
        and all(ends_like_unit(p.text) or is_collective(p.text) for p in pieces)
    )
