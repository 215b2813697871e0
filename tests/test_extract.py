"""The extraction pipeline: normalisation, outline, task selection, ids, the seed score."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from govkg.loaders import extract_text, load_document
from govkg.loaders.normalize import normalize
from govkg.loaders.structure import outline

REPO = Path(__file__).resolve().parents[1]
GOVKG = Path(sys.executable).with_name("govkg")


# -- normalisation ---------------------------------------------------------------------------


def test_normalize_folds_width_but_keeps_chinese_punctuation_and_circled_numbers() -> None:
    assert normalize("１．推进（责任单位：市发改委）；①、“两型”。") == "1.推进(责任单位:市发改委);①、“两型”。"


def test_normalize_line_ends_spaces_and_page_number_lines() -> None:
    text = "一、目标\r\n\u3000\u3000推进  建设。\r\n\r\n- 2 -\r\n\r\n第3页 共9页\r\n二、措施"
    assert normalize(text) == "一、目标\n推进 建设。\n\n二、措施"


def test_normalize_joins_a_line_broken_mid_sentence() -> None:
    text = "54、有序实施垃圾分类工作,推进全区生活垃圾分类全覆盖,加快分类设施建设,确保机关事业单位垃圾分\n类覆盖率达100%。\n55、下一项。"
    assert normalize(text).split("\n")[0].endswith("确保机关事业单位垃圾分类覆盖率达100%。")


def test_normalize_keeps_titles_and_headings_on_their_own_lines() -> None:
    text = "关于印发重点工作责任分解的通知\n各区政府:\n(一)坚持常态化疫情防控\n1、切实提高政治站位。"
    assert normalize(text).split("\n") == text.split("\n")


def test_normalize_removes_page_numbers_of_a_flattened_word_file() -> None:
    page = "为认真贯彻落实工作要点,切实加强政府建设," * 12
    text = f"1、{page}牵头单位:市\n2、公路局,责任单位:市水利局){page}\n3、{page}结束。"
    out = normalize(text)
    assert "牵头单位:市公路局" in out
    assert not re.search(r"(^|\n)\d、", out)


# -- outline and task selection ------------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    ["1、", "1.", "1．", "1 .", "1,", "(1)", "（1）", "1)", "①"],
)
def test_numbering_styles(marker: str) -> None:
    second = marker.replace("1", "2").replace("①", "②")
    doc = extract_text(
        "t.txt", f"一、任务\n{marker}推进甲工作。(责任单位:市发改委)\n{second}推进乙工作。(责任单位:市财政局)"
    )
    assert [t.text for t in doc.tasks] == ["推进甲工作。", "推进乙工作。"]
    assert [t.section_path for t in doc.tasks] == [("一",), ("一",)]


def test_outline_levels_follow_the_order_styles_appear() -> None:
    items = outline("一、甲\n(一)乙\n1.丙。\n2.丁。\n(二)戊\n1.己。\n二、庚\n(一)辛")
    assert [(i.number, i.depth) for i in items] == [
        ("一", 0),
        ("(一)", 1),
        ("1", 2),
        ("2", 2),
        ("(二)", 1),
        ("1", 2),
        ("二", 0),
        ("(一)", 1),
    ]


def test_inline_enumeration_in_a_paragraph_is_not_an_item() -> None:
    doc = extract_text(
        "t.txt", "(一)加速项目建设。要做到:(1)早开工;(2)早投产。\n(二)提升服务质量。全面提升。"
    )
    assert [t.id for t in doc.tasks] == ["(一)", "(二)"]


def test_only_lists_with_clauses_are_tasks_when_the_document_assigns_units() -> None:
    doc = extract_text(
        "t.txt",
        "一、今年是关键一年,各部门要狠抓落实。\n二、市政府督查室要加强督办。\n附件\n"
        "一、重点工作\n1、推进项目建设。(责任单位:市发改委)\n2、优化营商环境。(责任单位:市行政审批局)",
    )
    assert [t.id for t in doc.tasks] == ["1", "2"]
    assert [s.number for s in doc.sections] == ["一", "二", "一"]


def test_report_without_assignments_skips_review_headings_and_qualifies_repeated_numbers() -> None:
    doc = extract_text(
        "t.txt",
        "2023年工作回顾\n(一)生态建设取得新成效\n全力推进清洁空气行动。\n"
        "今年重点抓好以下工作:\n(一)加强生态文明建设\n1.调整优化产业布局。按照原则推进。\n2.推进节能减排。强化考核。\n"
        "(二)加大转型升级力度\n1.扶持实体经济。加强企业服务。",
    )
    assert [t.id for t in doc.tasks] == ["(一)1", "(一)2", "(二)1"]
    assert doc.tasks[0].text.startswith("调整优化产业布局")


def test_policy_opinion_items_under_chapters_get_chapter_qualified_ids() -> None:
    doc = extract_text(
        "t.txt",
        "一、加速工作推进\n(一)加速决策部署落实。全面落实目标。\n(二)加速项目建设。着力推进。\n"
        "二、完善保障措施\n(一)统一思想认识。全市上下要认识。",
    )
    assert [t.id for t in doc.tasks] == ["一(一)", "一(二)", "二(一)"]


def test_flattened_word_file_items_found_inside_one_line() -> None:
    filler = "坚持将政府建设与具体工作相结合,抓重点、抓关键。" * 30
    text = (
        f"一、指导思想{filler}二、主要任务{filler}具体抓好以下工作:(一)促进项目建设。{filler}"
        "1 .推进水利枢纽工程建设。牵头单位:市花桥公司,责任单位:市水利局)2 .推进码头建设。(牵头单位:市交通局,"
        f"责任单位:余江区政府)(二)促进招商引资。{filler}3 .推进重大项目招引。(牵头单位:市商务局,责任单位:各区(市)政府)"
        f"三、工作举措{filler}"
    )
    doc = extract_text("t.txt", text)
    assert [(t.id, t.section_path) for t in doc.tasks] == [
        ("1", ("二", "(一)")),
        ("2", ("二", "(一)")),
        ("3", ("二", "(二)")),
    ]
    assert doc.tasks[2].assist == ["各区(市)政府"]


# -- documents -------------------------------------------------------------------------------


def test_load_document_hashes_the_file_and_reads_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "任务.txt"
    data = "一、任务\n1、推进项目建设。(责任单位:市发改委、财政局)\n".encode("gb18030")
    path.write_bytes(data)
    doc = load_document(path)
    assert doc.metadata.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.source == "任务.txt"
    assert doc.tasks[0].responsible == ["市发改委", "市财政局"]


def test_sample_documents_are_consistent(sample_documents) -> None:
    assert len(sample_documents) >= 5
    for doc in sample_documents:
        ids = [t.id for t in doc.tasks]
        assert len(ids) == len(set(ids)), doc.source
        for task in doc.tasks:
            assert 0 <= task.span.start < task.span.end <= len(doc.text)
            assert task.text and not task.text[0].isspace()
            for u in task.units:
                assert doc.text[u.span.start : u.span.end] == u.printed


def test_seed_page_number_splits_are_joined(sample_documents) -> None:
    doc = next(d for d in sample_documents if d.source.startswith("002"))
    by_id = {t.id: t for t in doc.tasks}
    assert len(doc.tasks) == 30
    assert by_id["3"].lead == ["市公路局"]
    assert by_id["1"].section_path == ("三", "(一)")
    assert by_id["9"].assist == ["信江新区", "市自然资源局", "市文广新旅局"]
    assert by_id["29"].units == ()
    assert by_id["24"].responsible == ["市住建局", "各区(市)政府"]


def test_seed_prefixes_and_collectives(sample_documents) -> None:
    doc = next(d for d in sample_documents if d.source.startswith("000"))
    by_id = {t.id: t for t in doc.tasks}
    assert by_id["4"].responsible[:4] == ["市发改委", "市统筹办", "市统计局", "市农委"]
    assert "鄂州供电公司" in by_id["13"].responsible
    collective = {u.name: u.collective for u in by_id["62"].units}
    assert collective == {"各区政府": True, "市政府各部门": True}


def test_to_dict_is_the_scorer_format() -> None:
    doc = extract_text("t.txt", "1、推进项目。[牵头单位:区发改局;责任单位:区财政局]")
    task = doc.to_dict()["tasks"][0]
    assert (task["id"], task["lead"], task["assist"], task["responsible"]) == (
        "1",
        ["区发改局"],
        ["区财政局"],
        [],
    )


def test_pdf_lines_wrapped_at_the_page_width_are_joined() -> None:
    body = (
        "1.推进产业园区基础设施建设与提升改造工程项目，加快建设进度，确保年底前完成主体工程。"
        "(牵头单位:市发展和改革委员会;配合单位:市财政局、市自然资源和规划局)\n"
        "2.优化营商环境，深化放管服改革，推进政务服务一网通办，提升企业和群众办事便利度。"
        "(牵头单位:市行政审批局;配合单位:各县(市、区)人民政府)\n"
    )
    lines = []
    for para in body.split("\n"):
        lines += [para[i : i + 30] for i in range(0, len(para), 30)]
    doc = extract_text("p.pdf", "一、重点任务\n" + "\n".join(lines))
    first, second = doc.tasks
    assert first.text.endswith("确保年底前完成主体工程。")
    assert (first.lead, first.assist) == (["市发展和改革委员会"], ["市财政局", "市自然资源和规划局"])
    assert second.assist == ["各县(市、区)人民政府"]


def test_numbered_review_of_last_year_is_not_tasks() -> None:
    doc = extract_text(
        "t.txt",
        "2024年政府工作报告\n一、2023年工作回顾\n(一)经济运行稳中向好。全年地区生产总值增长5.2%。\n"
        "(二)改革开放持续深化。完成多项改革。\n二、2024年工作安排\n(一)着力扩大有效需求。推进项目建设。\n"
        "(二)着力深化改革。推进国企改革。\n",
    )
    assert [t.text for t in doc.tasks] == ["着力扩大有效需求。推进项目建设。", "着力深化改革。推进国企改革。"]


def test_normalize_does_not_join_a_title_with_the_addressee_line() -> None:
    text = "市政府办公室关于印发《加快发展工业,推进转型的实施意见》的通知\n各区政府,市政府各部门:\n正文。"
    assert normalize(text).split("\n") == text.split("\n")


def test_wrapped_seed_gives_the_same_tasks(sample_documents) -> None:
    original = next(d for d in sample_documents if d.source.startswith("001"))
    raw = (REPO / "samples" / original.source).read_text(encoding="utf-8")
    wrapped = "\n".join(line[i : i + 33] for line in raw.split("\n") for i in range(0, max(len(line), 1), 33))
    doc = extract_text(original.source, wrapped)
    assert [(t.id, t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        (t.id, t.lead, t.assist, t.responsible) for t in original.tasks
    ]


def test_flattened_text_with_short_lines_and_no_numbered_line_starts() -> None:
    filler = "坚持将政府建设与具体工作相结合,抓重点、抓关键。" * 8
    text = (
        f"关于开展新型政府建设活动的实施方案\n为认真贯彻落实工作要点,现提出如下意见。一、指导思想{filler}\n"
        f"二、主要任务{filler}(一)促进项目建设。{filler}1 .推进水利枢纽工程建设。牵头单位:市花桥公司,"
        f"责任单位:市水利局)2 .推进码头建设。(牵头单位:市交通局,责任单位:余江区政府){filler}三、组织保障{filler}"
    )
    doc = extract_text("t.txt", text)
    assert [(t.id, t.section_path, t.lead) for t in doc.tasks] == [
        ("1", ("二", "(一)"), ["市花桥公司"]),
        ("2", ("二", "(一)"), ["市交通局"]),
    ]


def test_report_whose_tasks_are_titles_with_paragraphs() -> None:
    doc = extract_text(
        "t.txt",
        "2024年政府工作报告\n一、2023年工作回顾\n过去一年,我们做了很多工作。\n二、2024年主要任务\n"
        "(一)聚焦产业升级,加快构建现代化产业体系\n推动产业高端化发展。\n"
        "(二)聚焦城乡融合,加快建设美丽城市\n推进城市更新。\n三、保障措施\n各级各部门要狠抓落实。\n",
    )
    assert [t.text for t in doc.tasks] == [
        "聚焦产业升级,加快构建现代化产业体系推动产业高端化发展。",  # no space from a line break
        "聚焦城乡融合,加快建设美丽城市推进城市更新。",
    ]
