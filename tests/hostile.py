"""Hand-made hostile files: zip bombs, style cycles, absurd spans, deep nesting, stream bombs.

Each maker writes one small file to ``folder`` and returns its path; the tests feed them to
the readers, the CLI and the API.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TASK = "1、推进项目建设。(责任单位:市发改委、市财政局)"


def docx_bytes(edit: Callable[[str], str] | None = None, part: str = "word/document.xml") -> bytes:
    """A real .docx made by python-docx (one paragraph, a 2x2 table), with ``edit`` applied
    to the XML text of ``part``."""
    import docx

    d = docx.Document()
    d.add_paragraph("一、重点工作")
    d.add_paragraph(TASK)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "牵头单位"
    table.cell(0, 1).text = "配合单位"
    table.cell(1, 0).text = "市发改委"
    table.cell(1, 1).text = "市财政局"
    buf = io.BytesIO()
    d.save(buf)
    if edit is None:
        return buf.getvalue()
    return rewrite_zip(buf.getvalue(), {part: edit})


def rewrite_zip(data: bytes, edits: dict[str, Callable[[str], str]]) -> bytes:
    """``data`` (a zip) with the text of some entries changed (missing entries are created)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            body = src.read(name)
            if name in edits:
                body = edits[name](body.decode("utf-8")).encode("utf-8")
            dst.writestr(name, body)
        for name, edit in edits.items():
            if name not in names:
                dst.writestr(name, edit("").encode("utf-8"))
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def grid_span(folder: Path, span: str = "2000000000") -> Path:
    """A table cell claiming to span ``span`` grid columns."""
    return write(folder, "gridspan.docx", docx_bytes(
        lambda x: x.replace("<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>', 1)))


def vmerge_first_row(folder: Path) -> Path:
    """``<w:vMerge/>`` (continue) in the first row: nothing above to continue."""
    return write(folder, "vmerge.docx", docx_bytes(lambda x: x.replace("<w:tcPr>", "<w:tcPr><w:vMerge/>", 1)))


def style_cycle(folder: Path) -> Path:
    """Paragraph style A based on itself and B <-> C based on each other; paragraphs use them."""
    styles = (
        '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="A"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="C"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="C"><w:name w:val="C"/><w:basedOn w:val="B"/></w:style>'
    )

    def body(x: str) -> str:
        x = x.replace("<w:p>", '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr>', 1)
        return x.replace("<w:p>", '<w:p><w:pPr><w:pStyle w:val="B"/></w:pPr>', 1)

    data = docx_bytes(body)
    data = rewrite_zip(data, {"word/styles.xml": lambda x: x.replace("</w:styles>", styles + "</w:styles>")})
    return write(folder, "stylecycle.docx", data)


def bad_numbering(folder: Path) -> Path:
    """Numbering with ``w:ilvl="x"``, a level without ``w:ilvl``, level 12 and a bad start."""
    numbering = (
        f'<w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="x"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl><w:start w:val="abc"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%9、"/></w:lvl>'
        '<w:lvl w:ilvl="12"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="0"><w:start w:val="-5"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    )
    rel = (
        '<Relationship Id="rIdNum" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/numbering" Target="numbering.xml"/></Relationships>'
    )

    def body(x: str) -> str:
        x = x.replace("<w:p>", '<w:p><w:pPr><w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr></w:pPr>', 1)
        return x.replace("<w:p>", '<w:p><w:pPr><w:numPr><w:ilvl w:val="12"/><w:numId w:val="1"/></w:numPr></w:pPr>', 1)

    data = docx_bytes(body)
    data = rewrite_zip(data, {
        "word/numbering.xml": lambda _: numbering,
        "word/_rels/document.xml.rels": lambda x: x.replace("</Relationships>", rel),
    })
    return write(folder, "numbering.docx", data)


def docx_xml(folder: Path, name: str, xml: str) -> Path:
    """A .docx whose document.xml is replaced by ``xml`` (empty, unclosed, deep, entities …)."""
    return write(folder, name, docx_bytes(lambda _: xml))


def billion_laughs() -> str:
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>'


def deep_xml(depth: int = 300) -> str:
    return f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth + "</w:body></w:document>"


def zip_bomb(folder: Path, inflated_mb: int = 1024) -> Path:
    """A .docx whose document.xml inflates to ``inflated_mb`` MB (a few MB on disk)."""
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name in base.namelist():
            if name != "word/document.xml":
                dst.writestr(name, base.read(name))
        with dst.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode())
            block = b"a" * (1 << 20)
            for _ in range(inflated_mb):
                f.write(block)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return write(folder, "bomb.docx", out.getvalue())


def many_entries(folder: Path, n: int = 5000) -> Path:
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    with zipfile.ZipFile(out, "w") as dst:
        for name in base.namelist():
            dst.writestr(name, base.read(name))
        for i in range(n):
            dst.writestr(f"junk/{i}.xml", b"")
    return write(folder, "entries.docx", out.getvalue())


def pdf_stream_bomb(folder: Path, inflated_mb: int = 1024) -> Path:
    """A PDF whose one content stream inflates to ``inflated_mb`` MB."""
    z = zlib.compressobj(9)
    block = b" " * (1 << 20)
    stream = b"".join(z.compress(block) for _ in range(inflated_mb)) + z.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return write(folder, "streambomb.pdf", bytes(out))


def sparse_file(folder: Path, size: int = 1 << 30) -> Path:
    """A 1 GB sparse .txt (takes no disk space)."""
    path = folder / "sparse.txt"
    with path.open("wb") as f:
        f.truncate(size)
    return path


def deep_html(folder: Path, depth: int = 100_000) -> Path:
    html = "<html><body>" + "<div>" * depth + TASK + "</div>" * depth + "</body></html>"
    return write(folder, "deep.html", html.encode("utf-8"))


def gbk_noise(pairs: int = 3000) -> bytes:
    """Byte pairs that are valid GBK (and Big5) but decode to rare, unrelated characters."""
    import random

    rng = random.Random(12)
    return bytes(b for _ in range(pairs) for b in (rng.randrange(0x81, 0xFE), rng.randrange(0x40, 0x7F)))
