"""File bytes -> plain text, by format (.txt in any supported encoding, .html, .docx, .pdf).

Tables become one line per row, cells separated by a tab, header row included.
Every rejected file raises ``LoadError(path, reason)``.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("一、总体要求".encode("gb18030"))
>>> read_text(p)
'一、总体要求'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from loaders.errors import LoadError
from loaders.vocabulary import html_junk_phrases, reader_vocabulary, text_encodings

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_MAX_CONTROL_RATIO = 0.02


def read_text(path: str | Path) -> str:
    """The text of the document at ``path``; raises ``LoadError`` for bad input.

    The reader is chosen by the file extension (.txt .html .htm .docx .pdf).
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kinds = " ".join(sorted(_READERS))
        raise LoadError(path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(path, f"cannot read file ({e.strerror or e})") from e
    if not data.strip():
        raise LoadError(path, "empty file")
    text = reader(path, data)
    if not text.strip():
        raise LoadError(path, "no text found")
    return text


# -- plain text ------------------------------------------------------------------------------


def decode_bytes(data: bytes, name: str | Path = "<bytes>") -> str:
    """Decode Chinese text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK,
    else whatever charset-normalizer finds among the supported encodings.

    >>> decode_bytes("政府".encode("gbk"))
    '政府'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    elif b"\x00" in data:
        raise LoadError(name, "binary file (contains NUL bytes)")
    else:
        text = _try_decode(data, "utf-8-sig") or _try_decode(data, "gb18030") or _detect(data)
    if text is None:
        raise LoadError(name, "cannot decode: not UTF-8, GB18030 or another supported encoding")
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise LoadError(name, "binary file (control characters)")
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or codecs.lookup(best.encoding).name not in text_encodings():
        return None
    return str(best)


def _control_ratio(text: str) -> float:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return controls / max(len(text), 1)


def _read_plain(path: Path, data: bytes) -> str:
    return decode_bytes(data, path)


# -- HTML ------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select",
              "button", "input", "textarea", "svg", "canvas", "template", "object", "aside")
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul",
})
_MAIN_SHARE = 0.85


def decode_html(data: bytes, name: str | Path = "<bytes>") -> str:
    """Decode an HTML page: its declared charset if that decodes cleanly, else detection."""
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = reader_vocabulary()["html_charset_aliases"].get(declared, declared)
        text = _try_decode(data, declared)
        if text is not None:
            return text
    return decode_bytes(data, name)


def html_to_text(html: str) -> str:
    """The main text of a government web page: page furniture dropped, one line per block,
    table rows as tab-separated cells.

    >>> html_to_text("<body><nav>首页</nav><p>一、目标</p><table><tr><td>1</td><td>任务</td></tr></table></body>")
    '一、目标\\n1\\t任务'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    title = _page_title(soup.title.get_text(" ", strip=True)) if soup.title else ""
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    _drop_junk(body)
    main = _main_container(body)
    lines = _lines(main)
    if title and not main.find(["h1", "h2"]) and not any(title in line for line in lines[:5]):
        lines.insert(0, title)
    return "\n".join(lines)


def _page_title(title: str) -> str:
    """The document part of a page title ('关于…的通知_某区人民政府' -> '关于…的通知')."""
    parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", title) if p.strip()]
    return max(parts, key=len, default="")


def _read_html(path: Path, data: bytes) -> str:
    return html_to_text(decode_html(data, path))


def _cjk_count(el) -> int:  # noqa: ANN001
    return len(_CJK.findall(el.get_text()))


def _drop_junk(root) -> None:  # noqa: ANN001
    """Remove short elements made of page-furniture phrases and link lists (menus)."""
    from bs4 import Tag

    limit = reader_vocabulary()["html_junk_max_chars"]
    junk = html_junk_phrases()
    for el in list(root.find_all(True)):
        if not isinstance(el, Tag) or el.decomposed:
            continue
        text = el.get_text("", strip=True)
        furniture = len(text) <= limit and _is_junk(text, junk)
        if furniture or (el.name in ("ul", "ol", "div", "dl", "table") and _is_link_list(el, text)):
            el.decompose()


def _is_junk(text: str, junk: tuple[str, ...]) -> bool:
    """Text that starts with a furniture phrase, or is mostly made of them."""
    if not text:
        return False
    if text.startswith(junk):
        return True
    covered = sum(len(j) * text.count(j) for j in junk)
    return covered >= 0.3 * len(text)


def _is_link_list(el, text: str) -> bool:  # noqa: ANN001
    links = el.find_all("a")
    if len(links) < 3:
        return False
    linked = sum(len(a.get_text("", strip=True)) for a in links)
    return linked >= 0.8 * max(len(text), 1)


def _main_container(body):  # noqa: ANN001, ANN202
    """The deepest element that still holds most of the page's Chinese text."""
    from bs4 import Tag

    node, total = body, _cjk_count(body)
    while total:
        children = [c for c in node.children if isinstance(c, Tag)]
        best = max(children, key=_cjk_count, default=None)
        if best is None or best.name == "table" or _cjk_count(best) < _MAIN_SHARE * total:
            break
        node = best
    return node


def _lines(root) -> list[str]:  # noqa: ANN001
    parts: list[str] = []
    _render(root, parts)
    out = []
    for line in "".join(parts).split("\n"):
        cells = [re.sub(r"[ \u00a0\u3000\r\f\v]+", " ", c).strip() for c in line.split("\t")]
        line = "\t".join(cells).rstrip("\t")  # empty cells kept: they hold a column's place
        if line.strip("\t"):
            out.append(line)
    return out


def _render(el, parts: list[str]) -> None:  # noqa: ANN001
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in el.children:
        if isinstance(child, Tag):
            if child.name == "table" and _is_data_table(child):
                parts.append("\n")
                for row in _table_rows(child):
                    parts.append("\t".join(row) + "\n")
            elif child.name in _BLOCK_TAGS:
                parts.append("\n")
                _render(child, parts)
                parts.append("\n")
            else:
                _render(child, parts)
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            parts.append(re.sub(r"\s+", " ", str(child)))


def _is_data_table(tbl) -> bool:  # noqa: ANN001
    """A table of records, not a page-layout table (no nested tables or long paragraphs)."""
    if tbl.find("table"):
        return False
    return all(len(cell.get_text("", strip=True)) < 600 or not cell.find("p") for cell in tbl.find_all(["td", "th"]))


def _table_rows(tbl) -> Iterator[list[str]]:  # noqa: ANN001
    """Rows of an HTML table on its grid: a cell spanning rows repeats below, one spanning
    columns leaves the other columns empty."""
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for tr in tbl.find_all("tr"):
        row: list[str] = []
        cells = iter(tr.find_all(["td", "th"]))
        col = 0
        while True:
            if col in below:
                text, left = below.pop(col)
                row.append(text)
                if left > 1:
                    below[col] = (text, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = re.sub(r"\s+", " ", cell.get_text(" ", strip=True))
            span = _span(cell, "colspan")
            if _span(cell, "rowspan") > 1:
                below[col] = (text, _span(cell, "rowspan") - 1)
            row += [text] + [""] * (span - 1)
            col += span
        yield from _grid_row(row)


def _span(cell, attr: str) -> int:  # noqa: ANN001
    try:
        return max(1, min(int(str(cell.get(attr, 1)).strip() or 1), 50))
    except ValueError:
        return 1


def _grid_row(cells: list[str]) -> list[list[str]]:
    """A row as cells, or a merged row (one text across the row) as that text alone."""
    texts = {c for c in cells if c}
    if not texts:
        return []
    return [[texts.pop()]] if len(texts) == 1 else [cells]


# -- DOCX ------------------------------------------------------------------------------------


def _read_docx(path: Path, data: bytes) -> str:
    """Paragraphs and tables of the document body, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as e:
        raise LoadError(path, "corrupt .docx (not a readable Word file)") from e
    numbering = _DocxNumbering(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            lines.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            lines.extend(_docx_table_lines(Table(child, document)))
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (for Word's Chinese list numbering, n < 100).

    >>> chinese_numeral(12), chinese_numeral(30)
    ('十二', '三十')
    """
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_number(n: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japaneseCounting")) and n < 100:
        return chinese_numeral(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return "" if fmt in ("bullet", "none") else str(n)


class _DocxNumbering:
    """Word's automatic list numbers (1、 (一) …), which are not part of the paragraph text."""

    def __init__(self, document) -> None:  # noqa: ANN001
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self._counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iter(f"{_W}abstractNum")}
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            if definition is not None:
                self._levels[num.get(f"{_W}numId")] = {
                    int(lvl.get(f"{_W}ilvl")): (
                        int(_val(lvl, "start") or 1),
                        _val(lvl, "numFmt") or "decimal",
                        _val(lvl, "lvlText") or "",
                    )
                    for lvl in definition.iter(f"{_W}lvl")
                }

    def label(self, paragraph) -> str:  # noqa: ANN001
        """The number Word shows before ``paragraph`` ('' when it has none); advances the count."""
        num_id, ilvl = _num_properties(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counts = self._counters.setdefault(num_id, [0] * 10)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        start, fmt, text = levels[ilvl]

        def level_number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_start, k_fmt, _ = levels.get(k, (1, "decimal", ""))
            return _format_number(max(counts[k], 1) + k_start - 1, k_fmt)

        return re.sub(r"%([1-9])", level_number, text) if fmt not in ("bullet", "none") else ""


def _val(el, name: str) -> str | None:  # noqa: ANN001
    child = el.find(f"{_W}{name}")
    return child.get(f"{_W}val") if child is not None else None


def _num_properties(paragraph) -> tuple[str | None, int]:  # noqa: ANN001
    """(numId, ilvl) of a paragraph, from its own properties or its style's."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            ilvl = _val(num_pr, "ilvl")
            return (num_id if num_id != "0" else None), int(ilvl or 0)
    return None, 0


def _docx_table_lines(tbl) -> Iterator[str]:  # noqa: ANN001
    for row in tbl.rows:
        cells, last = [], None
        for cell in row.cells:  # a cell merged across columns: its text, then empty columns
            same = cell._tc is last
            last = cell._tc
            cells.append("" if same else " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        for cells_row in _grid_row(cells):
            yield "\t".join(cells_row).rstrip("\t")


# -- PDF -------------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> str:
    """The text layer, pages joined by newlines, lone page-number lines dropped."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_pdf_page_text(page) for page in pdf.pages]
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        raise LoadError(path, f"corrupt PDF ({type(e).__name__})") from e
    lines = [ln for page in pages for ln in page.split("\n") if not _PAGE_NUMBER.match(ln)]
    text = "\n".join(lines)
    if not text.strip():
        raise LoadError(path, "PDF has no text layer (scanned image?)")
    return text


def _pdf_page_text(page) -> str:  # noqa: ANN001
    """A page's text; a ruled table on it becomes tab-separated rows, in reading order."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    if not tables:
        return page.extract_text() or ""
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:  # noqa: ANN001
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    placed = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
    for table in tables:
        rows = _pdf_table_rows(table)
        lines = ["\t".join(cells).rstrip("\t") for row in rows for cells in _grid_row(row)]
        placed.append((table.bbox[1], "\n".join(lines)))
    return "\n".join(text for _, text in sorted(placed, key=lambda p: p[0]))


def _pdf_table_rows(table) -> list[list[str]]:  # noqa: ANN001
    """Cell texts of a PDF table; a cell merged down several rows repeats in each of them."""
    above: dict[int, tuple[float, str]] = {}  # column -> (bottom of its last cell, text)
    rows = []
    for bboxes, texts in zip(table.rows, table.extract(), strict=False):
        row = []
        for col, (bbox, text) in enumerate(zip(bboxes.cells, texts, strict=False)):
            if bbox is None:  # covered by a merged cell: from above if that one reaches down here
                bottom, last = above.get(col, (0.0, ""))
                row.append(last if bottom > bboxes.bbox[1] + 1 else "")
            else:
                text = re.sub(r"\s*\n\s*", "", text or "")
                above[col] = (bbox[3], text)
                row.append(text)
        rows.append(row)
    return rows


_READERS: dict[str, Callable[[Path, bytes], str]] = {
    ".txt": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}
