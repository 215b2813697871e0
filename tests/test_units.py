"""Unit lists: splitting, prefix restoration, collectives, phrases that are not units."""

from __future__ import annotations

import pytest

from govkg.loaders.model import Role
from govkg.loaders.units import (
    UnitContext,
    carries_own_place,
    is_collective,
    looks_like_unit,
    restates_prefix,
    split_units,
    unit_mentions,
)


def names(text: str, context: UnitContext | None = None, role: Role = Role.RESPONSIBLE) -> list[str]:
    return [u.name for u in unit_mentions(split_units(text, 0), role, context)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("区科信局、区市场监管局", ["区科信局", "区市场监管局"]),
        ("区科信局,区市场监管局;区教育局", ["区科信局", "区市场监管局", "区教育局"]),
        ("区政务服务和大数据管理局、区发改局", ["区政务服务和大数据管理局", "区发改局"]),
        ("市住房和城乡建设局", ["市住房和城乡建设局"]),
        ("区建设局、区城管执法局及河湖长制成员单位", ["区建设局", "区城管执法局", "河湖长制成员单位"]),
        ("市公安局和市交通运输局", ["市公安局", "市交通运输局"]),
        ("市卫健委、市政府外事办等指挥部成员单位", ["市卫健委", "市政府外事办", "指挥部成员单位"]),
        ("各区(市)政府、各部门", ["各区(市)政府", "各部门"]),
        ("东街办(工业新区)、团街办(商务新区)", ["东街办(工业新区)", "团街办(商务新区)"]),
        ("区财政(国资)局、区建设局", ["区财政(国资)局", "区建设局"]),
        ("财政部、商务部等", ["财政部", "商务部"]),
        ("市发改委等按职责分工负责", ["市发改委"]),
        ("由市发改委", ["市发改委"]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert names(text, UnitContext(restore_prefix=False)) == expected


def test_spans_point_at_the_printed_unit() -> None:
    text = "牵头单位:市花桥公司,责任单位:贵溪市政府、 市水利局"
    start = text.index("贵溪")
    units = unit_mentions(split_units(text[start:], start), Role.ASSIST)
    assert [u.printed for u in units] == ["贵溪市政府", "市水利局"]
    assert all(text[u.span.start : u.span.end] == u.printed for u in units)


def test_prefix_stated_once_is_restored() -> None:
    assert names("市发改委、统筹办、统计局、农委") == ["市发改委", "市统筹办", "市统计局", "市农委"]
    assert names("市财政局、国税局、地税局") == ["市财政局", "市国税局", "市地税局"]


def test_prefix_not_restored_on_names_with_their_own_place_or_level() -> None:
    got = names("市发改委、梁子湖区政府、葛店开发区管委会、各区政府、西山街办、人民银行市中心支行")
    assert got == [
        "市发改委",
        "梁子湖区政府",
        "葛店开发区管委会",
        "各区政府",
        "西山街办",
        "人民银行市中心支行",
    ]
    assert names("市统筹办、鄂州供电公司", UnitContext(place_stems=("鄂州",))) == ["市统筹办", "鄂州供电公司"]
    assert names("市发改委、市场监管局") == ["市发改委", "市市场监管局"]  # 市场 is a word, not a prefix


def test_prefix_not_restored_when_the_document_restates_it() -> None:
    context = UnitContext(restore_prefix=False)
    assert names("区财政局、下陆税务局", context) == ["区财政局", "下陆税务局"]
    assert restates_prefix([["区科信局", "区建设局"], ["区财政局", "下陆税务局"], ["区民政局", "区财政局"]])
    assert not restates_prefix([["市发改委", "统筹办"], ["市财政局", "国税局", "地税局"]])
    assert not restates_prefix([["各区政府", "市发改委"]])


@pytest.mark.parametrize(
    "name",
    [
        "各区政府",
        "市政府各部门",
        "区疫情防控指挥部成员单位",
        "各街办(新区)",
        "区创文指挥部各成员单位",
        "相关银行",
    ],
)
def test_collective(name: str) -> None:
    assert is_collective(name)
    (unit,) = unit_mentions(split_units(name, 0), Role.ASSIST)
    assert unit.collective and unit.name == name


@pytest.mark.parametrize("name", ["区卫健局", "市发改委", "区政务服务和大数据管理局", "下陆国土·规划分局"])
def test_not_collective(name: str) -> None:
    assert not is_collective(name)


@pytest.mark.parametrize("phrase", ["按58件民生实事责任分工对应落实", "2024年底前完成", "持续推进", "1", ""])
def test_phrases_that_are_not_units(phrase: str) -> None:
    assert not looks_like_unit(phrase)
    assert split_units(phrase, 0) == ()


def test_units_without_suffix_are_kept_when_short() -> None:
    assert names("人行、市残联", UnitContext(restore_prefix=False)) == ["人行", "市残联"]


def test_own_place() -> None:
    assert carries_own_place("华容区政府")
    assert carries_own_place("鄂州日报社", ["鄂州"])
    assert not carries_own_place("住房公积金管理中心")


def test_space_separated_list_keeps_a_qualifying_bracket() -> None:
    units = unit_mentions(split_units("市发改委 (牵头) 市财政局 市统计局", 0), Role.RESPONSIBLE)
    assert [(u.name, u.role.value) for u in units] == [
        ("市发改委", "lead"),
        ("市财政局", "responsible"),
        ("市统计局", "responsible"),
    ]
