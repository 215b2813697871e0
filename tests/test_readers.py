"""readers.read_text on real files of every supported format, written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.loaders.readers import decode_bytes, html_to_text, read_text

TASKS = (
    "一、加快发展\n"
    "1、地区生产总值增长10%以上。(责任单位:市发改委、统计局)\n"
    "2、城镇登记失业率控制在4.5%以内。(牵头单位:市人社局)\n"
)


def test_gb18030_text_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "gb.txt"
    p.write_bytes(TASKS.encode("gb18030"))
    assert read_text(p) == TASKS


def test_gbk_text_with_rare_gb18030_characters(tmp_path: Path) -> None:
    text = "镕基同志强调𠀀要求各部门落实。\n" * 3  # 𠀀 exists only in GB18030's four-byte range
    p = tmp_path / "gb4.txt"
    p.write_bytes(text.encode("gb18030"))
    assert read_text(p) == text


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TASKS.encode("utf-8"))
    text = read_text(p)
    assert text == TASKS
    assert not text.startswith("\ufeff")


def test_plain_utf8_and_utf16(tmp_path: Path) -> None:
    p = tmp_path / "u8.txt"
    p.write_text(TASKS, encoding="utf-8")
    assert read_text(p) == TASKS
    p16 = tmp_path / "u16.txt"
    p16.write_bytes(TASKS.encode("utf-16"))  # with BOM
    assert read_text(p16) == TASKS


def test_decode_bytes_prefers_utf8_over_gb18030() -> None:
    # UTF-8 Chinese is usually also valid GB18030 (as mojibake): UTF-8 must win.
    assert decode_bytes("责任单位:区发改局".encode()) == "责任单位:区发改局"


def test_seed_samples_read_unchanged(shared_dir: Path) -> None:
    for seed in sorted((shared_dir / "seeds").glob("*.txt")):
        assert read_text(seed) == seed.read_bytes().decode("utf-8-sig")


PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发2021年重点工作责任分解的通知_某某区人民政府</title>
<script>var a = "设为首页";</script><style>.x{color:red}</style></head>
<body>
<div class="top"><a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">无障碍阅读</a></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li>
<li><a href="/b">政策文件</a></li><li><a href="/c">互动交流</a></li></ul></div>
<div class="main">
  <div class="crumb">当前位置:首页 &gt; 政务公开 &gt; 通知公告</div>
  <div class="article">
    <h1>关于印发2021年重点工作责任分解的通知</h1>
    <p class="info">发布机构:某某区政府办公室&nbsp;&nbsp;发布日期:2021-03-02</p>
    <div id="zoom">
      <p>各街道办事处,区政府各部门:</p>
      <p>现将2021年区政府重点工作责任分解印发给你们,请认真抓好落实。</p>
      <p>一、推动经济高质量发展<br>(一)稳定经济增长</p>
      <table border="1">
        <tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th></tr>
        <tr><td>1</td><td>地区生产总值增长7%左右。</td><td>区发改局</td><td>区统计局、各街道</td></tr>
        <tr><td>2</td><td>推进无障碍环境建设。</td><td>区住建局</td><td>区残联</td></tr>
      </table>
      <p>二、保障和改善民生</p>
    </div>
  </div>
</div>
<footer>主办:某某区人民政府办公室 版权所有 备案号:12345</footer>
<div class="foot">扫一扫在手机上查看当前页面</div>
</body></html>
"""


def test_html_page_keeps_body_and_tables(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.encode("gb18030"))
    lines = read_text(p).split("\n")
    assert lines[0] == "关于印发2021年重点工作责任分解的通知"
    assert "发布机构:某某区政府办公室 发布日期:2021-03-02" in lines
    assert "1\t地区生产总值增长7%左右。\t区发改局\t区统计局、各街道" in lines
    assert "序号\t工作任务\t牵头单位\t责任单位" in lines
    assert "2\t推进无障碍环境建设。\t区住建局\t区残联" in lines  # not mistaken for furniture
    assert "一、推动经济高质量发展" in lines and "(一)稳定经济增长" in lines  # <br> breaks the line
    assert lines[-1] == "二、保障和改善民生"
    text = "\n".join(lines)
    for junk in ("设为首页", "加入收藏", "政务公开", "版权所有", "扫一扫", "color:red", "当前位置"):
        assert junk not in text


def test_html_meta_charset_utf8_and_htm_suffix(tmp_path: Path) -> None:
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.replace("charset=gb2312", "charset=utf-8").encode("utf-8"))
    assert "1\t地区生产总值增长7%左右。\t区发改局\t区统计局、各街道" in read_text(p)


def test_html_without_charset_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "nocharset.html"
    p.write_bytes(PAGE.replace(' charset=gb2312"', '"').encode("gb18030"))
    assert "地区生产总值增长7%左右" in read_text(p)


def test_html_layout_table_is_not_flattened_into_one_row() -> None:
    html = (
        "<body><table><tr><td><table><tr><td>首页</td></tr></table></td>"
        "<td><p>一、总体要求</p><p>二、主要任务</p></td></tr></table></body>"
    )
    lines = html_to_text(html).split("\n")
    assert "一、总体要求" in lines and "二、主要任务" in lines


def test_html_title_added_when_body_has_no_heading() -> None:
    html = "<html><head><title>某市重点工作分工方案_某市人民政府</title></head><body><p>1、做好某项工作。</p></body></html>"
    assert html_to_text(html).split("\n") == ["某市重点工作分工方案", "1、做好某项工作。"]


def _docx_with_task_table(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("2021年重点工作任务分工方案")
    d.add_paragraph("一、稳定经济增长")
    t = d.add_table(rows=3, cols=4)
    for cell, text in zip(t.rows[0].cells, ("序号", "工作任务", "牵头单位", "配合单位"), strict=True):
        cell.text = text
    for cell, text in zip(t.rows[1].cells, ("1", "生产总值增长8%。", "市发改委", "市统计局"), strict=True):
        cell.text = text
    row = t.rows[2].cells
    row[0].text = "2"
    row[1].text = "做好招商引资。"
    merged = row[2].merge(row[3])  # one lead cell spanning two columns
    merged.text = "市商务局"
    d.add_paragraph("二、保障民生")
    d.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    p = tmp_path / "tasks.docx"
    _docx_with_task_table(p)
    assert read_text(p).split("\n") == [
        "2021年重点工作任务分工方案",
        "一、稳定经济增长",
        "序号\t工作任务\t牵头单位\t配合单位",
        "1\t生产总值增长8%。\t市发改委\t市统计局",
        "2\t做好招商引资。\t市商务局",
        "二、保障民生",
    ]


def _numbered_docx(path: Path, fmt: str, text: str) -> None:
    """A .docx whose 'List Number' paragraphs get Word's automatic numbers in ``fmt``."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("一、主要任务")
    for task in ("地区生产总值增长8%。", "做好招商引资。"):
        d.add_paragraph(task, style="List Number")
    num_id = d.styles["List Number"].element.pPr.numPr.find(qn("w:numId")).get(qn("w:val"))
    root = d.part.numbering_part.element
    num = next(n for n in root.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in root.iter(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    lvl = next(lv for lv in abstract.iter(qn("w:lvl")) if lv.get(qn("w:ilvl")) == "0")
    lvl.find(qn("w:numFmt")).set(qn("w:val"), fmt)
    lvl.find(qn("w:lvlText")).set(qn("w:val"), text)
    d.save(str(path))


@pytest.mark.parametrize(
    ("fmt", "text", "first", "second"),
    [("decimal", "%1、", "1、", "2、"), ("chineseCounting", "(%1)", "(一)", "(二)")],
)
def test_docx_automatic_numbering_is_kept(
    tmp_path: Path, fmt: str, text: str, first: str, second: str
) -> None:
    p = tmp_path / "numbered.docx"
    _numbered_docx(p, fmt, text)
    assert read_text(p).split("\n") == [
        "一、主要任务",
        f"{first}地区生产总值增长8%。",
        f"{second}做好招商引资。",
    ]


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if "CJK" in f.name or "Hei" in f.name or "Song" in f.name:
            return f.fname
    return None


def _pdf(path: Path, pages: list[list[str]], font: str | None) -> None:
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages

    props = font_manager.FontProperties(fname=font) if font else None
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for n, lines in enumerate(pages, 1):
            fig = plt.figure(figsize=(6, 4))
            for i, line in enumerate(lines):
                fig.text(0.05, 0.85 - 0.1 * i, line, fontproperties=props)
            fig.text(0.5, 0.03, f"- {n} -")
            pdf.savefig(fig)
            plt.close(fig)


def test_pdf_text_layer_pages_joined_page_numbers_dropped(tmp_path: Path) -> None:
    p = tmp_path / "latin.pdf"
    _pdf(p, [["1. Raise GDP by 10%.", "Lead: Development Bureau"], ["2. Cut unemployment."]], None)
    assert read_text(p).split("\n") == [
        "1. Raise GDP by 10%.",
        "Lead: Development Bureau",
        "2. Cut unemployment.",
    ]


@pytest.mark.skipif(_cjk_font() is None, reason="no CJK font to draw a Chinese PDF")
def test_pdf_chinese_text_survives(tmp_path: Path) -> None:
    p = tmp_path / "zh.pdf"
    _pdf(
        p,
        [["1、地区生产总值增长10%以上。", "(责任单位:市发改委)"], ["2、城镇登记失业率控制在4.5%以内。"]],
        _cjk_font(),
    )
    assert read_text(p).split("\n") == [
        "1、地区生产总值增长10%以上。",
        "(责任单位:市发改委)",
        "2、城镇登记失业率控制在4.5%以内。",
    ]


def test_html_and_docx_task_tables_through_load_document(tmp_path: Path) -> None:
    from govkg.loaders import load_document

    (tmp_path / "page.html").write_bytes(PAGE.encode("gb18030"))
    _docx_with_task_table(tmp_path / "tasks.docx")
    html = {t.number: t for t in load_document(tmp_path / "page.html").tasks}
    assert (html["1"].lead, html["1"].assist) == (["区发改局"], ["区统计局", "各街道"])
    assert [(x.indicator, x.value, x.comparator) for x in html["1"].targets] == [("地区生产总值", 7, "~")]
    assert html["2"].lead == ["区住建局"]
    docx_tasks = {t.number: t for t in load_document(tmp_path / "tasks.docx").tasks}
    assert (docx_tasks["1"].lead, docx_tasks["1"].assist) == (["市发改委"], ["市统计局"])
    assert docx_tasks["2"].lead == ["市商务局"]


def test_html_table_grid_keeps_empty_cells_and_expands_spans() -> None:
    html = (
        "<body><table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td colspan='4'>一、交通建设</td></tr>"
        "<tr><td>1</td><td>修路。</td><td rowspan='2'>市交通局</td><td></td></tr>"
        "<tr><td>2</td><td>架桥。</td><td>市财政局</td></tr></table></body>"
    )
    assert html_to_text(html).split("\n") == [
        "序号\t工作任务\t牵头单位\t配合单位",
        "一、交通建设",  # a row merged across the table is its text alone
        "1\t修路。\t市交通局",  # the empty 配合单位 cell keeps its place (trailing: dropped)
        "2\t架桥。\t市交通局\t市财政局",  # the lead cell spans both rows
    ]


def _pdf_with_ruled_table(
    path: Path, font: str, rows: list[tuple[str, ...]], merged_lead: int | None = None
) -> None:
    """A one-page PDF with a ruled 4-column table; ``merged_lead`` (a row index) leaves out the rule
    under the lead cell of that row (the cell is merged with the one below)."""
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.lines import Line2D

    props = font_manager.FontProperties(fname=font, size=9)
    cols, top, height = [0.05, 0.15, 0.55, 0.75, 0.95], 0.8, 0.1
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        fig = plt.figure(figsize=(6, 4))
        fig.text(0.05, 0.9, "2023年重点工作任务分解表", fontproperties=props)
        for i, row in enumerate(rows):
            for x, cell in zip(cols, row, strict=False):
                fig.text(x + 0.01, top - i * height - 0.065, cell, fontproperties=props)
        for i in range(len(rows) + 1):
            y = [top - i * height] * 2
            spans = (
                [(cols[0], cols[2]), (cols[3], cols[4])]
                if merged_lead is not None and i == merged_lead + 1
                else [(cols[0], cols[-1])]
            )
            for x0, x1 in spans:
                fig.add_artist(Line2D([x0, x1], y, color="black", linewidth=0.8))
        for x in cols:
            fig.add_artist(Line2D([x, x], [top, top - len(rows) * height], color="black", linewidth=0.8))
        fig.text(0.05, 0.3, "各部门要抓好落实。", fontproperties=props)
        pdf.savefig(fig)
        plt.close(fig)


@pytest.mark.skipif(_cjk_font() is None, reason="no CJK font to draw a Chinese PDF")
def test_pdf_ruled_table_becomes_tab_separated_rows(tmp_path: Path) -> None:
    p = tmp_path / "table.pdf"
    rows = [
        ("序号", "工作任务", "牵头单位", "配合单位"),
        ("1", "推进园区建设。", "市发改委", "市财政局"),
        ("2", "新建基站。", "市工信局", ""),
    ]
    _pdf_with_ruled_table(p, _cjk_font(), rows)
    assert read_text(p).split("\n") == [
        "2023年重点工作任务分解表",
        "序号\t工作任务\t牵头单位\t配合单位",
        "1\t推进园区建设。\t市发改委\t市财政局",
        "2\t新建基站。\t市工信局",
        "各部门要抓好落实。",
    ]


@pytest.mark.skipif(_cjk_font() is None, reason="no CJK font to draw a Chinese PDF")
def test_pdf_table_cell_merged_down_repeats_in_each_row(tmp_path: Path) -> None:
    p = tmp_path / "merged.pdf"
    rows = [
        ("序号", "工作任务", "牵头单位", "配合单位"),
        ("1", "推进园区建设。", "市发改委", "市财政局"),
        ("2", "新建基站。", "", "市通信办"),
    ]
    _pdf_with_ruled_table(p, _cjk_font(), rows, merged_lead=1)
    assert read_text(p).split("\n")[2:4] == [
        "1\t推进园区建设。\t市发改委\t市财政局",
        "2\t新建基站。\t市发改委\t市通信办",
    ]
