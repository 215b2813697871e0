"""Document metadata: title, issuer, 文号, date, jurisdiction and level, year.

Header fields (发布机构: …, 发布日期: …) win; otherwise the notice's own lines are used
(the heading, the signing body, the date line under it).

>>> m = extract_metadata("鄂州市人民政府办公室关于做好2011年工作的通知\\n鄂州政办发〔2011〕12号\\n", "a.txt", "")
>>> m.title, m.issuer, m.doc_number, m.jurisdiction, m.level.value, m.year
('鄂州市人民政府办公室关于做好2011年工作的通知', '鄂州市人民政府办公室', '鄂州政办发〔2011〕12号', '鄂州市', 'city', 2011)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache

from govkg.loaders.divisions import (
    Division,
    by_name,
    chain,
    division,
    divisions,
    iter_mentions,
    mentions,
    short_name,
    to_simplified,
)
from govkg.loaders.model import Level, Metadata
from govkg.loaders.vocabulary import metadata_vocabulary

_MAX_NAME = 8  # characters looked at before a level suffix for a place name
_HEADER_LINES = 25  # fields, title and 文号 are looked for in the first lines only
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "０": 0}
_CN_NUM = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*(?:年|[-/.])\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*(?:月|[-/.])"
    rf"\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})(?!\d)\s*日?"
)
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_SPACE_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff》〉”)]) +(?=[\u4e00-\u9fff《〈“(])")


def extract_metadata(text: str, source: str, sha256: str, jurisdiction: str | None = None) -> Metadata:
    """Metadata found in the normalised document ``text``; ``jurisdiction`` (黄石市下陆区), when
    given, is used instead of the one the text names (``UnknownJurisdiction`` if it is no division)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    head = lines[:_HEADER_LINES]
    fields = header_fields([to_simplified(ln) for ln in head])  # 發文機關 is 发文机关
    title = fields.get("title") or _heading(head)
    issuer = fields.get("issuer") or _signing_body(lines) or _issuer_in_title(title)
    doc_number = _doc_number(fields.get("doc_number"), head)
    if jurisdiction:
        place = resolve_jurisdiction(jurisdiction)
    else:
        place = find_jurisdiction(text, lines, title, issuer, doc_number)
    name = place.name if place else None
    level = place.level if place and place.level is not Level.UNKNOWN else _level(name, issuer, title, text)
    if issuer and name:
        issuer = _qualify(issuer, name)
    published = parse_date(fields.get("published") or "") or _date_line(lines)
    return Metadata(
        source=source,
        sha256=sha256,
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        published=published,
        jurisdiction=name,
        level=level,
        year=_year(title, text, published),
        division_code=place.code if place else None,
        division_chain=place.chain if place else (),
    )


# -- jurisdiction against the division table -------------------------------------------------


NATIONAL = "全国"  # the jurisdiction of the State Council and its ministries
_LEVELS = {"province": Level.PROVINCE, "city": Level.CITY, "county": Level.COUNTY, "district": Level.DISTRICT}
_BODY_HEAD, _BODY_TAIL = 4000, 1500  # characters of the body searched for division names
_VOTING_SHORT_NAMES = frozenset({"province", "city"})  # a county's short name is too often a word
_LEADING_SPAN = 120  # characters of a line looked at for the names it starts with (a run-on line is the text)
_HEADER_PARAGRAPHS = 6  # lines before the tasks that may name the jurisdiction in running text


@dataclass(frozen=True, slots=True)
class Place:
    """A document's jurisdiction: its name, level, division code and province -> … chain."""

    name: str
    level: Level
    code: str | None = None
    chain: tuple[str, ...] = ()


class UnknownJurisdiction(ValueError):
    """A jurisdiction given by the user that the division table does not have, or has twice."""


def _place(d: Division) -> Place:
    return Place(d.name, _LEVELS[d.level], d.code, tuple(x.name for x in chain(d)))


def resolve_jurisdiction(given: str) -> Place:
    """The division a user names: 黄石市下陆区, 下陆区, 下陆, 全国.

    >>> resolve_jurisdiction("黄石市下陆区").chain, resolve_jurisdiction("下陆").code
    (('湖北省', '黄石市', '下陆区'), '420204')
    """
    name = re.sub(r"\s+", "", to_simplified(given))
    if name == NATIONAL or name in metadata_vocabulary()["national_names"]:
        return Place(NATIONAL, Level.NATIONAL)
    found = mentions(name, short=True)
    if not found or "".join(n for _, n in found) != name:
        near = sorted({d.name for n in _prefixes(name) for d in by_name(n)})[:5] or get_close_matches(
            name, sorted({d.name for d in divisions().values()}), n=5, cutoff=0.6
        )
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownJurisdiction(f"jurisdiction {given!r} is not a province, city, county or district{hint}")
    picked = _innermost([n for _, n in found])
    if len(picked) != 1:
        options = ", ".join(sorted("".join(_place(d).chain[-2:]) for d in picked))
        raise UnknownJurisdiction(f"jurisdiction {given!r} is ambiguous: {options}; name the city too")
    return _place(picked[0])


def _prefixes(name: str) -> list[str]:
    return [name[:k] for k in range(len(name), 1, -1)] + [short_name(name) or ""]


def _innermost(names: list[str], support: Callable[[], Counter[str]] | None = None) -> list[Division]:
    """The deepest divisions that the names ``names`` (outer ones first or not) agree on; among
    namesakes (鼓楼区) those inside the other names, then those with most ``support()`` (asked
    for only when there are namesakes)."""
    candidates = [d for n in names for d in by_name(n)]
    if not candidates:
        return []

    def own(d: Division) -> int:
        inside = {x.name for x in chain(d)} | {x.short for x in chain(d) if x.short}
        return sum(n in inside for n in names)

    owns = {d: own(d) for d in candidates}  # each candidate once, in the order found
    most = max(owns.values())
    candidates = [d for d, k in owns.items() if k == most]
    if len(candidates) == 1:
        return candidates
    votes = support() if support is not None else Counter()

    def agreement(d: Division) -> tuple[int, int]:
        return sum(votes[x.code] for x in chain(d)), len(chain(d))

    best = max(map(agreement, candidates))
    return sorted({d for d in candidates if agreement(d) == best}, key=lambda d: d.code)


def find_jurisdiction(
    text: str, lines: list[str], title: str | None, issuer: str | None, doc_number: str | None
) -> Place | None:
    """The jurisdiction a document is issued by, checked against the division table: from the
    issuer, the place its own lines name (镇海区第十四届人民代表大会), the title, the 文号, the
    signature, the header paragraphs, and last the places the body names most; 全国 for the
    State Council; the place name without a code when the table does not settle it; None when
    nothing names it."""
    own = f"{issuer or ''} {_issuer_in_title(title) or ''}"
    if any(w in own for w in metadata_vocabulary()["national_words"]):
        return Place(NATIONAL, Level.NATIONAL)
    legacy = (
        _place_of(issuer) or _place_of(_issuer_in_title(title)) or _self_named_place(text) or _place_before_year(title)
    )
    long = len(text) > _BODY_HEAD + _BODY_TAIL
    body = text[:_BODY_HEAD] + "\n" + text[-_BODY_TAIL:] if long else text
    votes = cache(lambda: _body_votes(to_simplified(body)))  # the body is scanned only when needed

    def support() -> Counter[str]:
        return votes()[0]

    sources: tuple[Callable[[], list[str]], ...] = (  # asked in turn, until one settles it
        lambda: _leading_names(issuer, short=True),
        lambda: [n for _, n in mentions(to_simplified(legacy or ""))],
        lambda: [n for _, n in mentions(to_simplified(title or ""))] + _leading_names(title, short=True),
        lambda: _leading_names(doc_number, short=True),
        lambda: [n for line in lines[-8:] for n in _leading_names(line)],
    )
    for names in sources:
        picked = _innermost(names(), support)
        if len(picked) == 1:
            return _place(picked[0])
        if picked:  # namesakes that nothing tells apart: the name without a code
            return Place(picked[0].name, _LEVELS[picked[0].level])
    hint = _level(None, issuer, title, text)
    in_header = [n for ln in lines[:_HEADER_PARAGRAPHS] for _, n in mentions(to_simplified(ln)) if len(n) > 2]
    header = _innermost(in_header, support)
    if len(header) == 1:  # 现将黄石市下陆区…: it, or the place around it that the body names more
        named = max(reversed(chain(header[0])), key=lambda d: support()[d.code])
        if hint in (Level.UNKNOWN, _LEVELS[named.level]):
            return _place(named)
    voted = _vote(*votes(), hint)
    if voted:
        return _place(voted)
    return Place(legacy, place_level(legacy)) if legacy else None


def _body_votes(body: str) -> tuple[Counter[str], Counter[str]]:
    """Division code -> mentions in the body: full names, and short names of provinces and
    cities (湖北, 鄂州; a county's short name is too often a word: 新建, 方正). The first
    counter takes a short name said once only when the full name is said too (大同城化 is no
    大同市); the second takes every mention (to back a namesake's city)."""
    full: Counter[str] = Counter()
    short: Counter[str] = Counter()
    for _, name in iter_mentions(body, short=_VOTING_SHORT_NAMES):
        for d in by_name(name):
            if name == d.name and len(name) > 2:  # 城区, 郊区, 佳县 (最佳县) are also words
                full[d.code] += 1
            elif name != d.name and d.level in ("province", "city"):
                short[d.code] += 1
    votes = full + Counter({c: k for c, k in short.items() if k >= 2 or c in full})
    return votes, full + short


def _vote(votes: Counter[str], backing: Counter[str], hint: Level) -> Division | None:
    """The division the body names most; at the level the text speaks of itself (全省, 市政府)
    when it has one, counting the mentions of places inside it (杭州市 votes for 浙江省)."""
    found = [d for c in votes if (d := division(c)) is not None]
    at_level: dict[Division, tuple[int, int]] = {}
    for d in found:
        for outer in chain(d):
            municipal = hint is Level.CITY and outer.level == "province" and outer.name.endswith("市")
            if _LEVELS[outer.level] is hint or municipal:
                seen = at_level.get(outer, (0, 0))
                at_level[outer] = (seen[0] + votes[d.code], seen[1] + backing[d.code] + 2 * (d == outer))
    hinted = bool(at_level)
    if not at_level:  # most named; among equals, the one whose province or city is named too (上海市普陀区)
        at_level = {d: (votes[d.code], sum(backing[a.code] for a in chain(d)[:-1])) for d in found}
    ranked = sorted(at_level.items(), key=lambda kv: kv[1], reverse=True)
    # named once: enough only for the one place of the level that names itself (广州市 once)
    once = ranked[0][1][0] < 2 and (not hinted or len(ranked) > 1 or ranked[0][1][1] < 2) if ranked else True
    if once or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None  # named once among others, or as often as another: not enough to say
    return ranked[0][0]


def _leading_names(s: str | None, short: bool = False) -> list[str]:
    """Division names that ``s`` starts with (湖北省黄石市…, 下陆区政府办); with ``short`` also
    short names before an organ word or at the end (鄂州政办发, 泰州)."""
    s = to_simplified(re.sub(r"\s+", "", (s or "")[:_LEADING_SPAN]))
    out, pos = [], 0
    for start, name in iter_mentions(s, short=short):
        if start != pos:
            break
        end = start + len(name)
        organ = metadata_vocabulary()["after_short_place_name"]
        if not any(d.name == name for d in by_name(name)) and end < len(s) and s[end] not in organ:
            break
        out.append(name)
        pos = end
    return out


def place_level(name: str) -> Level:
    """The level a place name's suffix implies."""
    suffix = next((s for s in _level_suffixes() if name.endswith(s)), None)
    return Level(metadata_vocabulary()["levels"][suffix]) if suffix else Level.UNKNOWN


# -- header fields ---------------------------------------------------------------------------


@cache
def _field_pattern() -> re.Pattern[str]:
    labels = sorted({lab for labs in metadata_vocabulary()["fields"].values() for lab in labs}, key=len, reverse=True)

    def spaced(group: list[str]) -> str:
        return "|".join(r"\s*".join(map(re.escape, lab)) for lab in group)

    # a label of four characters or more also counts right after other text (韶关新闻网发表日期:)
    long, short = [lab for lab in labels if len(lab) >= 4], [lab for lab in labels if len(lab) < 4]
    first = "".join(sorted({re.escape(lab[0]) for lab in labels}))  # looked ahead: the scan skips other characters
    return re.compile(rf"(?=[{first}])((?<![\u4e00-\u9fff])(?:{spaced(short)})|(?:{spaced(long)}))\s*[::]\s*")


def header_fields(lines: list[str]) -> dict[str, str]:
    """Labelled header fields (``发布日期: 2020-06-28``) -> {kind: value}; the first label of a
    kind in the vocabulary's order wins.

    >>> fields = header_fields(["索 引 号: 0001/2020-1 发布日期: 2020-06-28 发布机构: 下陆区政府办公室", "文 号: 文件分类: 综合"])
    >>> sorted(fields.items())
    [('issuer', '下陆区政府办公室'), ('published', '2020-06-28')]
    """
    found: dict[str, str] = {}
    for line in lines:
        if ":" not in line and ":" not in line:  # every label ends in a colon
            continue
        matches = list(_field_pattern().finditer(line))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = _SPACE_IN_CJK.sub("", line[m.end() : end].strip())
            if value:
                found.setdefault(re.sub(r"\s+", "", m.group(1)), value)
    out: dict[str, str] = {}
    for kind, labels in metadata_vocabulary()["fields"].items():
        if kind == "other":
            continue
        for label in labels:
            if label in found:
                out[kind] = found[label]
                break
    return out


def _heading(lines: list[str]) -> str | None:
    """The document heading: a file name in 《…》, or the first short line that is not page furniture."""
    junk = metadata_vocabulary()["junk_title_markers"]
    for i, line in enumerate(lines):
        m = re.search(r"《([^》]+?)\.(?:docx?|pdf|wps|txt)》", line)
        if m:
            return m.group(1)
        if line.startswith(("-", "·", "|")) or any(j in line for j in junk) or _field_pattern().search(line):
            continue
        if len(line) <= 80 and line[-1] not in ",,:;;。" and not _DATE.fullmatch(line):
            return _wrapped_heading(lines[i : i + 4])
    return None


def _wrapped_heading(lines: list[str]) -> str:
    """A heading set over several lines (鄂州市人民政府办公室 / 关于印发…的 / 通 知) joined,
    when a following line ends it with a title word (通知, 意见, 方案 …)."""
    endings = tuple(metadata_vocabulary()["title_endings"])
    joined = ""
    for line in lines:
        joined += _SPACE_IN_CJK.sub("", line)
        if joined.endswith(endings) or len(joined) > 80 or line[-1] in ",,:;;。":
            break
    return joined if joined.endswith(endings) and len(joined) <= 80 else _SPACE_IN_CJK.sub("", lines[0])


def _doc_number(field: str | None, head: list[str]) -> str | None:
    """文号 from its field, else the first one in the header (before the salutation)."""
    if field:
        m = _DOC_NUMBER.search(field)
        return m.group() if m else None
    for line in head:
        if line.endswith((":", ":")):  # 各区人民政府…: starts the body
            break
        m = _DOC_NUMBER.search(line)
        if m:
            return m.group()
    return None


# -- dates and year --------------------------------------------------------------------------


def _cn_number(s: str) -> int:
    """Chinese numerals 二〇一一 -> 2011, 二十八 -> 28; arabic digits as they are."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as ISO ``YYYY-MM-DD``.

    >>> parse_date("二〇一一年二月二十八日"), parse_date("2020年6月28日"), parse_date("时间:2022-06-05 11:39")
    ('2011-02-28', '2020-06-28', '2022-06-05')
    """
    for m in _DATE.finditer(s):
        try:
            y, mo, d = (_cn_number(m.group(k)) for k in ("y", "m", "d"))
        except (KeyError, ValueError):
            continue
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _date_line(lines: list[str]) -> str | None:
    """A line that is only a date (the date under the signature), or the date a report was
    delivered (2021年1月8日在…人民代表大会…上)."""
    for line in lines:
        compact = line.replace(" ", "")
        if len(compact) <= 16 and _DATE.fullmatch(compact):
            return parse_date(compact)
        m = _DATE.match(compact)
        if m and len(compact) <= 60 and "会议" in compact and compact.endswith("上"):
            return parse_date(m.group())
    return None


def _year(title: str | None, text: str, published: str | None) -> int | None:
    """The year the tasks are for: in the title, else ``YYYY年是…`` / ``YYYY年重点工作``,
    else the year mentioned most near the publication date."""
    if title and (m := _YEAR.search(title)):
        return int(m.group(1))
    phrases = "|".join(map(re.escape, metadata_vocabulary()["year_is_phrases"]))
    stated = [int(y) for y in re.findall(rf"((?:19|20)\d{{2}})(?:{phrases})", text)]
    if stated:
        return max(stated)
    years = Counter(int(y) for y in _YEAR.findall(text))
    if published:
        pub = int(published[:4])
        near = Counter({y: n for y, n in years.items() if abs(y - pub) <= 1})
        return near.most_common(1)[0][0] if near else pub
    return years.most_common(1)[0][0] if years else None


# -- issuer, jurisdiction, level -------------------------------------------------------------


def _signing_body(lines: list[str]) -> str | None:
    """A short line ending in a government suffix just above a date line (the signature)."""
    suffixes = tuple(metadata_vocabulary()["government_suffixes"])
    for i, line in enumerate(lines):
        if len(line) <= 16 and _DATE.fullmatch(line.replace(" ", "")):
            for prev in reversed(lines[max(0, i - 2) : i]):
                if len(prev) <= 30 and prev.endswith(suffixes) and not prev.endswith((":", ":")):
                    return prev
    return None


def _issuer_in_title(title: str | None) -> str | None:
    """鄂州市人民政府办公室关于印发… -> 鄂州市人民政府办公室."""
    if not title or "关于" not in title:
        return None
    before = title.split("关于", 1)[0].strip()
    return before if 2 <= len(before) <= 30 else None


@cache
def _level_suffixes() -> tuple[str, ...]:
    return tuple(sorted(metadata_vocabulary()["levels"], key=len, reverse=True))


def _place_of(body: str | None) -> str | None:
    """The most specific place that a government body is named after.

    >>> _place_of("鄂州市政府"), _place_of("湖北省鄂州市人民政府办公室"), _place_of("区政府办")
    ('鄂州市', '鄂州市', None)
    """
    if not body:
        return None
    name = re.sub(r"\s+", "", body)
    for suffix in metadata_vocabulary()["government_suffixes"]:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not name.endswith(_level_suffixes()):
        return None
    return _place_ending_at(name, len(name))


def _place_ending_at(text: str, end: int) -> str | None:
    """The place name whose level suffix ends at ``end`` (镇海区 in …16日镇海区第十四届…)."""
    v = metadata_vocabulary()
    suffix = next((s for s in _level_suffixes() if text.startswith(s, end - len(s))), None)
    if suffix is None:
        return None
    start = end - len(suffix)
    i = start
    while i > 0 and start - i < _MAX_NAME and _is_name_char(text[i - 1]):
        i -= 1
    name = text[i:start]
    bounded = i == 0 or not _is_name_char(text[i - 1])
    # a nested place (湖北省鄂州市): keep the innermost part
    cuts = [name.rfind(s) + len(s) for s in _level_suffixes() if name.rfind(s) > 0]
    cut = max((c for c in cuts if len(name) - c >= 2), default=0)
    name, bounded = name[cut:], bounded or cut > 0
    # words that cannot be part of a name (执行, 关于 …): keep what follows the last one
    cut = max((name.rfind(w) + len(w) for w in v["name_stop_words"] if w in name), default=0)
    name, bounded = name[cut:], bounded or cut > 0
    if len(name) > 2 and name.startswith(tuple(v["name_stop_prefixes"])):  # 各区 but 本溪市
        name = name[1:]
    if not bounded and len(name) > 3:
        name = name[-2:]  # no boundary in sight: most place names have two characters
    return name + suffix if len(name) >= 2 else None


def _is_name_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" and c not in metadata_vocabulary()["name_stop_chars"]


def _self_named_place(text: str) -> str | None:
    """The place a report names itself by: 镇海区第十四届人民代表大会, 镇海区区长."""
    after = "|".join(map(re.escape, metadata_vocabulary()["self_reference_after_place"]))
    suffixes = "|".join(map(re.escape, _level_suffixes()))
    found = Counter()
    for m in re.finditer(rf"(?:{suffixes})(?=(?:{after})(?:[一二三四五六七八九十]+届)?)", text):
        if text.startswith("第", m.end()) and not re.match(r"第[一二三四五六七八九十]+届", text[m.end() :]):
            continue
        place = _place_ending_at(text, m.end())
        if place:
            found[place] += 1
    return found.most_common(1)[0][0] if found else None


def _place_before_year(title: str | None) -> str | None:
    """The place a title starts with, right before a year: 宜昌市2023年重点工作… -> 宜昌市.

    >>> _place_before_year("湖北省宜昌市2023年政府工作报告重点工作分解"), _place_before_year("2023年重点工作")
    ('宜昌市', None)
    """
    m = re.match(r"\s*([\u4e00-\u9fff]{2,12}?)(?=(?:\d{4}|[〇一二三四五六七八九零]{4})年)", title or "")
    if not m or not m.group(1).endswith(_level_suffixes()):
        return None
    return _place_ending_at(m.group(1), len(m.group(1)))


def _level(jurisdiction: str | None, issuer: str | None, title: str | None, text: str) -> Level:
    v = metadata_vocabulary()
    if jurisdiction:
        suffix = next(s for s in _level_suffixes() if jurisdiction.endswith(s))
        return Level(v["levels"][suffix])
    own = f"{issuer or ''} {_issuer_in_title(title) or ''}"
    if any(w in own for w in v["national_words"]):
        return Level.NATIONAL
    if "县级市" in text:
        return Level.COUNTY
    counts = {level: sum(text.count(w) for w in words) for level, words in v["self_words"].items()}
    best = max(counts, key=counts.get)
    return Level(best) if counts[best] else Level.UNKNOWN


def _qualify(issuer: str, jurisdiction: str) -> str:
    """区政府办 -> 镇海区政府办 when the issuer names only the level."""
    suffix = next((s for s in _level_suffixes() if jurisdiction.endswith(s)), "")
    if suffix and issuer.startswith(suffix) and not issuer.startswith(jurisdiction):
        return jurisdiction + issuer[len(suffix) :]
    return issuer
