"""Write the samples in other formats (``samples/formats/``) with the project's own libraries.

    .venv/bin/python scripts/make_samples.py OUT_DIR              # the set kept in samples/formats
    .venv/bin/python scripts/make_samples.py OUT_DIR SAMPLE.txt   # .docx, .html and .pdf of one sample

python-docx writes the Word file (one paragraph per line), the HTML file is a plain UTF-8
page (one <p> per line), matplotlib writes the PDF (a real text layer in a CJK font, page
numbers at the foot; needs a Chinese font such as Debian's fonts-noto-cjk), and the text
files are the same text in GB18030 or UTF-16. ``FORMATS`` names which sample is written in
which format: every real notice in at least one other format, the synthetic one in all three.
``tests/test_samples.py`` checks that each file gives the same tasks as its ``.txt``.
"""

from __future__ import annotations

import html
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
DEFAULT = SAMPLES / "2021_xialu_sample.txt"
# (sample, format) written by default; a text encoding writes STEM_ENCODING.txt
FORMATS = (
    ("000_5acdb013471bb0aa", "pdf"),  # 鄂州市: a PDF with page numbers, lines wrapped at 34 characters
    ("001_6ae365a741fde3ec", "docx"),  # 下陆区 2020
    ("002_9222e8fa776e91ee", "html"),  # 鹰潭市
    ("003_9122fdf419c46626", "gb18030"),  # 镇海区 (as HTML its web-page furniture, 分享到:, is dropped)
    ("004_3d56d1888d1ed129", "utf-16"),  # no place of its own
    ("2021_xialu_sample", "docx"),  # synthetic, 下陆区 2021
    ("2021_xialu_sample", "html"),
    ("2021_xialu_sample", "pdf"),
)
PDF_LINE_CHARS = 34
PDF_PAGE_LINES = 38


def _lines(source: Path) -> list[str]:
    return [ln.rstrip() for ln in source.read_text(encoding="utf-8-sig").splitlines()]


def write_docx(lines: list[str], out: Path) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line.strip())
    document.save(str(out))


def write_html(lines: list[str], out: Path, title: str) -> None:
    body = "\n".join(f"<p>{html.escape(ln.strip())}</p>" for ln in lines if ln.strip())
    page = (
        f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )
    out.write_text(page, encoding="utf-8")


def write_pdf(lines: list[str], out: Path) -> None:
    import matplotlib

    matplotlib.use("pdf")
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from govkg.api.draw import cjk_font

    family = cjk_font()
    if family is None:
        raise SystemExit("make_samples: no Chinese font installed (apt-get install fonts-noto-cjk)")
    props = font_manager.FontProperties(family=family, size=10)
    wrapped = [part for ln in lines for part in (textwrap.wrap(ln.strip(), PDF_LINE_CHARS) or [""])]
    pages = [wrapped[i : i + PDF_PAGE_LINES] for i in range(0, len(wrapped), PDF_PAGE_LINES)]
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out) as pdf:
        for n, page in enumerate(pages, 1):
            fig = Figure(figsize=(8.27, 11.69))  # A4
            for i, line in enumerate(page):
                fig.text(0.08, 0.94 - i * 0.023, line, fontproperties=props)
            fig.text(0.5, 0.03, f"- {n} -", ha="center", fontproperties=props)
            pdf.savefig(fig)


def write(source: Path, fmt: str, out_dir: Path) -> Path:
    """``source`` (a UTF-8 .txt sample) written in ``fmt`` into ``out_dir``; the file written."""
    lines = _lines(source)
    if fmt in ("docx", "html", "pdf"):
        out = out_dir / f"{source.stem}.{fmt}"
        if fmt == "docx":
            write_docx(lines, out)
        elif fmt == "html":
            write_html(lines, out, next((ln.strip() for ln in lines if ln.strip()), source.stem))
        else:
            write_pdf(lines, out)
        return out
    out = out_dir / f"{source.stem}_{fmt.replace('-', '')}.txt"
    out.write_bytes(source.read_text(encoding="utf-8-sig").encode(fmt))  # utf-16 writes its BOM
    return out


def make_samples(out_dir: Path, source: Path | None = None) -> list[Path]:
    """The ``FORMATS`` set (or the .docx, .html and .pdf of ``source``) written into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if source is not None:
        return [write(source, fmt, out_dir) for fmt in ("docx", "html", "pdf")]
    return [write(SAMPLES / f"{stem}.txt", fmt, out_dir) for stem, fmt in FORMATS]


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    sys.path.insert(0, str(REPO))
    for path in make_samples(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None):
        print(f"{path}: written")
