"""China's administrative divisions (province, city, county level) with their codes.

The table is the one the ``cpca`` package ships (``cpca/resources/adcodes.csv``, 12-digit
statistical codes); it is read as data, without importing ``cpca`` (which needs pandas).

>>> d = division("420204")
>>> d.name, d.level, [p.name for p in chain(d)]
('下陆区', 'district', ['湖北省', '黄石市', '下陆区'])
>>> [x.code for x in by_name("下陆")]
['420204']
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick_rs

from govkg.loaders.script import holds_any

# rows of the table that are groupings, not divisions
_GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_SUFFIXES = "特别行政区|自治区|自治州|自治县|自治旗|林区|省|市|区|县|旗|盟|州"


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: 6-digit code, official name, level and its short name."""

    code: str  # 6 digits, e.g. 420204
    name: str  # 下陆区
    level: str  # province | city | county | district
    short: str | None  # 下陆; None when the name without its suffix is too short to stand alone


def _package_file(package: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing it (zhconv's import goes
    through pkg_resources, which warns about namespace packages such as ``govkg``)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _resource(name: str) -> Path:
    return _package_file("cpca", "resources", name)


@cache
def _short_pattern() -> re.Pattern[str]:
    """A level suffix, with the ethnic groups of an autonomous division before it (cpca's list)."""
    groups = [ln.strip() for ln in _resource("56_nations.csv").read_text(encoding="utf-8").splitlines()]
    alts = "|".join(sorted({g for g in groups if g} | {g[:-1] for g in groups if len(g) > 2}, key=len, reverse=True))
    return re.compile(rf"(?:(?:{alts})+族?)*(?:{_SUFFIXES})$")


def short_name(name: str) -> str | None:
    """The name without its level suffix, if two characters or more remain.

    >>> short_name("恩施土家族苗族自治州"), short_name("黄石市"), short_name("城区")
    ('恩施', '黄石', None)
    """
    for pattern in (_short_pattern(), re.compile(f"(?:{_SUFFIXES})$")):  # 内蒙古自治区 keeps 蒙古
        stem = pattern.sub("", name, count=1)
        if len(stem) >= 2 and stem != name:
            return stem
    return None


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if name.endswith("区") and not name.endswith("林区") else "county"


@cache
def divisions() -> dict[str, Division]:
    """Every division by its 6-digit code."""
    out: dict[str, Division] = {}
    with _resource("adcodes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name"].strip()
            if name in _GROUPINGS:
                continue
            code = row["adcode"][:6]
            out[code] = Division(code, name, _level(code, name), short_name(name))
    return out


def division(code: str) -> Division | None:
    """The division with a 6- (or 12-) digit code."""
    return divisions().get(code[:6])


def parent(d: Division) -> Division | None:
    """The division ``d`` lies in (a county's city, else its province)."""
    if d.level == "province":
        return None
    table = divisions()
    if d.level in ("county", "district") and (city := table.get(d.code[:4] + "00")):
        return city
    return table.get(d.code[:2] + "0000")


def chain(d: Division) -> tuple[Division, ...]:
    """Province -> city -> county, ending with ``d``."""
    out = [d]
    while (p := parent(out[-1])) is not None:
        out.append(p)
    return tuple(reversed(out))


def within(d: Division, outer: Division) -> bool:
    """Whether ``d`` is ``outer`` or lies inside it."""
    return outer in chain(d)


@cache
def _names() -> dict[str, tuple[Division, ...]]:
    found: dict[str, list[Division]] = {}
    for d in divisions().values():
        found.setdefault(d.name, []).append(d)
        if d.short:
            found.setdefault(d.short, []).append(d)
    return {k: tuple(v) for k, v in found.items()}


def by_name(name: str) -> tuple[Division, ...]:
    """Divisions whose full or short name is ``name`` (several for 鼓楼区, 朝阳区 …)."""
    return _names().get(name, ())


@dataclass(frozen=True, slots=True)
class _Matcher:
    """An Aho-Corasick automaton over division names (leftmost-longest) and its names."""

    automaton: ahocorasick_rs.AhoCorasick
    names: tuple[str, ...]


@cache
def _automaton(short: bool | frozenset[str]) -> _Matcher:
    names: dict[str, None] = {}
    for d in divisions().values():
        with_short = short is True or (bool(short) and d.level in short)
        for name in (d.name, d.short) if with_short else (d.name,):
            if name:
                names[name] = None
    found = tuple(names)
    return _Matcher(ahocorasick_rs.AhoCorasick(found, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), found)


def mentions(text: str, short: bool | frozenset[str] = False) -> list[tuple[int, str]]:
    """Division names in ``text`` as ``(start, name)``, leftmost-longest and not overlapping
    (长沙市区 gives 长沙市, not 沙市区); short names (黄石, 下陆) when ``short`` is True, or
    those of the levels in it (``frozenset({"province", "city"})``).

    >>> mentions("湖北省黄石市下陆区人民政府"), mentions("长沙市区域")
    ([(0, '湖北省'), (3, '黄石市'), (6, '下陆区')], [(0, '长沙市')])
    >>> mentions("黄石下陆", short=frozenset({"city"}))
    [(0, '黄石')]
    """
    return list(iter_mentions(text, short))


def iter_mentions(text: str, short: bool | frozenset[str] = False) -> Iterator[tuple[int, str]]:
    """``mentions`` one at a time, for callers that stop at the first gap."""
    if text:
        matcher = _automaton(short)
        for i, start, _ in matcher.automaton.find_matches_as_indexes(text):
            yield start, matcher.names[i]


@cache
def _simplified_table() -> dict[int, str]:
    """zhconv's character conversions to simplified, less those of characters that division
    names use as they are (乾 in 乾县 is not 干)."""
    kept = {c for d in divisions().values() for c in d.name}
    tables = json.loads(_package_file("zhconv", "zhcdict.json").read_text(encoding="utf-8"))
    zh_cn = tables["zh2Hans"] | tables["zh2CN"]  # what zhconv's getdict("zh-cn") holds
    return {ord(k): v for k, v in zh_cn.items() if len(k) == 1 and k != v and k not in kept}


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones, character by character (廣州市 -> 广州市), for
    matching names.

    >>> to_simplified("廣州市黃岡市鄭州市管城回族區乾縣")
    '广州市黄冈市郑州市管城回族区乾县'
    """
    if not text or not _converted()(text):
        return text
    return text.translate(_simplified_table())


@cache
def _converted() -> Callable[[str], bool]:
    return holds_any(map(chr, _simplified_table()))
