"""Fuzz targets (hypothesis): random and mutated input to the readers never raises anything
but a ``LoadError`` naming the file, and every read finishes (inputs are kept small)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govkg.loaders.errors import LoadError
from govkg.loaders.readers import decode_bytes, html_to_text, text_of
from tests import hostile as h

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
BASE_DOCX = h.docx_bytes()
BASE_XML = zipfile.ZipFile(io.BytesIO(BASE_DOCX)).read("word/document.xml").decode()


def _read(name: str, data: bytes) -> None:
    try:
        assert isinstance(text_of(name, data), str)
    except LoadError as e:
        assert e.path == name and e.reason and "\n" not in e.reason


@FUZZ
@given(st.binary(max_size=4000))
def test_decode_any_bytes(data: bytes) -> None:
    try:
        assert isinstance(decode_bytes(data, "x.txt"), str)
    except LoadError as e:
        assert e.path == "x.txt"


@FUZZ
@given(st.text(max_size=2000))
def test_text_any_unicode(text: str) -> None:
    for encoding in ("utf-8", "utf-16", "gb18030"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        _read("x.txt", data)


TAGS = st.sampled_from(["div", "p", "table", "tr", "td", "th", "span", "a", "ul", "li", "br", "h1", "script",
                        "nav", "pre", "b"])
ATTRS = st.sampled_from(["", ' colspan="3"', ' rowspan="99999"', ' colspan="x"', ' rowspan="-1"', ' href="#"'])
PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", TAGS, ATTRS),
    st.builds(lambda t: f"</{t}>", TAGS),
    st.sampled_from(["一、重点工作", "1、推进建设。", "(责任单位:市发改委)", "设为首页", "&nbsp;", "<!--", "-->",
                     "<![CDATA[x]]>", '<meta charset="big5">', "\t", "\n"]),
)


@FUZZ
@given(st.lists(PIECES, max_size=300))
def test_html_any_tag_soup(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert isinstance(html_to_text(html), str)
    _read("x.html", html.encode("utf-8"))


XML_SNIPPETS = st.sampled_from([
    '<w:gridSpan w:val="2000000000"/>', '<w:gridSpan w:val="abc"/>', "<w:vMerge/>", '<w:vMerge w:val="restart"/>',
    '<w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr>', '<w:numPr><w:ilvl w:val="12"/></w:numPr>',
    '<w:pStyle w:val="A"/>', "<w:tbl>", "</w:tbl>", "<w:tr>", "<w:tc>", "<w:p>", "</w:p>", "<w:t>责任单位</w:t>",
    "<w:br/>", '<w:trPr><w:gridBefore w:val="999999"/></w:trPr>', "&amp;", "<", "\x00",
])


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(BASE_XML)), XML_SNIPPETS), max_size=8), st.integers(0, 50))
def test_docx_mutated_xml(edits: list[tuple[int, str]], cut: int) -> None:
    xml = BASE_XML
    for at, snippet in sorted(edits, reverse=True):
        xml = xml[:at] + snippet + xml[at:]
    xml = xml[: len(xml) - cut]
    _read("x.docx", h.rewrite_zip(BASE_DOCX, {"word/document.xml": lambda _: xml}))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(BASE_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_docx_flipped_bytes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(BASE_DOCX)
    for at, value in flips:
        data[at] = value
    _read("x.docx", bytes(data))


@FUZZ
@given(st.binary(max_size=3000))
def test_pdf_any_bytes(tail: bytes) -> None:
    _read("x.pdf", b"%PDF-1.4\n" + tail)


def test_docx_with_a_nul_character_is_a_one_line_error() -> None:
    """Found by test_docx_mutated_xml: lxml's message for a NUL character spans two lines."""
    _read("x.docx", h.rewrite_zip(BASE_DOCX, {"word/document.xml": lambda _: "<\x00" + BASE_XML}))
