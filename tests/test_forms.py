"""Document forms met in real government texts beyond the development set, each written
as a small document in the form (not copied from any one file), with the lists the
annotation rules give."""

from __future__ import annotations

from govkg.loaders import extract_text
from govkg.loaders.readers import text_of


def _roles(doc) -> list[tuple[str, list[str], list[str], list[str]]]:  # noqa: ANN001
    return [(t.text[:6], t.lead, t.assist, t.responsible) for t in doc.tasks]


def _plain(text: str):  # noqa: ANN202
    return extract_text("form.txt", text_of("form.txt", text.encode("utf-8")))


def test_plain_text_with_html_tags_and_character_references_left_in() -> None:
    doc = _plain(
        "<p>1.&nbsp;推进重点项目建设。牵头单位:&nbsp;市发改委;配合单位:市财政局、市住建局。</p>\n"
        "<p>2.&nbsp;加强耕地保护。责任单位:市自然资源局</p>\n"
        "<p>3.&nbsp;打好污染防治攻坚战。牵头单位:市生态环境局&nbsp;&nbsp;配合单位:市水利局</p>\n"
    )
    assert _roles(doc) == [
        ("推进重点项目", ["市发改委"], ["市财政局", "市住建局"], []),
        ("加强耕地保护", [], [], ["市自然资源局"]),
        ("打好污染防治", ["市生态环境局"], ["市水利局"], []),
    ]


def test_plain_text_keeps_angle_brackets_that_are_not_markup() -> None:
    doc = _plain("1.PM2.5浓度<35微克/立方米,优良天数>300天。(责任单位:市生态环境局)\n")
    assert doc.tasks[0].text.startswith("PM2.5浓度<35微克")
    assert doc.tasks[0].responsible == ["市生态环境局"]


def test_lead_marked_with_a_bracketed_label_inside_a_responsible_list() -> None:
    doc = extract_text(
        "marks.txt",
        "1.推进重大项目建设。\n责任单位:市发改委(牵头)、市财政局、市自然资源局\n"
        "2.加快产业转型升级。\n责任单位:市工信局(牵头单位)、市科技局\n"
        "3.加强基层治理。\n责任单位:市民政局(牵头部门)、各县(市、区)人民政府\n"
        "4.优化营商环境。\n责任单位:市政务服务中心、市市场监管局\n联系人:张三,电话:0731-12345678\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局", "市自然资源局"], []),
        ("加快产业转型", ["市工信局"], ["市科技局"], []),
        ("加强基层治理", ["市民政局"], ["各县(市、区)人民政府"], []),
        ("优化营商环境", [], [], ["市政务服务中心", "市市场监管局"]),
    ]


def test_table_exported_with_space_padded_columns_and_a_column_after_the_units() -> None:
    doc = extract_text(
        "wide.txt",
        "区2023年重点任务分工\n"
        "序号    重点任务    主责部门    协同部门    完成时间\n"
        "1    推进老旧小区改造30个    区住建局    各街道办事处    2023年底\n"
        "2    新建公办幼儿园3所    区教育局    区发改局、区财政局    2023年9月\n"
        "3\u3000\u3000开展消防安全专项整治\u3000\u3000区应急管理局\u3000\u3000区消防救援大队、区公安分局\u3000\u3000每季度\n",
    )
    assert _roles(doc) == [
        ("推进老旧小区", ["区住建局"], ["各街道办事处"], []),
        ("新建公办幼儿", ["区教育局"], ["区发改局", "区财政局"], []),
        ("开展消防安全", ["区应急管理局"], ["区消防救援大队", "区公安分局"], []),
    ]
    assert [t.deadline for t in doc.tasks] == ["2023年底", "2023年9月", "每季度"]


def test_national_paragraph_with_a_bracket_after_each_sentence_keeps_the_lead() -> None:
    doc = extract_text(
        "national.txt",
        "一、着力扩大国内需求\n"
        "(一)积极扩大有效投资。合理扩大地方政府专项债券使用范围。(国家发展改革委、财政部等按职责分工负责)"
        "加快实施“十四五”规划重大工程项目。(国家发展改革委牵头,各有关部门按职责分工负责)\n"
        "(二)推动消费稳定增长。稳定汽车等大宗消费。(商务部、工业和信息化部、公安部按职责分工负责)\n",
    )
    assert _roles(doc) == [
        ("积极扩大有效", ["国家发展改革委"], ["财政部", "各有关部门"], []),
        ("推动消费稳定", [], [], ["商务部", "工业和信息化部", "公安部"]),
    ]


def test_tab_table_row_whose_unit_list_wraps_into_the_next_line() -> None:
    doc = extract_text(
        "wrapped.txt",
        "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t推进乡村振兴示范村建设10个\t县农业农村局\t县财政局、县自然资源局\t2023年底\n"
        "2\t新建5G基站300个,提升网络覆盖\t县工信局\t县移动公司、\t2023年10月\n"
        "\t水平\t\t县住建局\t\n"
        "3\t开展全民健身活动\t县文旅体局\t各乡镇、\t全年\n"
        "\t\t\t县教育局\n",
    )
    assert _roles(doc) == [
        ("推进乡村振兴", ["县农业农村局"], ["县财政局", "县自然资源局"], []),
        ("新建5G基站", ["县工信局"], ["县移动公司", "县住建局"], []),
        ("开展全民健身", ["县文旅体局"], ["各乡镇", "县教育局"], []),
    ]


NOTICE_WITH_ATTACHMENT_LIST = """关于印发《2023年全县重点工作任务分工方案》的通知
各乡镇人民政府,县直各单位:
现将方案印发给你们,请认真贯彻落实。
一、稳增长
1.全年地区生产总值增长6%以上。牵头单位:县发改局;配合单位:县统计局、县财政局。
2.规模以上工业增加值增长8%。牵头单位:县工信局;配合单位:各乡镇。
— 2 —
3.固定资产投资增长10%。牵头单位:县发改局;配合单位:县住建局、县自然资源局。
附件:1.重点项目清单
2.考核办法
3.2023年度考核细则
抄送:县委办,县人大办,县政协办。
××县人民政府办公室                2023年3月1日印发
"""


def test_numbered_list_of_attachments_after_the_tasks_is_not_tasks() -> None:
    doc = extract_text("attachments.txt", NOTICE_WITH_ATTACHMENT_LIST)
    assert _roles(doc) == [
        ("全年地区生产", ["县发改局"], ["县统计局", "县财政局"], []),
        ("规模以上工业", ["县工信局"], ["各乡镇"], []),
        ("固定资产投资", ["县发改局"], ["县住建局", "县自然资源局"], []),
    ]


def test_numbered_items_without_units_under_a_bare_attachment_title_stay_tasks() -> None:
    doc = extract_text("plain.txt", "附件\n2023年重点工作\n1.推进项目建设\n2.加快产业升级\n")
    assert [t.text for t in doc.tasks] == ["推进项目建设", "加快产业升级"]


def test_bracket_putting_one_unit_in_charge_names_the_lead() -> None:
    doc = extract_text(
        "sole.txt",
        "(一)加强生态环境保护。(生态环境部负责)\n"
        "(二)做好民生保障。(各地区、各有关部门按职责分工负责)\n"
        "(三)稳定粮食生产。(农业农村部、国家粮食和储备局负责)\n"
        "(四)加强食品安全监管。(市场监管总局等负责)\n"
        "(五)加強食品安全監管。(市市場監管局負責)\n",
    )
    assert _roles(doc) == [
        ("加强生态环境", ["生态环境部"], [], []),
        ("做好民生保障", [], [], ["各地区", "各有关部门"]),
        ("稳定粮食生产", [], [], ["农业农村部", "国家粮食和储备局"]),
        ("加强食品安全", [], [], ["市场监管总局"]),
        ("加強食品安全", ["市市场监管局"], [], []),
    ]


def test_running_text_cue_with_a_lead_or_responsible_unit_and_assisting_units() -> None:
    doc = extract_text(
        "cues.txt",
        "1.建设智慧交通系统,2023年底前建成。由市交通运输局牵头,市公安局、市大数据局配合。\n"
        "2.推进垃圾分类,城区覆盖率达到90%以上。由市城管局负责,各区政府配合。\n",
    )
    assert _roles(doc) == [
        ("建设智慧交通", ["市交通运输局"], ["市公安局", "市大数据局"], []),
        ("推进垃圾分类", [], ["各区政府"], ["市城管局"]),
    ]


def test_single_space_table_with_a_deadline_column_after_the_unit_columns() -> None:
    doc = extract_text(
        "spaced.txt",
        "序号 重点任务 牵头单位 配合单位 完成时间\n"
        "1 推进老旧小区改造30个 区住建局 各街道办事处 2023年底\n"
        "2 新建公办幼儿园3所 区教育局 区发改局、区财政局 2023年9月\n"
        "3 开展消防安全专项整治 区应急管理局 区消防救援大队、区公安分局\n",
    )
    assert _roles(doc) == [
        ("推进老旧小区", ["区住建局"], ["各街道办事处"], []),
        ("新建公办幼儿", ["区教育局"], ["区发改局", "区财政局"], []),
        ("开展消防安全", ["区应急管理局"], ["区消防救援大队", "区公安分局"], []),
    ]
    assert [t.deadline for t in doc.tasks] == ["2023年底", "2023年9月", None]


def test_host_unit_label_and_column_are_responsible_not_lead() -> None:
    labels = extract_text("host.txt", "1.推进重大项目建设。主办单位:市发改委;协办单位:市财政局\n2.加快产业转型升级。(主办单位:市工信局)\n")
    table = extract_text(
        "host-table.txt",
        "序号\t工作任务\t主办单位\t协办单位\n1\t推进重大项目建设\t市发改委\t市财政局\n2\t加快产业转型升级\t市工信局\t\n",
    )
    for doc in (labels, table):
        assert [(t.lead, t.assist, t.responsible) for t in doc.tasks] == [
            ([], ["市财政局"], ["市发改委"]),
            ([], [], ["市工信局"]),
        ]


def test_yi_shi_er_shi_lines_that_each_assign_units_are_tasks() -> None:
    doc = extract_text(
        "points.txt",
        "三、工作任务\n"
        "一是加快农业现代化。全年粮食产量稳定在50万吨以上。(县农业农村局牵头,县财政局、县水利局配合)\n"
        "二是推进乡村振兴。完成村庄规划30个。(县自然资源局牵头,各乡镇配合)\n"
        "三是改善人居环境。(县住建局、县生态环境分局负责)\n",
    )
    assert _roles(doc) == [
        ("加快农业现代", ["县农业农村局"], ["县财政局", "县水利局"], []),
        ("推进乡村振兴", ["县自然资源局"], ["各乡镇"], []),
        ("改善人居环境", [], [], ["县住建局", "县生态环境分局"]),
    ]


def test_yi_shi_points_sharing_one_clause_stay_in_their_task() -> None:
    doc = extract_text(
        "points.txt",
        "(一)加快产业发展。\n一是壮大主导产业,培育龙头企业5家;\n二是发展现代服务业;\n"
        "三是推动数字化转型。(县发改局牵头,县工信局、县商务局配合)\n"
        "(二)改善民生。一是新增就业2000人;二是提高医保水平。(县人社局、县医保局负责)\n",
    )
    assert _roles(doc) == [
        ("加快产业发展", ["县发改局"], ["县工信局", "县商务局"], []),
        ("改善民生。一", [], [], ["县人社局", "县医保局"]),
    ]


def test_running_header_repeated_at_a_page_break_is_not_joined_into_a_unit() -> None:
    doc = extract_text(
        "pages.txt",
        "XX县人民政府办公室文件\n"
        "1.推进重大项目建设,全年完成投资200亿元,确保省市重点项目按期推进。牵头单位:县发改局;配合单位:县财政局、县自然\n"
        "— 3 —\nXX县人民政府办公室文件\n"
        "资源局。\n2.加快产业转型升级。牵头单位:县工信局;配合单位:县科技局。\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["县发改局"], ["县财政局", "县自然资源局"], []),
        ("加快产业转型", ["县工信局"], ["县科技局"], []),
    ]


def test_unit_cell_of_a_flattened_table_beside_a_page_number_stays() -> None:
    doc = extract_text(
        "cells.txt",
        "\n".join(
            ["序号", "工作任务", "责任单位", "1", "推进重大项目建设。", "县发改局", "— 3 —",
             "2", "加快产业转型升级。", "县发改局"]
        ),
    )
    assert [t.responsible for t in doc.tasks] == [["县发改局"], ["县发改局"]]


def test_labels_with_a_qualifier_or_spaced_out_characters() -> None:
    doc = extract_text(
        "labels.txt",
        "1.推进重大项目建设。\n牵头单位(部门):市发改委\n配合单位(部门):市财政局、市自然资源局\n"
        "2.加快产业转型升级。\n牵 头 单 位:市工信局\n配 合 单 位:市科技局\n"
        "3.推进乡村振兴。\n责任单位及责任人:市农业农村局、市水利局\n"
        "4.推進城鄉融合發展。\n牽 頭 單 位:市發改委\n配 合 單 位:市財政局\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局", "市自然资源局"], []),
        ("加快产业转型", ["市工信局"], ["市科技局"], []),
        ("推进乡村振兴", [], [], ["市农业农村局", "市水利局"]),
        ("推進城鄉融合", ["市发改委"], ["市财政局"], []),
    ]


def test_plain_text_holding_an_html_table_source() -> None:
    doc = _plain(
        "<table>\n"
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>\n"
        "<tr><td>1</td><td>推进重大项目建设</td><td>市发改委</td><td>市财政局、市自然资源局</td><td>12月底</td></tr>\n"
        "<tr>\n  <td>2</td>\n  <td>加快产业转型升级</td>\n  <td>市工信局</td>\n  <td>市科技局</td>\n  <td>全年</td>\n</tr>\n"
        "</table>\n"
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局", "市自然资源局"], []),
        ("加快产业转型", ["市工信局"], ["市科技局"], []),
    ]
    assert [t.deadline for t in doc.tasks] == ["12月底", "全年"]


def test_space_padded_table_with_a_two_level_unit_header() -> None:
    doc = extract_text(
        "two-level.txt",
        "2023年区政府重点工作任务分解表\n"
        "序号  重点工作  责任单位        完成时限\n"
        "              牵头单位  配合单位\n"
        "1  推进重大项目建设  区发改局  区财政局、区自然资源局  12月底\n"
        "2  加快产业转型升级  区工信局  区科技局  全年\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["区发改局"], ["区财政局", "区自然资源局"], []),
        ("加快产业转型", ["区工信局"], ["区科技局"], []),
    ]
    assert [t.deadline for t in doc.tasks] == ["12月底", "全年"]


def test_bullet_that_stands_for_the_number_of_an_unnumbered_item_is_not_task_text() -> None:
    doc = extract_text(
        "bullets.txt",
        "一、稳增长\n● 推进重大项目建设,全年完成投资200亿元。(责任单位:市发改委)\n"
        "● 加快产业转型升级。(责任单位:市工信局、市科技局)\n"
        "二、惠民生\n★ 新增城镇就业3万人。(责任单位:市人社局)\n▲新建幼儿园10所,新增学位3000个。(责任单位:市教育局)\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", [], [], ["市发改委"]),
        ("加快产业转型", [], [], ["市工信局", "市科技局"]),
        ("新增城镇就业", [], [], ["市人社局"]),
        ("新建幼儿园1", [], [], ["市教育局"]),
    ]


def test_contact_person_and_telephone_next_to_a_unit_are_not_units() -> None:
    doc = extract_text(
        "contacts.txt",
        "1.推进重大项目建设。责任单位:市发改委(联系人:张三,电话:0731-12345678)\n"
        "2.加快产业转型升级。牵头单位:市工信局,联系人:李四,联系电话:13900001111;配合单位:市科技局\n"
        "3.优化营商环境。责任单位:市政务服务局;责任人:王五;联系方式:0731-88886666\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", [], [], ["市发改委"]),
        ("加快产业转型", ["市工信局"], ["市科技局"], []),
        ("优化营商环境", [], [], ["市政务服务局"]),
    ]


def test_numbered_row_whose_unit_cells_are_merged_into_the_row_above_is_a_task() -> None:
    doc = extract_text(
        "merged.txt",
        "序号\t工作任务\t牵头单位\t配合单位\n"
        "1\t推进重大项目建设,完成投资100亿元\t市发改委\t市财政局\n"
        "2\t新开工重点项目50个以上\t\t\n"
        "3\t加快产业转型升级,培育企业30家\t市工信局\t市科技局\n",
    )
    assert [t.text[:6] for t in doc.tasks] == ["推进重大项目", "新开工重点项", "加快产业转型"]
    assert doc.tasks[2].lead == ["市工信局"]


def test_colon_forms_of_big5_text_and_the_ratio_sign_open_labels() -> None:
    doc = extract_text(
        "colons.txt",
        "1.推進城鄉融合發展。(牽頭單位\ufe30市發改委\ufe54配合單位\ufe30市財政局、市農業農村局)\n"
        "2.加快新型基礎設施建設。責任單位\u2236市工信局\uff64市科技局\n",
    )
    assert _roles(doc) == [
        ("推進城鄉融合", ["市发改委"], ["市财政局", "市农业农村局"], []),
        ("加快新型基礎", [], [], ["市工信局", "市科技局"]),
    ]


def test_tables_whose_text_column_is_named_for_measures_or_projects() -> None:
    for header in ("具体措施", "主要内容", "工作举措", "重点项目", "建设内容"):
        doc = extract_text(
            "columns.txt",
            f"序号\t{header}\t牵头单位\t配合单位\n"
            "1\t推进重大项目建设\t市发改委\t市财政局\n"
            "2\t加快产业转型升级\t市工信局\t市科技局\n",
        )
        assert _roles(doc) == [
            ("推进重大项目", ["市发改委"], ["市财政局"], []),
            ("加快产业转型", ["市工信局"], ["市科技局"], []),
        ], header


def test_unit_list_in_brackets_on_its_own_line_after_the_task() -> None:
    doc = extract_text(
        "bare.txt",
        "1.推进重大项目建设,完成投资100亿元。\n(市发改委、市财政局)\n"
        "2.加快产业转型升级,培育企业30家。\n(市工信局、市科技局)\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", [], [], ["市发改委", "市财政局"]),
        ("加快产业转型", [], [], ["市工信局", "市科技局"]),
    ]


def test_clause_set_off_by_a_dash() -> None:
    doc = extract_text(
        "dash.txt",
        "1.推进重大项目建设,完成投资100亿元。——市发改委牵头,市财政局配合\n"
        "2.优化营商环境——责任单位:市政务服务局\n",
    )
    assert [(t.text, t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        ("推进重大项目建设,完成投资100亿元。", ["市发改委"], ["市财政局"], []),
        ("优化营商环境", [], [], ["市政务服务局"]),
    ]


def test_partner_named_lead_and_compound_assist_verbs() -> None:
    doc = extract_text(
        "verbs.txt",
        "1.加快产业转型升级。市工信局为牵头单位,市科技局、市财政局为配合单位。\n"
        "2.加强社会治理。(市公安局牵头负责,市司法局、市民政局协同配合)\n"
        "3.推进数字经济。(市大数据局会同市工信局负责)\n"
        "4.落实工作责任。(第一责任单位为牵头单位,下同)\n",
    )
    assert _roles(doc) == [
        ("加快产业转型", ["市工信局"], ["市科技局", "市财政局"], []),
        ("加强社会治理", ["市公安局"], ["市司法局", "市民政局"], []),
        ("推进数字经济", ["市大数据局"], ["市工信局"], []),
        ("落实工作责任", [], [], []),
    ]


def test_party_department_named_bare_after_one_of_its_committee() -> None:
    doc = extract_text(
        "party.txt",
        "1.推进城市更新。(责任单位:市住房和城乡建设局、市自然资源和规划局)\n"
        "2.加强宣传。(责任单位:市委宣传部、组织部,市文化广电和旅游局)\n"
        "3.加强廉政建设。(责任单位:市纪委监委、市委编办)\n",
    )
    assert [t.responsible for t in doc.tasks] == [
        ["市住房和城乡建设局", "市自然资源和规划局"],
        ["市委宣传部", "市委组织部", "市文化广电和旅游局"],
        ["市纪委监委", "市委编办"],
    ]


def test_items_under_an_attachment_title_with_its_number_stay_tasks() -> None:
    doc = extract_text("plain.txt", "附件1\n1.推进项目建设\n2.加快产业升级\n")
    assert [t.text for t in doc.tasks] == ["推进项目建设", "加快产业升级"]
    doc = extract_text("list.txt", "1.推进项目建设。(责任单位:市发改委)\n附件1.重点项目清单\n2.考核办法\n")
    assert [t.text for t in doc.tasks] == ["推进项目建设。"]


def test_implementing_verbs_after_a_list_are_not_part_of_its_units() -> None:
    doc = extract_text(
        "implement.txt",
        "1.加快产业转型升级。(市工信局牵头负责,各县区政府具体落实)\n"
        "2.优化营商环境。(市政务服务局牵头,市直各有关部门和各县区政府按职责分工落实)\n"
        "3.推进乡村振兴。(市农业农村局、市水利局组织实施)\n",
    )
    assert _roles(doc) == [
        ("加快产业转型", ["市工信局"], ["各县区政府"], []),
        ("优化营商环境", ["市政务服务局"], ["市直各有关部门", "各县区政府"], []),
        ("推进乡村振兴", [], [], ["市农业农村局", "市水利局"]),
    ]


def test_group_closing_a_list_after_deng_is_not_one_more_unit() -> None:
    doc = extract_text(
        "etc.txt",
        "1.推进重大项目建设。(市发改委等12个部门按职责分工负责)\n"
        "2.加快产业转型升级。(责任单位:市工信局等有关部门)\n"
        "3.优化营商环境。(市政务服务局牵头,市直相关单位配合)\n"
        "4.推进乡村振兴。(市农业农村局等省有关部门和各县市区人民政府负责)\n",
    )
    assert [t.units and [u.name for u in t.units] for t in doc.tasks] == [
        ["市发改委"],
        ["市工信局"],
        ["市政务服务局", "市直相关单位"],
        ["市农业农村局", "各县市区人民政府"],
    ]


def test_whole_notice_on_one_short_line_with_inline_numbering_and_labels() -> None:
    doc = extract_text(
        "oneline.txt",
        "关于印发重点工作责任分解的通知 各乡镇人民政府,县直各单位:现将重点工作责任分解印发给你们,"
        "请认真抓好落实。一、经济发展 1.推进重大项目建设,全年完成投资50亿元。责任单位:县发改局;"
        "完成时限:2024年12月底。2.加快工业园区建设。牵头单位:县工信局;配合单位:县自然资源局、县住建局;"
        "完成时限:2024年10月。二、民生保障 3.新建幼儿园2所。责任单位:县教育局、县财政局;完成时限:"
        "2024年9月。4.实施农村道路提升工程。责任单位:县交通运输局。\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", [], [], ["县发改局"]),
        ("加快工业园区", ["县工信局"], ["县自然资源局", "县住建局"], []),
        ("新建幼儿园2", [], [], ["县教育局", "县财政局"]),
        ("实施农村道路", [], [], ["县交通运输局"]),
    ]


def test_number_one_read_by_ocr_as_a_letter() -> None:
    doc = extract_text(
        "ocr.txt",
        "l.推进重大项目建设。(责任单位:市发改委)\n2 .加快工业园区建设。(牵头单位:市工信局;配合单位:市财政局)\n"
        "3、 新建幼儿园2所。(责任单位:市教育局)\n（l）实施道路提升工程。(责任单位:市交通局)\n"
        "（2）加强耕地保护。牵头单位:市自然资源局\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", [], [], ["市发改委"]),
        ("加快工业园区", ["市工信局"], ["市财政局"], []),
        ("新建幼儿园2", [], [], ["市教育局"]),
        ("实施道路提升", [], [], ["市交通局"]),
        ("加强耕地保护", ["市自然资源局"], [], []),
    ]


def test_task_text_keeps_one_stop_where_a_running_text_cue_is_cut_out() -> None:
    doc = extract_text(
        "cut.txt",
        "1.推進智慧城市建設。由行政公職局牽頭,郵電局、治安警察局配合。\n"
        "2.完善公共交通網絡。由交通事務局負責,治安警察局配合。\n"
        "3.推进X工程建设。由市住建局牵头,市财政局配合。加快Y项目审批。\n",
    )
    assert [t.text for t in doc.tasks] == ["推進智慧城市建設。", "完善公共交通網絡。", "推进X工程建设。加快Y项目审批。"]
    assert doc.tasks[0].lead == ["行政公职局"] or doc.tasks[0].lead == ["行政公職局"]


def test_lead_named_in_a_section_heading_over_its_items() -> None:
    inline = extract_text(
        "heading.txt",
        "(一)优化营商环境(牵头单位:市发改委)\n1.深化商事制度改革。配合单位:市市场监管局\n2.加强社会信用体系建设。\n"
        "(二)加快乡村振兴(牵头单位:市农业农村局)\n3.推进高标准农田建设。配合单位:市财政局\n",
    )
    assert _roles(inline) == [
        ("深化商事制度", ["市发改委"], ["市市场监管局"], []),
        ("加强社会信用", ["市发改委"], [], []),
        ("推进高标准农", ["市农业农村局"], ["市财政局"], []),
    ]
    below = extract_text(
        "heading-line.txt",
        "(一)优化营商环境\n牵头单位:市发改委\n1.深化商事制度改革。配合单位:市市场监管局\n2.推进政务服务标准化。\n",
    )
    assert _roles(below) == [
        ("深化商事制度", ["市发改委"], ["市市场监管局"], []),
        ("推进政务服务", ["市发改委"], [], []),
    ]


def test_bulletin_sections_around_its_task_table_are_not_tasks() -> None:
    doc = extract_text(
        "bulletin.txt",
        "关于2024年第一季度重点工作督查情况的通报\n一、总体情况\n截至3月底,各项工作总体推进顺利。"
        "以下单位未按时报送进展情况:市民政局、市水利局。\n二、具体进展\n"
        "序号|工作任务|责任领导|牵头单位|责任单位|完成时限|进展情况|备注\n"
        "1|推进重大项目建设|张三|市发改委|市财政局、市自然资源局|2024年12月|已完成投资20亿元|\n"
        "2|加强生态环境保护|李四|市生态环境局|市水利局|2024年6月|正在推进|市林业局未报送\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局", "市自然资源局"], []),
        ("加强生态环境", ["市生态环境局"], ["市水利局"], []),
    ]


def test_bar_table_row_whose_unit_cell_wraps_onto_the_next_line() -> None:
    doc = extract_text(
        "bars.txt",
        "序号|重点工作|责任领导|牵头单位|责任单位|完成时限\n"
        "1|推进重大项目建设|张三、李四|市发改委|市财政局、\n市自然资源局|2024年12月\n"
        "2|加强生态环境保护|王五|市生态环境局|市水利局|2024年6月\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局", "市自然资源局"], []),
        ("加强生态环境", ["市生态环境局"], ["市水利局"], []),
    ]


def test_office_and_section_labels_and_columns_of_a_department_or_county_plan() -> None:
    table = extract_text(
        "offices.txt",
        "序号\t工作内容\t责任处室\t协办处室\t完成时间\n1\t完善制度建设\t办公室\t法规处、财务处\t6月底\n",
    )
    assert _roles(table) == [("完善制度建设", [], ["法规处", "财务处"], ["办公室"])]
    labels = extract_text("sections.txt", "1.完善制度建设。牵头股室:办公室;配合股室:财务股、人事股\n")
    assert _roles(labels) == [("完善制度建设", ["办公室"], ["财务股", "人事股"], [])]


def test_bar_table_rows_are_not_joined_as_broken_prose() -> None:
    doc = extract_text(
        "bar-rows.txt",
        "序号|重点工作|牵头单位|配合单位|完成时限\n1|推进重大项目建设,全年完成\n投资50亿元|市发改委|市财政局|2024年12月\n"
        "2|加强生态环境保护|市生态环境局|市水利局|2024年6月\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发改委"], ["市财政局"], []),
        ("加强生态环境", ["市生态环境局"], ["市水利局"], []),
    ]
    assert doc.tasks[0].text == "推进重大项目建设,全年完成投资50亿元"


def test_field_lines_numbered_1_dot_under_a_task_give_its_units() -> None:
    doc = extract_text(
        "fields.txt",
        "(一)推进重大项目建设,全年完成投资50亿元。\n1.牵头单位:市发改委\n2.配合单位:市财政局、市自然资源局\n"
        "3.完成时限:2024年底\n(二)加强生态保护(牵头单位:市生态环境局)\n1.配合单位:市水利局\n2.完成时限:2024年底\n",
    )
    assert [(t.lead, t.assist, t.responsible) for t in doc.tasks] == [
        (["市发改委"], ["市财政局", "市自然资源局"], []),
        (["市生态环境局"], ["市水利局"], []),
    ]


def test_unit_name_cut_by_the_wrap_of_a_cell_in_a_table_stacked_one_cell_per_line() -> None:
    doc = extract_text(
        "stacked-cut.txt",
        "序号\n工作任务\n牵头单位\n配合单位\n1\n推进重大项目建设\n市发展和改\n革委员会\n市财政局\n"
        "2\n加强生态环境保护\n市生态环境局\n市水利局、市林\n业局\n",
    )
    assert _roles(doc) == [
        ("推进重大项目", ["市发展和改革委员会"], ["市财政局"], []),
        ("加强生态环境", ["市生态环境局"], ["市水利局", "市林业局"], []),
    ]
    assert doc.tasks[0].text == "推进重大项目建设"
