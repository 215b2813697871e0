"""targets.find_targets on the seeds' target passages and on synthetic sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govkg.loaders.targets import find_targets

SEED_000 = "000_5acdb013471bb0aa.txt"
SEED_003 = "003_9122fdf419c46626.txt"

# Seed 000 items 1-5 (十二五 goals) and 31-40 (2011 goals): (indicator, value, comparator).
EXPECTED_000 = {
    "1": [("地区生产总值", 13, ">="), ("全社会固定资产投资", 20, ">=")],
    "2": [("规模以上工业销售收入", 25, ">=")],
    "3": [("地方财政总收入", 20, ">=")],
    "4": [("城镇居民人均可支配收入", 11, "="), ("农村居民人均纯收入", 12, "=")],
    "5": [],
    "31": [("生产总值", 13.5, "=")],
    "32": [("地方一般预算收入", 16, "=")],
    "33": [("全社会固定资产投资", 25, "=")],
    "34": [("规模以上工业增加值", 23.5, "=")],
    "35": [("社会消费品零售总额", 17, "=")],
    "36": [("招商引资总额", 35, "=")],
    "37": [("实际利用外资", 10, "="), ("外贸出口", 12, "=")],
    "38": [("城镇居民人均可支配收入", 11, "="), ("农村居民人均纯收入", 12, "=")],
    "39": [("城镇登记失业率", 4.5, "<=")],
    "40": [],
}

GOALS_003 = [
    ("生产总值", 10, "="),
    ("公共财政预算收入", 10, "="),
    ("固定资产投资", 10, ">="),
    ("社会消费品零售总额", 14, "="),
    ("居民人均可支配收入", 10, ">="),
]


def _triples(targets) -> list[tuple[str, float, str]]:  # noqa: ANN001
    return [(t.indicator, t.value, t.comparator) for t in targets]


def _seed(shared_dir: Path, name: str) -> str:
    return (shared_dir / "seeds" / name).read_text(encoding="utf-8")


def _items_000(text: str) -> dict[str, str]:
    """Item number -> item text without its number and responsibility clause."""
    items = {}
    for m in re.finditer(r"^\s*(\d+)、(.*?)(?:(责任单位[^)]*))?\s*$", text, re.M):
        items[m.group(1)] = m.group(2)
    return items


@pytest.mark.parametrize("number", sorted(EXPECTED_000, key=int))
def test_seed_000_goal_items(shared_dir: Path, number: str) -> None:
    item = _items_000(_seed(shared_dir, SEED_000))[number]
    targets = find_targets(item)
    assert _triples(targets) == EXPECTED_000[number]
    for t in targets:
        assert t.unit == "%"
        assert item[t.span.start : t.span.end] == t.text
        assert t.indicator in t.text


def test_seed_000_five_year_items_have_period_and_measure(shared_dir: Path) -> None:
    t = find_targets(_items_000(_seed(shared_dir, SEED_000))["1"])[0]
    assert (t.measure, t.period, t.text) == ("年均增长", "年均", "地区生产总值年均增长13%以上")


def _goal_paragraph_003(text: str) -> str:
    return next(line for line in text.splitlines() if "预期目标" in line)


def test_seed_003_goal_paragraph(shared_dir: Path) -> None:
    paragraph = _goal_paragraph_003(_seed(shared_dir, SEED_003))
    targets = find_targets(paragraph)
    assert _triples(targets) == GOALS_003
    assert {t.unit for t in targets} == {"%"}
    assert {t.measure for t in targets} == {"增长"}


def test_seed_003_whole_report_keeps_goals_and_skips_2012_results(shared_dir: Path) -> None:
    text = _seed(shared_dir, SEED_003)
    targets = find_targets(text, offset=100)
    goals_at = text.index(_goal_paragraph_003(text)) + 100
    for goal in GOALS_003:
        assert goal in _triples(targets)
    review_end = text.index("2013年是") + 100
    assert [t.text for t in targets if t.span.start < review_end] == []
    for t in targets:
        assert text[t.span.start - 100 : t.span.end - 100] == t.text
    reported = {(300, "亿元"), (7.5, "%"), (75, "亿元"), (24.4, "%"), (201, "亿元"), (38219, "元"), (92.6, "%")}
    early = {(t.value, t.unit) for t in targets if t.span.start < goals_at}
    assert not early & reported


def test_seed_003_review_paragraph_alone_has_no_targets(shared_dir: Path) -> None:
    paragraph = next(line for line in _seed(shared_dir, SEED_003).splitlines() if "初步统计" in line)
    assert "300亿元" in paragraph
    assert find_targets(paragraph) == ()


def test_seed_003_task_goals(shared_dir: Path) -> None:
    targets = find_targets(_seed(shared_dir, SEED_003))
    triples = _triples(targets)
    assert ("服务业增加值", 10, "=") in triples
    assert ("旅游直接收入", 4.8, "=") in triples
    assert ("旅游直接收入", 12, "=") in triples  # 力争实现旅游直接收入4.8亿元,同比增长12%
    assert ("对外经济技术合作营业额", 10, "=") in triples and ("对外投资额", 10, "=") in triples
    assert ("城镇登记失业率", 3.5, "<=") in triples


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("地区生产总值年均增长13%以上", ("地区生产总值", "年均增长", 13, "%", ">=", "年均")),
        ("城镇登记失业率控制在4.5%以内", ("城镇登记失业率", "控制在", 4.5, "%", "<=", None)),
        ("社会消费品零售总额增长10%左右", ("社会消费品零售总额", "增长", 10, "%", "~", None)),
        ("铜产业主营业务收入突破4000亿元", ("铜产业主营业务收入", "突破", 4000, "亿元", ">=", None)),
        ("“十二五”期间,城镇化率达到67%", ("城镇化率", "达到", 67, "%", "=", "十二五")),
        ("到2015年,全市森林覆盖率提高到45%以上", ("森林覆盖率", "提高到", 45, "%", ">=", "2015年")),
        ("2013年,力争实现新增就业人员8500人", ("就业人员", "新增", 8500, "人", "=", "2013年")),
        ("万元生产总值能耗下降3.5个百分点", ("万元生产总值能耗", "下降", 3.5, "个百分点", "=", None)),
        ("粮食产量不低于120万吨", ("粮食产量", "不低于", 120, "万吨", ">=", None)),
        ("居民人均可支配收入增长不低于8%", ("居民人均可支配收入", "增长", 8, "%", ">=", None)),
        ("规模以上工业增加值增长9%", ("规模以上工业增加值", "增长", 9, "%", "=", None)),
        ("城镇登记失业率控制在４．５%以内", ("城镇登记失业率", "控制在", 4.5, "%", "<=", None)),
    ],
)
def test_synthetic_targets(sentence: str, expected: tuple) -> None:
    (t,) = find_targets(sentence)
    assert (t.indicator, t.measure, t.value, t.unit, t.comparator, t.period) == expected
    assert sentence[t.span.start : t.span.end] == t.text


@pytest.mark.parametrize(
    "text",
    [
        "初步统计,2012年全市生产总值达到300亿元,同比增长7.5%。",
        "2012年工作回顾\n一年来,全区生产总值达到300亿元,空气质量优良率达92.6%。",
        "规模以上工业增加值23.5亿元。",  # no measure word: a statement, not a target
        "刚性落实“稳增长18条”“金融8条”。",  # policy names, not targets
        "完成港区161个化学品储罐整治。",  # the number counts an object that follows it
        "实施精细化工行业整治三年行动计划。",
        "增长10%左右,突破4000亿元。",  # no indicator
    ],
)
def test_not_targets(text: str) -> None:
    assert find_targets(text) == ()


def test_review_section_ends_at_next_years_goals() -> None:
    text = (
        "2012年工作回顾\n"
        "全区生产总值增长7.5%,降尘量下降15.2%。\n"
        "2013年是关键一年。\n"
        "全年主要预期目标为:生产总值增长10%,城镇登记失业率控制在3.5%以下。\n"
    )
    assert _triples(find_targets(text)) == [("生产总值", 10, "="), ("城镇登记失业率", 3.5, "<=")]


def test_goal_sentence_inside_review_paragraph_counts() -> None:
    text = "一年来,全区生产总值增长7.5%;明年力争生产总值增长10%。"
    assert _triples(find_targets(text)) == [("生产总值", 10, "=")]


def test_goal_list_with_bare_indicators() -> None:
    text = (
        "今年发展的主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人以上,"
        "城镇调查失业率5.5%;粮食产量保持在1.3万亿斤以上。"
    )
    got = [(t.indicator, t.measure, t.value, t.unit, t.comparator, t.period) for t in find_targets(text)]
    assert got == [
        ("国内生产总值", "增长", 5, "%", "~", "今年"),
        ("城镇新增就业", "新增", 1200, "万人", ">=", "今年"),
        ("城镇调查失业率", "", 5.5, "%", "=", "今年"),
        ("粮食产量", "保持在", 1.3, "万亿斤", ">=", "今年"),
    ]
    # outside a goal list, a bare number needs a comparator to count
    assert find_targets("城镇调查失业率5.5%。") == ()
    assert [t.comparator for t in find_targets("城镇调查失业率5.5%左右。")] == ["~"]


def test_offset_shifts_spans() -> None:
    (t,) = find_targets("前言。外贸出口增长12%。", offset=50)
    assert (t.span.start, t.span.end) == (53, 62)


def test_list_split_and_continuation() -> None:
    triples = _triples(find_targets("力争服务外包合同额和离岸合同额均同比增长15%。"))
    assert triples == [("服务外包合同额", 15, "="), ("离岸合同额", 15, "=")]
    assert _triples(find_targets("完成区属工业投资70亿元、技改投资27亿元以上。")) == [
        ("区属工业投资", 70, "="),
        ("技改投资", 27, ">="),
    ]


def test_word_cut_by_a_line_break_is_joined() -> None:
    text = "54、有序实施垃圾分类工作,确保机关事业单位垃圾分\n类覆盖率达100%,打造示范街道。"
    (t,) = find_targets(text)
    assert (t.indicator, t.value) == ("机关事业单位垃圾分类覆盖率", 100)


def test_targets_through_load_document(shared_dir: Path) -> None:
    from govkg.loaders import load_document

    doc = load_document(shared_dir / "seeds" / SEED_003)
    triples = _triples(doc.targets) + [x for task in doc.tasks for x in _triples(task.targets)]
    for goal in GOALS_003:
        assert goal in triples
    assert not {(v, u) for t in doc.targets for v, u in [(t.value, t.unit)]} & {(300, "亿元"), (75, "亿元")}
    doc0 = load_document(shared_dir / "seeds" / SEED_000)
    by_number = {task.number: _triples(task.targets) for task in doc0.tasks}
    for number, expected in EXPECTED_000.items():
        assert by_number[number] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("实施100个以上节能项目", ("节能项目", "实施", 100, "个", ">=")),
        ("建成20个美丽乡村示范村", ("美丽乡村示范村", "建成", 20, "个", "=")),
        ("全年计划实施市级重点项目300个", ("市级重点项目", "实施", 300, "个", "=")),
        ("新建5G基站2000个", ("5G基站", "新建", 2000, "个", "=")),
        ("城镇调查失业率控制在百分之五以内", ("城镇调查失业率", "控制在", 5, "%", "<=")),
        ("居民收入增长百分之六点五左右", ("居民收入", "增长", 6.5, "%", "~")),
    ],
)
def test_counts_and_chinese_numeral_percentages(sentence: str, expected: tuple) -> None:
    (t,) = find_targets(sentence)
    assert (t.indicator, t.measure, t.value, t.unit, t.comparator) == expected
    assert sentence[t.span.start : t.span.end] == t.text


def test_count_with_a_word_between_verb_and_number_is_not_a_target() -> None:
    assert find_targets("完成港区161个化学品储罐整治。") == ()
    assert [(t.indicator, t.value) for t in find_targets("验收完成率达到百分之九十")] == [("验收完成率", 90)]
