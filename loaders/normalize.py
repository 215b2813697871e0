"""Raw document text -> normalised text: width folding, spaces, line ends, conversion debris.

The normalised text is what ``Document.text`` holds and what every span indexes into.

>>> normalize("１、推进（责任单位：市发改委）\\r\\n")
'1、推进(责任单位:市发改委)'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from statistics import median

from govkg.loaders.vocabulary import clause_labels

# Characters NFKC would flatten into something that loses meaning (① -> 1, m² -> m2).
_KEEP = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳²³¹㎡㎞㎏…")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_PARK = {ord(c): 0xF0000 + i for i, c in enumerate(sorted(_KEEP))}
_UNPARK = {v: k for k, v in _PARK.items()}
_ZERO_WIDTH_CHAR = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_KEPT_CHAR = re.compile("[" + re.escape("".join(sorted(_KEEP))) + "]")

TERMINALS = frozenset('。;:!?)]】》”"')  # characters that can end a line of prose
_SENTENCE_PUNCT = re.compile(r"[,;。]")
_CN_NUM = "一二三四五六七八九十百"
_LINE_START_MARK = re.compile(
    rf"^(?:[(\[【] *(?:[{_CN_NUM}]+|\d{{1,3}}) *[)\]】]|[{_CN_NUM}]+ *[、.]|\d{{1,3}} *[、.,)](?!\d(?!\d{{3}}年))|[①-⑳])"
)
_HEADING_MARK = re.compile(rf"^(?:[(\[【] *[{_CN_NUM}]+ *[)\]】]|[{_CN_NUM}]+ *[、.])")
_OPENING = frozenset("([【“《")
_CELL_BARS = frozenset("|｜│┃║")  # a line ending in one is a table cell
_SPACED_ROW_START = re.compile(r"\d{1,3} +\S")  # 2 严守用水…: a table row numbered in its own cell
_SENTENCE_ENDS = frozenset("。;:!?")
_PAGE_LINE = re.compile(
    r"^(?:[-—–─]+\s*\d{1,4}\s*[-—–─]+|[·•]\s*\d{1,4}\s*[·•]|\d{1,4}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,/、 ]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,/、 ]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_PAGE_MARK = re.compile(r"^(\d{1,3})\s*、")
_ADDRESSEE_MAX = 40
_HEADING_MAX = 40
_WRAP_MIN = 20  # lines shorter than this say nothing about a wrap width
_PAGE_TEXT_MIN = 200  # median length of the lines of a run of page-numbered lines


def fold_width(text: str) -> str:
    """Full-width forms to half-width, ideographic spaces to spaces; Chinese punctuation kept.

    >>> fold_width("（１）①．")
    '(1)①.'
    """
    if _ZERO_WIDTH_CHAR.search(text):
        text = text.translate(_ZERO_WIDTH)
    if _COLON_FORM.search(text):
        text = text.translate(_COLONS)
    if text.isascii():
        return text
    if not _KEPT_CHAR.search(text):
        return unicodedata.normalize("NFKC", text)
    # NFKC over the whole text, with the kept characters parked in the private use area
    parked = text.translate(_PARK)
    return unicodedata.normalize("NFKC", parked).translate(_UNPARK)


# colons NFKC leaves alone or makes two dots: ︰ (the Big5 full-width colon), ∶ (ratio sign)
_COLONS = {0xFE30: ":", 0x2236: ":"}
_COLON_FORM = re.compile("[\ufe30\u2236]")
_BLANKS = re.compile(r"[ \f\v]+")
_LINE_EDGE_SPACE = re.compile(r"^ | $", re.M)
_SPACED_TAB = re.compile(r" ?\t ?")


def _clean_lines(text: str) -> str:
    """Runs of spaces as one space, none at line ends or beside a tab."""
    text = _LINE_EDGE_SPACE.sub("", _BLANKS.sub(" ", text))
    return _SPACED_TAB.sub("\t", text)


_WIDE_GAP = re.compile(r"(?<=\S)[ \xa0]{2,}(?=\S)")
_WIDE_HEADER_MIN = 3  # cells of a header line
_TWO_GAPS = re.compile(r"\S[ \xa0]{2,}\S[^\n]*?\S[ \xa0]{2,}\S")  # a line with three such cells


def wide_spaced_tables(text: str) -> str:
    """Tabs for the runs of two or more spaces that separate the cells of a table exported
    with space-padded columns: from a header line whose cells so separated name a task
    column and a unit column (序号    重点任务    主责部门    完成时间), over the rows after
    it that hold such runs (blank lines between rows allowed). Single spaces inside a cell
    stay; the rest of the text is untouched.

    >>> wide_spaced_tables("序号  重点任务  牵头单位  完成时限\\n1  推进 建设  市发改委  6月底\\n说明。\\n甲  乙")
    '序号\\t重点任务\\t牵头单位\\t完成时限\\n1\\t推进 建设\\t市发改委\\t6月底\\n说明。\\n甲  乙'
    """
    if "  " not in text or not _TWO_GAPS.search(text):
        return text
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not _wide_header(lines[i]):
            i += 1
            continue
        split = i + 1 < len(lines) and _split_merged_header(lines, i)
        lines[i] = _WIDE_GAP.sub("\t", lines[i])
        i += 2 if split else 1
        while i < len(lines) and (not lines[i].strip() or _WIDE_GAP.search(lines[i])):
            lines[i] = _WIDE_GAP.sub("\t", lines[i])
            i += 1
    return "\n".join(lines)


def _split_merged_header(lines: list[str], i: int) -> bool:
    """A second header line under a space-padded header (责任单位 over 牵头单位  配合单位)
    aligned by tabs under the one unit column it splits, which gets empty cells to its
    right for the added columns; False (and nothing changed) for any other line."""
    from govkg.loaders.cells import UNIT_COLUMNS
    from govkg.loaders.tables import column_kind

    below = lines[i + 1].strip()
    sub = _WIDE_GAP.split(below) if below else []
    if len(sub) < 2 or any(column_kind(c) not in UNIT_COLUMNS for c in sub):
        return False
    cells = _WIDE_GAP.split(lines[i].strip())
    units = [k for k, c in enumerate(cells) if column_kind(c) in UNIT_COLUMNS]
    if len(units) != 1:
        return False
    at = units[0]
    cells[at + 1 : at + 1] = [""] * (len(sub) - 1)
    lines[i] = "\t".join(cells)
    lines[i + 1] = "\t" * at + "\t".join(sub)
    return True


def _wide_header(line: str) -> bool:
    if "\t" in line or len(_WIDE_GAP.findall(line)) < _WIDE_HEADER_MIN - 1:
        return False
    from govkg.loaders.cells import UNIT_COLUMNS, plain_header_cell
    from govkg.loaders.tables import column_kind

    cells = _WIDE_GAP.split(line.strip())
    kinds = [column_kind(c) for c in cells]
    return (
        "task" in kinds
        and any(k in UNIT_COLUMNS for k in kinds)
        and all(k is not None or plain_header_cell(c) for k, c in zip(kinds, cells, strict=True))
    )


_SPACED_WORD = re.compile(r"(?<![\u4e00-\u9fff ])((?:[\u4e00-\u9fff] ){2,7}[\u4e00-\u9fff]) ?(?=:)")
_COLON = re.compile(":")


def _despaced_labels(text: str) -> str:
    """Labels printed with spaces between their characters to fill a column width
    (牵 头 单 位:市工信局) written without them (牵头单位:市工信局); other spaced words stay.

    >>> _despaced_labels("牵 头 单 位:市工信局\\n配 合 单 位 :市科技局\\n姓 名:张三")
    '牵头单位:市工信局\\n配合单位:市科技局\\n姓 名:张三'
    """
    if " " not in text or ":" not in text:
        return text
    from govkg.loaders.script import fold_script

    labels = _label_words()
    parts, pos = [], 0
    for colon in _COLON.finditer(text):  # only the few characters before each colon are looked at
        at = colon.start()
        m = _SPACED_WORD.search(text, max(pos, at - 16), at + 1)
        if m and m.end() == at:
            word = m.group(1).replace(" ", "")
            if word in labels or fold_script(word) in labels:
                parts += [text[pos : m.start()], word]
                pos = at
    return "".join([*parts, text[pos:]]) if parts else text


@cache
def _label_words() -> frozenset[str]:
    return frozenset(w for ws in clause_labels().values() for w in ws)


def drop_page_numbers(lines: list[str]) -> list[str]:
    """Remove page numbers left by a conversion.

    Lone page-number lines (``- 3 -``, ``第3页``) go. Runs of long lines that start with
    consecutive ``N、`` where the previous line mostly stops mid-sentence are pages of a
    flattened Word file: the number goes and a word cut by the page break is joined.

    >>> pages = drop_page_numbers(["1、" + "甲" * 300 + "牵头单位:市", "2、公路局" + "乙" * 300])
    >>> len(pages), "牵头单位:市公路局" in pages[0]
    (1, True)
    """
    lines = _without_page_lines(lines)
    for run in reversed(_numbered_runs(lines)):  # later runs first: deleting keeps earlier indexes
        if _is_page_run(lines, run):
            for i in reversed(run):
                body = _PAGE_MARK.sub("", lines[i], count=1)
                prev = _prev_nonempty(lines, i)
                if prev >= 0 and lines[prev][-1] not in TERMINALS:
                    lines[prev] += body
                    del lines[prev + 1 : i + 1]
                else:
                    lines[i] = body
    return lines


def _without_page_lines(lines: list[str]) -> list[str]:
    """``lines`` without page-number lines, and without the blank lines around one that
    cuts a sentence (that page break is not a paragraph break).

    >>> _without_page_lines(["甲,", "", "- 3 -", "", "乙。", "", "- 4 -", "", "丙"])
    ['甲,', '乙。', '', '', '丙']
    """
    out: list[str] = []
    drop_blank = False
    cells = _bare_numbers_are_cells(lines)
    lines = _without_running_heads(lines, cells)
    for line in lines:
        if _PAGE_LINE.match(line) and not (cells and line.isdigit()):
            last = next((ln for ln in reversed(out) if ln), "")
            if last and last[-1] not in TERMINALS:
                while out and not out[-1]:
                    out.pop()
                drop_blank = True
        elif not (drop_blank and not line):
            out.append(line)
            drop_blank = False
    return out


_RUNNING_HEAD_MAX = 40
_RUNNING_HEAD_MIN = 5
_NOT_HEAD = re.compile(r"[,。;:!?、()\[\]【】“”\"]")  # prose, or the wrapped end of a bracket


def _without_running_heads(lines: list[str], cells: bool) -> list[str]:
    """``lines`` without a running header or footer: a short unpunctuated line printed
    more than once that stands next to a page-number line (blank lines between) where it
    is repeated (某某县人民政府办公室文件 / — 3 — / 某某县人民政府办公室文件), unless it
    reads as a unit and stands by one page number only (a unit cell of a flattened table).
    Its first printing, away from a page number, stays.

    >>> _without_running_heads(["某县政府文件", "甲,", "- 3 -", "某县政府文件", "乙。"], False)
    ['某县政府文件', '甲,', '- 3 -', '乙。']
    """
    pages = [i for i, ln in enumerate(lines) if _PAGE_LINE.match(ln) and not (cells and ln.isdigit())]
    if not pages:
        return lines
    from govkg.loaders.cells import is_unit_cell

    counts = Counter(ln for ln in lines if ln and len(ln) <= _RUNNING_HEAD_MAX)
    drop: set[int] = set()
    beside: Counter[str] = Counter()  # page numbers a line stands next to
    for p in pages:
        for step in (1, -1):
            j = p + step
            while 0 <= j < len(lines) and not lines[j]:
                j += step
            if (
                0 <= j < len(lines)
                and counts[lines[j]] > 1
                and len(lines[j]) >= _RUNNING_HEAD_MIN
                and not _NOT_HEAD.search(lines[j])
                and not _PAGE_LINE.match(lines[j])
                and not _LINE_START_MARK.match(lines[j])
            ):
                drop.add(j)
                beside[lines[j]] += 1
    # a unit cell of a table flattened one cell per line repeats too: it goes only when it
    # heads or foots more than one page
    drop = {j for j in drop if beside[lines[j]] > 1 or not is_unit_cell(lines[j])}
    return [ln for i, ln in enumerate(lines) if i not in drop] if drop else lines


def _bare_numbers_are_cells(lines: list[str]) -> bool:
    """True if the lines that hold only a number come too close together to be page
    numbers: they are the 序号 cells of a table flattened one cell per line.

    >>> _bare_numbers_are_cells(["序号", "1", "推进", "市发改委", "2", "建设", "市财政局"])
    True
    """
    at, pos = [], 0
    for line in lines:
        if line.isdigit() and len(line) <= 3:
            at.append(pos)
        pos += len(line) + 1
    if len(at) < 2:
        return False
    gaps = sorted(b - a for a, b in zip(at, at[1:], strict=False))
    return gaps[len(gaps) // 2] < _PAGE_TEXT_MIN


def _numbered_runs(lines: list[str]) -> list[list[int]]:
    """Maximal runs of adjacent non-empty lines numbered k、 k+1、 …"""
    runs: list[list[int]] = []
    run: list[int] = []
    last = None
    for i, ln in enumerate(lines):
        if not ln:
            continue
        m = _PAGE_MARK.match(ln)
        n = int(m.group(1)) if m else None
        if n is not None and run and last == n - 1 and run[-1] == _prev_nonempty(lines, i):
            run.append(i)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [i] if n is not None else []
        last = n
    if len(run) >= 2:
        runs.append(run)
    return runs


def _prev_nonempty(lines: list[str], i: int) -> int:
    j = i - 1
    while j >= 0 and not lines[j]:
        j -= 1
    return j


def _is_page_run(lines: list[str], run: list[int]) -> bool:
    """True if the numbered lines ``run`` are pages: long, and half of them come after a line cut
    mid-sentence. A heading (一、坚持系统集成) stops without a full stop too, but cuts nothing.

    >>> items = ["一、坚持系统集成", "1、" + "甲" * 300 + "。", "2、" + "乙" * 300 + "。"]
    >>> _is_page_run(items, [1, 2]), _is_page_run(["前言" + "丙" * 300, *items[1:]], [1, 2])
    (False, True)
    """
    if median(len(lines[i]) for i in run) < _PAGE_TEXT_MIN:
        return False

    def cut(i: int) -> bool:
        prev = lines[_prev_nonempty(lines, i)]
        return prev[-1:] not in TERMINALS and not _HEADING_MARK.match(prev)

    return sum(1 for i in run if i > 0 and cut(i)) * 2 >= len(run)


def wrap_width(lines: list[str]) -> int | None:
    """The width at which a PDF text layer wrapped its lines, if the lines show one.

    >>> wrap_width(["甲" * 30] * 6 + ["乙" * 12])
    30
    """
    lengths = [len(ln) for ln in lines if len(ln) >= _WRAP_MIN and "\t" not in ln]
    if len(lengths) < 5:
        return None
    counts = Counter(lengths)
    width = max(counts, key=lambda n: (sum(counts[m] for m in range(n - 2, n + 1)), n))
    near = sum(counts[m] for m in range(width - 2, width + 3))
    return width if near * 3 >= len(lengths) else None


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line that stops mid-sentence with the line that continues it.

    A line is joined when it reads as prose (it holds a comma or full stop) or runs to the
    wrap width of a PDF text layer, does not end a sentence, and the next line does not
    start a numbered item, a bracket or a label.

    >>> join_broken_lines(["有序实施垃圾分类,确保机关事业单位垃圾分", "类覆盖率达100%。"])
    ['有序实施垃圾分类,确保机关事业单位垃圾分类覆盖率达100%。']
    >>> join_broken_lines(["(一)聚焦产业升级,加快构建产业体系", "推动产业发展。"])
    ['(一)聚焦产业升级,加快构建产业体系', '推动产业发展。']
    """
    width = wrap_width(lines)
    out: list[str] = []
    wrapped = False  # the last line came from a line wrapped at ``width``
    for ln in lines:
        if out and _continues(out[-1], ln, wrapped):
            out[-1] += ln
        else:
            out.append(ln)
        wrapped = width is not None and len(ln) >= width - 2
    return out


def _continues(prev: str, line: str, wrapped: bool) -> bool:
    return (
        len(prev) >= 15
        and bool(line)
        and "\t" not in prev
        and "\t" not in line
        and prev[-1] not in _CELL_BARS
        and line[-1] not in _CELL_BARS
        and not _SPACED_ROW_START.match(line)
        and not ("|" in prev and "|" in line)  # two rows of a table drawn with bars
        and prev[-1] not in _SENTENCE_ENDS
        and (wrapped or _prose_break(prev))
        and (
            prev[-1] in _OPENING
            or not (_LINE_START_MARK.match(line) or (line.startswith(_labels()) and not _open_bracket(prev)))
        )
        and not _addressee(line)
    )


def _open_bracket(line: str) -> bool:
    """True if ``line`` ends inside a bracket: a label on the next line is inside it too
    ((市发改委、市人社局 / 牵头,市财政局配合)).

    >>> _open_bracket("将就业纳入考核。(市发展改革委、市人社局"), _open_bracket("(市财政局牵头)")
    (True, False)
    """
    return line.rfind("(") > line.rfind(")") or line.rfind("【") > line.rfind("】")


def _addressee(line: str) -> bool:
    """True for an addressee line after a title (各区政府,市政府各部门:), not for a
    continued list that ends with the next clause label (区发改局;责任单位:)."""
    return len(line) <= _ADDRESSEE_MAX and line.endswith(":") and not line[:-1].endswith(_labels())


def _prose_break(prev: str) -> bool:
    """True if ``prev`` reads as prose and stops mid-sentence (not after a closing bracket or
    quote; an opening one at the end continues).

    A short line numbered 一、 or (一) is a heading ((一)聚焦产业升级,加快构建产业体系), not a
    broken one; a short line numbered 1. or (1) with a comma is a task cut mid-sentence.
    """
    if len(prev) < _HEADING_MAX and _HEADING_MARK.match(prev):
        return False
    last = prev[-1]
    punctuation = last in TERMINALS or unicodedata.category(last).startswith("P")
    ends_open = last in ",、" or last in _OPENING or not punctuation
    return ends_open and _SENTENCE_PUNCT.search(prev) is not None


@cache
def _labels() -> tuple[str, ...]:
    words = [w for ws in clause_labels().values() for w in ws]
    return tuple(words + [f"{b}{w}" for w in words for b in "【["])


# a number 1 read by OCR as the letter l or I: at a line start before 、 or . (l.推进), or in
# brackets before a Chinese character ((l)实施); Latin words never stand there
_OCR_ONE = re.compile(r"^( ?)[lI](?= ?[、.][\u4e00-\u9fff ])|\( ?[lI] ?\)(?=[\u4e00-\u9fff])", re.M)


def _ocr_ones(text: str) -> str:
    """Numbers 1 that OCR wrote as a letter, written 1.

    >>> _ocr_ones("l.推进\\n(I)实施\\nI.T产业")
    '1.推进\\n(1)实施\\nI.T产业'
    """
    if "l" not in text and "I" not in text:
        return text
    return _OCR_ONE.sub(lambda m: f"{m.group(1)}1" if m.group(1) is not None else "(1)", text)


_BAR = re.compile(r"[|｜]")  # not │: tables drawn with boxes are read from their grid
_BAR_HEADER_MIN = 3  # bars in a header line of a table drawn with bars
_BAR_ROW = re.compile(r" ?[|｜]? ?\d{1,3} ?[|｜]")  # a line that starts a numbered row


def join_wrapped_bar_rows(lines: list[str]) -> list[str]:
    """Rows of a table drawn with bars whose cell text was wrapped onto the next line
    (1|推进…|市发改委|市财政局、 / 市自然资源局|2024年12月) joined: a line with fewer bars
    than the header above takes the next lines while their bars add up to the header's.

    >>> join_wrapped_bar_rows(["序号|任务|牵头单位|责任单位|时限", "1|推进|市发改委|市财政局、", "市自然资源局|年底", "2|治污|市生态环境局|"])
    ['序号|任务|牵头单位|责任单位|时限', '1|推进|市发改委|市财政局、市自然资源局|年底', '2|治污|市生态环境局|']
    """
    out: list[str] = []
    width = 0  # bars in the header of the table being read
    i = 0
    while i < len(lines):
        line = lines[i]
        bars = len(_BAR.findall(line))
        i += 1
        if bars >= _BAR_HEADER_MIN and (not width or bars > width):
            width = bars
        elif not line.strip():
            width = 0
        elif width and 0 < bars < width:
            parts, total, j = [line], bars, i
            while j < len(lines) and lines[j].strip() and total < width and not _BAR_ROW.match(lines[j]):
                more = len(_BAR.findall(lines[j]))
                if total + more > width:
                    break
                parts.append(lines[j])
                total += more
                j += 1
            if total == width and j > i:
                line, i = "".join(parts), j
        out.append(line)
    return out


def normalize(text: str) -> str:
    """Normalised document text (see the module docstring).

    >>> normalize("一、目标\\n\\n\\n\\n二、任务\\n\\n- 2 -\\n1.  推进")
    '一、目标\\n\\n二、任务\\n1. 推进'
    """
    text = wide_spaced_tables(fold_width(text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = _despaced_labels(_ocr_ones(_clean_lines(text))).split("\n")
    if _BAR.search(text):
        lines = join_wrapped_bar_rows(lines)
    lines = join_broken_lines(drop_page_numbers(lines))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
