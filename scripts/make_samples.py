"""Write .docx, .html and .pdf versions of a sample notice with the project's own libraries.

    .venv/bin/python scripts/make_samples.py OUT_DIR [SAMPLE.txt]

python-docx writes the Word file (one paragraph per line), the HTML file is a plain UTF-8
page (one <p> per line), matplotlib writes the PDF (a real text layer in a CJK font,
page numbers at the foot). Default sample: samples/2021_xialu_sample.txt.
"""

from __future__ import annotations

import html
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "samples" / "2021_xialu_sample.txt"
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


def make_samples(out_dir: Path, source: Path = DEFAULT) -> list[Path]:
    """The .docx, .html and .pdf versions of ``source`` written into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = _lines(source)
    stem = source.stem
    made = [out_dir / f"{stem}.docx", out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"]
    write_docx(lines, made[0])
    write_html(lines, made[1], next((ln.strip() for ln in lines if ln.strip()), stem))
    write_pdf(lines, made[2])
    return made


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    sys.path.insert(0, str(REPO))
    for path in make_samples(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else DEFAULT):
        print(f"{path}: written")
