"""Layout recovery: the matching text, with cell separators as tabs and reading aids out.

``delimit`` rewrites ``|``, box-drawing bars and the spaces of space-separated rows as
tabs without changing the length of the text, so every later offset still indexes the
printed text; ``drop_annotations`` takes reading aids out and returns the map back.
Tables stacked one cell per line or drawn with boxes are read by ``govkg.loaders.grids``.

>>> delimit("序号 | 任务 | 牵头单位\\n┌──┐")
'序号 \\t 任务 \\t 牵头单位\\n    '
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from govkg.loaders.cells import UNIT_COLUMNS, is_number_cell, is_unit_cell, plain_header_cell
from govkg.loaders.model import Span
from govkg.loaders.structure import FLAT_LINE
from govkg.loaders.units import is_deadline

_BARS = "|｜│┃║"
_BORDER = re.compile(r"^[\s─━═┄┈┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬+\-=_|｜│┃║]+$")
_BORDER_CHARS = re.compile(r"[─━═┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬]")

_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff\w])\([a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}\)")


@dataclass(frozen=True, slots=True)
class TextMap:
    """Where each character of a compacted text stands in the printed text.

    ``index`` is None when nothing was taken out (the offsets are the same).
    """

    index: tuple[int, ...] | None = None

    def at(self, i: int) -> int:
        """The printed offset of compact offset ``i`` (``i`` may be the end)."""
        if self.index is None:
            return i
        return self.index[min(i, len(self.index) - 1)]

    def span(self, span: Span) -> Span:
        """The printed span of the characters of ``span`` (annotations after its last one left out)."""
        if self.index is None:
            return span
        end = self.at(span.end - 1) + 1 if span.end > span.start else self.at(span.start)
        return Span(self.at(span.start), end)


def drop_annotations(printed: str) -> tuple[str, TextMap]:
    """The text without reading aids (pinyin after characters: 建設(shè) -> 建設) and the
    map back to ``printed``, whose spans and printed forms keep them.

    >>> text, where = drop_annotations("鄉(xiāng)鎮(zhèn)工作")
    >>> text, where.at(1), where.at(2)
    ('鄉鎮工作', 8, 15)
    """
    if "(" not in printed or not _PINYIN.search(printed):
        return printed, TextMap()
    keep: list[int] = []
    parts: list[str] = []
    pos = 0
    for m in _PINYIN.finditer(printed):
        keep.extend(range(pos, m.start()))
        parts.append(printed[pos : m.start()])
        pos = m.end()
    keep.extend(range(pos, len(printed)))
    parts.append(printed[pos:])
    keep.append(len(printed))
    return "".join(parts), TextMap(tuple(keep))


def delimit(text: str, column_kind: Callable[[str], str | None] | None = None) -> str:
    """``text`` with cell separators as tabs: bars and box drawing (see ``_bars``) and the
    spaces of rows whose last cells are unit lists under a space-separated header
    (see ``_spaced``). Same length as ``text``."""
    if column_kind is None:
        from govkg.loaders.tables import column_kind
    return _spaced(_bars(text, column_kind), column_kind)


def _bars(text: str, column_kind: Callable[[str], str | None]) -> str:
    """``text`` with ``|`` and box-drawing cell separators as tabs and border lines blanked.

    Same length as ``text``. A separator at either end of a line becomes a space, so a
    row ``| a | b |`` has the cells ``a`` and ``b``.
    """
    if not any(b in text for b in _BARS + "\t") and not _BORDER_CHARS.search(text):
        return text
    out = []
    for line in text.split("\n"):
        if (
            _BORDER.match(line)
            and _BORDER_CHARS.search(line)
            or (line.strip() and set(line.strip()) <= set(_BARS))
        ):
            out.append(" " * len(line))
        elif any(b in line for b in _BARS):
            out.append(_field_line(line, column_kind) or _prose_line(line) or _delimit_line(line))
        elif "\t" in line:  # a row of tab-separated cells (a reader's table, a spreadsheet's text)
            out.append(_field_line(line, column_kind) or _closing_tab(line))
        else:
            out.append(line)
    return "\n".join(out)


_BAR = re.compile(f"[{re.escape(_BARS)}]")
_CELL_SEPARATOR = re.compile(f"[{re.escape(_BARS)}\t]")


def _field_line(line: str, column_kind: Callable[[str], str | None]) -> str | None:
    """A row of a two-column form (``重点工作: | 135.统筹… |``, ``牵头单位:\t市城管局``) as
    the field it states: separators blanked, and a label that names the task blanked too,
    so that the task's number opens the line; None for any other line."""
    cells = [c for c in _CELL_SEPARATOR.split(line) if c.strip()]
    if len(cells) != 2 or not cells[0].strip().endswith(":"):
        return None
    label = cells[0].strip()
    blanked = _CELL_SEPARATOR.sub(" ", line)
    if column_kind(label.rstrip(":")) == "task":
        at = blanked.index(label)
        blanked = blanked[:at] + " " * len(label) + blanked[at + len(label) :]
    return blanked


def _prose_line(line: str) -> str | None:
    """A flattened page with a few bars in it (a web page's navigation copied with its text:
    ``加入收藏 | 繁體中文 | 今年重点工作…``), bars as spaces; None for a row. A row's cells are
    shorter than a page; the text between two of these bars runs to ``FLAT_LINE`` or more.

    >>> _prose_line("首页 | 政策 | " + "推进" * 200) == "首页   政策   " + "推进" * 200
    True
    """
    if max(len(c) for c in _BAR.split(line)) < FLAT_LINE:
        return None
    return _BAR.sub(" ", line)


def _closing_tab(line: str) -> str:
    """``line`` with a tab that ends it as a space: it closes the row, as a bar at the end does
    (``1\t推进项目\t市发改委\t`` has three cells, as ``1 | 推进项目 | 市发改委 |``)."""
    stripped = line.rstrip(" ")
    if not stripped.endswith("\t"):
        return line
    return stripped[:-1] + " " + line[len(stripped) :]


def _delimit_line(line: str) -> str:
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    trail = lead + len(stripped)
    chars = list(line)
    for i, c in enumerate(chars):
        if c in _BARS:
            edge = i == lead or i == trail - 1
            chars[i] = " " if edge else "\t"
    return "".join(chars)


def _spaced(text: str, column_kind: Callable[[str], str | None]) -> str:
    """Tabs for the spaces that separate cells in a table whose header and rows are
    separated by spaces (序号 类别 主要任务 牵头单位 参与单位): after a leading number and
    before each of the trailing unit cells and of the deadline cells after them (完成时限);
    the task cell keeps its inner spaces."""
    if " " not in text:
        return text
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        trailing, after = _spaced_header(lines[i], column_kind)
        if not trailing:
            i += 1
            continue
        lines[i] = _tab_cells(lines[i], trailing + after, header=True)
        i += 1
        while i < len(lines):
            tail = _spaced_row(lines[i], trailing, after) if lines[i].strip() else 0
            if lines[i].strip() and not tail:
                break
            if tail:
                lines[i] = _tab_cells(lines[i], tail, header=False)
            i += 1
    return "\n".join(lines)


_SPACED_DEADLINE_MAX = 2  # deadline columns after the unit columns


def _spaced_header(line: str, column_kind: Callable[[str], str | None]) -> tuple[int, int]:
    """The number of trailing unit columns of a space-separated header line and of the
    deadline columns after them, or (0, 0)."""
    if "\t" in line or line.count(" ") < 2:
        return 0, 0
    tokens = line.split()
    kinds = [column_kind(t) for t in tokens]
    if "task" not in kinds or any(
        k is None and not plain_header_cell(t) for k, t in zip(kinds, tokens, strict=True)
    ):
        return 0, 0
    after = 0
    while after < min(_SPACED_DEADLINE_MAX, len(kinds)) and kinds[len(kinds) - 1 - after] == "deadline":
        after += 1
    trailing = 0
    for kind in reversed(kinds[: len(kinds) - after]):
        if kind not in UNIT_COLUMNS:
            break
        trailing += 1
    return (trailing, after) if trailing and sum(k is not None for k in kinds) >= 3 else (0, 0)


def _spaced_row(line: str, trailing: int, after: int = 0) -> int:
    """The number of trailing cells of a row under such a header (its unit cells and the
    deadline cells after them, which a row may leave out), or 0 if it is not a row."""
    tokens = line.split()
    for dates in sorted({after, 0}, reverse=True):
        tail = trailing + dates
        if (
            len(tokens) > tail
            and all(is_deadline(t) for t in tokens[len(tokens) - dates :] if dates)
            and all(is_unit_cell(t) for t in tokens[len(tokens) - tail : len(tokens) - dates])
        ):
            return tail
    return 0


def _tab_cells(line: str, trailing: int, header: bool) -> str:
    """``line`` with a tab after its leading number (or first header word) and before
    each of its last ``trailing`` tokens."""
    chars = list(line)
    starts = [m.start() for m in re.finditer(r"\S+", line)]
    first = re.match(r"\s*\S+", line)
    if first and (header or is_number_cell(first.group().strip())) and first.end() < len(line):
        chars[first.end()] = "\t"
    for at in starts[-trailing:]:
        if at > 0 and chars[at - 1] == " ":
            chars[at - 1] = "\t"
    return "".join(chars)
