"""What a table cell holds: a number, a unit list, a deadline, a heading or text.

>>> [cell_class(c) for c in ("3", "市发改委、市财政局", "2024年底前", "一、产业发展", "推进项目建设。")]
['number', 'unit', 'deadline', 'heading', 'text']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from govkg.loaders.pos import first_tag
from govkg.loaders.structure import match_marker
from govkg.loaders.units import ends_like_unit, is_collective, is_deadline, looks_like_unit, split_units

_NUMBER_CELL = re.compile(r"^[(\[]?\d{1,3}[)\].、,]?$")
_HEADER_MARKS = re.compile(r"[\d,、:]")  # a header cell holds no numbers or lists
PROSE = re.compile(r"[。;!?]")  # a sentence mark: the text is prose
UNIT_COLUMNS = frozenset({"lead", "assist", "responsible"})  # column kinds that hold unit lists
_MAX_UNIT_CELL = 120
_MAX_DEADLINE_CELL = 24
_MAX_HEADING = 40


def plain_header_cell(line: str) -> bool:
    """A short header cell the vocabulary does not name (类别, 年度目标)."""
    return len(line) <= 12 and not PROSE.search(line) and not _HEADER_MARKS.search(line)



@lru_cache(maxsize=16384)
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
    if marker and marker.style in ("cn", "pcn") and len(cell) <= _MAX_HEADING and not PROSE.search(cell):
        return "heading"
    if len(cell) <= _MAX_DEADLINE_CELL and is_deadline(cell):
        return "deadline"
    return "text"


@lru_cache(maxsize=16384)
def is_unit_cell(cell: str) -> bool:
    """True if the cell is a list of unit names and nothing else.

    >>> is_unit_cell("区城市更新办公室、发改委、商务委"), is_unit_cell("加快推进项目建设")
    (True, False)
    """
    cell = cell.lstrip("*※")
    if len(cell) > _MAX_UNIT_CELL or PROSE.search(cell.rstrip("。;")) or match_marker(cell, 0, True):
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



def _verb_phrase(cell: str) -> bool:
    """True for a sentence that opens with a verb (建成县全民健身活动中心。): a task, even
    though it ends like a unit name. Only sentences and long cells are asked, since some
    unit names open with a verb (审批局)."""
    if not (cell.rstrip().endswith("。") or len(cell) >= 9):
        return False
    tag = first_tag(cell)
    return tag is not None and tag[1] == "v" and len(tag[0]) >= 2


def is_number_cell(cell: str) -> bool:
    """True for a cell that is only a row number (3, 12、, (4)).

    >>> is_number_cell("12、"), is_number_cell("12、推进")
    (True, False)
    """
    return _NUMBER_CELL.match(cell) is not None


def lines_at(text: str) -> Iterator[tuple[int, str]]:
    """Each line of ``text`` with the offset where it starts."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1
