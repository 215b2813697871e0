"""File bytes -> plain text, by format (.txt in any supported encoding, .html, .docx, .pdf).

Tables become one line per row, cells separated by a tab, header row included; the
paragraphs of one table cell are kept apart by ``；`` (or their own final punctuation).
Every rejected file raises ``LoadError(path, reason)``. Reading is bounded by
``govkg.loaders.limits.Limits``: the file size before reading, the inflated size and entry count
of a .docx and the decoded size of PDF streams while reading; every step is linear in
the input (no recursion on the input's nesting depth).

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("一、总体要求".encode("gb18030"))
>>> read_text(p)
'一、总体要求'
"""

from __future__ import annotations

import codecs
import html
import io
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal

from govkg.loaders.errors import LoadError
from govkg.loaders.limits import Limits, megabytes
from govkg.loaders.vocabulary import html_junk_phrases, reader_vocabulary, text_encodings

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_MAX_CONTROL_RATIO = 0.02


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a table cell, or one paragraph of a cell, by its span in the text.
    ``row`` counts the rows of one table from 0; ``column`` is the cell's grid column."""

    kind: Literal["paragraph", "cell", "cell_paragraph"]
    start: int
    end: int
    row: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """A document's text and its blocks (paragraphs and cells never glued together).

    >>> [(b.kind, b.row, b.column) for b in _assemble(["一、目标", "1\\t修路"]).blocks]
    [('paragraph', None, None), ('cell', 0, 0), ('cell', 0, 1)]
    """

    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class _Cells:
    """One table row as read from Word: each cell as its paragraphs."""

    cells: tuple[tuple[str, ...], ...]


def read_text(path: str | Path, limits: Limits | None = None) -> str:
    """The text of the document at ``path``; raises ``LoadError`` for bad input.

    The reader is chosen by the file extension (.txt .html .htm .docx .pdf).
    """
    return read_document(path, limits).text


def read_document(path: str | Path, limits: Limits | None = None) -> Reading:
    """The text of the document at ``path`` with its paragraph and cell spans."""
    path = Path(path)
    return reading_of(path, read_bytes(path, limits), limits)


def read_bytes(path: str | Path, limits: Limits | None = None) -> bytes:
    """The bytes of a supported file, refused before reading when over the size limit."""
    path = Path(path)
    limits = limits or Limits()
    _reader(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise LoadError(path, _too_large(size, limits.max_file_bytes))
        with path.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise LoadError(path, f"cannot read file ({e.strerror or e})") from e
    if len(data) > limits.max_file_bytes:  # grew while being read
        raise LoadError(path, _too_large(len(data), limits.max_file_bytes))
    return data


def text_of(path: str | Path, data: bytes, limits: Limits | None = None) -> str:
    """The text of ``data``, the contents of a file named ``path`` (its suffix picks the reader)."""
    return reading_of(path, data, limits).text


def reading_of(path: str | Path, data: bytes, limits: Limits | None = None) -> Reading:
    """``text_of`` with the paragraph and cell spans."""
    path = Path(path)
    limits = limits or Limits()
    reader = _reader(path)
    if len(data) > limits.max_file_bytes:
        raise LoadError(path, _too_large(len(data), limits.max_file_bytes))
    if not data.strip():
        raise LoadError(path, "empty file")
    read = reader(path, data, limits)
    reading = read if isinstance(read, Reading) else _assemble(read.split("\n"))
    if not reading.text.strip():
        raise LoadError(path, "no text found")
    return reading


def _assemble(lines: list[str | _Cells]) -> Reading:
    """Text and blocks from lines: a ``_Cells`` row or a tab-separated line is a table row
    (rows counted per table), any other line a paragraph."""
    parts: list[str] = []
    blocks: list[Block] = []
    at, row = 0, -1
    for line in lines:
        if parts:
            parts.append("\n")
            at += 1
        if isinstance(line, _Cells):
            cells = [_cell_pieces(c) for c in line.cells]
        elif "\t" in line:
            cells = [(c, ((0, len(c)),) if c else ()) for c in line.split("\t")]
        else:
            row = -1
            if line:
                blocks.append(Block("paragraph", at, at + len(line)))
            parts.append(line)
            at += len(line)
            continue
        row += 1
        texts = []
        for col, (text, spans) in enumerate(cells):
            if col:
                at += 1
            if text:
                blocks.append(Block("cell", at, at + len(text), row, col))
                if len(spans) > 1:
                    blocks.extend(Block("cell_paragraph", at + a, at + b, row, col) for a, b in spans)
            texts.append(text)
            at += len(text)
        parts.append("\t".join(texts))
    return Reading("".join(parts), tuple(blocks))


def _reader(path: Path) -> Callable[[Path, bytes, Limits], str | Reading]:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kinds = " ".join(sorted(_READERS))
        raise LoadError(path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})")
    return reader


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({megabytes(size)}; the limit is {megabytes(limit)}, GOVKG_MAX_FILE_MB)"


# -- plain text ------------------------------------------------------------------------------

_MIN_PROBABLE = 0.8  # share of plausible characters a decoding must reach


def _counted(c: str) -> bool:
    """False for ASCII and box drawing (flattened tables), which say nothing about the decoding."""
    return not (c < "\x80" or "\u2500" <= c <= "\u259f")


def _char_table(encoding: str, leads: range, trails: tuple[range, ...]) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            for t in trail:
                chars.add(bytes((lead, t)).decode(encoding, errors="ignore"))
    return frozenset(c for c in chars if len(c) == 1 and _counted(c))


# Characters of running Chinese text: GB2312 hanzi (simplified) and Big5 hanzi (traditional).
@cache
def _common_hanzi() -> frozenset[str]:
    return _char_table("gb2312", range(0xB0, 0xF8), (range(0xA1, 0xFF),)) | _char_table(
        "big5", range(0xA4, 0xFA), (range(0x40, 0x7F), range(0xA1, 0xFF))
    )


def _probable_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that real Chinese documents use: common
    hanzi, CJK and full-width punctuation, general punctuation; not private-use, unassigned,
    kana, hangul or rare hanzi (what a wrong decoding produces)."""
    counts = Counter(text)
    common = _common_hanzi().intersection(counts)  # most of a Chinese text: counted in one pass
    probable, improbable = float(sum(map(counts.__getitem__, common))), 0.0
    for c in counts.keys() - common:  # each other distinct character once, weighted by its count
        n = counts[c]
        if not _counted(c):
            continue
        if "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or (
            "\u2000" <= c <= "\u206f"
        ) or c in "\u00a0\u00b7\u00d7\u00f7\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2468\u2469":
            probable += n
        elif unicodedata.category(c) in ("Co", "Cn", "Cs") or "\u3040" <= c <= "\u31ff" or (
            "\uac00" <= c <= "\ud7af"
        ):
            improbable += n
        elif _CJK.match(c):
            improbable += 0.5 * n  # a rare hanzi: fine in a name, not as most of the text
        else:
            probable += 0.5 * n
    total = probable + improbable
    return probable / total if total else 1.0


def decode_bytes(data: bytes, name: str | Path = "<bytes>") -> str:
    """Decode Chinese text bytes: UTF-8 (with or without BOM), UTF-16 (with or without BOM),
    GB18030/GBK, Big5, else whatever charset-normalizer finds among the supported encodings.
    A decoding that gives mostly improbable characters is refused.

    >>> decode_bytes("政府".encode("gbk")), decode_bytes("責任單位：區政府".encode("big5"))
    ('政府', '責任單位：區政府')
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    elif b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise LoadError(name, "binary file (contains NUL bytes)")
    else:
        text = _try_decode(data, "utf-8-sig")
        if text is None:
            text = _plausible(data, ("gb18030", "big5", "big5hkscs")) or _detect(data)
        if text is None:  # decodes, but not into Chinese text: refused below as improbable
            text = _try_decode(data, "gb18030")
    if text is None:
        raise LoadError(
            name, "cannot decode: not UTF-8, UTF-16, GB18030, Big5 or another supported encoding"
        )
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise LoadError(name, "binary file (control characters)")
    if _probable_share(text) < _MIN_PROBABLE:
        raise LoadError(name, "decodes to mostly improbable characters (wrong or unknown encoding)")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: the byte order that gives plausible text."""
    if len(data) % 2:
        return None
    best, share = None, _MIN_PROBABLE
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _try_decode(data, encoding)
        if text is None or _control_ratio(text) > _MAX_CONTROL_RATIO:
            continue
        if (s := _probable_share(text)) >= share:
            best, share = text, s
    return best


def _plausible(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The first of ``encodings`` that decodes ``data`` into plausible Chinese text."""
    for encoding in encodings:
        text = _try_decode(data, encoding)
        if text is not None and _probable_share(text) >= _MIN_PROBABLE:
            return text
    return None


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


_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc, less \t \n \v \f \r


def _control_ratio(text: str) -> float:
    return len(_CONTROLS.findall(text)) / max(len(text), 1)


def _read_plain(path: Path, data: bytes, limits: Limits) -> str:
    return without_markup(decode_bytes(data, path))


# Markup left in plain text copied from a web page's source: tags of these names and
# character references (&nbsp; &amp; &#12288;).
_MARKUP_TAG = re.compile(
    r"<(/?)(p|br|div|span|font|td|th|tr|table|tbody|thead|li|ul|ol|h[1-6]|strong|b|em|i|u|a|section|center)"
    r"\b[^<>\n]{0,300}?/?>",
    re.I,
)
_MARKUP_BREAK = frozenset({"p", "br", "div", "tr", "table", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                           "section", "center"})
_CHAR_REF = re.compile(r"&(?:nbsp|ensp|emsp|amp|lt|gt|quot|apos|middot|ldquo|rdquo|hellip|mdash|#\d{2,6}|#x[0-9a-f]{2,5});?",
                       re.I)
_MARKUP_MIN_TAGS = 2
_BETWEEN_TAGS = re.compile(r">\s+<(?=/?[A-Za-z])")
_CELL_END = re.compile(r"\t+\n")  # the separator after a row's last cell


def without_markup(text: str) -> str:
    """Plain text with the HTML left by a copy of a page's source taken out: block tags
    (``<p>`` ``<br>`` ``</div>`` ``</tr>``) as line breaks, cell tags as tabs, other tags
    dropped, character references (``&nbsp;``) resolved. Text with fewer than two such
    tags keeps its angle brackets (``<5%``); references are resolved in any case.

    >>> without_markup("<p>1.&nbsp;推进建设。</p><p>2.加强保护。</p>")
    '\\n1.\\xa0推进建设。\\n\\n2.加强保护。\\n'
    """
    if "<" in text and len(_MARKUP_TAG.findall(text, 0, 200_000)) >= _MARKUP_MIN_TAGS:
        text = _BETWEEN_TAGS.sub("><", text)  # line breaks between tags are not the text's
        text = _CELL_END.sub("\n", _MARKUP_TAG.sub(_markup_break, text))
    if "&" in text and _CHAR_REF.search(text):
        text = _CHAR_REF.sub(lambda m: html.unescape(m.group() if m.group().endswith(";") else m.group() + ";"), text)
    return text


def _markup_break(m: re.Match[str]) -> str:
    name = m.group(2).lower()
    if name in ("td", "th"):
        return "\t" if m.group(1) else ""
    if name in ("tr", "table", "tbody", "thead"):  # rows: one line each, no blank line between
        return "\n" if m.group(1) else ""
    return "\n" if name in _MARKUP_BREAK else ""


# -- HTML ------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{1,40})""", re.I)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select",
              "button", "input", "textarea", "svg", "canvas", "template", "object", "aside")
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul",
})
_MAIN_SHARE = 0.85


def decode_html(data: bytes, name: str | Path = "<bytes>") -> str:
    """Decode an HTML page: its declared charset if the bytes agree with it (they decode
    cleanly into plausible text), else detection."""
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = reader_vocabulary()["html_charset_aliases"].get(declared, declared)
        text = _try_decode(data, declared)
        if text is not None and _probable_share(text) >= _MIN_PROBABLE:
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
    if title and not _has_heading(main) and not any(title in line for line in lines[:5]):
        lines.insert(0, title)
    return "\n".join(lines)


def _has_heading(el) -> bool:  # noqa: ANN001
    return el.name in ("h1", "h2") or el.find(["h1", "h2"]) is not None


def _page_title(title: str) -> str:
    """The document part of a page title ('关于…的通知_某区人民政府' -> '关于…的通知')."""
    parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", title) if p.strip()]
    return max(parts, key=len, default="")


def _read_html(path: Path, data: bytes, limits: Limits) -> str:
    return html_to_text(decode_html(data, path))


def _postorder(root) -> list:  # noqa: ANN001
    """The elements under ``root`` (itself included), children before parents; no recursion."""
    from bs4 import Tag

    out, stack = [], [(root, False)]
    while stack:
        el, done = stack.pop()
        if done:
            out.append(el)
            continue
        stack.append((el, True))
        stack.extend((c, False) for c in reversed(el.contents) if isinstance(c, Tag))
    return out


@dataclass(slots=True)
class _Stats:
    """Per element, computed bottom-up once: stripped text length, its text while short,
    links under it and the length of their text, CJK characters, whether a table is inside."""

    length: int = 0
    short: str | None = ""
    links: int = 0
    linked: int = 0
    cjk: int = 0
    has_table: bool = False


def _stats(root, limit: int) -> dict[int, _Stats]:  # noqa: ANN001
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stats: dict[int, _Stats] = {}
    for el in _postorder(root):
        s = _Stats()
        parts: list[str] = []
        for c in el.contents:
            if isinstance(c, Tag):
                cs = stats[id(c)]
                s.length += cs.length
                s.links += cs.links
                s.linked += cs.linked
                s.cjk += cs.cjk
                s.has_table = s.has_table or cs.has_table or c.name == "table"
                if s.short is not None:
                    if cs.short is None:
                        s.short = None
                    else:
                        parts.append(cs.short)
            elif isinstance(c, NavigableString) and not isinstance(c, PreformattedString):
                text = str(c).strip()
                s.length += len(text)
                s.cjk += len(_CJK.findall(text))
                if s.short is not None:
                    parts.append(text)
        if s.short is not None:
            s.short = "".join(parts) if s.length <= limit else None
        if el.name == "a":
            s.links += 1
            s.linked += s.length
        stats[id(el)] = s
    return stats


def _drop_junk(root) -> None:  # noqa: ANN001
    """Remove short elements made of page-furniture phrases and link lists (menus)."""
    from bs4 import Tag

    limit = reader_vocabulary()["html_junk_max_chars"]
    junk = html_junk_phrases()
    stats = _stats(root, limit)
    stack = [root]
    while stack:  # parents first: a dropped element's children are not looked at
        el = stack.pop()
        s = stats[id(el)]
        furniture = s.short is not None and _is_junk(s.short, junk)
        menu = el.name in ("ul", "ol", "div", "dl", "table") and s.links >= 3 and s.linked >= 0.8 * max(
            s.length, 1
        )
        if el is not root and (furniture or menu):
            el.extract()
            continue
        stack.extend(c for c in reversed(el.contents) if isinstance(c, Tag))


def _is_junk(text: str, junk: tuple[str, ...]) -> bool:
    """Text that starts with a furniture phrase, or is mostly made of them."""
    if not text:
        return False
    if text.startswith(junk):
        return True
    covered = sum(len(j) * text.count(j) for j in junk)
    return covered >= 0.3 * len(text)


def _main_container(body):  # noqa: ANN001, ANN202
    """The deepest element that still holds most of the page's Chinese text."""
    from bs4 import Tag

    stats = _stats(body, 0)
    node, total = body, stats[id(body)].cjk
    while total:
        children = [c for c in node.contents if isinstance(c, Tag)]
        best = max(children, key=lambda c: stats[id(c)].cjk, default=None)
        if best is None or best.name == "table" or stats[id(best)].cjk < _MAIN_SHARE * total:
            break
        node = best
    return node


def _lines(root) -> list[str]:  # noqa: ANN001
    parts = _render(root)
    out = []
    for line in "".join(parts).split("\n"):
        cells = [re.sub(r"[ \u00a0\u3000\r\f\v]+", " ", c).strip() for c in line.split("\t")]
        line = "\t".join(cells).rstrip("\t")  # empty cells kept: they hold a column's place
        if line.strip("\t"):
            out.append(line)
    return out


def _render(root) -> list[str]:  # noqa: ANN001
    """Text pieces of ``root``: blocks on their own lines, data tables as tab-separated rows."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stats = _stats(root, 0)
    parts: list[str] = []
    stack: list = [c for c in reversed(root.contents)]
    while stack:
        child = stack.pop()
        if isinstance(child, str) and not isinstance(child, NavigableString):
            parts.append(child)  # a closing newline pushed below
        elif isinstance(child, Tag):
            if child.name == "table" and not stats[id(child)].has_table and _is_data_table(child):
                parts.append("\n")
                for row in _table_rows(child):
                    parts.append("\t".join(row) + "\n")
            elif child.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append("\n")
                stack.extend(reversed(child.contents))
            else:
                stack.extend(reversed(child.contents))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            parts.append(re.sub(r"\s+", " ", str(child)))
    return parts


def _is_data_table(tbl) -> bool:  # noqa: ANN001
    """A table of records, not a page-layout table (no long paragraphs; nested tables are
    ruled out by the caller)."""
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
        return max(1, min(int(str(cell.get(attr, 1)).strip()[:6] or 1), 50))
    except ValueError:
        return 1


def _grid_row(cells: list[str]) -> list[list[str]]:
    """A row as cells, or a merged row (one text across the row) as that text alone."""
    texts = {c for c in cells if c}
    if not texts:
        return []
    return [[texts.pop()]] if len(texts) == 1 else [cells]


# -- DOCX ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CN_DIGITS = "〇一二三四五六七八九"
_MAX_LEVELS = 9  # Word list levels 0..8
_MAX_COLUMNS = 64  # a table wider than this is not a task table; wider spans are cut
_CHUNK = 1 << 16


def _read_docx(path: Path, data: bytes, limits: Limits) -> Reading:
    """Paragraphs and tables of the document body, in order."""
    return _assemble(list(_docx_lines(path, _docx_parts(path, data, limits))))


def _docx_parts(path: Path, data: bytes, limits: Limits) -> dict[str, bytes]:
    """The XML parts of a .docx, inflated under the entry-count and inflated-size limits
    (checked while inflating, whatever sizes the archive declares)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise LoadError(path, "corrupt .docx (not a readable Word file)") from e
    if len(entries) > limits.max_entries:
        raise LoadError(
            path, f"corrupt .docx ({len(entries)} archive entries; the limit is {limits.max_entries})"
        )
    parts: dict[str, bytes] = {}
    total = 0
    for info in entries:
        name = info.filename
        if not (name.endswith((".xml", ".rels")) and not info.is_dir()):
            continue
        chunks = []
        try:
            with archive.open(info) as f:
                while chunk := f.read(_CHUNK):
                    total += len(chunk)
                    if total > limits.max_inflated_bytes:
                        raise LoadError(
                            path,
                            f"corrupt .docx (inflates beyond {megabytes(limits.max_inflated_bytes)}, "
                            "GOVKG_MAX_INFLATED_MB; a zip bomb?)",
                        )
                    chunks.append(chunk)
        except LoadError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as e:
            raise LoadError(path, f"corrupt .docx (entry {name}: {type(e).__name__})") from e
        parts[name] = b"".join(chunks)
    return parts


def _xml(path: Path, parts: dict[str, bytes], name: str):  # noqa: ANN202
    """The parsed part ``name`` (None when absent); entities and network access are off."""
    from lxml import etree

    data = parts.get(name)
    if data is None:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise LoadError(path, f"corrupt .docx ({name} is not well-formed XML: {' '.join(str(e.msg).split())})") from e
    if root is None:
        raise LoadError(path, f"corrupt .docx ({name} is empty)")
    return root


def _targets(path: Path, parts: dict[str, bytes], rels_name: str, base: str) -> dict[str, str]:
    """Relationship type (its last word) -> part name, from a .rels part."""
    root = _xml(path, parts, rels_name)
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(_PKG_REL):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = PurePosixPath(target.lstrip("/")) if target.startswith("/") else PurePosixPath(base) / target
        parts_of: list[str] = []
        for piece in joined.parts:
            if piece == "..":
                if parts_of:
                    parts_of.pop()
            elif piece not in (".", ""):
                parts_of.append(piece)
        out.setdefault(kind, "/".join(parts_of))
    return out


def _docx_lines(path: Path, parts: dict[str, bytes]) -> Iterator[str | _Cells]:
    main_name = _targets(path, parts, "_rels/.rels", "").get("officeDocument", "word/document.xml")
    document = _xml(path, parts, main_name)
    if document is None:
        raise LoadError(path, "corrupt .docx (no main document part)")
    folder = str(PurePosixPath(main_name).parent)
    rels = _targets(path, parts, f"{folder}/_rels/{PurePosixPath(main_name).name}.rels", folder)
    styles = _DocxStyles(_xml(path, parts, rels["styles"]) if "styles" in rels else None)
    numbering = _DocxNumbering(_xml(path, parts, rels["numbering"]) if "numbering" in rels else None)
    body = document.find(f"{_W}body")
    if body is None:
        raise LoadError(path, "corrupt .docx (the document has no body)")
    for child in _content(body):
        if child.tag == f"{_W}p":
            yield numbering.label(*styles.num_properties(child)) + paragraph_text(child)
        elif child.tag == f"{_W}tbl":
            yield from _docx_table_lines(child)


_WRAPPERS = frozenset(f"{_W}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "smartTag", "fldSimple",
                                          "hyperlink", "moveTo", "dir", "bdo"))


def _content(el) -> Iterator:  # noqa: ANN001
    """Block or inline children of ``el``, looking through content controls and revisions."""
    stack = list(reversed(el))
    while stack:
        child = stack.pop()
        if child.tag in _WRAPPERS:
            stack.extend(reversed(child))
        else:
            yield child


def paragraph_text(p) -> str:  # noqa: ANN001
    """The text of a ``w:p`` element: its runs (also inside hyperlinks, insertions, fields),
    tabs as tabs, breaks as newlines; deleted text and text boxes left out."""
    out: list[str] = []
    for child in _content(p):
        if child.tag != f"{_W}r":
            continue
        for piece in child:
            tag = piece.tag
            if tag == f"{_W}t":
                out.append(piece.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n" if piece.get(f"{_W}type") in (None, "textWrapping") else "")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
    return "".join(out)


def _int(value: str | None, default: int, low: int, high: int) -> int:
    """``value`` as an int in ``[low, high]`` (clamped), ``default`` when missing or malformed."""
    try:
        return max(low, min(int(str(value).strip()[:12]), high))
    except (TypeError, ValueError):
        return default


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
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japaneseCounting")) and 0 <= n < 100:
        return chinese_numeral(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return "" if fmt in ("bullet", "none") else str(n)


def _val(el, name: str) -> str | None:  # noqa: ANN001
    child = el.find(f"{_W}{name}") if el is not None else None
    return child.get(f"{_W}val") if child is not None else None


def _num_pr(ppr) -> tuple[str | None, str | None] | None:  # noqa: ANN001
    """(numId, ilvl) as written in a ``w:pPr``, or None when it has no ``w:numPr``."""
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    return None if num_pr is None else (_val(num_pr, "numId"), _val(num_pr, "ilvl"))


class _DocxStyles:
    """Paragraph styles: list properties along each ``basedOn`` chain (cycles cut)."""

    def __init__(self, root) -> None:  # noqa: ANN001
        self._own: dict[str, tuple[str | None, tuple[str | None, str | None] | None]] = {}
        self._default: str | None = None
        for style in root.iter(f"{_W}style") if root is not None else ():
            if style.get(f"{_W}type", "paragraph") != "paragraph":
                continue
            sid = style.get(f"{_W}styleId")
            if sid is None or sid in self._own:
                continue
            self._own[sid] = (_val(style, "basedOn"), _num_pr(style.find(f"{_W}pPr")))
            if style.get(f"{_W}default") in ("1", "true", "on") and self._default is None:
                self._default = sid
        self._resolved: dict[str, tuple[str | None, str | None] | None] = {}

    def _style_num(self, sid: str | None) -> tuple[str | None, str | None] | None:
        if sid is None or sid not in self._own:
            return None
        if sid in self._resolved:
            return self._resolved[sid]
        chain, seen, found = [], set(), None
        while sid is not None and sid in self._own and sid not in seen:
            if sid in self._resolved:
                found = self._resolved[sid]
                break
            seen.add(sid)
            chain.append(sid)
            based_on, num = self._own[sid]
            if num is not None:
                found = num
                break
            sid = based_on
        for s in chain:
            self._resolved[s] = found
        return found

    def num_properties(self, p) -> tuple[str | None, int | None]:  # noqa: ANN001
        """(numId, ilvl) of a paragraph, from its own properties or its style chain; ilvl is
        None when malformed (then the paragraph gets no number)."""
        ppr = p.find(f"{_W}pPr")
        num = _num_pr(ppr)
        if num is None:
            num = self._style_num(_val(ppr, "pStyle") or self._default)
        if num is None:
            return None, 0
        num_id, ilvl = num
        level = _int(ilvl, -1, -1, _MAX_LEVELS) if ilvl is not None else 0
        return (num_id if num_id != "0" else None), (level if 0 <= level < _MAX_LEVELS else None)


class _DocxNumbering:
    """Word's automatic list numbers (1、 (一) …), which are not part of the paragraph text.
    Levels without a valid ``w:ilvl`` (0..8) are ignored; malformed numbers fall back."""

    def __init__(self, root) -> None:  # noqa: ANN001
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self._counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iter(f"{_W}abstractNum")}
        for num in root.iter(f"{_W}num"):
            definition = abstract.get(_val(num, "abstractNumId"))
            if definition is None or num.get(f"{_W}numId") in self._levels:
                continue
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in definition.iter(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl"), -1, -1, _MAX_LEVELS)
                if 0 <= ilvl < _MAX_LEVELS and ilvl not in levels:
                    levels[ilvl] = (
                        _int(_val(lvl, "start"), 1, 0, 10**6),
                        _val(lvl, "numFmt") or "decimal",
                        (_val(lvl, "lvlText") or "")[:64],
                    )
            self._levels[num.get(f"{_W}numId")] = levels

    def label(self, num_id: str | None, ilvl: int | None) -> str:
        """The number Word shows before a paragraph ('' when it has none); advances the count."""
        levels = self._levels.get(num_id or "")
        if not levels or ilvl is None or ilvl not in levels:
            return ""
        counts = self._counters.setdefault(num_id or "", [0] * _MAX_LEVELS)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counts[deeper] = 0
        start, fmt, text = levels[ilvl]

        def level_number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_start, k_fmt, _ = levels.get(k, (1, "decimal", ""))
            return _format_number(max(counts[k], 1) + k_start - 1, k_fmt)

        return re.sub(r"%([1-9])", level_number, text) if fmt not in ("bullet", "none") else ""


_CELL_BREAK = "；"
_ENDS_CLAUSE = tuple("。；;！!？?，,、：:")


def cell_text(paragraphs: list[str]) -> str:
    """The paragraphs of one table cell on one line, never glued: each one that does not end
    in punctuation is followed by ``；``.

    >>> cell_text(["区发改局", "区财政局"]), cell_text(["推进建设。", "加快改造"])
    ('区发改局；区财政局', '推进建设。加快改造')
    """
    return _cell_pieces(paragraphs)[0]


def _cell_pieces(paragraphs: list[str] | tuple[str, ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``cell_text`` and the span of each kept paragraph in it."""
    out, spans = "", []
    for t in paragraphs:
        t = re.sub(r"\s+", " ", t).strip()
        if not t:
            continue
        if out and not out.endswith(_ENDS_CLAUSE):
            out += _CELL_BREAK
        spans.append((len(out), len(out) + len(t)))
        out += t
    return out, tuple(spans)


def _docx_table_lines(tbl) -> Iterator[_Cells]:  # noqa: ANN001
    """Rows of a Word table on its grid, each cell as its paragraphs: a cell merged across
    columns (``w:gridSpan``) gives its text then empty columns, one merged down
    (``w:vMerge``) repeats the text above. Spans are clamped to the table's grid (at most 64
    columns); malformed ones count as 1. A row with one text across it is that cell alone."""
    grid = tbl.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    width = max(1, min(width or _MAX_COLUMNS, _MAX_COLUMNS))
    above: list[tuple[str, ...]] = []
    for tr in _content(tbl):
        if tr.tag != f"{_W}tr":
            continue
        row: list[tuple[str, ...]] = [()] * _int(_val(tr.find(f"{_W}trPr"), "gridBefore"), 0, 0, width)
        for tc in _content(tr):
            if tc.tag != f"{_W}tc" or len(row) >= width:
                continue
            tc_pr = tc.find(f"{_W}tcPr")
            span = min(_int(_val(tc_pr, "gridSpan"), 1, 1, width), width - len(row))
            merge = tc_pr.find(f"{_W}vMerge") if tc_pr is not None else None
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                col = len(row)
                cell = above[col] if col < len(above) else ()
            else:
                cell = tuple(paragraph_text(p) for p in tc.iter(f"{_W}p"))
            row += [cell] + [()] * (span - 1)
        above = row
        texts = [cell_text(list(c)) for c in row]
        for cells in _grid_row(texts):
            if len(cells) == 1 and len(row) > 1:  # one text across the row
                yield _Cells((row[texts.index(cells[0])],))
            else:
                while row and not texts[len(row) - 1]:
                    row = row[:-1]
                yield _Cells(tuple(row))


# -- PDF -------------------------------------------------------------------------------------


_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"


def _read_pdf(path: Path, data: bytes, limits: Limits) -> str:
    """The text layer, pages joined by newlines, lone page-number lines dropped."""
    import pdfplumber

    _check_pdf_streams(path, data, limits.max_inflated_bytes)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_page_text(page) for page in pdf.pages]
    except RecursionError as e:
        raise LoadError(path, "corrupt PDF (objects nested too deeply)") from e
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        raise LoadError(path, f"corrupt PDF ({type(e).__name__})") from e
    lines = [ln for page in pages for ln in page.split("\n") if not _PAGE_NUMBER.match(ln)]
    text = "\n".join(lines)
    if not text.strip():
        raise LoadError(path, "PDF has no text layer (scanned image?)")
    return text


def _check_pdf_streams(path: Path, data: bytes, limit: int) -> None:
    """Refuse a PDF whose Flate streams inflate beyond ``limit`` bytes in total, counted while
    inflating (in bounded steps, so a stream bomb never lands in memory)."""
    total = 0
    at = 0
    while m := _STREAM.search(data, at):
        end = data.find(_ENDSTREAM, m.end())
        end = len(data) if end < 0 else end
        at = end + len(_ENDSTREAM)
        inflater = zlib.decompressobj()
        chunk = data[m.end() : end]
        try:
            while chunk:
                out = inflater.decompress(chunk, _CHUNK)
                total += len(out)
                if total > limit:
                    raise LoadError(
                        path, f"PDF streams inflate beyond {megabytes(limit)} (GOVKG_MAX_INFLATED_MB)"
                    )
                chunk = inflater.unconsumed_tail
                if inflater.eof or not out:
                    break
        except zlib.error:
            continue  # not a Flate stream (or a broken one): pdfminer judges it


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


_READERS: dict[str, Callable[[Path, bytes, Limits], str | Reading]] = {
    ".txt": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}
