"""Quantitative targets (地区生产总值年均增长13%以上 -> >= 13 %) in a piece of text.

A target is an indicator, a measure word (增长, 控制在, 突破 …), a number with its unit and an
optional comparator (以上, 以内, 左右 …). Reported results are not targets: numbers in a
review of past work (a 回顾 section, a 初步统计 paragraph) are skipped unless the sentence
itself states a goal (力争, 确保, 预期目标 …).

>>> [(t.indicator, t.measure, t.value, t.unit, t.comparator) for t in find_targets("城镇登记失业率控制在4.5%以内")]
[('城镇登记失业率', '控制在', 4.5, '%', '<=')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from govkg.loaders.model import Span, Target
from govkg.loaders.structure import cn_value
from govkg.loaders.vocabulary import target_vocabulary

_BREAKS = ",,;;。::!!??\t()()“”\""
_CLAUSE_BREAK = re.compile(f"[{re.escape(_BREAKS)}]")
_CLAUSE_END = re.compile(f"[{re.escape(_BREAKS)}、 \u3000]")  # a break, an enumeration comma or a space
_COUNTED_NOUN_MAX = 15
_SENTENCE_BREAK = re.compile(r"[。;;!!??]")
_SOFT_WRAP_MIN = 15  # a line this long ending mid-word continues on the next line
_CJK = re.compile(r"[\u3400-\u9fff]")
_YEAR = re.compile(r"(?:到|至)?(\d{4})年(?:底|末)?")
_MAY_HOLD_NUMBER = re.compile(r"\d|百分之")  # what every ``_Vocab.number`` match starts with
_FIVE_YEAR_PLAN = re.compile(r"十[一二三四五六七八九]五")
_CN_NUMERALS = "零〇一二两三四五六七八九十百点"
_NUMBERING = re.compile(r"^\s*(?:[(（]?[0-9一二三四五六七八九十]+[)）]|[0-9]+[、.．]|[一二三四五六七八九十]+、)")


@dataclass(frozen=True, slots=True)
class _Vocab:
    number: re.Pattern[str]
    measures: Mapping[str, str]
    measure_pattern: re.Pattern[str]
    exclusions: tuple[str, ...]
    prefixes: Mapping[str, str]
    suffixes: Mapping[str, str]
    linking: tuple[str, ...]
    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    list_words: tuple[str, ...]
    goal: tuple[str, ...]
    goal_list: tuple[str, ...]
    result: tuple[str, ...]
    review_headings: tuple[str, ...]
    review_end: tuple[str, ...]
    periods: tuple[str, ...]
    count_verbs: tuple[str, ...]
    count_verb_pattern: re.Pattern[str]
    count_excluded: frozenset[str]


def _alternation(words) -> str:  # noqa: ANN001
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _vocab() -> _Vocab:
    t = target_vocabulary()
    number = re.compile(
        rf"(?:(?<![\d.．\-—~～])(?P<num>\d+(?:[.．]\d+)?)"
        rf"(?P<unit>(?:{_alternation(t['magnitudes'])})?(?:{_alternation(t['units'])}))"
        rf"|百分之(?P<cn>[{_CN_NUMERALS}]+))"  # 百分之三点五
        rf"(?P<suf>{_alternation(t['comparator_suffixes'])})?"
    )
    return _Vocab(
        number=number,
        measures=t["measures"],
        measure_pattern=re.compile(_alternation(t["measures"])),
        exclusions=tuple(t["measure_exclusions"]),
        prefixes=t["comparator_prefixes"],
        suffixes=t["comparator_suffixes"],
        linking=tuple(sorted(t["linking_words"], key=len, reverse=True)),
        leading=tuple(sorted(t["indicator_leading_fillers"], key=len, reverse=True)),
        trailing=tuple(sorted(t["indicator_trailing_fillers"], key=len, reverse=True)),
        list_words=tuple(t["list_words"]),
        goal=tuple(t["goal_markers"]),
        goal_list=tuple(t["goal_list_markers"]),
        result=tuple(t["result_markers"]),
        review_headings=tuple(t["review_headings"]),
        review_end=tuple(t["review_end_markers"]),
        periods=tuple(t["periods"]),
        count_verbs=tuple(sorted(t["count_verbs"], key=len, reverse=True)),
        count_verb_pattern=re.compile(_alternation(t["count_verbs"])),
        count_excluded=frozenset(t["count_units_excluded"]),
    )


def find_targets(text: str, offset: int = 0) -> tuple[Target, ...]:
    """Targets stated in ``text`` (reported results are not targets).

    Spans are shifted by ``offset`` so that they index into the document text.

    >>> [t.comparator for t in find_targets("增长10%左右,突破4000亿元")]  # no indicator: skipped
    []
    >>> t = find_targets("社会消费品零售总额突破4000亿元")[0]
    >>> (t.indicator, t.value, t.unit, t.comparator)
    ('社会消费品零售总额', 4000.0, '亿元', '>=')
    """
    out: list[Target] = []
    if not _MAY_HOLD_NUMBER.search(text):
        return ()
    for start, end, review in _paragraphs(text):
        if not _MAY_HOLD_NUMBER.search(text, start, end):
            continue
        for s_start, s_end in _sentences(text, start, end):
            out.extend(_sentence_targets(text, (start, s_start, s_end), review, offset))
    return tuple(out)


def _paragraphs(text: str) -> Iterator[tuple[int, int, bool]]:
    """Line ranges, flagged True inside review sections (回顾 … up to the next year's goals)
    and in paragraphs that report results (初步统计 …)."""
    v = _vocab()
    review_year = None
    in_review = False
    for start, end in _logical_lines(text):
        body = text[start:end].strip()
        if not body:
            continue
        if in_review and _ends_review(body, review_year):
            in_review = False
        if not in_review and _is_review_heading(body):
            in_review = True
            years = [int(y) for y in _YEAR.findall(body)]
            review_year = max(years) if years else None
        yield start, end, in_review or any(m in body for m in v.result)


def _logical_lines(text: str) -> Iterator[tuple[int, int]]:
    """Line ranges, a line cut mid-word (垃圾分\\n类覆盖率) joined to the next one."""
    start = pos = 0
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        pos += len(line)
        body = line.rstrip()
        following = lines[i + 1] if i + 1 < len(lines) else ""
        wrapped = (
            len(body.strip()) >= _SOFT_WRAP_MIN
            and _CJK.match(body[-1:])
            and _CJK.match(following[:1])
            and not _NUMBERING.match(following)
        )
        if not wrapped:
            yield start, pos
            start = pos


def _is_review_heading(line: str) -> bool:
    v = _vocab()
    short_heading = len(line) <= 30 and any(h in line for h in v.review_headings)
    return short_heading or line.startswith(v.review_headings)


def _ends_review(line: str, review_year: int | None) -> bool:
    if any(m in line for m in _vocab().review_end):
        return True
    years = [int(y) for y in _YEAR.findall(line[:12])]
    return review_year is not None and any(y > review_year for y in years)


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    s = start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        if m.start() > s:
            yield s, m.start()
        s = m.end()
    if end > s:
        yield s, end


def _lists_goals(text: str, start: int, end: int) -> bool:
    return any(w in text[start:end] for w in _vocab().goal_list)


def _sentence_targets(
    text: str, bounds: tuple[int, int, int], review: bool, offset: int
) -> Iterator[Target]:
    """Targets of the sentence ``text[start:end]`` of the paragraph that starts at ``paragraph``."""
    v = _vocab()
    paragraph, start, end = bounds
    sentence = text[start:end]
    if review and not any(m in sentence for m in v.goal):
        return  # a reported result

    def goals() -> bool:  # looked at for a bare number without a comparator only
        return _lists_goals(text, paragraph, end)

    previous: str | None = None
    previous_measure: tuple[str, str] | None = None  # (measure, comparator)
    floor = start
    for m in v.number.finditer(text, start, end):
        clause_start = max(_clause_start(text, floor, m.start()), floor)
        floor = m.end()
        found = (
            _parse(text, clause_start, m, previous)
            or _continuation(text, clause_start, m, previous_measure)
            or _bare(text, clause_start, m, goals)
            or _counted(text, clause_start, m)
        )
        if found is None:
            continue
        indicators, measure, comparator, ind_start, *rest = found
        target_end = rest[0] if rest else m.end()
        floor = max(floor, target_end)
        previous, previous_measure = indicators[-1], (measure, comparator)
        period = _period(text[paragraph : m.start()], measure)
        span = Span(offset + ind_start, offset + target_end)
        for indicator in indicators:
            yield Target(
                text[ind_start:target_end], indicator, measure, _value(m), _unit(m), comparator, period, span
            )


def _value(m: re.Match[str]) -> float:
    """The number of a match: 4.5, or a Chinese numeral (三点五 -> 3.5)."""
    if m.group("cn") is None:
        return float(m.group("num").replace("．", "."))
    whole, _, decimals = m.group("cn").replace("两", "二").partition("点")
    digits = "".join(str(cn_value(c)) for c in decimals)
    return cn_value(whole) + (float("0." + digits) if digits else 0.0)


def _unit(m: re.Match[str]) -> str:
    return "%" if m.group("cn") is not None or m.group("unit") == "%" else m.group("unit")


def _counted(text: str, start: int, m: re.Match[str]):  # noqa: ANN202
    """A count of things to build or do: 实施100个以上节能项目 (the verb right before the
    count, the counted noun after it, up to the clause end) or 实施重点项目300个 (the
    noun between the verb and a count that ends the clause).

    完成港区161个储罐整治 is not a target: the verb does not touch the number.
    """
    v = _vocab()
    if m.group("cn") is not None or m.group("unit") in v.count_excluded:
        return None
    segment = _strip(text[start : m.start()], (), v.linking)
    if _ends_clause(text, m.end()):
        return _verb_noun_count(segment, start, m)
    verb = next((w for w in v.count_verbs if segment.endswith(w)), None)
    limit = m.end() + _COUNTED_NOUN_MAX + 1  # a longer noun is no count: no need to look further
    clause_end = _CLAUSE_END.search(text, m.end(), limit)
    end = clause_end.start() if clause_end else min(limit, len(text))
    noun = text[m.end() : end]
    if verb is None or not 2 <= len(noun) <= _COUNTED_NOUN_MAX or not _CJK.match(noun) or v.measure_pattern.search(noun):
        return None
    comparator = v.suffixes[m.group("suf")] if m.group("suf") else "="
    return (re.sub(r"\s+", "", noun),), verb, comparator, start + segment.rindex(verb), end


def _verb_before(segment: str, pos: int) -> re.Match[str] | None:
    """The measure word that ends exactly at ``pos`` in ``segment``, if any."""
    found = None
    for mm in _vocab().measure_pattern.finditer(segment, 0, pos):
        if mm.end() == pos:
            found = mm
    return found


def _continuation(text: str, start: int, m: re.Match[str], previous: tuple[str, str] | None):  # noqa: ANN202
    """完成投资70亿元、技改投资27亿元以上: the second item reuses the first one's measure
    and comparator (``previous``)."""
    v = _vocab()
    segment = text[start : m.start()]
    if previous is None or not segment.startswith(v.list_words) or not _ends_clause(text, m.end()):
        return None
    indicator = _strip(segment, v.list_words + v.linking, v.linking)
    if not 2 <= len(indicator) <= 20 or v.measure_pattern.search(indicator):
        return None
    measure, comparator = previous
    if m.group("suf"):
        comparator = v.suffixes[m.group("suf")]
    return (indicator,), measure, comparator, start + segment.index(indicator)


def _clause_start(text: str, floor: int, pos: int) -> int:
    ends = [m.end() for m in _CLAUSE_BREAK.finditer(text, floor, pos)]
    return ends[-1] if ends else floor


def _parse(text: str, start: int, m: re.Match[str], previous: str | None):  # noqa: ANN202
    """(indicators, measure, comparator, indicator start) for the number ``m``, or None."""
    v = _vocab()
    segment = text[start : m.start()]
    measure_match = _last_measure(segment)
    if measure_match is None:
        return None
    measure = measure_match.group()
    comparator = v.measures[measure]
    verb = _verb_before(segment, measure_match.start()) if measure in v.prefixes else None
    if verb is not None:  # 增长不低于8%: the verb is the measure, 不低于 the comparator
        comparator, measure_match = v.prefixes[measure], verb
        measure = verb.group()
    between = segment[measure_match.end() :]
    between, prefix_cmp = _strip_prefix_comparator(between)
    comparator = prefix_cmp or comparator
    if m.group("suf"):
        comparator = v.suffixes[m.group("suf")]
    between = _strip(between, v.linking, v.linking)
    if between:  # verb + object: 实现旅游直接收入4.8亿元 (the number ends the clause)
        subject = _strip(_NUMBERING.sub("", segment[: measure_match.start()]), v.leading, v.trailing)
        indicator = f"{subject}{measure}{between}" if subject else between  # 城镇新增就业
        ind_start = start + (segment.rindex(subject) if subject else measure_match.start())
        if len(indicator) > 20 or not _ends_clause(text, m.end()):
            return None
    else:  # subject + verb: 地区生产总值年均增长13%
        raw = segment[: measure_match.start()]
        indicator = _strip_period(_strip(_NUMBERING.sub("", raw), v.leading, v.trailing))
        if not indicator:
            if previous is None:
                return None
            indicator, ind_start = previous, start + measure_match.start()
        else:
            ind_start = start + raw.rindex(indicator)
        if not 2 <= len(indicator) <= 30:
            return None
    indicator = re.sub(r"\s+", "", indicator)
    each = segment[: measure_match.start()].endswith(("分别", "均", "都"))
    indicators = _split_list(indicator) if each else (indicator,)
    return indicators, measure, comparator, ind_start


def _last_measure(segment: str) -> re.Match[str] | None:
    """The last measure word of ``segment`` that is not part of a longer noun (增加值)."""
    v = _vocab()
    found = None
    for mm in v.measure_pattern.finditer(segment):
        if not segment.startswith(v.exclusions, mm.start()) and not _excluded_inside(segment, mm):
            found = mm
    return found


def _bare(text: str, start: int, m: re.Match[str], goal: Callable[[], bool]):  # noqa: ANN202
    """城镇调查失业率5.5%左右: no measure word, but a comparator, or a goal list (``goal()``:
    the paragraph says 预期目标 …)."""
    v = _vocab()
    if not _ends_clause(text, m.end()) or not (m.group("suf") or goal()):
        return None
    segment = text[start : m.start()]
    indicator = _strip_period(_strip(_NUMBERING.sub("", segment), v.leading, v.trailing))
    if not 2 <= len(indicator) <= 20 or not _CJK.search(indicator) or _last_measure(segment):
        return None
    comparator = v.suffixes[m.group("suf")] if m.group("suf") else "="
    return (re.sub(r"\s+", "", indicator),), "", comparator, start + segment.rindex(indicator)


def _ends_clause(text: str, pos: int) -> bool:
    return pos >= len(text) or _CLAUSE_END.match(text, pos) is not None


def _excluded_inside(segment: str, mm: re.Match[str]) -> bool:
    """True when the measure word is the tail part of an excluded word (…增加值)."""
    for word in _vocab().exclusions:
        i = segment.find(word, max(0, mm.start() - len(word) + 1), mm.end() + len(word))
        if i != -1 and i <= mm.start() < i + len(word):
            return True
    return False


def _strip_prefix_comparator(between: str) -> tuple[str, str | None]:
    for word, cmp in _vocab().prefixes.items():
        i = between.find(word)
        if i != -1 and not between[i + len(word) :].strip():
            return between[:i], cmp
    return between, None


def _strip(s: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    s = s.strip(" \u3000、")
    changed = True
    while changed and s:
        changed = False
        for w in leading:
            if s.startswith(w) and len(s) > len(w):
                s, changed = s[len(w) :].strip(" \u3000、"), True
        for w in trailing:
            if s.endswith(w) and len(s) > len(w):
                s, changed = s[: -len(w)].strip(" \u3000、"), True
    return "" if s in leading or s in trailing else s


def _strip_period(s: str) -> str:
    """Drop a leading period phrase: 到2015年, 2013年, “十二五”期间."""
    s = re.sub(r"^(?:(?:到|至)?\d{4}年(?:底|末)?|十[一二三四五六七八九]五(?:时期|期间|末)?)", "", s)
    return _strip(s, _vocab().leading, _vocab().trailing)


def _split_list(indicator: str) -> tuple[str, ...]:
    """营业额和对外投资额 (分别增长10%) -> two indicators."""
    v = _vocab()
    pattern = "|".join(re.escape(w) for w in v.list_words)
    parts = [p for p in re.split(pattern, indicator) if p]
    return tuple(parts) if len(parts) > 1 else (indicator,)


def _period(before: str, measure: str) -> str | None:
    """The period stated before the target in its paragraph (十二五, 2013年, 年均, 全年 …)."""
    plans = _FIVE_YEAR_PLAN.findall(before)
    years = _YEAR.findall(before)
    if plans:
        return plans[-1]
    if years:
        return f"{years[-1]}年"
    if "年均" in measure or "年均" in before[-8:]:
        return "年均"
    for word in _vocab().periods:
        if word in before:
            return word
    return None


def _verb_noun_count(segment: str, start: int, m: re.Match[str]):  # noqa: ANN202
    """实施市级重点项目300个: the first count verb of the clause, the noun after it."""
    v = _vocab()
    found = v.count_verb_pattern.search(segment)  # the leftmost verb, the longest there
    if found is None:
        return None
    noun = segment[found.end() :]
    if 2 <= len(noun) <= 15 and _CJK.search(noun) and not v.measure_pattern.search(noun):
        comparator = v.suffixes[m.group("suf")] if m.group("suf") else "="
        return (re.sub(r"\s+", "", noun),), found.group(), comparator, start + found.start()
    return None
