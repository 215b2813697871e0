"""Layout recovery: flattened tables -> cells, every cell keeping its offset in the text.

Two kinds of flattening are recovered:

- *delimited rows*: cells separated by ``|``, box-drawing bars or tabs on one line.
  ``delimit`` rewrites the separators as tabs without changing the length of the text,
  so every later offset still indexes the printed text;
- *stacked cells*: one cell per line under a header whose column names stand one per
  line (序号 / 重点工作 / 责任单位 / 完成时限). ``stacked_grids`` groups the lines into rows,
  giving each cell the column that accepts it.

>>> delimit("序号 | 任务 | 牵头单位\\n┌──┐")
'序号 \\t 任务 \\t 牵头单位\\n    '
>>> g = stacked_grids("序号\\n工作任务\\n责任单位\\n1\\n推进项目建设。\\n市发改委\\n")[0]
>>> [[(g.columns[c.column], c.text) for c in row] for row in g.rows]
[[('number', '1'), ('task', '推进项目建设。'), ('responsible', '市发改委')]]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from loaders.model import Span
from loaders.pos import first_tag
from loaders.structure import match_marker
from loaders.units import ends_like_unit, is_collective, is_deadline, looks_like_unit, split_units
from loaders.vocabulary import outline_words

_BARS = "|｜│┃║"
_BORDER = re.compile(r"^[\s─━═┄┈┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬+\-=_|｜│┃║]+$")
_BORDER_CHARS = re.compile(r"[─━═┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬]")
_NUMBER_CELL = re.compile(r"^[(\[]?\d{1,3}[)\].、,]?$")
_PROSE = re.compile(r"[。;!?]")
_UNIT_KINDS = frozenset({"lead", "assist", "responsible"})
_MIN_COLUMNS = 2
_MAX_UNIT_CELL = 120
_MAX_DEADLINE_CELL = 24
_MAX_HEADING = 40


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
        return span if self.index is None else Span(self.at(span.start), self.at(span.end))


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
    pos = 0
    for m in _PINYIN.finditer(printed):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, len(printed)))
    keep.append(len(printed))
    return "".join(printed[i] for i in keep[:-1]), TextMap(tuple(keep))


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its column (an index into ``Grid.columns``), text and offset."""

    column: int
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class Grid:
    """A recovered table: column kinds from its header and rows of cells.

    A row with a single cell in column ``-1`` is a line that spans the table (a group
    heading such as 一、产业发展).
    """

    start: int
    end: int
    columns: tuple[str | None, ...]
    rows: tuple[tuple[Cell, ...], ...]


def delimit(text: str, column_kind: Callable[[str], str | None] | None = None) -> str:
    """``text`` with cell separators as tabs: bars and box drawing (see ``_bars``) and the
    spaces of rows whose last cells are unit lists under a space-separated header
    (see ``_spaced``). Same length as ``text``."""
    if column_kind is None:
        from loaders.tables import column_kind
    return _spaced(_bars(text), column_kind)


def _bars(text: str) -> str:
    """``text`` with ``|`` and box-drawing cell separators as tabs and border lines blanked.

    Same length as ``text``. A separator at either end of a line becomes a space, so a
    row ``| a | b |`` has the cells ``a`` and ``b``.
    """
    if not any(b in text for b in _BARS) and not _BORDER_CHARS.search(text):
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
            out.append(_delimit_line(line))
        else:
            out.append(line)
    return "\n".join(out)


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
    before each of the trailing unit cells; the task cell keeps its inner spaces."""
    if " " not in text:
        return text
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        trailing = _spaced_header(lines[i], column_kind)
        if not trailing:
            i += 1
            continue
        lines[i] = _tab_cells(lines[i], trailing, header=True)
        i += 1
        while i < len(lines) and (not lines[i].strip() or _spaced_row(lines[i], trailing)):
            if lines[i].strip():
                lines[i] = _tab_cells(lines[i], trailing, header=False)
            i += 1
    return "\n".join(lines)


def _spaced_header(line: str, column_kind: Callable[[str], str | None]) -> int:
    """The number of trailing unit columns of a space-separated header line, or 0."""
    if "\t" in line or line.count(" ") < 2:
        return 0
    tokens = line.split()
    kinds = [column_kind(t) for t in tokens]
    if "task" not in kinds or any(
        k is None and not _plain_header_cell(t) for k, t in zip(kinds, tokens, strict=True)
    ):
        return 0
    trailing = 0
    for kind in reversed(kinds):
        if kind not in _UNIT_KINDS:
            break
        trailing += 1
    return trailing if trailing and sum(k is not None for k in kinds) >= 3 else 0


def _spaced_row(line: str, trailing: int) -> bool:
    tokens = line.split()
    return len(tokens) > trailing and all(is_unit_cell(t) for t in tokens[-trailing:])


def _tab_cells(line: str, trailing: int, header: bool) -> str:
    """``line`` with a tab after its leading number (or first header word) and before
    each of its last ``trailing`` tokens."""
    chars = list(line)
    starts = [m.start() for m in re.finditer(r"\S+", line)]
    first = re.match(r"\s*\S+", line)
    if first and (header or _NUMBER_CELL.match(first.group().strip())) and first.end() < len(line):
        chars[first.end()] = "\t"
    for at in starts[-trailing:]:
        if at > 0 and chars[at - 1] == " ":
            chars[at - 1] = "\t"
    return "".join(chars)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def stacked_grids(text: str, column_kind: Callable[[str], str | None] | None = None) -> tuple[Grid, ...]:
    """The tables whose header names stand one per line, cells one per line below.

    ``column_kind`` maps a header cell to its kind (``task``, ``lead`` …, ``ignore``) or
    None; by default the one of ``loaders.tables``.
    """
    if column_kind is None:
        from loaders.tables import column_kind
    lines = [(pos, line.strip(), pos + len(line) - len(line.lstrip())) for pos, line in _lines(text)]
    filled = [(at, s) for _, s, at in lines if s]
    grids: list[Grid] = []
    i = 0
    while i < len(filled):
        columns, used = _header(filled, i, column_kind)
        if not columns:
            i += 1
            continue
        j, rows = _rows(text, filled, i + used, columns)
        if rows:
            grids.append(Grid(filled[i][0], _row_end(rows[-1]), columns, tuple(rows)))
        i = max(j, i + used)
    return tuple(grids)


def _header(
    filled: list[tuple[int, str]], i: int, column_kind: Callable[[str], str | None]
) -> tuple[tuple[str | None, ...], int]:
    """The column kinds of a header starting at ``filled[i]`` and the lines it takes.

    A header cell may wrap over two lines (区政府办 / 协管责任人).
    """
    kinds: list[str | None] = []
    j = i
    while j < len(filled) and "\t" not in filled[j][1]:
        line = filled[j][1]
        kind = column_kind(line)
        if kind is None and j + 1 < len(filled) and kinds and column_kind(filled[j + 1][1]) is None:
            kind = column_kind(line + filled[j + 1][1])  # 区政府办 / 协管责任人: one cell on two lines
            if kind is not None:
                j += 1
        if kind is None and not _plain_header_cell(line):
            break
        kinds.append(kind)
        j += 1
    while kinds and kinds[-1] is None:
        kinds.pop()
        j -= 1
    named = [k for k in kinds if k is not None]
    if "task" not in named or not _UNIT_KINDS & set(named) or len(named) < _MIN_COLUMNS:
        return (), 0
    if kinds.count(None) > 2 or kinds[0] is None and kinds[1:2] == [None]:
        return (), 0
    return tuple(kinds), j - i


def _plain_header_cell(line: str) -> bool:
    """A short header cell the vocabulary does not name (类别, 年度目标)."""
    return len(line) <= 12 and not _PROSE.search(line) and not re.search(r"[\d,、:]", line)


def _row_end(row: tuple[Cell, ...]) -> int:
    return row[-1].start + len(row[-1].text)


def cell_class(cell: str) -> str:
    """``number``, ``unit``, ``deadline``, ``heading`` or ``text``.

    >>> [cell_class(c) for c in ("3", "市发改委、市财政局", "2024年底前", "一、产业发展", "推进项目建设。")]
    ['number', 'unit', 'deadline', 'heading', 'text']
    """
    if _NUMBER_CELL.match(cell):
        return "number"
    if is_unit_cell(cell):
        return "unit"
    marker = match_marker(cell, 0, True)
    if marker and marker.style in ("cn", "pcn") and len(cell) <= _MAX_HEADING and not _PROSE.search(cell):
        return "heading"
    if len(cell) <= _MAX_DEADLINE_CELL and is_deadline(cell):
        return "deadline"
    return "text"


def is_unit_cell(cell: str) -> bool:
    """True if the cell is a list of unit names and nothing else.

    >>> is_unit_cell("区新虹桥生态商务区办公室、发改委、经委"), is_unit_cell("加快推进项目建设")
    (True, False)
    """
    cell = cell.lstrip("*※")
    if len(cell) > _MAX_UNIT_CELL or _PROSE.search(cell.rstrip("。;")):
        return False
    pieces = split_units(cell)
    if not pieces or (len(pieces) == 1 and _verb_phrase(cell)):
        return False
    covered = sum(len(p.text) for p in pieces)
    body = len(re.sub(r"[\s、,;/及和与等]", "", cell))
    return (
        covered >= 0.8 * body
        and all(looks_like_unit(p.text) for p in pieces)
        and (any(_named(p.text) for p in pieces))
    )


def _named(name: str) -> bool:
    return ends_like_unit(name) or is_collective(name)


def _accepts(kind: str | None, cls: str) -> bool:
    if kind == "number":
        return cls == "number"
    if kind == "task":
        return cls in ("text", "deadline")
    if kind in _UNIT_KINDS:
        return cls == "unit"
    if kind == "deadline":
        return cls in ("deadline", "text")
    return cls in ("text", "deadline", "unit")  # ignore / unknown columns take anything but numbers


def _column(columns: tuple[str | None, ...], first: int, cls: str) -> int | None:
    """The first column from ``first`` that takes a cell of class ``cls``; a unit list
    goes to a unit column when one is left."""
    if cls == "unit":
        unit = next((k for k in range(first, len(columns)) if columns[k] in _UNIT_KINDS), None)
        if unit is not None:
            return unit
    return next((k for k in range(first, len(columns)) if _accepts(columns[k], cls)), None)


def _rows(
    text: str, filled: list[tuple[int, str]], j: int, columns: tuple[str | None, ...]
) -> tuple[int, list[tuple[Cell, ...]]]:
    """Group the cell lines from ``filled[j]`` into rows; returns (index after the table, rows)."""
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    task_col = columns.index("task")
    while j < len(filled):
        at, s = filled[j]
        if "\t" in s:
            break
        cls = cell_class(s)
        if s.startswith(outline_words("closing_heads")):
            break
        if cls == "heading":
            if row:
                rows.append(tuple(row))
                row = []
            rows.append((Cell(-1, s, at),))
            j += 1
            continue
        if cls == "text" and _is_group_line(s, filled, j):
            if row:
                rows.append(tuple(row))
                row = []
            rows.append((Cell(-1, s, at),))
            j += 1
            continue
        later_unit = row and any(columns[k] in _UNIT_KINDS for k in range(row[-1].column + 1, len(columns)))
        if (
            cls == "unit"
            and row
            and columns[row[-1].column] in _UNIT_KINDS
            and (_continues(row[-1].text) or not later_unit)
        ):
            last = row[-1]  # a unit list wrapped over lines (区财政局、\n区工信局), or one unit per line
            row[-1] = Cell(last.column, text[last.start : at + len(s)], last.start)
            j += 1
            continue
        nxt = row[-1].column + 1 if row else 0
        has_task = any(c.column == task_col for c in row)
        col = _column(columns, nxt, cls)
        numbered = cls == "text" and match_marker(s, 0, True) is not None  # opens the next row
        if numbered and has_task:
            col = None
        elif (
            col is None
            and cls == "text"
            and has_task
            and not numbered
            and not _has_units(row, columns)
            and not row[-1].text.rstrip().endswith(("。", ";", "!", "?"))
        ):
            last = row[-1]  # the row's units are still to come: a cell wrapped over lines
            row[-1] = Cell(last.column, text[last.start : at + len(s)], last.start)
            j += 1
            continue
        if col is None or not row or (cls == "number" and row):
            if row:
                rows.append(tuple(row))
            start = _column(columns, 0, cls)
            if cls == "text" and "number" not in columns[:task_col]:
                start = task_col  # a row without a number cell opens with its task
            if start is None:
                break  # a line no column takes: the table ends
            row = [Cell(start, s, at)]
        else:
            row.append(Cell(col, s, at))
        j += 1
    if row:
        rows.append(tuple(row))
    return j, [r for r in rows if r[0].column == -1 or any(c.column == task_col for c in r)]


def _continues(cell: str) -> bool:
    """True if a unit cell ends with a list separator, so the next line goes on with it."""
    return cell.rstrip().endswith(("、", ",", ";", "/"))


def _is_group_line(s: str, filled: list[tuple[int, str]], j: int) -> bool:
    """A short label followed by a numbered line: a group cell (高质量发展) spanning rows."""
    if len(s) > 10 or _PROSE.search(s) or re.search(r"[\d%,、]", s) or j + 1 >= len(filled):
        return False
    nxt = filled[j + 1][1]
    return cell_class(nxt) == "text" and match_marker(nxt, 0, True) is not None


def _has_units(row: list[Cell], columns: tuple[str | None, ...]) -> bool:
    return any(columns[c.column] in _UNIT_KINDS for c in row)


def _verb_phrase(cell: str) -> bool:
    """True for a sentence that opens with a verb (建成县残疾人综合服务中心。): a task, even
    though it ends like a unit name. Only sentences and long cells are asked, since some
    unit names open with a verb (审批局)."""
    if not (cell.rstrip().endswith("。") or len(cell) >= 9):
        return False
    tag = first_tag(cell)
    return tag is not None and tag[1] == "v" and len(tag[0]) >= 2
