"""Task tables: tab-separated rows under a header such as 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限.

The readers render a table as one line per row with cells separated by a tab, header
row included. Columns the extraction does not use (责任领导 …) are ignored.

>>> t = "序号\\t工作任务\\t牵头单位\\t配合单位\\n1\\t推进项目\\t市发改委\\t市财政局"
>>> rows = find_tables(t)[0].rows
>>> rows[0].number, rows[0].text, [(u.kind, u.text) for u in rows[0].lists]
('1', '推进项目', [('lead', '市发改委'), ('assist', '市财政局')])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from govkg.loaders.cells import UNIT_COLUMNS, cell_class, lines_at
from govkg.loaders.clauses import UnitList, find_clauses
from govkg.loaders.grids import Grid, stacked_grids
from govkg.loaders.model import Span
from govkg.loaders.structure import match_marker
from govkg.loaders.vocabulary import clause_labels, table_columns

_MAX_HEADER_CELL = 12
_MAX_SECTION_ROW = 30
_SENTENCE_PUNCT = re.compile(r"[。;!?]")


@dataclass(frozen=True, slots=True)
class Row:
    """One task row: its number, task text (with its span) and unit lists."""

    number: str
    text: str
    text_span: Span
    span: Span
    lists: tuple[UnitList, ...]
    deadline: str | None
    section: tuple[str, ...] = ()  # number of the last section row (一、产业发展) above it


@dataclass(frozen=True, slots=True)
class Table:
    """A task table: the span of its lines and its task rows."""

    span: Span
    rows: tuple[Row, ...]
    layout: str = "delimited"  # how its rows were recovered: "delimited" or "stacked"


@lru_cache(maxsize=16384)
def column_kind(cell: str) -> str | None:
    """The kind of a header cell (``task``, ``lead`` …), ``ignore`` or None.

    >>> column_kind("牵头单位"), column_kind("责任领导"), column_kind("重点工作任务")
    ('lead', 'ignore', 'task')
    """
    cell = cell.replace(" ", "")
    if not cell or len(cell) > _MAX_HEADER_CELL:
        return None
    if any(w in cell for w in clause_labels()["ignore"]):
        return "ignore"
    for kind in ("number", "lead", "assist", "responsible", "deadline", "task"):
        if any(w in cell for w in table_columns()[kind]):
            return kind
    return None


def find_tables(text: str, boxes: tuple[Grid, ...] = ()) -> tuple[Table, ...]:
    """The task tables in ``text`` (a header with a task column and a unit column).

    A second header line (牵头单位 | 配合单位 under a merged 责任单位) refines the columns.
    """
    tables = []
    lines = list(lines_at(text))
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        kinds = [column_kind(c) for c in line.split("\t")] if "\t" in line else []
        if "task" in kinds and any(k in kinds for k in UNIT_COLUMNS):
            j = i + 1
            rows: list[Row] = []
            section: tuple[str, ...] = ()
            while j < len(lines) and _in_table(lines, j):
                row_at, row_line = lines[j]
                after = lines[j + 1][1] if j + 1 < len(lines) else ""
                if rows and (_is_header(row_line) or ("\t" not in row_line and _is_header(after))):
                    break  # the next table: its header, or its title line
                merged = _continued(rows[-1], row_at, row_line, kinds) if rows and "\t" in row_line else None
                if merged:  # a row whose unit list wraps into the next line's cell
                    rows[-1] = merged
                    j += 1
                    continue
                row = _row(text, row_at, row_line, kinds, len(rows) + 1) if "\t" in row_line else None
                if not rows and _is_header(row_line):
                    kinds = _refine(kinds, row_line)
                elif row and not row.lists and not row.deadline and _names_section(row) and not _next_in_sequence(rows, row):
                    section = (row.number,) if not row.number.isdigit() else section
                elif row and not (rows and row.text == rows[-1].text):
                    rows.append(replace(row, section=section))
                elif row is None and not rows and any(column_kind(c) for c in row_line.split("\t")):
                    kinds = _refine(kinds, row_line)
                elif row is None:
                    section = _section_row(row_line) or section
                j += 1
            end = lines[j - 1][0] + len(lines[j - 1][1])
            tables.append(Table(Span(pos, end), tuple(rows)))
            i = j
        else:
            i += 1
    if boxes:  # box-drawn tables were read before their bars became tabs
        tables = [t for t in tables if not any(b.start < t.span.end and t.span.start < b.end for b in boxes)]
        tables += [grid_table(text, b, "box") for b in boxes]
    for grid in stacked_grids(text, column_kind):
        if not any(t.span.start <= grid.start < t.span.end for t in tables):
            tables.append(grid_table(text, grid))
    return tuple(sorted(tables, key=lambda t: t.span.start))


def _in_table(lines: list[tuple[int, str]], j: int) -> bool:
    """True if line ``j`` is a table row, or a short line between rows (a heading merged across the
    row, a box-drawn border blanked, or the empty line a web page's text puts after each row)."""
    line = lines[j][1]
    if "\t" in line:
        return True
    between = not line.strip() or len(line) <= _MAX_SECTION_ROW
    return between and j + 1 < len(lines) and "\t" in lines[j + 1][1]


_LIST_OPEN_END = ("、", ",", ";", "，")


def _continued(prev: Row, pos: int, line: str, kinds: list[str | None]) -> Row | None:
    r"""``prev`` with the cells of ``line`` added when ``line`` continues it: its number
    cell is empty, a unit cell of it is filled, and the unit list of ``prev`` in that
    column stopped at a list separator (``县移动公司、`` / ``\t\t\t县电信公司``); else None.
    Its task cell, if any, is the wrapped end of the task text and adds nothing."""
    if "number" not in kinds:
        return None
    parts = line.split("\t")
    if len(parts) > len(kinds) or parts[kinds.index("number")].strip():
        return None
    added: list[UnitList] = []
    offset = pos
    for cell, kind in zip(parts, kinds, strict=False):
        if kind in UNIT_COLUMNS and cell.strip():
            above = [u for u in prev.lists if u.kind == kind]
            if not above or not above[-1].text.rstrip().endswith(_LIST_OPEN_END):
                return None
            added.append(UnitList(kind, cell, offset, above[-1].evidence))
        elif kind not in ("task", "deadline", "ignore", None) and cell.strip():
            return None
        offset += len(cell) + 1
    if not added:
        return None
    return replace(prev, lists=prev.lists + tuple(added), span=Span(prev.span.start, pos + len(line)))


def _next_in_sequence(rows: list[Row], row: Row) -> bool:
    """True for a row numbered one after the task row above it (2 under 1): a task whose
    unit cells are merged into the row above, not a section row."""
    return bool(rows) and row.number.isdigit() and rows[-1].number.isdigit() and int(row.number) == int(rows[-1].number) + 1


def _names_section(row: Row) -> bool:
    """True for a row with no units that names a section (一 | 稳定经济增长, (一)保障民生)."""
    short_title = len(row.text) <= _MAX_SECTION_ROW and not _SENTENCE_PUNCT.search(row.text)
    return not row.number.isdigit() or short_title


def _is_header(line: str) -> bool:
    r"""True for a header line: every non-empty cell names a column, one of them units.

    >>> _is_header("序号\t工作任务\t牵头单位\t配合单位"), _is_header("1\t推进\t市发改委")
    (True, False)
    """
    kinds = [column_kind(c) for c in line.split("\t") if c.strip()]
    return len(kinds) >= 2 and all(kinds) and any(k in UNIT_COLUMNS for k in kinds)


def _refine(kinds: list[str | None], line: str) -> list[str | None]:
    """Column kinds updated from a second header line."""
    below = [column_kind(c) for c in line.split("\t")]
    return [b if b and b != "ignore" else k for k, b in zip(kinds, below + [None] * len(kinds), strict=False)]


def _section_row(line: str) -> tuple[str, ...]:
    """The number of a row that only names a section (一、产业发展 in merged cells)."""
    cells = {c.strip() for c in line.split("\t") if c.strip()}
    marker = match_marker(next(iter(cells)), 0, True) if len(cells) == 1 else None
    return (marker.number,) if marker else ()


def _row(text: str, pos: int, line: str, kinds: list[str | None], count: int) -> Row | None:
    cells: list[tuple[str, str, int]] = []  # (kind, cell, offset)
    offset = pos
    parts = line.split("\t")
    filled = len(parts)
    while filled and not parts[filled - 1].strip():
        filled -= 1  # empty cells at the end say nothing about where the others stand
    if 3 <= filled < len(kinds):  # cells merged into a row above, or across columns
        kinds = _aligned(parts[:filled], kinds)
    for cell, kind in zip(parts, kinds, strict=False):
        if kind:
            cells.append((kind, cell, offset))
        offset += len(cell) + 1
    if len({c for c in line.split("\t") if c.strip()}) < 2:
        return None
    return _cells_row(text, Span(pos, pos + len(line)), cells, count)


def _aligned(parts: list[str], kinds: list[str | None]) -> list[str | None]:
    """The column kinds for a row with fewer cells than the header: left-aligned (a cell
    spans columns to its right) or right-aligned (the first cells are merged into a row
    above), whichever puts more cells in a column that takes them."""
    right = kinds[len(kinds) - len(parts) :]
    return right if _fit(parts, right) > _fit(parts, kinds) else kinds


def _fit(parts: list[str], kinds: list[str | None]) -> int:
    fits = {"number": ("number",), "task": ("text",), "lead": ("unit",), "assist": ("unit",), "responsible": ("unit",)}
    return sum(cell_class(p.strip()) in fits.get(k or "", ()) for p, k in zip(parts, kinds, strict=False))


def _cells_row(
    text: str, span: Span, cells: list[tuple[str, str, int]], count: int, contiguous: bool = True
) -> Row | None:
    """The Row of the cells ``(kind, text, offset)`` of one table row, or None without a task.

    ``contiguous``: each cell's text stands at its offset in ``text`` (not so in a box table)."""
    first = {kind: (cell, at) for kind, cell, at in reversed(cells)}
    task, task_at = first.get("task", ("", span.start))
    marker = match_marker(task, 0, True)
    number = first.get("number", ("", 0))[0].strip(" .、,()")
    if marker:
        number = number or marker.number
        task_at += marker.end
        task = task[marker.end :]
    if not task.strip():
        return None
    lists: list[UnitList] = []
    deadline = first.get("deadline", ("", 0))[0].strip() or None
    in_task = [c for c in find_clauses(text, task_at, task_at + len(task)) if c.labelled] if contiguous else []
    if in_task:  # 推进项目(牵头单位:…) written in the task cell itself
        task = task[: in_task[0].span.start - task_at]
        lists += in_task[0].lists
        deadline = deadline or in_task[0].deadline
    for kind, cell, at in cells:
        if kind in UNIT_COLUMNS and cell.strip():
            labelled = [c for c in find_clauses(text, at, at + len(cell)) if c.labelled] if contiguous else []
            lists += [u for c in labelled for u in c.lists] or [UnitList(kind, cell, at, f"column:{kind}")]
            deadline = deadline or next((c.deadline for c in labelled if c.deadline), None)
    lead = len(task) - len(task.lstrip())
    text_span = Span(task_at + lead, task_at + len(task.rstrip()))
    return Row(number or str(count), task.strip(), text_span, span, tuple(lists), deadline)


def grid_table(text: str, grid: Grid, layout: str = "stacked") -> Table:
    """The task Table of a recovered grid (see ``govkg.loaders.layout``); the cells of a box
    table join several lines, so their clauses are read from the cell text alone."""
    rows: list[Row] = []
    section: tuple[str, ...] = ()
    for cells in grid.rows:
        if cells[0].column == -1:
            marker = match_marker(cells[0].text, 0, True)
            section = (marker.number,) if marker else section
            continue
        kinds = [(grid.columns[c.column], c.text, c.start) for c in cells]
        named = [(k, t, a) for k, t, a in kinds if k and k != "ignore"]
        start = min(c.start for c in cells)  # a merged cell of a box table may start above the row
        span = Span(start, max(start, *(c.start + len(c.text) for c in cells)))
        row = _cells_row(text, span, named, len(rows) + 1, contiguous=layout != "box")
        if row is None:
            continue
        if not row.lists and not row.deadline and row.number and not row.number.isdigit() and _names_section(row):
            section = (row.number,)
            continue
        rows.append(replace(row, section=section))
    return Table(Span(grid.start, grid.end), tuple(rows), layout)
