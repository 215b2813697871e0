"""Entity resolution: canonical names, places, collectives and renamings."""

from __future__ import annotations

import pytest

from govkg.graph.resolve import (
    canonical_name,
    collective_tails,
    context,
    expand_short_form,
    is_member,
    is_place,
    resolve_unit,
    strip_qualifiers,
    successor,
)
from govkg.graph.schema import NodeKind
from govkg.loaders import vocabulary
from govkg.loaders.model import Level

XIALU = context("下陆区")
EZHOU = context("鄂州市")


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("区发改局", "发展和改革局"),
        ("下陆公安分局", "公安分局"),
        ("区公安分局", "公安分局"),
        ("下陆区公安分局", "公安分局"),
        ("东街办(工业新区)", "东街办"),
        ("区财政(国资)局", "财政局"),
        ("区政府办", "人民政府办公室"),
        ("区市场监管局", "市场监督管理局"),
        ("区政府", "人民政府"),
    ],
)
def test_canonical_names_in_a_district_document(printed, name):
    assert canonical_name(printed, XIALU) == ("下陆区", name)


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("市发改委", "发展和改革委员会"),
        ("鄂州市发展和改革委员会", "发展和改革委员会"),
        ("市场监管局", "市场监督管理局"),  # 市场 is a word, not the 市 prefix
        ("市市场监管局", "市场监督管理局"),
        ("市政局", "市政局"),
        ("市民政局", "民政局"),  # 市 + 民政局, not the word 市民
        ("市民宗局", "民族宗教事务局"),
        ("市民服务中心", "市民服务中心"),
        ("市政务信息公开办", "政务信息公开办"),
        ("市政府金融办", "金融工作办公室"),
        ("市金融办", "金融工作办公室"),
        ("鄂州供电公司", "供电公司"),
        ("葛店开发区管委会", "葛店开发区管委会"),  # a zone, not a place
        ("市“四城”创建办", "四城创建办"),
        ("葛店开发区", "葛店开发区管委会"),  # a bare zone stands for its authority
        ("市委宣传部", "市委宣传部"),
    ],
)
def test_canonical_names_in_a_city_document(printed, name):
    assert canonical_name(printed, EZHOU) == ("鄂州市", name)


def test_governments_of_other_places_belong_to_those_places():
    assert canonical_name("华容区政府", EZHOU) == ("华容区", "人民政府")
    assert canonical_name("梁子湖区人民政府", EZHOU) == ("梁子湖区", "人民政府")
    unit = resolve_unit("贵溪市政府", context("鹰潭市"))
    assert (unit.jurisdiction, unit.district) == ("贵溪市", "贵溪市")


def test_a_place_known_from_its_government_claims_its_other_units():
    assert canonical_name("贵溪市商务局", context("鹰潭市")) == ("鹰潭市", "贵溪市商务局")
    ctx = context("鹰潭市", names=["贵溪市政府"])
    assert ctx.places == frozenset({"贵溪市"})
    assert canonical_name("贵溪市商务局", ctx) == ("贵溪市", "商务局")


def test_a_higher_place_is_not_a_district():
    unit = resolve_unit("黄石市政府", XIALU)
    assert unit.jurisdiction == "黄石市" and unit.district is None


def test_sub_district_offices_are_districts_but_their_collective_is_not():
    assert resolve_unit("东街办(旅游新区)", XIALU).district == "东街办"
    coll = resolve_unit("各街办(新区)", XIALU, collective=True)
    assert coll.kind is NodeKind.COLLECTIVE and coll.district is None
    assert coll.key == "collective:下陆区:各街办"
    assert resolve_unit("区河湖长制成员单位", XIALU, collective=True).name == "河湖长制成员单位"
    assert resolve_unit("区直各部门", XIALU, collective=True).name == "区直各部门"


def test_unknown_jurisdiction_falls_back_to_the_level_prefix():
    ctx = context(None, Level.CITY)
    assert canonical_name("市发改委", ctx) == (None, "发展和改革委员会")
    assert resolve_unit("市发改委", ctx).key == "dept:?:发展和改革委员会"
    scoped = context(None, Level.CITY, scope="?ab12cd34")
    assert resolve_unit("市发改委", scoped).key == "dept:?ab12cd34:发展和改革委员会"
    assert resolve_unit("市发改委", scoped).jurisdiction is None
    assert resolve_unit("余江区政府", ctx).district == "余江区"


def test_strip_qualifiers_and_short_forms():
    assert strip_qualifiers("各区(市)政府") == "各区政府"
    assert strip_qualifiers("区建设局（人防办）") == "区建设局"
    assert expand_short_form("卫健委") == "卫生健康委员会"
    assert expand_short_form("某某中心") == "某某中心"


def test_alias_table_is_decent_and_consistent():
    forms = vocabulary.short_forms()
    assert len(forms) >= 40
    for short, full in forms.items():
        assert len(full) >= len(short), short
        assert full not in forms or forms[full] == full, full  # no chains


def test_places_and_zones():
    assert is_place("华容区") and is_place("贵溪市") and is_place("鄂城区")
    assert not is_place("葛店开发区") and not is_place("高新区") and not is_place("信江新区")


def test_collective_tails():
    assert collective_tails("各街办(新区)") == ("街办",)
    assert collective_tails("各区(市)政府") == ("区政府", "市政府")
    assert collective_tails("各开发区管委会") == ("开发区管委会",)
    assert collective_tails("市政府各部门") == ()
    assert collective_tails("区疫情防控指挥部成员单位") == ()
    assert is_member(("街办",), ["西山街办"])
    assert not is_member(("街办",), ["各街办"])
    assert not is_member(("区政府",), ["区政府"])


def test_every_renaming_resolves_to_a_different_name():
    for old, new in vocabulary.renamings().items():
        assert successor(expand_short_form(old)) == expand_short_form(new) != expand_short_form(old)
    assert successor("环境保护局") == "生态环境局"
    assert successor("发展和改革委员会") is None
