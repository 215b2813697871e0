"""Tables recovered as grids of cells, each cell keeping its offset in the text.

- *stacked cells*: one cell per line under a header whose column names stand one per
  line (序号 / 重点工作 / 责任单位 / 完成时限). ``stacked_grids`` groups the lines into rows,
  giving each cell the column that accepts it;
- *box drawing* whose cells wrap over lines and merge across rows: ``box_grids``.

>>> g = stacked_grids("序号\\n工作任务\\n责任单位\\n1\\n推进项目建设。\\n市发改委\\n")[0]
>>> [[(g.columns[c.column], c.text) for c in row] for row in g.rows]
[[('number', '1'), ('task', '推进项目建设。'), ('responsible', '市发改委')]]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from govkg.loaders.cells import PROSE, UNIT_COLUMNS, cell_class, lines_at, plain_header_cell
from govkg.loaders.structure import match_marker
from govkg.loaders.units import jurisdiction_prefix
from govkg.loaders.vocabulary import outline_words

_MIN_COLUMNS = 2
_MAX_HEADER_LINES = 24  # a header stacked one cell per line is never longer (two lines per cell at most)


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


_VERTICAL = re.compile(r"[│┃║├┤┼╠╣╬]")
_HORIZONTAL = frozenset("─━═┄┈-")
_BOX_LINE = re.compile(r"[│┃║┌┐└┘├┤┬┴┼─━═]")
_BULLET = "△▲●◆■□○"


def box_grids(text: str, column_kind: Callable[[str], str | None] | None = None) -> tuple[Grid, ...]:
    """Tables drawn with box characters whose cells wrap over lines and merge across rows.

    Every column collects its text line by line until a horizontal border crosses it; the
    column with most cells sets the rows, and a cell of another column (a merged cell)
    belongs to every row it spans. A cell holding several bulleted items (△…) gives one
    row per item. Cells are the joined text of their lines; ``Cell.start`` is where the
    first line of the cell starts.
    """
    if column_kind is None:
        from govkg.loaders.tables import column_kind
    if not _BOX_LINE.search(text):
        return ()
    grids: list[Grid] = []
    block: list[tuple[int, str]] = []
    for pos, line in [*lines_at(text), (len(text) + 1, "")]:
        if _BOX_LINE.search(line):
            block.append((pos, line))
            continue
        if len(block) >= 3:
            grid = _box_grid(block, column_kind)
            if grid is not None:
                grids.append(grid)
        block = []
    return tuple(grids)


def _box_grid(block: list[tuple[int, str]], column_kind: Callable[[str], str | None]) -> Grid | None:
    width = 0
    split: list[tuple[int, list[tuple[str, int]]] | None] = []
    for pos, line in block:
        if not _VERTICAL.search(line):
            split.append(None)  # a full border
            continue
        cells, start = [], 0
        for m in [*_VERTICAL.finditer(line), None]:
            end = m.start() if m else len(line)
            cells.append((line[start:end], pos + start))
            start = end + 1 if m else end
        cells = cells[1:-1] if len(cells) > 2 else cells
        width = max(width, len(cells))
        split.append((pos, cells))
    if width < 2:
        return None
    # per column, the cells: lists of (line index, segment text, offset)
    columns: list[list[list[tuple[int, str, int]]]] = [[] for _ in range(width)]
    current: list[list[tuple[int, str, int]]] = [[] for _ in range(width)]

    def close(c: int) -> None:
        if current[c]:
            columns[c].append(current[c])
        current[c] = []

    for k, row in enumerate(split):
        if row is None or len(row[1]) != width:
            for c in range(width):
                close(c)
            continue
        for c, (seg, at) in enumerate(row[1]):
            if seg.strip() and set(seg.strip()) <= _HORIZONTAL:
                close(c)
            elif seg.strip():
                current[c].append((k, seg.strip(), at + len(seg) - len(seg.lstrip())))
            elif current[c]:
                current[c].append((k, "", at))  # the cell goes on (merged down) without text
    for c in range(width):
        close(c)
    kinds = tuple(column_kind(_joined(cells[0])) if cells else None for cells in columns)
    if "task" not in kinds or not UNIT_COLUMNS & set(kinds):
        return None
    task_col = kinds.index("task")
    bulleted = any(_joined(cell)[:1] in _BULLET for cell in columns[task_col][1:])
    rows: list[tuple[Cell, ...]] = []
    for cell in columns[task_col][1:]:
        for first, last, body, start in _items(cell) if bulleted else [_whole(cell)]:
            if bulleted and body[:1] not in _BULLET:
                rows.append((Cell(-1, body, start),))  # a group heading among bulleted tasks
                continue
            others = [
                Cell(c, "、".join(_joined(o) for o in found), found[0][0][2])
                for c in range(width)
                if c != task_col and (found := [o for o in columns[c][1:] if o[0][0] <= last and first <= o[-1][0]])
            ]
            rows.append((Cell(task_col, body.lstrip(_BULLET), start), *others))
    return Grid(block[0][0], block[-1][0] + len(block[-1][1]), kinds, tuple(rows))


def _joined(cell: list[tuple[int, str, int]]) -> str:
    return re.sub(r"\s+", "", "".join(seg for _, seg, _ in cell))


def _whole(cell: list[tuple[int, str, int]]) -> tuple[int, int, str, int]:
    return cell[0][0], cell[-1][0], _joined(cell), cell[0][2]


def _items(cell: list[tuple[int, str, int]]) -> list[tuple[int, int, str, int]]:
    """The bulleted items (△…) of a cell, each with its first and last line."""
    items: list[list[tuple[int, str, int]]] = []
    for part in cell:
        if not part[1] and items:
            items[-1].append(part)
        elif part[1][:1] in _BULLET or not items:
            items.append([part])
        else:
            items[-1].append(part)
    return [_whole(item) for item in items]


def stacked_grids(text: str, column_kind: Callable[[str], str | None] | None = None) -> tuple[Grid, ...]:
    """The tables whose header names stand one per line, cells one per line below.

    ``column_kind`` maps a header cell to its kind (``task``, ``lead`` …, ``ignore``) or
    None; by default the one of ``govkg.loaders.tables``.
    """
    if column_kind is None:
        from govkg.loaders.tables import column_kind
    lines = [(pos, line.strip(), pos + len(line) - len(line.lstrip())) for pos, line in lines_at(text)]
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
    while j < min(len(filled), i + _MAX_HEADER_LINES) and "\t" not in filled[j][1]:
        line = filled[j][1]
        kind = column_kind(line)
        if kind is None and j + 1 < len(filled) and kinds and column_kind(filled[j + 1][1]) is None:
            kind = column_kind(line + filled[j + 1][1])  # 区政府办 / 协管责任人: one cell on two lines
            if kind is not None:
                j += 1
        if kind is None and not plain_header_cell(line):
            break
        kinds.append(kind)
        j += 1
    while kinds and kinds[-1] is None:
        kinds.pop()
        j -= 1
    named = [k for k in kinds if k is not None]
    if "task" not in named or not UNIT_COLUMNS & set(named) or len(named) < _MIN_COLUMNS:
        return (), 0
    if kinds.count(None) > 2 or kinds[0] is None and kinds[1:2] == [None]:
        return (), 0
    return tuple(kinds), j - i



def _row_end(row: tuple[Cell, ...]) -> int:
    return row[-1].start + len(row[-1].text)


def _accepts(kind: str | None, cls: str) -> bool:
    if kind == "number":
        return cls == "number"
    if kind == "task":
        return cls in ("text", "deadline")
    if kind in UNIT_COLUMNS:
        return cls == "unit"
    if kind == "deadline":
        return cls in ("deadline", "text")
    return cls in ("text", "deadline", "unit")  # ignore / unknown columns take anything but numbers


def _column(columns: tuple[str | None, ...], first: int, cls: str) -> int | None:
    """The first column from ``first`` that takes a cell of class ``cls``; a unit list
    goes to a unit column when one is left."""
    if cls == "unit":
        unit = next((k for k in range(first, len(columns)) if columns[k] in UNIT_COLUMNS), None)
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
        if cls == "heading" or (cls == "text" and _is_group_line(s, filled, j)):
            if row:  # a line across the table (一、产业发展) or a group cell (高质量发展)
                rows.append(tuple(row))
                row = []
            rows.append((Cell(-1, s, at),))
            j += 1
            continue
        if cls == "text" and row and _unit_cut(s, filled, j, columns[row[-1].column + 1 : row[-1].column + 2]):
            nxt_at, nxt = filled[j + 1]  # 市发展和改 / 革委员会: a unit name cut by the cell's wrap
            filled[j + 1] = (at, text[at : nxt_at + len(nxt)])
            j += 1
            continue
        later_unit = row and any(columns[k] in UNIT_COLUMNS for k in range(row[-1].column + 1, len(columns)))
        if (
            cls == "unit"
            and row
            and columns[row[-1].column] in UNIT_COLUMNS
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


def _unit_cut(s: str, filled: list[tuple[int, str]], j: int, following: tuple[str | None, ...]) -> bool:
    """True if line ``s``, due in a unit column, is the start of a unit name whose end is the
    next line: together they read as a unit, ``s`` starts with a level (市) and the next
    line does not (市发展和改 / 革委员会, never 建设 / 市发改委)."""
    if not following or following[0] not in UNIT_COLUMNS or j + 1 >= len(filled) or len(s) > _CUT_MAX:
        return False
    nxt = filled[j + 1][1]
    return (
        jurisdiction_prefix(s) is not None
        and jurisdiction_prefix(nxt) is None
        and cell_class(s + nxt) == "unit"
    )


_CUT_MAX = 20


def _continues(cell: str) -> bool:
    """True if a unit cell ends with a list separator, so the next line goes on with it."""
    return cell.rstrip().endswith(("、", ",", ";", "/"))


def _is_group_line(s: str, filled: list[tuple[int, str]], j: int) -> bool:
    """A short label followed by a numbered line: a group cell (高质量发展) spanning rows."""
    if len(s) > 10 or PROSE.search(s) or re.search(r"[\d%,、]", s) or j + 1 >= len(filled):
        return False
    nxt = filled[j + 1][1]
    return cell_class(nxt) == "text" and match_marker(nxt, 0, True) is not None


def _has_units(row: list[Cell], columns: tuple[str | None, ...]) -> bool:
    return any(columns[c.column] in UNIT_COLUMNS for c in row)
