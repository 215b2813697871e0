"""The parser on synthetic documents in the styles of governments it was not written for.

Each document (tests/data/generalise/, or built here for .docx / .html / GB18030) is checked
against what an annotator following the gold rules (/work/shared/gold/README.md) would
write: the tasks (id, first characters of the text), lead / assist / responsible lists and
deadlines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.loaders import load_document
from govkg.loaders.model import Document

DATA = Path(__file__).parent / "data" / "generalise"


def _rows(doc: Document) -> list[tuple]:
    return [(t.id, t.text, t.lead, t.assist, t.responsible, t.deadline) for t in doc.tasks]


def _check(doc: Document, expected: list[tuple]) -> None:
    """Tasks as (id, text start, lead, assist, responsible, deadline), in order."""
    got = _rows(doc)
    assert [r[0] for r in got] == [e[0] for e in expected]
    for row, want in zip(got, expected, strict=True):
        assert row[1].startswith(want[1]), (row[1], want[1])
        assert row[2:] == want[2:], row


def _load_text(tmp_path: Path, name: str, text: str) -> Document:
    """Write ``text`` as a UTF-8 file ``name`` and load it through the whole loader."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def _no_line_break_spaces(doc: Document) -> None:
    for t in doc.tasks:
        assert " " not in t.text, t.text


def test_national_division_of_work() -> None:
    doc = load_document(DATA / "national.txt")
    _check(
        doc,
        [
            (
                "1",
                "多渠道增加城乡居民",
                ["国家发展改革委", "商务部"],
                ["财政部", "人力资源社会保障部"],
                [],
                None,
            ),
            ("2", "今年拟安排地方政府", ["国家发展改革委", "财政部"], ["各有关部门"], [], "年内持续推进"),
            ("3", "鼓励和吸引更多民间", ["国家发展改革委"], ["有关部门"], [], None),
            ("4", "围绕制造业重点产业", ["工业和信息化部", "科技部"], ["国家发展改革委"], [], None),
            ("5", "加强重要能源、矿产", [], [], ["国家能源局", "自然资源部"], None),
        ],
    )
    assert [t.section_path for t in doc.tasks][:3] == [("一", "(一)"), ("一", "(一)"), ("一", "(二)")]
    assert "各地区" not in doc.tasks[-1].text


def test_provincial_plan_with_labelled_lines() -> None:
    doc = load_document(DATA / "province.txt")
    _check(
        doc,
        [
            (
                "1",
                "推动消费提质扩容",
                ["省商务厅"],
                ["省发展改革委", "省财政厅", "省市场监管局", "各市州人民政府"],
                [],
                "2023年12月底",
            ),
            (
                "2",
                "扩大有效投资。全年",
                ["省发展改革委"],
                ["省财政厅", "省自然资源厅", "省生态环境厅"],
                [],
                "持续推进",
            ),
            # party departments take the committee's prefix; 省直… already says where it belongs
            (
                "3",
                "深化党史学习教育",
                ["省委组织部", "省委宣传部"],
                ["省委统战部", "省直机关工委"],
                [],
                "2023年底",
            ),
        ],
    )
    last = doc.tasks[-1]
    assert "附件" not in doc.text[last.span.start : last.span.end]


def test_district_list_with_bracketed_labels() -> None:
    doc = load_document(DATA / "district.txt")
    _check(
        doc,
        [
            ("1", "实施100个以上", ["区发改局"], ["区人社局", "区财政局", "区统计局"], [], None),
            ("2", "优化营商环境,持续", ["区政务服务和大数据管理局"], ["区委编办", "区司法局"], [], None),
            ("3", "推进生活垃圾分类,", ["区城管局"], ["各街道办事处"], [], None),
            ("4", "办好十件民生实事。", [], [], ["区政府办公室", "区政府研究室"], None),
        ],
    )
    assert doc.tasks[2].text == "推进生活垃圾分类,加快垃圾分类处理设施建设。"
    targets = [(t.indicator, t.value, t.unit, t.comparator) for t in doc.tasks[0].targets]
    assert targets == [
        ("重点项目", 100, "个", ">="),
        ("就业", 1.2, "万人", "="),
        ("城镇调查失业率", 5, "%", "<="),
    ]


def _county_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某某县2023年政府工作报告重点工作任务分解表")
    table = d.add_table(rows=1, cols=6)
    header = ("序号", "工作任务", "责任领导", "牵头单位", "配合单位", "完成时限")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    rows = [
        ("一", "稳定经济增长", "", "", "", ""),
        ("1", "全年地区生产总值增长6.5%左右。", "张三", "县发改局", "县统计局、财政局", "2023年12月底"),
        ("2", "实施招商引资“一号工程”,新引进亿元以上项目30个。", "李四", "县商务局", "", "持续推进"),
        (None, "二、保障和改善民生"),
        (
            "3",
            "新建改扩建中小学校5所,新增学位3000个。",
            "王五",
            "县教育局",
            "县住建局、县自然资源局",
            "2023年9月",
        ),
    ]
    for row in rows:
        cells = table.add_row().cells
        if row[0] is None:  # a heading merged across the whole row
            cells[0].merge(cells[-1]).text = row[1]
        else:
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    d.add_paragraph("抄送:县委办公室,县人大常委会办公室。")
    d.save(str(path))


def test_county_docx_task_table_with_section_rows(tmp_path: Path) -> None:
    path = tmp_path / "county.docx"
    _county_docx(path)
    doc = load_document(path)
    _check(
        doc,
        [
            ("1", "全年地区生产总值增", ["县发改局"], ["县统计局", "县财政局"], [], "2023年12月底"),
            ("2", "实施招商引资“一号", ["县商务局"], [], [], "持续推进"),  # empty 配合单位: nothing shifts
            ("3", "新建改扩建中小学校", ["县教育局"], ["县住建局", "县自然资源局"], [], "2023年9月"),
        ],
    )
    assert [t.section_path for t in doc.tasks] == [("一",), ("一",), ("二",)]


CITY_PAGE = """<html><head><meta charset="utf-8">
<title>某某市2023年重点工作任务分工_某某市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<div class="pos">当前位置:首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="content">
<h1>某某市人民政府关于印发2023年重点工作任务分工的通知</h1>
<p>各区县人民政府,市政府各部门:</p>
<p>现将2023年重点工作任务分工印发给你们,请认真抓好落实。</p>
<table border="1">
<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>责任单位</td><td>完成时限</td></tr>
<tr><td colspan="5">(一)稳定经济增长</td></tr>
<tr><td>1</td><td>地区生产总值增长6%以上。</td><td>市发改委</td><td>市统计局、各区县政府</td><td>2023年底</td></tr>
<tr><td>2</td><td>规模以上工业增加值增长8%。</td><td rowspan="2">市经信局</td><td></td><td>2023年底</td></tr>
<tr><td>3</td><td>数字经济核心产业增加值增长12%。</td><td>市大数据局</td><td>2023年底</td></tr>
<tr><td></td><td>(二)保障民生</td><td></td><td></td><td></td></tr>
<tr><td>4</td><td>城镇新增就业5万人以上。</td><td>市人社局</td><td>市财政局</td><td>2023年底</td></tr>
</table>
</div>
<div class="foot">版权所有:某某市人民政府 网站地图 联系我们</div>
</body></html>"""


def test_city_html_table_with_navigation_and_merged_cells(tmp_path: Path) -> None:
    path = tmp_path / "city.html"
    path.write_text(CITY_PAGE, encoding="utf-8")
    doc = load_document(path)
    _check(
        doc,
        [
            ("1", "地区生产总值增长6", ["市发改委"], ["市统计局", "各区县政府"], [], "2023年底"),
            ("2", "规模以上工业增加值", ["市经信局"], [], [], "2023年底"),
            (
                "3",
                "数字经济核心产业增",
                ["市经信局"],
                ["市大数据局"],
                [],
                "2023年底",
            ),  # lead cell spans two rows
            ("4", "城镇新增就业5万人", ["市人社局"], ["市财政局"], [], "2023年底"),
        ],
    )
    assert [t.section_path[-1] for t in doc.tasks] == ["(一)", "(一)", "(一)", "(二)"]


def test_pdf_text_with_hard_wraps_and_page_footers() -> None:
    doc = load_document(DATA / "pdf.txt")
    _check(
        doc,
        [
            (
                "1",
                "加快推进重大项目建",
                ["市发展改革委"],
                ["市财政局", "市自然资源局", "各区县人民政府"],
                [],
                None,
            ),
            ("2", "深入推进城市更新行", ["市住房城乡建设局"], ["市城管局", "市交通运输局"], [], None),
            ("3", "全面推进乡村振兴,", ["市农业农村局"], ["市水利局", "市乡村振兴局"], [], None),
        ],
    )
    _no_line_break_spaces(doc)
    assert "完成年度投资1500亿元以上" in doc.tasks[0].text
    assert "新建高标准农田20万亩" in doc.tasks[2].text
    assert "—" not in doc.text and "第 4 页" not in doc.text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_full_width_numbering_in_utf8_and_gb18030(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"fullwidth_{encoding}.txt"
    path.write_bytes((DATA / "fullwidth.txt").read_text(encoding="utf-8").encode(encoding))
    doc = load_document(path)
    _check(
        doc,
        [
            ("1", "加快发展先进制造业", ["区工信局"], ["区发改局", "区财政局"], [], None),
            ("2", "培育壮大新兴产业,", ["区科技局"], ["区税务局"], [], None),
            ("3", "推进老旧小区改造,", [], [], ["区住建局", "各街道办事处"], None),
        ],
    )
    assert [t.section_path for t in doc.tasks] == [("一", "(一)"), ("一", "(一)"), ("一", "(二)")]
    assert doc.tasks[0].text == "加快发展先进制造业,推进智能化改造项目20个。"


def test_clause_after_sub_points_belongs_to_the_numbered_item() -> None:
    doc = load_document(DATA / "subpoints.txt")
    _check(
        doc,
        [
            ("1", "全力抓好项目建设。", ["县发改局"], ["县交通运输局", "县住建局"], [], None),
            ("2", "持续优化营商环境。", [], [], ["县政务服务中心", "县税务局"], None),
            (
                "3",
                "巩固脱贫攻坚成果。",
                ["县乡村振兴局"],
                ["县农业农村局"],
                [],
                None,
            ),  # 一是/二是 are not items
        ],
    )
    assert doc.tasks[0].text.endswith("(3)推进农村公路提档升级。")
    assert "②落实减税降费政策" in doc.tasks[1].text


def test_sub_items_with_their_own_clauses_stay_tasks() -> None:
    doc = load_document(DATA / "nesting.txt")
    _check(
        doc,
        [
            ("(1)", "新建公办幼儿园10", [], [], ["市教育局"], None),
            ("(2)", "新增学位3000个", [], [], ["市教育局", "市财政局"], None),
            ("2", "推进义务教育均衡发", [], [], ["市教育局"], None),
            ("3", "新建社区卫生服务中", ["市卫健委"], ["市医保局"], [], None),
        ],
    )


def test_report_without_clauses_stops_before_the_closing_paragraph() -> None:
    doc = load_document(DATA / "noclause.txt")
    assert [(t.id, t.text) for t in doc.tasks] == [
        ("1", "加快发展数字经济,推进数字化转型项目50个。"),
        ("2", "推进生活垃圾分类,完善垃圾分类收运体系。"),
        ("3", "新增城镇就业1万人,城镇登记失业率控制在3.5%以内。"),
        ("4", "实施城市更新项目20个以上。"),
    ]
    assert all(not (t.lead or t.assist or t.responsible) for t in doc.tasks)


def test_signature_and_date_end_the_last_task(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "signed.txt",
        "某某县2023年重点工作安排\n1.推进县城扩容提质。\n2.实施乡村建设行动,改造农村公路80公里。\n"
        "某某县人民政府\n2023年3月1日\n",
    )
    assert [t.text for t in doc.tasks] == ["推进县城扩容提质。", "实施乡村建设行动,改造农村公路80公里。"]


def test_inline_labels_lead_marks_and_committee_offices() -> None:
    doc = load_document(DATA / "city_inline.txt")
    assert doc.metadata.jurisdiction == "宜昌市"
    _check(
        doc,
        [
            ("(一)", "加快先进制造业发展", [], [], ["市工信局"], "2023年底"),
            (
                "(二)",
                "推动服务业提质增效。",  # 牵头领导 is not a unit list
                ["市商务局"],
                ["市发改委", "市统计局", "各县(市、区)人民政府"],
                [],
                "2023年12月",
            ),
            ("(三)", "推进重大项目建设。(1)", ["市交通运输局"], ["市自然资源和规划局"], [], None),
            (
                "(四)",
                "做好金融服务。",
                ["市金融办"],
                ["人民银行宜昌市中心支行", "宜昌银保监分局"],
                [],
                "2023年底前完成",
            ),
            ("(五)", "深化国企改革。", ["市国资委"], ["市财政局", "市人社局"], [], None),
            (
                "(六)",
                "办好民生实事。",
                [],
                [],
                ["市政府办公室", "市政府督查室", "市委办公室", "市委研究室"],
                None,
            ),
        ],
    )


def test_short_numbered_line_broken_mid_word_is_joined_not_a_heading(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "broken.txt",
        "2023年重点工作安排\n一、产业发展\n1.推进传统产业技术改造,实施技\n改项目50个。\n2.建设产业园区。\n"
        "(1)扩建东区标准厂房。\n(2)新建西区孵化器。\n",
    )
    assert [(t.id, t.text) for t in doc.tasks] == [
        ("1", "推进传统产业技术改造,实施技改项目50个。"),
        ("(1)", "扩建东区标准厂房。"),
        ("(2)", "新建西区孵化器。"),
    ]


def test_county_clause_forms_under_top_level_items() -> None:
    doc = load_document(DATA / "county_forms.txt")
    _check(
        doc,
        [
            ("一", "加快县城扩容提质。", ["县住建局"], ["县自然资源局", "县城管局"], [], None),
            ("二", "推进农业现代化。", ["县农业农村局"], ["县财政局", "各乡镇人民政府"], [], "2023年底"),
            ("三", "加强生态环境保护。", ["县生态环境局"], ["县水利局", "县林业局"], [], "长期坚持"),
            ("四", "深化放管服改革。", ["县政务服务中心"], ["县直相关单位"], [], None),
            ("五", "发展县域经济。", [], [], ["县发改局", "县工信局"], None),
            ("六", "做好就业工作。", ["县人社局"], ["县教育局"], [], None),
        ],
    )


def _two_level_header_docx(path: Path) -> None:
    """责任单位 merged over 牵头单位 | 配合单位; one lead cell merged down two rows."""
    import docx

    d = docx.Document()
    d.add_paragraph("江岸区2023年重点工作任务清单")
    table = d.add_table(rows=2, cols=5)
    top, below = table.rows[0].cells, table.rows[1].cells
    top[0].text, top[1].text, top[4].text = "序号", "重点任务", "完成时限"
    top[2].merge(top[3]).text = "责任单位"
    below[2].text, below[3].text = "牵头单位", "配合单位"
    for k in (0, 1, 4):
        top[k].merge(below[k])
    rows = [
        ("1", "推进老城区改造。", "区住建局", "区财政局", "2023年底"),
        ("2", "实施道路提升工程。", "区交通局", "区城管局", "2023年底"),
        ("3", "完善停车设施。", "", "区公安分局", "2023年6月"),
    ]
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    table.rows[3].cells[2].merge(table.rows[4].cells[2])
    d.save(str(path))


def test_docx_two_level_header_and_vertically_merged_lead(tmp_path: Path) -> None:
    path = tmp_path / "district.docx"
    _two_level_header_docx(path)
    _check(
        load_document(path),
        [
            ("1", "推进老城区改造。", ["区住建局"], ["区财政局"], [], "2023年底"),
            ("2", "实施道路提升工程。", ["区交通局"], ["区城管局"], [], "2023年底"),
            ("3", "完善停车设施。", ["区交通局"], ["区公安分局"], [], "2023年6月"),
        ],
    )


def test_page_numbers_of_a_flattened_file_with_blank_lines_between_pages() -> None:
    from govkg.loaders.normalize import drop_page_numbers

    pages = [
        "1、" + "甲" * 300 + "牵头单位:市",
        "",
        "2、公路局" + "乙" * 300 + "责任单位:市",
        "",
        "3、财政局。",
    ]
    pages[4] += "丙" * 300
    assert drop_page_numbers(pages) == [
        "甲" * 300 + "牵头单位:市公路局" + "乙" * 300 + "责任单位:市财政局。" + "丙" * 300
    ]


def test_work_report_skips_last_years_section_and_the_closing() -> None:
    doc = load_document(DATA / "district_report.txt")
    assert doc.metadata.year == 2023
    assert [(t.id, t.text[:9]) for t in doc.tasks] == [
        ("二(一)", "全力扩大有效投资。"),
        ("二(二)", "加快产业转型升级。"),  # 一是 / 二是 stay inside the task
        ("二(三)", "持续增进民生福祉。"),
        ("三(一)", "坚持依法行政。自觉"),
        ("三(二)", "坚持廉洁从政。持之"),
    ]
    assert doc.tasks[-1].text == "坚持廉洁从政。持之以恒正风肃纪。"


def test_inline_sub_points_before_the_clause_stay_in_the_item(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "inline.txt",
        "2023年重点工作分解\n一、重点工作\n"
        "(一)全力抓好项目建设。(1)推进县城北区道路建设;(2)推进污水处理厂提标改造。(牵头单位:县发改局)\n"
        "(二)持续优化营商环境。(1)深化“一网通办”改革;(2)落实减税降费政策。(牵头单位:县政务服务中心)\n",
    )
    assert [(t.id, t.text, t.lead) for t in doc.tasks] == [
        ("(一)", "全力抓好项目建设。(1)推进县城北区道路建设;(2)推进污水处理厂提标改造。", ["县发改局"]),
        ("(二)", "持续优化营商环境。(1)深化“一网通办”改革;(2)落实减税降费政策。", ["县政务服务中心"]),
    ]


def test_tasks_of_a_list_whose_last_item_alone_has_a_clause_stay_tasks(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "last.txt",
        "2023年重点工作分解\n一、产业发展\n1.推进工业升级。(牵头单位:县工信局)\n2.发展现代农业。(牵头单位:县农业农村局)\n"
        "二、城乡建设\n1.改造老旧小区。\n2.建设城市道路。\n3.完善停车设施。(牵头单位:县住建局)\n",
    )
    assert [(t.id, t.lead) for t in doc.tasks] == [
        ("一1", ["县工信局"]),
        ("一2", ["县农业农村局"]),
        ("二1", []),
        ("二2", []),
        ("二3", ["县住建局"]),
    ]


def test_issuing_line_ends_the_last_task_but_a_deadline_date_does_not(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "issued.txt",
        "2023年重点工作分解\n一、重点工作\n1.推进项目。\n牵头单位:市发改委\n完成时限:\n2023年6月30日\n"
        "2.印发实施产业扶持办法。\n印发实施配套细则。\n某某市人民政府办公室 2023年2月15日印发\n",
    )
    assert [(t.text, t.lead, t.deadline) for t in doc.tasks] == [
        ("推进项目。", ["市发改委"], "2023年6月30日"),
        ("印发实施产业扶持办法。印发实施配套细则。", [], None),
    ]


def test_plan_without_clauses_skips_the_preamble_section() -> None:
    doc = load_document(DATA / "district_plan.txt")
    assert [(t.id, t.text[:7]) for t in doc.tasks] == [
        ("二(一)", "扩大有效投资。"),
        ("二(二)", "提升城市品质。"),
        ("三(一)", "加强组织领导。"),  # 保障措施 items are work items (gold rules)
    ]


def test_item_whose_text_starts_with_a_year(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "year.txt",
        "2023年重点工作分解\n一、重点工作\n1.2023年底前建成污水处理厂。(责任单位:市住建局)\n"
        "2、2023年6月底前完成道路改造,增长1.5倍。(责任单位:市交通局)\n",
    )
    assert [(t.id, t.text, t.responsible) for t in doc.tasks] == [
        ("1", "2023年底前建成污水处理厂。", ["市住建局"]),
        ("2", "2023年6月底前完成道路改造,增长1.5倍。", ["市交通局"]),
    ]


def _hard_wrapped(text: str, width: int, page: int = 35) -> str:
    """``text`` as a PDF text layer: lines cut at ``width``, a page footer every ``page`` lines."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += [line[i : i + width] for i in range(0, len(line), width)] or [""]
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        out.append(line)
        if n % page == 0:
            out += ["", f"- {n // page} -", ""]
    return "\n".join(out)


@pytest.mark.parametrize("width", [22, 28, 40])
def test_seed_hard_wrapped_like_a_pdf_gives_the_same_tasks(
    shared_dir: Path, tmp_path: Path, width: int
) -> None:
    seed = next((shared_dir / "seeds").glob("001_*.txt"))
    path = tmp_path / seed.name
    path.write_text(_hard_wrapped(seed.read_text(encoding="utf-8"), width), encoding="utf-8")
    wrapped, plain = load_document(path), load_document(seed)

    def key(doc: Document) -> list[tuple]:
        return [(t.id, t.text[:12], t.lead, t.assist, t.responsible) for t in doc.tasks]

    assert key(wrapped) == key(plain)


def test_bracketed_labels_cut_by_hard_wraps(shared_dir: Path, tmp_path: Path) -> None:
    """Seed 001 rewritten with 【牵头单位】 / 【责任单位】 labels, then hard-wrapped: a line may end
    with the opening 【 and the next start with the label."""
    import re

    seed = next((shared_dir / "seeds").glob("001_*.txt"))
    text = re.sub(
        r"\[牵头单位:([^;\]]*);责任单位:([^\]]*)\]",
        r"【牵头单位】\1【责任单位】\2",
        seed.read_text(encoding="utf-8"),
    )
    path = tmp_path / seed.name
    path.write_text(_hard_wrapped(text, 24), encoding="utf-8")
    plain = load_document(seed)
    wrapped = load_document(path)
    assert [(t.id, t.lead, t.assist) for t in wrapped.tasks] == [
        (t.id, t.lead, t.assist) for t in plain.tasks
    ]


def test_a_second_table_after_a_short_title_line_is_its_own_table(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "two.txt",
        "附件1\n序号\t工作任务\t牵头单位\n1\t修建城市道路。\t市交通局\n"
        "附件2\n序号\t工作任务\t责任单位\n1\t新建跨江大桥。\t市财政局\n2\t建设保障住房。\t市住建局\n",
    )
    assert [(t.text, t.lead, t.responsible) for t in doc.tasks] == [
        ("修建城市道路。", ["市交通局"], []),
        ("新建跨江大桥。", [], ["市财政局"]),  # 责任单位 of the second header, not 牵头单位 of the first
        ("建设保障住房。", [], ["市住建局"]),
    ]


def test_several_labelled_clauses_in_one_item_all_count(tmp_path: Path) -> None:
    doc = _load_text(
        tmp_path,
        "two_clauses.txt",
        "2023年重点工作分解\n一、重点工作\n"
        "1.抓好两项工作。一是推进园区建设(牵头单位:市发改委;配合单位:市财政局);"
        "二是做好招商引资(牵头单位:市商务局)。\n2.推进项目。(责任单位:市住建局)\n",
    )
    assert [(t.id, t.text, t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        ("1", "抓好两项工作。一是推进园区建设;二是做好招商引资", ["市发改委", "市商务局"], ["市财政局"], []),
        ("2", "推进项目。", [], [], ["市住建局"]),
    ]


RUN_ON = (
    "各县市区人民政府,市政府各部门:为进一步做好新形势下就业创业工作,现提出以下意见: "
    "一、深入实施就业优先战略 1.坚持就业优先发展战略。各级政府制定的经济社会发展规划,要把稳定和扩大就业"
    "作为优先选项。将就业创业工作纳入政绩考核。(市发展改革委、市人力资源社会保障局牵头,市财政局配合) "
    "2.发挥小微企业就业主渠道作用。落实小微企业降税减负等一系列扶持政策。(市财政局牵头,市税务局配合) "
    "二、积极推进创业带动就业 3.营造宽松便捷的准入环境。深化商事制度改革。(市市场监管局牵头)"
)


def test_run_on_text_hard_wrapped_gives_the_same_tasks(tmp_path: Path) -> None:
    """A text copied without its breaks, then hard-wrapped (a PDF of a web page): the tasks are
    those of the run-on line, also where a wrap falls inside a bracketed clause before its label
    ((市发展改革委、市人力资源社会保障局 / 牵头,市财政局配合)). Widths at which a line ends with a
    sentence are left out: the text is then cut into lines too short to read as flattened."""
    plain = _load_text(tmp_path, "plain.txt", RUN_ON)
    assert [t.id for t in plain.tasks] == ["1", "2", "3"]
    tried = 0
    for width in range(24, 60):
        lines = [RUN_ON[i : i + width] for i in range(0, len(RUN_ON), width)]
        if any(ln.endswith("。") for ln in lines[:-1]):
            continue
        tried += 1
        wrapped = _load_text(tmp_path, f"wrapped{width}.txt", "\n".join(lines))
        assert [(t.id, t.text[:12], t.lead, t.assist) for t in wrapped.tasks] == [
            (t.id, t.text[:12], t.lead, t.assist) for t in plain.tasks
        ], width
    assert tried >= 20


def test_a_flattened_web_page_with_its_navigation_bar(tmp_path: Path) -> None:
    """A page copied without its breaks keeps the bars of its navigation (首页 | 政策文件 | …):
    they are prose, not the cell separators of a table row, and the inline items are tasks."""
    items = [
        ("全年地区生产总值增长6%以上,扎实做好稳企业各项工作,完善风险体系,提高风险管控能力。", "县发改局", "县统计局"),
        ("规模以上工业增加值增长8%,实施制造业高质量发展行动,推动重点产业链补链强链延链。", "县工信局", "各乡镇"),
        ("固定资产投资增长10%,谋划实施一批交通、水利、能源等重大基础设施项目,加快项目建设进度。", "县住建局", "县自然资源局"),
        ("社会消费品零售总额增长7%,促进汽车、家电等大宗消费,培育夜间经济和县域商业体系。", "县商务局", "县市场监管局"),
        ("城镇新增就业3000人以上,落实援企稳岗政策,做好高校毕业生、退役军人等重点群体就业。", "县人社局", "县财政局"),
    ]
    body = " ".join(f"{i}.{text}牵头单位:{lead};配合单位:{assist}。" for i, (text, lead, assist) in enumerate(items, 1))
    page = (
        "首页 | 政务公开 | 政策文件 | 繁體中文 当前位置:首页>>政策文件 关于印发2023年全县重点工作任务分工方案的通知 "
        f"各乡镇人民政府,县直各单位:现将方案印发给你们,请认真贯彻落实。 一、稳增长 {body} 县人民政府办公室 2023年3月1日"
    )
    assert len(page) >= 400  # a flattened page, not a paragraph
    doc = _load_text(tmp_path, "page.txt", page)
    assert [(t.id, t.lead, t.assist) for t in doc.tasks] == [
        (str(i), [lead], [assist]) for i, (_, lead, assist) in enumerate(items, 1)
    ]


def test_table_rows_with_an_empty_line_after_each(tmp_path: Path) -> None:
    """A web page's table copied as text: one line per row, an empty line after each."""
    rows = [
        "序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |",
        "1 | 全年地区生产总值增长6%以上 | 县发改局 | 县统计局、县财政局 | 12月底前 |",
        "2 | 规模以上工业增加值增长8% | 县工信局 | 各乡镇 | 12月底前 |",
        "3 | 固定资产投资增长10% | 县发改局 | 县住建局 | 6月底前 |",
    ]
    doc = _load_text(tmp_path, "spaced.txt", "2023年重点工作任务分解表\n\n" + "\n\n".join(rows) + "\n\n县人民政府办公室\n")
    assert [(t.id, t.lead, t.assist, t.deadline) for t in doc.tasks] == [
        ("1", ["县发改局"], ["县统计局", "县财政局"], "12月底前"),
        ("2", ["县工信局"], ["各乡镇"], "12月底前"),
        ("3", ["县发改局"], ["县住建局"], "6月底前"),
    ]


FORM_PAGE = """<html><head><meta charset="utf-8"><title>2023年重点工作进展</title></head><body>
<h1>2023年重点工作第一季度进展情况</h1>
<table><tr><td>重点工作:</td><td>135.统筹违法建设治理与城市更新,促进违法建设科学分类治理。</td></tr>
<tr><td>牵头单位:</td><td>市城市管理综合执法局</td></tr>
<tr><td>进展情况:</td><td>已完成第一季度目标。</td></tr></table>
<table><tr><td>重点工作:</td><td>136.推进城中村改造,完成年度改造任务。</td></tr>
<tr><td>牵头单位:</td><td>市住房城乡建设局</td></tr>
<tr><td>进展情况:</td><td>按计划推进。</td></tr></table>
</body></html>"""


def test_html_page_of_two_column_forms(tmp_path: Path) -> None:
    """Each task as a small table of label and value (重点工作: | 135.… / 牵头单位: | …), as a web
    page shows it: read like the same form flattened with bars."""
    path = tmp_path / "forms.html"
    path.write_text(FORM_PAGE, encoding="utf-8")
    doc = load_document(path)
    assert [(t.id, t.text[:6], t.lead) for t in doc.tasks] == [
        ("135", "统筹违法建设", ["市城市管理综合执法局"]),
        ("136", "推进城中村改", ["市住房城乡建设局"]),
    ]


def test_tab_separated_rows_that_end_with_a_tab(tmp_path: Path) -> None:
    """A spreadsheet saved as text: every row ends with a tab, and rows under a merged first
    cell (大类) leave it out; the closing tab is not an empty last cell."""
    rows = [
        "大类\t序号\t工作任务\t分管市领导\t牵头单位\t落实进展情况\t",
        "一、提高民生保障水平\t1\t将城乡低保标准提高到每人每月609元。\t陈宣群\t市民政局\t已完成。\t",
        "2\t特困供养人员基本生活标准不低于低保标准的1.6倍。\t陈宣群\t市民政局\t已完成。\t",
        "3\t将孤儿养育标准提高到每人每月2200元。\t陈宣群\t市民政局\t已完成。\t",
        "二、提高教育水平\t4\t新建公办幼儿园10所。\t王志\t市教育局\t推进中。\t",
    ]
    doc = _load_text(tmp_path, "sheet.txt", "\n".join(rows) + "\n")
    assert [(t.id, t.text[:6], t.lead) for t in doc.tasks] == [
        ("1", "将城乡低保标", ["市民政局"]),
        ("2", "特困供养人员", ["市民政局"]),
        ("3", "将孤儿养育标", ["市民政局"]),
        ("4", "新建公办幼儿", ["市教育局"]),
    ]


def test_units_listed_with_commas_in_a_bracket(tmp_path: Path) -> None:
    """(由A,B,C负责) and (A牵头,B,C配合): units separated by commas instead of 、 are one list,
    as they are with 、; a part that is not a unit is still the deadline."""
    text = (
        "一、主要目标\n"
        "1、全市生产总值增长7%以上(由市发展改革委,市经委,市统计局负责)。\n"
        "2、外贸出口增长15%以上(市商务局牵头,市财政局,市统计局配合)。\n"
        "3、新增城镇就业2万人(市人社局牵头,市财政局,年底前完成)。\n"
    )
    doc = _load_text(tmp_path, "commas.txt", text)
    assert [(t.id, t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        ("1", [], [], ["市发展改革委", "市经委", "市统计局"]),
        ("2", ["市商务局"], ["市财政局", "市统计局"], []),
        ("3", ["市人社局"], [], []),
    ]


def test_long_items_numbered_with_a_dun_under_a_heading_are_not_page_numbers(tmp_path: Path) -> None:
    """Two long 1、 / 2、 items under a heading: a heading stops without a full stop, which does
    not make the items the pages of a flattened file (whose numbers are dropped)."""
    first = "全面实施行政许可事项清单管理。" + "依据国家和省行政许可事项清单编制并公布市县两级清单," * 12 + "(市政府办公室牵头)"
    second = "持续深化相对集中行政许可权改革。" + "全面梳理规范相对集中行政许可权改革事项划转目录," * 12 + "(市行政审批服务局牵头)"
    doc = _load_text(tmp_path, "items.txt", f"一、坚持系统集成,推动审批全链条优化\n1、{first}\n2、{second}\n")
    assert [(t.id, t.lead) for t in doc.tasks] == [("1", ["市政府办公室"]), ("2", ["市行政审批服务局"])]
