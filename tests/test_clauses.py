"""Responsibility clauses, one small document per style, through the whole extraction."""

from __future__ import annotations

from govkg.loaders import extract_text
from govkg.loaders.clauses import find_clauses, split_deadline
from govkg.loaders.model import Document, Task


def tasks(text: str) -> list[Task]:
    return list(extract_text("t.txt", text).tasks)


def roles(task: Task) -> tuple[list[str], list[str], list[str]]:
    return task.lead, task.assist, task.responsible


def check_spans(doc: Document) -> None:
    for task in doc.tasks:
        for u in task.units:
            assert doc.text[u.span.start : u.span.end] == u.printed


def test_style1_responsible_list_in_brackets() -> None:
    doc = extract_text("t.txt", "二、任务\n1、地方财政总收入增长20%。(责任单位:市财政局、国税局、地税局)\n")
    (task,) = doc.tasks
    assert task.text == "地方财政总收入增长20%。"
    assert roles(task) == ([], [], ["市财政局", "市国税局", "市地税局"])
    check_spans(doc)


def test_style2_lead_and_responsible_in_square_brackets() -> None:
    (task,) = tasks("1、落实减税降费。[牵头单位:区财政局;责任单位:区科信局、区税务局]")
    assert roles(task) == (["区财政局"], ["区科信局", "区税务局"], [])
    assert task.text == "落实减税降费。"


def test_style2_fullwidth_and_lenticular_brackets() -> None:
    (task,) = tasks("１．推进项目建设。【牵头单位：市发改委；责任单位：市财政局、市统计局】")
    assert task.number == "1"
    assert roles(task) == (["市发改委"], ["市财政局", "市统计局"], [])


def test_style3_missing_opening_bracket() -> None:
    doc = extract_text(
        "t.txt",
        "1 .推进花桥水利枢纽工程建设。牵头单位:市花桥公司,责任单位:贵溪市政府、市水利局)\n"
        "2 .推进港区码头建设。牵头单位:市交通局,责任单位:余江区政府)",
    )
    assert [t.text for t in doc.tasks] == ["推进花桥水利枢纽工程建设。", "推进港区码头建设。"]
    assert roles(doc.tasks[0]) == (["市花桥公司"], ["贵溪市政府", "市水利局"], [])
    check_spans(doc)


def test_style3_repeated_label_without_lead_is_responsible() -> None:
    (task,) = tasks("24 .推进老旧小区改造。责任单位:市住建局,责任单位:各区(市)政府)")
    assert roles(task) == ([], [], ["市住建局", "各区(市)政府"])


def test_clause_without_units_gives_empty_lists() -> None:
    (task,) = tasks("29 .办好列入市政府工作报告的58项民生实事。牵头单位:按58件民生实事责任分工对应落实)")
    assert task.units == ()
    assert task.text.startswith("办好列入")


def test_style4_national_lead_and_deadline() -> None:
    (task,) = tasks(
        "(一)推进数字经济发展。(国家发展改革委牵头,工业和信息化部、商务部等按职责分工负责,2024年底前完成)"
    )
    assert roles(task) == (["国家发展改革委"], ["工业和信息化部", "商务部"], [])
    assert task.deadline == "2024年底前完成"
    assert task.text == "推进数字经济发展。"


def test_style4_national_responsible_only() -> None:
    (task,) = tasks("1.稳定就业。(教育部、人力资源社会保障部按职责分工负责,年内持续推进)")
    assert roles(task) == ([], [], ["教育部", "人力资源社会保障部"])
    assert task.deadline == "年内持续推进"


def test_plain_parentheses_are_not_clauses() -> None:
    (task,) = tasks("1.加快宁波植物园(花卉园林示范区)一期建设。")
    assert task.units == ()
    assert "花卉园林示范区" in task.text


def test_style5_line_labels() -> None:
    doc = extract_text(
        "t.txt",
        "1、推进数字政府建设。\n牵头单位：市大数据局\n配合单位：市发改委、财政局\n完成时限：2024年12月底\n"
        "2、深化改革。\n责任单位:\n市行政审批局\n"
        "3、加强安全生产。\n牵头单位:市应急管理局\n协办单位:市公安局\n参与单位:各区政府\n责任领导:张三\n",
    )
    first, second, third = doc.tasks
    assert roles(first) == (["市大数据局"], ["市发改委", "市财政局"], [])
    assert first.deadline == "2024年12月底"
    assert first.text == "推进数字政府建设。"
    assert roles(second) == ([], [], ["市行政审批局"])
    assert roles(third) == (["市应急管理局"], ["市公安局", "各区政府"], [])
    check_spans(doc)


def test_style5_table_rows() -> None:
    doc = extract_text(
        "t.txt",
        "2024年重点工作任务分解表\n"
        "序号\t工作任务\t牵头单位\t配合单位\t责任领导\t完成时限\n"
        "1\t推进产业园建设\t市发改委\t市财政局、自然资源局\t张三\t2024年6月底前\n"
        "2\t优化营商环境\t市行政审批局\t各区政府\t李四\t持续推进\n",
    )
    first, second = doc.tasks
    assert (first.id, first.text) == ("1", "推进产业园建设")
    assert roles(first) == (["市发改委"], ["市财政局", "市自然资源局"], [])
    assert first.deadline == "2024年6月底前"
    assert roles(second) == (["市行政审批局"], ["各区政府"], [])
    assert "张三" not in [u.name for u in first.units]
    check_spans(doc)


def test_table_with_responsible_column_only() -> None:
    (task,) = tasks("序号\t重点工作\t责任单位\n1\t办好十件实事\t市政府办、财政局\n")
    assert roles(task) == ([], [], ["市政府办", "市财政局"])


def test_deadline_after_units_in_a_labelled_list() -> None:
    assert split_deadline("市发改委、市财政局,2024年底前完成") == ("市发改委、市财政局", "2024年底前完成")
    (task,) = tasks("1、推进项目。(责任单位:市发改委,2024年底前完成)")
    assert task.responsible == ["市发改委"] and task.deadline == "2024年底前完成"


def test_label_inside_a_unit_name_is_not_a_label() -> None:
    (task,) = tasks("12 .实施产业链链长制。(牵头单位:市工信局,责任单位:各产业链链长制牵头单位、各区(市)政府)")
    assert roles(task) == (["市工信局"], ["各产业链链长制牵头单位", "各区(市)政府"], [])


def test_find_clauses_span_covers_brackets() -> None:
    text = "推进。(牵头单位:市发改委)其他"
    (clause,) = find_clauses(text, 0, len(text))
    assert text[clause.span.start : clause.span.end] == "(牵头单位:市发改委)"


def test_national_document_with_fullwidth_numbers_and_closing_paragraph() -> None:
    doc = extract_text(
        "n.txt",
        "国务院关于落实《政府工作报告》重点工作分工的意见\n一、着力扩大国内需求\n（一）促进消费稳定增长。\n"
        "１．推动服务消费提质扩容。（商务部牵头，国家发展改革委、工业和信息化部等按职责分工负责，年内持续推进）\n"
        "２．提高城乡居民收入。（国家发展改革委、人力资源社会保障部按职责分工负责）\n"
        "（二）积极扩大有效投资。\n"
        "３．安排地方政府专项债券。（财政部、国家发展改革委牵头，各地区按职责分工负责，2024年底前完成）\n"
        "各地区、各部门要确保各项任务落实到位。\n",
    )
    first, second, third = doc.tasks
    assert [t.id for t in doc.tasks] == ["1", "2", "3"]
    assert roles(first) == (["商务部"], ["国家发展改革委", "工业和信息化部"], [])
    assert first.deadline == "年内持续推进"
    assert roles(second) == ([], [], ["国家发展改革委", "人力资源社会保障部"])
    assert roles(third) == (["财政部", "国家发展改革委"], ["各地区"], [])
    assert third.text == "安排地方政府专项债券。"
    assert [u.collective for u in third.units] == [False, False, True]
    check_spans(doc)


def test_lead_marked_inside_a_list() -> None:
    (task,) = tasks("1、推进项目建设。(责任单位:市发改委(牵头)、市财政局)")
    assert roles(task) == (["市发改委"], ["市财政局"], [])


def test_unit_list_broken_after_a_separator_goes_on() -> None:
    first, second = tasks(
        "1、推进项目建设。\n责任单位：市发改委、\n市财政局\n其他段落\n2、其他工作。\n责任单位:市统计局"
    )
    assert first.responsible == ["市发改委", "市财政局"]
    assert second.responsible == ["市统计局"]


def test_item_with_a_clause_and_unassigned_sub_points_is_one_task() -> None:
    doc = extract_text(
        "t.txt",
        "一、任务\n1、推进项目建设。(牵头单位:市发改委;配合单位:市财政局)\n(1)做好前期工作;\n(2)加快建设进度。\n"
        "2、优化营商环境。(责任单位:市行政审批局)",
    )
    assert [(t.id, t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        ("1", ["市发改委"], ["市财政局"], []),
        ("2", [], [], ["市行政审批局"]),
    ]


def test_clause_before_the_task_text() -> None:
    first, second = tasks(
        "1.【牵头单位：市发改委；配合单位：市财政局】推进产业园建设。\n2.优化营商环境。（责任单位：市行政审批局）"
    )
    assert (first.text, first.lead, first.assist) == ("推进产业园建设。", ["市发改委"], ["市财政局"])
    assert second.responsible == ["市行政审批局"]


def test_table_with_a_two_line_header_and_labels_in_a_cell() -> None:
    doc = extract_text(
        "t.txt",
        "序号\t工作任务\t责任单位\t责任单位\t完成时限\n"
        "\t\t牵头单位\t配合单位\t\n"
        "1\t推进产业园建设\t市发改委\t市财政局、自然资源局\t2024年6月底前\n"
        "2\t优化营商环境\t牵头单位:市行政审批局;配合单位:各区政府\t\t\n",
    )
    first, second = doc.tasks
    assert roles(first) == (["市发改委"], ["市财政局", "市自然资源局"], [])
    assert roles(second) == (["市行政审批局"], ["各区政府"], [])
    check_spans(doc)


def test_table_section_rows_qualify_restarting_numbers() -> None:
    doc = extract_text(
        "t.txt",
        "序号\t重点工作\t牵头单位\t配合单位\n一、产业发展\t\t\t\n1\t推进产业园建设\t市发改委\t市财政局\n"
        "二、城市建设\t\t\t\n1\t推进老旧小区改造\t市住建局\t各区政府\n",
    )
    assert [(t.id, t.section_path) for t in doc.tasks] == [("一1", ("一",)), ("二1", ("二",))]


def test_bare_unit_list_after_the_last_sentence() -> None:
    doc = extract_text(
        "t.txt",
        "一、任务\n1.推进产业园建设。(市发改委、市财政局)\n2.加快文化艺术中心(一期)建设。\n3.推进植物园建设。(含示范区)",
    )
    assert [t.responsible for t in doc.tasks] == [["市发改委", "市财政局"], [], []]
    assert doc.tasks[0].text == "推进产业园建设。"


def test_lead_and_assist_verbs_inside_a_labelled_list() -> None:
    (task,) = tasks("1、推进项目。(责任单位:市发改委牵头,市财政局、市统计局配合)")
    assert roles(task) == (["市发改委"], ["市财政局", "市统计局"], [])


def test_table_task_cell_with_its_own_clause() -> None:
    (task,) = tasks(
        "序号\t工作任务\t完成时限\t责任单位\n1\t推进产业园建设(牵头单位:市发改委)\t6月底\t市财政局\n"
    )
    assert (task.text, task.deadline) == ("推进产业园建设", "6月底")
    assert roles(task) == (["市发改委"], ["市财政局"], [])


def test_prefix_stated_by_the_lead_list_carries_to_the_next_list() -> None:
    (task,) = tasks("1、推进项目。(牵头单位:市发改委;配合单位:财政局、统计局、高新区管委会)")
    assert roles(task) == (["市发改委"], ["市财政局", "市统计局", "高新区管委会"], [])


def test_labels_separated_by_spaces_and_a_leader_label_to_skip() -> None:
    first, second = tasks(
        "1、推进项目。（牵头单位：市发改委 责任单位：市财政局、市统计局）\n"
        "2、推进改革。（牵头领导：张三 牵头单位：市发改委 配合单位：市财政局 完成时限：2024年6月）"
    )
    assert roles(first) == (["市发改委"], ["市财政局", "市统计局"], [])
    assert roles(second) == (["市发改委"], ["市财政局"], [])
    assert second.deadline == "2024年6月"
