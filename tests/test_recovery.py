"""Layout recovery and the stages around it: flattened tables, reading aids, script folding,
run-on text, cue clauses, group leads, diagnostics and per-stage errors.

The documents here are written in the forms the loader must recover, each built the way a
conversion produces it (one cell per line, bars, spaces, pinyin after characters), not
copied from any one real file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.loaders import extract_text
from govkg.loaders.errors import InternalError
from govkg.loaders.extract import _stage
from govkg.loaders.grids import stacked_grids
from govkg.loaders.layout import delimit, drop_annotations
from govkg.loaders.script import fold_script

REPO = Path(__file__).resolve().parents[1]
GOVKG = Path(sys.executable).with_name("govkg")


def _roles(doc) -> list[tuple[str, list[str], list[str], list[str]]]:  # noqa: ANN001
    return [(t.text[:6], t.lead, t.assist, t.responsible) for t in doc.tasks]


def test_stacked_table_one_cell_per_line_with_blank_lines_and_group_rows() -> None:
    text = "\n\n".join(
        [
            "附件",
            "序号", "重点工作内容", "牵头单位", "配合单位", "完成时限",
            "一、产业发展",
            "1", "新建标准厂房10万平方米。", "县工信局", "县自然资源局、县住建局", "12月底前",
            "2", "引进亿元以上项目5个。", "县商务局", "县发改局", "年底前",
            "二、民生保障",
            "3", "新增城镇就业3000人。", "县人社局", "县财政局", "全年",
        ]
    )
    doc = extract_text("stacked.txt", text)
    assert _roles(doc) == [
        ("新建标准厂房", ["县工信局"], ["县自然资源局", "县住建局"], []),
        ("引进亿元以上", ["县商务局"], ["县发改局"], []),
        ("新增城镇就业", ["县人社局"], ["县财政局"], []),
    ]
    assert [t.deadline for t in doc.tasks] == ["12月底前", "年底前", "全年"]
    assert [t.section_path[-1] for t in doc.tasks] == ["一", "一", "二"]
    assert all(t.evidence == ("table:stacked",) for t in doc.tasks)


def test_stacked_table_with_person_and_progress_columns_and_wrapped_unit_lists() -> None:
    text = "\n".join(
        [
            "序号", "目标任务", "责任领导", "牵头单位", "责任单位", "完成情况",
            "1", "完成固定资产投资120亿元", "王  明", "区发改局", "区统计局、", "区财政局", "已完成投资35亿元。",
            "2", "新建幼儿园3所", "李  华", "区教育局", "区住建局", "正在施工。",
        ]
    )
    doc = extract_text("progress.txt", text)
    assert _roles(doc) == [
        ("完成固定资产", ["区发改局"], ["区统计局", "区财政局"], []),
        ("新建幼儿园3", ["区教育局"], ["区住建局"], []),
    ]


def test_one_unit_per_line_and_a_task_cell_that_opens_with_a_verb() -> None:
    text = "\n".join(
        ["序号", "民生实事", "责任单位", "完成时限",
         "1", "建成县残疾人康复中心。", "县残联", "县代建中心", "10月底前",
         "2", "迁建县政务服务中心。", "县政务服务中心", "12月底前"]
    )  # fmt: skip
    doc = extract_text("units.txt", text)
    assert _roles(doc) == [
        ("建成县残疾人", [], [], ["县残联", "县代建中心"]),
        ("迁建县政务服", [], [], ["县政务服务中心"]),
    ]


def test_pipe_rows_with_merged_first_cells_and_a_person_next_to_the_unit() -> None:
    text = "\n".join(
        [
            "类别 | 序号 | 工作任务 | 分管领导 | 牵头单位 | 进展情况 |",
            "一、兜底保障 | 1 | 提高城乡低保标准。 | 张三 | 市民政局 赵文明 | 已完成。 |",
            "2 | 提高特困人员供养标准。 | 张三 | 市民政局 赵文明 | 已完成。 |",
        ]
    )
    doc = extract_text("pipes.txt", text)
    assert [(t.number, t.lead) for t in doc.tasks] == [("1", ["市民政局"]), ("2", ["市民政局"])]


def test_box_drawing_rows_become_cells() -> None:
    text = "┌──┬────┬────┐\n│序号│工作任务│责任单位│\n├──┼────┼────┤\n│1│推进项目建设。│市发改委│\n└──┴────┴────┘"
    recovered = delimit(text)
    assert len(recovered) == len(text)
    assert "1\t推进项目建设。\t市发改委" in recovered
    assert _roles(extract_text("box.txt", text)) == [("推进项目建设", [], [], ["市发改委"])]


def test_space_separated_rows_whose_last_cells_are_units() -> None:
    text = "\n".join(
        [
            "序号 类别 主要任务 牵头单位 参与单位",
            "1 水资源 严守用水总量红线,实施双控行动。 市水利局 市发展改革委、市住建局",
            "2  落实节水评估制度。 市水利局 市农业局",
        ]
    )
    doc = extract_text("spaces.txt", text)
    assert [(t.lead, t.assist) for t in doc.tasks] == [
        (["市水利局"], ["市发展改革委", "市住建局"]),
        (["市水利局"], ["市农业局"]),
    ]


def test_reading_aids_are_matched_without_and_printed_with() -> None:
    text = "一、重點工作\n1.推進產(chǎn)業園建設(shè)。(責任單(dān)位:高新區(qū))"
    compact, where = drop_annotations(text)
    assert "(chǎn)" not in compact and where.at(len(compact)) == len(text)
    doc = extract_text("pinyin.txt", text)
    task = doc.tasks[0]
    assert task.responsible == ["高新区"]
    assert task.text.startswith("推進產(chǎn)業園")  # printed as it stands
    unit = task.units[0]
    assert doc.text[unit.span.start : unit.span.end] == unit.printed == "高新區"


def test_traditional_script_is_folded_for_matching_and_kept_in_print() -> None:
    assert fold_script("牽頭單位") == "牵头单位"
    doc = extract_text("trad.txt", "一、重點工作\n1、規範政府舉債行為。牽頭單位:省財政廳;責任單位:省發改委、省審計廳")
    task = doc.tasks[0]
    assert (task.lead, task.assist) == (["省财政厅"], ["省发改委", "省审计厅"])
    assert [u.printed for u in task.units] == ["省財政廳", "省發改委", "省審計廳"]
    assert "舉債" in task.text


def test_run_on_text_with_numbering_inside_one_long_line() -> None:
    filler = "要进一步加强统筹协调,形成工作合力,确保各项任务落到实处。" * 8
    text = (
        f"各县市区人民政府: {filler} 一、实施就业优先战略 1.扩大就业容量。{filler}(市人社局牵头,市发改委参加)"
        f" 2.鼓励创业带动就业。{filler}(市人社局、市财政局牵头,市科技局参加)"
    )
    doc = extract_text("runon.txt", text)
    assert [(t.number, t.lead, t.assist) for t in doc.tasks] == [
        ("1", ["市人社局"], ["市发改委"]),
        ("2", ["市人社局", "市财政局"], ["市科技局"]),
    ]


def test_group_heading_names_the_lead_of_the_tasks_below() -> None:
    text = "一、县发改局牵头工作(2项)\n1.推进重点项目建设。\n2.做好项目储备。\n二、县教育局牵头工作(1项)\n1.新建学校一所。"
    doc = extract_text("groups.txt", text)
    assert [(t.id, t.lead) for t in doc.tasks] == [("一1", ["县发改局"]), ("一2", ["县发改局"]), ("二1", ["县教育局"])]
    assert doc.tasks[0].units[0].evidence == ("group:group_lead",)


def test_cue_clauses_in_running_text() -> None:
    text = (
        "一、分工\n(一)关于“保障粮食安全”的问题,由农业农村部会同发展改革委、财政部等部门负责落实。\n"
        "(二)关于“耕地保护”的问题,由自然资源部负责落实。"
    )
    doc = extract_text("cues.txt", text)
    assert [(t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        (["农业农村部"], ["发展改革委", "财政部"], []),
        ([], [], ["自然资源部"]),
    ]


def test_numbers_lost_in_conversion_leave_their_mark() -> None:
    doc = extract_text("lost.txt", "一、任务目标\n、完成劳务输出任务。\n、抓好技能培训。由市人社局考评。")
    assert [t.text[:4] for t in doc.tasks] == ["完成劳务", "抓好技能"]
    assert doc.tasks[1].responsible == ["市人社局"]


def test_diagnostics_name_what_the_loader_could_not_read() -> None:
    assert [d.code for d in extract_text("empty.txt", "这是一段没有任务的文字。").diagnostics] == ["no-tasks"]
    doc = extract_text("bare.txt", "一、任务\n1.推进项目建设。\n2.做好项目储备。")
    assert [d.code for d in doc.diagnostics] == ["task-without-units"]


def test_stacked_grids_need_a_task_and_a_unit_column() -> None:
    assert stacked_grids("序号\n备注\n说明\n1\n甲\n乙") == ()


def test_an_unexpected_exception_names_the_stage() -> None:
    def broken(_: str) -> str:
        raise KeyError("实施")

    with pytest.raises(InternalError) as err:
        _stage("a.txt", "targets", broken, "x")
    assert str(err.value) == "a.txt: internal error in targets: KeyError: '实施'"


def test_explain_prints_evidence_and_a_batch_keeps_going(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("一、工作\n1、推进项目建设。(牵头单位:市发改委;配合单位:市财政局)", encoding="utf-8")
    bad = tmp_path / "bad.xyz"
    bad.write_text("x", encoding="utf-8")
    run = subprocess.run([str(GOVKG), "extract", "--explain", str(good)], capture_output=True, text=True)
    assert run.returncode == 0
    assert "label:牵头单位" in run.stdout and "市发改委" in run.stdout
    run = subprocess.run([str(GOVKG), "extract", str(bad), str(good)], capture_output=True, text=True)
    assert run.returncode == 1 and "bad.xyz" in run.stderr
    [line] = run.stdout.splitlines()
    assert json.loads(line)["tasks"][0]["lead"] == ["市发改委"]


def test_box_table_with_wrapped_and_merged_cells_and_bulleted_tasks() -> None:
    text = "\n".join(
        [
            "┌──────────┬────┬──────┐",
            "│工作任务  │分管领导│牵头单位  │",
            "├──────────┼────┼──────┤",
            "│推进产业升级          │王明    │市工信局、│",
            "├──────────┤        │市发改委  │",
            "│△加快传统产业技术改造,│        ├──────┤",
            "│提升产品质量          │        │市科技局  │",
            "│△培育新兴产业集群    │        │          │",
            "└──────────┴────┴──────┘",
        ]
    )
    doc = extract_text("box.txt", text)
    assert [(t.text, t.lead) for t in doc.tasks] == [
        ("加快传统产业技术改造,提升产品质量", ["市科技局"]),  # the first lead cell ends above it
        ("培育新兴产业集群", ["市科技局"]),
    ]
    assert doc.tasks[0].evidence == ("table:box",)


def test_unnumbered_paragraphs_under_a_heading_are_tasks() -> None:
    text = (
        "一、努力扩大内需\n"
        "认真落实积极的财政政策,优化财政支出结构,集中财力办大事。(财政厅牵头)\n"
        "加强银政、银企合作,引导商业银行优化信贷结构,加大信贷支持力度。(人行成都分行、财政厅牵头)\n"
        "二、保障民生\n1.推进就业。(责任单位:人社厅)"
    )
    doc = extract_text("paragraphs.txt", text)
    assert [(t.id, t.text[:4], t.lead) for t in doc.tasks][:2] == [
        ("#1", "认真落实", ["财政厅"]),
        ("#2", "加强银政", ["人行成都分行", "财政厅"]),
    ]
    assert doc.tasks[0].evidence == ("item:para",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.推进项目建设。(牵头单位 市发改委 配合单位 市财政局、市统计局)", (["市发改委"], ["市财政局", "市统计局"], [])),
        ("1.推进项目建设,责任单位为市发改委、市财政局。", ([], [], ["市发改委", "市财政局"])),
        ("1.推进项目建设。\n责任单位:市发改委(联系电话:0710-1234567)\n责任人:张三", ([], [], ["市发改委"])),
        ("1.推进项目建设。市发改委牵头,市财政局、市统计局配合。", (["市发改委"], ["市财政局", "市统计局"], [])),
        ("1.做好项目储备。市统计局负责。", ([], [], ["市统计局"])),
        ("1.推进项目建设。\n牵头责任单位:市发改委\n协同责任单位:市财政局", (["市发改委"], ["市财政局"], [])),
    ],
    ids=["labels-without-colons", "responsible-is", "phone-and-person", "lead-then-assist", "x-fuze", "label-lines"],
)
def test_clause_forms_beyond_the_seeds(text: str, expected: tuple) -> None:
    [task] = extract_text("forms.txt", "一、任务\n" + text).tasks
    assert (task.lead, task.assist, task.responsible) == expected


def test_rankings_are_not_tasks_and_field_lines_belong_to_their_task() -> None:
    ranking = extract_text("rank.txt", "一、考核排名\n1.市发改委 95分\n2.市财政局 93.5分\n3.市统计局 第三名")
    assert ranking.tasks == ()
    fields = extract_text(
        "fields.txt",
        "一、任务\n1.推进项目建设。\n(一)责任领导:张三\n(二)责任单位:市发改委\n"
        "2.做好项目储备。\n(一)责任领导:李四\n(二)责任单位:市统计局\n进展滞后的单位:市财政局。",
    )
    assert [(t.id, t.text, t.responsible) for t in fields.tasks] == [
        ("1", "推进项目建设。", ["市发改委"]),
        ("2", "做好项目储备。", ["市统计局"]),
    ]


def test_attachment_titles_are_not_tasks() -> None:
    text = "附件:1.2019年重点工作任务分解表\n2.民生实事项目进展情况表\n一、任务\n1.建立权责清单。\n2.推进项目。(责任单位:市发改委)"
    assert [t.text for t in extract_text("attachments.txt", text).tasks] == ["建立权责清单。", "推进项目。"]


def test_a_two_column_form_of_label_and_value_cells() -> None:
    text = (
        "重点工作: | 12.推进老旧小区改造,完成改造200个。 |\n牵头单位: | 市住房城乡建设局 |\n"
        "配合单位: | 市财政局、各区政府 |\n进展情况: | 已完成150个。 |"
    )
    [task] = extract_text("form.txt", text).tasks
    assert (task.number, task.lead, task.assist) == ("12", ["市住房城乡建设局"], ["市财政局", "各区政府"])
    assert task.text.startswith("推进老旧小区改造")
