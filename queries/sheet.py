"""The tracking sheet (督办台账): one row per task, as CSV or an Excel workbook.

The same filters as ``GET /api/tasks``; the rows carry report, section, number, text,
lead and assisting units, deadline, targets and the source span.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass

from govkg.graph.schema import EdgeType, NodeKind
from govkg.queries import departments, search
from govkg.queries.index import GraphIndex
from govkg.queries.results import TaskInfo

HEADERS = ("报告", "年度", "辖区", "章节", "序号", "工作任务", "牵头单位", "配合单位", "完成时限", "目标", "原文位置", "任务键")
WIDTHS = (36, 7, 10, 24, 7, 60, 24, 36, 14, 30, 12, 30)  # characters, for the workbook's columns


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One task as the sheet shows it; units joined with 、, targets with ;."""

    report: str
    year: int | None
    jurisdiction: str
    section: str
    number: str
    text: str
    lead: str
    assist: str
    deadline: str
    targets: str
    span: str  # characters [start, end) in the report's normalised text
    task: str


def filter_tasks(
    index: GraphIndex,
    q: str | None = None,
    department: str | None = None,
    role: departments.RoleFilter | str = departments.RoleFilter.ANY,
    district: str | None = None,
    report: str | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
) -> list[TaskInfo]:
    """Tasks by full-text words, holding unit (and its role), district, report, year and
    jurisdiction: the filters of ``GET /api/tasks``."""
    if q:
        found = [h.task for h in search.search_tasks(index, q, district=district, report=report, year=year)]
    else:
        found = index.select(index.tasks.values(), report=report, year=year)
        if district:
            concerned = search.district_tasks(index, district)
            found = [t for t in found if t.id in concerned]
    if department:
        held = {rt.task.id for rt in departments.tasks_of(index, department, role)}
        found = [t for t in found if t.id in held]
    return index.select(found, jurisdiction=jurisdiction or None)


def _section(index: GraphIndex, task: str) -> str:
    g = index.graph
    for parent in g.predecessors(task):
        d = g.nodes[parent]
        if d.get("kind") == NodeKind.SECTION.value:
            return f"{d.get('number') or ''} {d.get('title') or ''}".strip()
    return ""


def _targets(index: GraphIndex, task: str) -> str:
    g = index.graph
    found = [
        str(g.nodes[t].get("text") or "")
        for _, t, k in g.out_edges(task, keys=True)
        if k == EdgeType.HAS_TARGET.value
    ]
    return ";".join(sorted(found))


def sheet_rows(index: GraphIndex, tasks: Iterable[TaskInfo]) -> list[SheetRow]:
    """The sheet rows of ``tasks``, in report then printed order."""
    rows = []
    for t in tasks:
        units = {"lead": [], "assist": []}
        for h in t.per_unit:
            units[h.role].append(h.label)
        rows.append(
            SheetRow(
                report=t.report_title,
                year=t.year,
                jurisdiction=t.jurisdiction or "",
                section=_section(index, t.id),
                number=t.number,
                text=t.text,
                lead="、".join(units["lead"]),
                assist="、".join(units["assist"]),
                deadline=t.deadline or "",
                targets=_targets(index, t.id),
                span=f"{t.span[0]}-{t.span[1]}" if t.span else "",
                task=t.id,
            )
        )
    return rows


def to_csv(rows: Sequence[SheetRow]) -> bytes:
    """CSV with a header row, UTF-8 with a byte-order mark (so Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(["" if v is None else v for v in astuple(r)] for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[SheetRow], title: str = "任务台账") -> bytes:
    """An Excel workbook: bold, frozen header row, set column widths, wrapped long text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(list(astuple(r)))
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        if width >= 24:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
