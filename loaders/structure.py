"""The numbered outline of a document: items marked 一、 / (一) / 1、 / 1. / (1) / 1) / ①.

Levels come from the order in which numbering styles appear (the usual outline rule:
a style seen before closes the deeper levels, a new style opens a child level).
A marker counts at the start of a line. Inside a line it counts only after a sentence
end, and only if it continues the numbering of an open level, or opens a new level in
flattened text (a Word file converted to a few long lines: a line as long as a page,
or a text with more markers inside lines than at line starts).

>>> items = outline("一、目标\\n(一)生态\\n1.治水。2.治气。\\n(二)产业\\n1.工业。")
>>> [(i.number, i.path) for i in items]
[('一', ()), ('(一)', ('一',)), ('1', ('一', '(一)')), ('2', ('一', '(一)')), ('(二)', ('一',)), ('1', ('一', '(二)'))]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from govkg.loaders.model import Span
from govkg.loaders.vocabulary import outline_words

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "一二三四五六七八九十百〇零"

# style name -> marker pattern at a position; group 1 is the number.
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"([{_CN}]{{1,4}}) *[、.](?![{_CN}])")),
    ("pcn", re.compile(rf"\(([{_CN}]{{1,4}})\)")),
    ("par", re.compile(r"\((\d{1,3})\)")),
    ("ar", re.compile(r"(\d{1,3}) *[、.,](?!\d(?!\d{3}年))")),  # not 1.5, but 3.2023年底前…
    ("arp", re.compile(r"(\d{1,3})\)")),
    ("circ", re.compile(r"([①-⑳])")),
    ("shi", re.compile(rf"([{_CN}]{{1,3}})是(?=[\u4e00-\u9fff])")),  # 一是…: at a line start only
    ("lost", re.compile(r"()、(?=\S)")),  # 、完成…: a number lost in conversion, its mark left
)
# the styles as one pattern, tried in their order; the named group that matched is the style
_ANY_STYLE = {
    line_start: re.compile(
        "|".join(
            re.sub(r"(?<!\\)\((?!\?)", f"(?P<{style}>", p.pattern, count=1)  # group 1, named
            for style, p in _STYLES
            if line_start or style not in ("lost", "shi")
        )
    )
    for line_start in (True, False)
}
_INLINE_FIRST = frozenset(_CN + "(" + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))
_INLINE_AFTER = re.compile(r"[。;:!?)\]】] *")
# in a line as long as a page, a space also stands for a lost paragraph break
_FLAT_BREAK = re.compile(r"[。;:!?)\]】] *| +")
_SENTENCE_END = re.compile(r"[。;!?]")
_DATE = r"\d{4} *年 *\d{1,2} *月 *\d{1,2} *日"
# a date line, or an issuing line (某某市人民政府办公室 2023年3月8日印发)
_DATE_LINE = re.compile(rf"{_DATE}(?: *发布)?|[^,。;:]{{0,30}}{_DATE} *印发")
_SIGNATURE_MAX = 30
_PREAMBLE_TITLE_MAX = 20
_YEAR = re.compile(r"(\d{4}) *年")
FLAT_LINE = 400  # characters: a line this long is a flattened page, not a paragraph
_FLAT_SHARE_MIN = 150  # characters: a line this long that holds half the text is flattened too


def cn_value(numeral: str) -> int:
    """Integer value of a Chinese numeral up to 999 (十二 -> 12, 二十 -> 20).

    >>> cn_value("十二"), cn_value("二十"), cn_value("一百零五")
    (12, 20, 105)
    """
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.get(ch, 0)
    return total + current


def _value(style: str, raw: str) -> int:
    if style in ("cn", "pcn", "shi"):
        return cn_value(raw)
    if style == "circ":
        return ord(raw) - ord("①") + 1
    if style == "lost":
        return 0
    return int(raw)


def _printed(style: str, raw: str) -> str:
    return f"({raw})" if style in ("pcn", "par") else raw


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbering marker found in the text."""

    style: str
    number: str  # as it should be printed in ids: "一", "(一)", "12", "(3)", "①"
    value: int
    start: int
    end: int
    line_start: bool
    flat: bool = False  # found inside a line as long as a flattened page


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered item: its marker, its body ``[body_start, end)`` and its place in the outline."""

    style: str
    number: str
    value: int
    start: int
    body_start: int
    end: int
    depth: int
    parent: int | None
    path: tuple[str, ...]  # numbers of the enclosing items, outermost first

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def match_marker(text: str, pos: int, line_start: bool) -> Marker | None:
    """The numbering marker at ``text[pos]``, if any (no context checks).

    >>> match_marker("1 .推进", 0, True).number
    '1'
    """
    m = _ANY_STYLE[line_start].match(text, pos)
    if m is None:
        return None
    style = m.lastgroup or ""
    raw = m.group(style)
    return Marker(style, _printed(style, raw), _value(style, raw), pos, m.end(), line_start)


def _within(spans: Sequence[Span]) -> Callable[[int], bool]:
    """A test of whether a position lies inside any of ``spans`` (by bisection)."""
    ordered = sorted(spans, key=lambda b: b.start)
    starts = [b.start for b in ordered]
    reach = list(accumulate((b.end for b in ordered), max))  # the furthest end among spans so far

    def test(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and reach[i] > pos

    return test


def _may_open_marker(char: str) -> bool:
    """True if an inline marker (any style but ``lost``) can start with ``char``."""
    return char in _INLINE_FIRST or char.isdecimal()  # ``\\d`` is any decimal digit


def _candidates(text: str, barriers: Sequence[Span]) -> Iterator[Marker]:
    """Markers at line starts and after sentence ends, outside tables."""
    inside = _within(barriers)
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if "\t" not in line and not inside(pos):
            lead = len(line) - len(line.lstrip(" "))
            m = match_marker(text, pos + lead, True)
            if m:
                yield m
            # a page-long line, or a line that is most of a text copied without its breaks
            flat = len(line) >= FLAT_LINE or (len(line) >= _FLAT_SHARE_MIN and 2 * len(line) >= len(text))
            breaks = _FLAT_BREAK if flat else _INLINE_AFTER
            for hit in breaks.finditer(text, pos, end):
                if hit.end() < end and _may_open_marker(text[hit.end()]) and (m is None or hit.end() > m.end):
                    inline = match_marker(text, hit.end(), False)
                    if inline:
                        yield replace(inline, flat=flat)
        pos = end + 1


_ASSIGNS = re.compile(r"牵头|负责|责任单位|责任部门|配合")


def _assigned_points(text: str, candidates: list[Marker]) -> list[Marker]:
    """``candidates`` without the 一是 / 二是 line starts unless most of those lines assign
    their own units (一是加快…。(县农业农村局牵头,…)): points of one task that share
    the clause at its end stay in that task's text.

    >>> t = "(一)发展产业。\\n一是壮大产业;\\n二是推动转型。(县发改局牵头)"
    >>> [m.number for m in _assigned_points(t, list(_candidates(t, ())))]
    ['(一)']
    >>> t = "一是加快农业。(县农业局牵头)\\n二是推进振兴。(县自然资源局牵头)"
    >>> [m.number for m in _assigned_points(t, list(_candidates(t, ())))]
    ['一', '二']
    """
    points = [m for m in candidates if m.style == "shi"]
    if not points:
        return candidates
    assigning = 0
    for m in points:
        end = text.find("\n", m.end)
        if _ASSIGNS.search(text, m.end, len(text) if end < 0 else end):
            assigning += 1
    if assigning * 2 > len(points):
        return candidates
    return [m for m in candidates if m.style != "shi"]


def outline(text: str, barriers: Sequence[Span] = ()) -> tuple[Item, ...]:
    """The numbered items of ``text``; items also end where a barrier (a table) starts."""
    markers: list[Marker] = []
    depths: list[int] = []
    parents: list[int | None] = []
    stack: list[int] = []  # indexes into markers
    last_value: dict[str, int] = {}
    candidates = _assigned_points(text, list(_candidates(text, barriers)))
    # more markers inside lines than at line starts: a flattened file, any line may hold items
    line_starts = sum(m.line_start for m in candidates)
    flat_text = len(candidates) - line_starts > line_starts
    for m in candidates:
        styles = [markers[i].style for i in stack]
        if m.style in styles:
            level = styles.index(m.style)
            if not m.line_start and m.value != markers[stack[level]].value + 1:
                continue
            del stack[level:]
        elif not m.line_start and (
            not (m.flat or flat_text) or m.value not in (1, last_value.get(m.style, -1) + 1)
        ):
            continue
        parents.append(stack[-1] if stack else None)
        depths.append(len(stack))
        stack.append(len(markers))
        markers.append(m)
        last_value[m.style] = m.value
    return _items(text, markers, depths, parents, barriers)


def _items(
    text: str, markers: list[Marker], depths: list[int], parents: list[int | None], barriers: Sequence[Span]
) -> tuple[Item, ...]:
    items: list[Item] = []
    starts = sorted(b.start for b in barriers)
    for k, m in enumerate(markers):
        end = markers[k + 1].start if k + 1 < len(markers) else len(text)
        i = bisect_right(starts, m.start)  # the first barrier after the marker ends the item
        if i < len(starts) and starts[i] < end:
            end = starts[i]
        while end > m.end and text[end - 1].isspace():
            end -= 1
        path: list[str] = []
        p = parents[k]
        while p is not None:
            path.insert(0, markers[p].number)
            p = parents[p]
        items.append(
            Item(m.style, m.number, m.value, m.start, m.end, end, depths[k], parents[k], tuple(path))
        )
    return tuple(items)


def has_children(items: Sequence[Item], index: int) -> bool:
    """True if the item at ``index`` encloses other items."""
    return index + 1 < len(items) and items[index + 1].parent == index


def title(text: str, item: Item) -> str:
    """The item's first line, up to its first sentence end."""
    line = text[item.body_start : item.end].split("\n", 1)[0]
    m = _SENTENCE_END.search(line)
    return (line[: m.start()] if m else line).strip()


def is_heading(text: str, item: Item) -> bool:
    """True if the item is a title line (no sentence end) followed by unnumbered text.

    >>> t = "(一)生态建设取得新成效\\n全力推进清洁空气行动。"
    >>> is_heading(t, outline(t)[0])
    True
    """
    body = text[item.body_start : item.end]
    first, _, rest = body.partition("\n")
    return bool(rest.strip()) and _SENTENCE_END.search(first) is None and len(first) <= 60


def _past_year(line: str, year: int | None) -> bool:
    """True if ``line`` names a year before ``year`` and no plan word (2022年工作情况)."""
    if year is None or any(w in line for w in outline_words("plan_words")):
        return False
    return any(int(y) < year for y in _YEAR.findall(line))


def review_spans(text: str, items: Sequence[Item], year: int | None = None) -> list[Span]:
    """Parts of the text that review past work (工作回顾): their items are not tasks.

    A numbered heading with a review word, or that names a year before ``year`` (the
    year the document plans for), covers its sub-items, and so does a short one with a
    preamble word (指导思想, 基本原则 …: not work items either); an unnumbered heading line with
    a review word runs to the next line with a plan word (今年, 工作安排 …).

    >>> t = "2023年工作回顾\\n(一)经济稳中向好。增长5%。\\n今年重点做好以下工作:\\n(一)扩大内需。推进。"
    >>> [(s.start, t[s.start : s.end].count("(一)")) for s in review_spans(t, outline(t))]
    [(0, 1)]
    """
    review, plan = outline_words("review_words"), outline_words("plan_words")
    preamble = outline_words("preamble_words")
    spans = []
    for k, it in enumerate(items):
        heading = title(text, it)
        if (
            any(w in heading for w in review)
            or (it.depth == 0 and _past_year(heading, year))
            or (len(heading) <= _PREAMBLE_TITLE_MAX and any(w in heading for w in preamble))
        ):
            end = next((o.start for o in items[k + 1 :] if o.depth <= it.depth), len(text))
            spans.append(Span(it.start, end))
    starts = {it.start for it in items}
    lines = text.split("\n")
    line_starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    next_plan: list[int | None] = [None] * len(lines)  # the start of the first plan line after line n
    following = None
    for n in range(len(lines) - 1, -1, -1):
        next_plan[n] = following
        if any(w in lines[n] for w in plan):
            following = line_starts[n]
    for n, line in enumerate(lines):
        pos, end = line_starts[n], next_plan[n]
        if (
            end is not None
            and pos not in starts
            and len(line) <= 30
            and not _SENTENCE_END.search(line)
            and any(w in line for w in review)
        ):
            spans.append(Span(pos, end))
    return spans


def _char_before(text: str, pos: int) -> str:
    """The last character before ``pos`` that is not white space ("" when none)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos else ""


def closing_start(text: str, start: int, end: int) -> int:
    r"""Where the closing part of a document starts in ``text[start:end]``, or ``end``.

    The closing part starts at a later line that opens with a closing head (各位代表,
    附件, 抄送 …) or at a signature: a short unpunctuated line followed by a date line,
    or the date line alone.

    >>> t = "推进项目。\n各位代表,让我们团结奋进!"
    >>> t[: closing_start(t, 0, len(t))]
    '推进项目。\n'
    >>> t = "推进项目。\n某某市人民政府\n2023年3月1日"
    >>> t[: closing_start(t, 0, len(t))]
    '推进项目。\n'
    """
    heads = outline_words("closing_heads")
    pos = text.find("\n", start, end)
    while 0 <= pos < end:
        line_at = pos + 1
        nxt = text.find("\n", line_at, end)
        line = text[line_at : end if nxt < 0 else nxt].strip()
        after_label = _char_before(text, pos) == ":"  # 完成时限:\n2023年6月30日
        if line.startswith(heads) or (_DATE_LINE.fullmatch(line) and not after_label):
            return line_at
        if nxt >= 0 and len(line) <= _SIGNATURE_MAX and not re.search(r"[,。;:!?、]", line):
            after_end = text.find("\n", nxt + 1, end)
            after = text[nxt + 1 : end if after_end < 0 else after_end].strip()
            if _DATE_LINE.fullmatch(after):
                return line_at
        pos = nxt
    return end
