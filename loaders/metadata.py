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
from functools import cache

from loaders.model import Level, Metadata
from loaders.vocabulary import metadata_vocabulary

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


def extract_metadata(text: str, source: str, sha256: str) -> Metadata:
    """Metadata found in the normalised document ``text``."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    head = lines[:_HEADER_LINES]
    fields = header_fields(head)
    title = fields.get("title") or _heading(head)
    issuer = fields.get("issuer") or _signing_body(lines) or _issuer_in_title(title)
    jurisdiction = (
        _place_of(issuer)
        or _place_of(_issuer_in_title(title))
        or _self_named_place(text)
        or _place_before_year(title)
    )
    level = _level(jurisdiction, issuer, title, text)
    if issuer and jurisdiction:
        issuer = _qualify(issuer, jurisdiction)
    published = parse_date(fields.get("published") or "") or _date_line(lines)
    return Metadata(
        source=source,
        sha256=sha256,
        title=title,
        issuer=issuer,
        doc_number=_doc_number(fields.get("doc_number"), head),
        published=published,
        jurisdiction=jurisdiction,
        level=level,
        year=_year(title, text, published),
    )


# -- header fields ---------------------------------------------------------------------------


@cache
def _field_pattern() -> re.Pattern[str]:
    labels = {lab for labs in metadata_vocabulary()["fields"].values() for lab in labs}
    spaced = (r"\s*".join(map(re.escape, lab)) for lab in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<![\u4e00-\u9fff])({'|'.join(spaced)})\s*[::]\s*")


def header_fields(lines: list[str]) -> dict[str, str]:
    """Labelled header fields (``发布日期: 2020-06-28``) -> {kind: value}; the first label of a
    kind in the vocabulary's order wins.

    >>> fields = header_fields(["索 引 号: 0001/2020-1 发布日期: 2020-06-28 发布机构: 下陆区政府办公室", "文 号: 文件分类: 综合"])
    >>> sorted(fields.items())
    [('issuer', '下陆区政府办公室'), ('published', '2020-06-28')]
    """
    found: dict[str, str] = {}
    for line in lines:
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
