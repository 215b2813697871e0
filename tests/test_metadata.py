"""metadata.extract_metadata on the five seeds and on synthetic notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.loaders.metadata import extract_metadata, header_fields, parse_date
from govkg.loaders.model import Level
from govkg.loaders.normalize import normalize

# source prefix -> (title, issuer, doc_number, published, jurisdiction, level, year)
SEEDS = {
    "000": (
        "市政府办公室关于印发《市六届人大五次会议〈政府工作报告〉主要工作目标分解落实意见》的通知",
        "鄂州市政府",
        "鄂州政办发〔2011〕12号",
        "2011-03-13",
        "鄂州市",
        Level.CITY,
        2011,
    ),
    "001": (
        "区人民政府办公室关于印发2020年区政府重点工作责任分解的通知",
        "下陆区政府办公室",
        None,
        "2020-06-28",
        "下陆区",
        Level.DISTRICT,
        2020,
    ),
    "002": ("关于开展新型政府建设活动的实施方案", None, None, None, "鹰潭市", Level.CITY, 2023),
    "003": ("2013年政府工作报告(摘要)", "镇海区政府办", None, "2013-01-15", "镇海区", Level.DISTRICT, 2013),
    "004": ("市政办政府工作提升增效意见", None, None, "2022-06-05", None, Level.CITY, 2022),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_metadata(shared_dir: Path, prefix: str) -> None:
    path = next((shared_dir / "seeds").glob(f"{prefix}_*.txt"))
    m = extract_metadata(normalize(path.read_text(encoding="utf-8")), path.name, "abc")
    got = (m.title, m.issuer, m.doc_number, m.published, m.jurisdiction, m.level, m.year)
    assert got == SEEDS[prefix]
    assert (m.source, m.sha256) == (path.name, "abc")


def test_seed_metadata_through_load_document(shared_dir: Path) -> None:
    from govkg.loaders import load_document

    doc = load_document(next((shared_dir / "seeds").glob("000_*.txt")))
    assert (doc.metadata.jurisdiction, doc.metadata.year, doc.metadata.doc_number) == (
        "鄂州市",
        2011,
        "鄂州政办发〔2011〕12号",
    )
    assert len(doc.metadata.sha256) == 64


NOTICE = """湖北省黄石市人民政府办公室关于印发2019年市政府重点工作分工方案的通知
黄石政办发[2019]8号
各县(市、区)人民政府,市政府各部门:
现将《2019年市政府重点工作分工方案》印发给你们,请认真贯彻执行。
黄石市人民政府办公室
二〇一九年三月五日
"""


def test_notice_without_header_fields() -> None:
    m = extract_metadata(NOTICE, "n.txt", "")
    assert m.title == "湖北省黄石市人民政府办公室关于印发2019年市政府重点工作分工方案的通知"
    assert m.issuer == "黄石市人民政府办公室"  # the signing body
    assert m.doc_number == "黄石政办发[2019]8号"
    assert m.published == "2019-03-05"
    assert (m.jurisdiction, m.level, m.year) == ("黄石市", Level.CITY, 2019)


def test_heading_set_over_several_lines() -> None:
    text = "黄石市人民政府办公室\n关于印发2019年重点工作分工方案的\n通 知\n黄石政办发〔2019〕8号\n各县人民政府:\n"
    m = extract_metadata(text, "n.txt", "")
    assert m.title == "黄石市人民政府办公室关于印发2019年重点工作分工方案的通知"
    assert (m.issuer, m.jurisdiction, m.doc_number) == ("黄石市人民政府办公室", "黄石市", "黄石政办发〔2019〕8号")


def test_county_report_named_by_its_congress() -> None:
    text = (
        "政府工作报告\n2021年1月8日在长兴县第十七届人民代表大会第五次会议上\n县长 某某\n"
        "过去一年,全县上下……\n2021年是“十四五”开局之年。\n"
    )
    m = extract_metadata(text, "r.txt", "")
    assert (m.jurisdiction, m.level, m.year, m.published) == ("长兴县", Level.COUNTY, 2021, "2021-01-08")


def test_national_and_bare_district_levels() -> None:
    national = extract_metadata("国务院办公厅关于印发2020年重点工作分工的通知\n各省人民政府:\n", "g.txt", "")
    assert national.level is Level.NATIONAL
    assert national.issuer == "国务院办公厅"
    district = extract_metadata("重点工作责任分解\n各街道、区政府各部门:\n全区要…区政府将…\n", "d.txt", "")
    assert (district.jurisdiction, district.level) == (None, Level.DISTRICT)


def test_issuer_naming_only_the_level_is_qualified() -> None:
    text = "2022年政府工作报告\n信息来源:县政府办 发布日期:2022-01-20\n在安吉县第九届人民代表大会上\n"
    m = extract_metadata(text, "a.txt", "")
    assert (m.issuer, m.jurisdiction, m.published) == ("安吉县政府办", "安吉县", "2022-01-20")


def test_header_fields_with_spaced_labels() -> None:
    fields = header_fields(["索  引  号: 011/2011-1 文      号: 鄂州政办发〔2011〕12号", "发布机构 : 鄂州市政府"])
    assert fields == {"doc_number": "鄂州政办发〔2011〕12号", "issuer": "鄂州市政府"}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇一一年二月二十八日", "2011-02-28"),
        ("二○二○年十二月三十一日", "2020-12-31"),
        ("2020年6月28日", "2020-06-28"),
        ("2011年03月13日", "2011-03-13"),
        ("发布日期:2020-06-28", "2020-06-28"),
        ("2022/6/5", "2022-06-05"),
        ("2020年13月1日", None),
        ("十二五时期", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso
