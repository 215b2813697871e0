"""Unit lists (市发改委、统筹办及各区政府等) -> unit names with spans.

Lists split on 、 , ; and on 及 / 和 / 与 / 等 only where the left part already ends like a
unit (so 区政务服务和大数据管理局 stays whole). A jurisdiction prefix stated once on the first
item is restored on later bare items when the document writes lists that way.

>>> [p.text for p in split_units("市发改委、统筹办及各区政府等", 0)]
['市发改委', '统筹办', '各区政府']
>>> [u.name for u in unit_mentions(split_units("市发改委、统筹办", 0), Role.RESPONSIBLE)]
['市发改委', '市统筹办']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from govkg.loaders.model import Role, Span, UnitMention
from govkg.loaders.pos import is_person_name
from govkg.loaders.vocabulary import deadline_cues, max_unit_length, unit_suffixes, unit_words

_OPEN, _CLOSE = "([【《“", ")]】》”"
_SPACE = re.compile(r"\s+")
_PHONE = re.compile(r"\([^()]*\d{3,}[-‐—]?\d{4,}[^()]*\)|(?:联系)?电话:?[\d-]{7,}")
_COUNTED = re.compile(r"[\d两][所座个处家站馆院队]$")  # 新建幼儿园3所: a count, not a unit
_EDGE_PUNCT = " \t\n,;:、。.!?"
_DATE = re.compile(r"\d{4}年|\d{1,2}月")


@dataclass(frozen=True, slots=True)
class Piece:
    """One item of a unit list as printed, at ``start`` in the document text."""

    text: str
    start: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.start + len(self.text))


@dataclass(frozen=True, slots=True)
class UnitContext:
    """Document-wide facts the unit rules need.

    ``restore_prefix``: the document states a jurisdiction prefix once per list.
    ``place_stems``: names of the issuing place (鄂州, 下陆) that mark a unit's own place.
    """

    restore_prefix: bool = True
    place_stems: tuple[str, ...] = ()


@lru_cache(maxsize=16384)
def ends_like_unit(text: str) -> bool:
    """True if ``text`` ends with a unit suffix (局, 委, 中心 …) or a closing bracket after one.

    >>> ends_like_unit("区政务服务"), ends_like_unit("东街办(工业新区)")
    (False, True)
    """
    text = _strip_brackets(text.strip())
    return text.endswith(unit_suffixes())


def _strip_brackets(text: str) -> str:
    while text.endswith(")") and "(" in text:
        text = text[: text.rindex("(")].rstrip()
    return text


@lru_cache(maxsize=8192)  # the same lists are split by the unit context and by each task
def split_units(text: str, start: int = 0) -> tuple[Piece, ...]:
    """The unit pieces of the list ``text`` found at offset ``start`` of the document.

    Brackets are respected (各区(市)政府 is one piece); trailing 等 / 按职责分工负责 and a
    leading 由 are dropped; pieces that are not units (按…分工对应落实) are left out.

    >>> [p.text for p in split_units("区建设局、区城管执法局及河湖长制成员单位", 0)]
    ['区建设局', '区城管执法局', '河湖长制成员单位']
    >>> split_units("按58件民生实事责任分工对应落实", 0)
    ()
    """
    separators = unit_words("list_separators")
    conjunctions = unit_words("conjunctions")
    pieces: list[Piece] = []
    depth, begin, i = 0, 0, 0
    after_etc = False  # the piece being read follows 等
    while i < len(text):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            cut = _cut_length(text, i, begin, separators, conjunctions)
            if cut:
                if not (after_etc and _ETC_GROUP.fullmatch(_clean(text[begin:i]))):
                    pieces.extend(_piece(text[begin:i], start + begin))
                after_etc = text.startswith("等", i) and cut == 1
                begin = i + cut
                i = begin
                continue
        i += 1
    if not (after_etc and _ETC_GROUP.fullmatch(_clean(text[begin:]))):
        pieces.extend(_piece(text[begin:], start + begin))
    return tuple(pieces)


# the group a list closes with after 等 (市发改委等有关部门, 等12个部门, 等省有关部门): the
# units named before it, not one more unit
_ETC_GROUP = re.compile(r"(?:[省市县区镇乡]直?)?(?:其他|有关|相关)?(?:[\d一二三四五六七八九十]+个)?(?:有关|相关)?(?:部门|单位|机构|处室)")


def _cut_length(text: str, i: int, begin: int, separators: Sequence[str], conjunctions: Sequence[str]) -> int:
    """Length of the list separator at ``text[i]``, or 0 (looks at most one unit ahead)."""
    c = text[i]
    if c in separators:
        return 1
    if c.isspace():  # a space ends a unit, not a bracket that qualifies it: 市发改委 (牵头)
        j = i
        while j < len(text) and text[j].isspace():
            j += 1
        return 1 if ends_like_unit(text[begin:i]) and text[j : j + 1] not in _OPEN else 0
    if c not in _conjunction_heads():
        return 0
    for conj in conjunctions:
        if not text.startswith(conj, i):
            continue
        ahead = text[i + len(conj) : i + len(conj) + max_unit_length() + 1]
        if ends_like_unit(text[begin:i]) and _clean(ahead):
            if re.split(r"[、,;/]", ahead, maxsplit=1)[0].strip() in _bare_generics():
                return 0  # 各县党委和人民政府, 开发区党工委和管委会: one unit, its two bodies
            return len(conj)
    return 0


@cache
def _conjunction_heads() -> frozenset[str]:
    return frozenset(w[0] for w in unit_words("conjunctions"))


@cache
def _bare_generics() -> frozenset[str]:
    """Names that are nothing but a unit suffix (人民政府, 管委会): the body of the unit before."""
    return frozenset((*unit_suffixes(), "人民政府"))


def _clean(text: str) -> str:
    """Piece text with edge punctuation, a leading 由, trailing 等 / 负责 … and a bracketed
    telephone number removed."""
    text = _PHONE.sub("", text).strip(_EDGE_PUNCT)
    changed = True
    while changed and text:
        changed = False
        for head in unit_words("drop_heads"):
            if text.startswith(head) and len(text) > len(head) + 1:
                text, changed = text[len(head) :].strip(_EDGE_PUNCT), True
        for tail in unit_words("drop_tails"):
            if text.endswith(tail) and len(text) > len(tail):
                text, changed = text[: -len(tail)].strip(_EDGE_PUNCT), True
                break
    return text


def _piece(raw: str, start: int) -> list[Piece]:
    text = _clean(raw)
    if not text or not looks_like_unit(text):
        return []
    if not ends_like_unit(text) and not is_collective(text) and is_person_name(_SPACE.sub("", text)):
        return []  # 市民政局 伍泽国: the official named next to the unit
    return [Piece(text, start + raw.index(text))]


@lru_cache(maxsize=16384)
def looks_like_unit(text: str) -> bool:
    """False for phrases that are not unit names (按…分工对应落实, numbers, over-long text).

    >>> looks_like_unit("区扶贫工作专班"), looks_like_unit("按分工落实"), looks_like_unit("人行")
    (True, False, True)
    """
    name = _SPACE.sub("", text)
    if len(name) < 2 or len(name) > max_unit_length() or not re.search(r"[\u4e00-\u9fff]", name):
        return False
    if any(c in name for c in unit_words("not_unit_chars")) or _COUNTED.search(name):
        return False
    words = unit_words("not_unit_words")
    if name.startswith(unit_words("not_unit_heads")) or (is_deadline(name) and not ends_like_unit(name)):
        return False
    return ends_like_unit(name) or is_collective(name) or not any(w in name for w in words)


def is_deadline(text: str) -> bool:
    """True for a deadline phrase (2024年底前完成, 持续推进, 6月底).

    >>> is_deadline("2024年底前完成"), is_deadline("市财政局")
    (True, False)
    """
    return bool(_DATE.search(text)) or any(c in text for c in deadline_cues())


@lru_cache(maxsize=16384)
def is_collective(name: str) -> bool:
    """True for a unit that stands for many (各区政府, 市政府各部门, 区指挥部成员单位).

    >>> is_collective("各街办(新区)"), is_collective("市政府各部门"), is_collective("区卫健局")
    (True, True, False)
    """
    return (
        name.startswith(unit_words("collective_heads"))
        or any(m in name for m in unit_words("collective_markers"))
        or _strip_brackets(name).endswith(unit_words("collective_tails"))
    )


@lru_cache(maxsize=16384)
def jurisdiction_prefix(name: str) -> str | None:
    """The level character a name starts with (市发改委 -> 市), if it is one.

    >>> jurisdiction_prefix("市发改委"), jurisdiction_prefix("市场监管局"), jurisdiction_prefix("各区政府")
    ('市', None, None)
    >>> jurisdiction_prefix("市民政局"), jurisdiction_prefix("市民服务中心")
    ('市', None)
    """
    if len(name) < 3:
        return None
    if name.startswith(unit_words("not_prefix_words")) and not name[1:].startswith(unit_words("level_stems")):
        return None
    return next((p for p in unit_words("jurisdiction_prefixes") if name.startswith(p)), None)


def carries_own_place(name: str, place_stems: Iterable[str] = ()) -> bool:
    """True if a bare name already says where it belongs (梁子湖区政府, 鄂州供电公司, 西山街办).

    >>> carries_own_place("梁子湖区政府"), carries_own_place("统筹办"), carries_own_place("市场监管局")
    (True, False, False)
    """
    if name.startswith(unit_words("own_scope_heads")):
        return True
    bare = name
    for word in unit_words("not_prefix_words"):
        bare = bare.replace(word, "")
    if any(c in bare for c in unit_words("place_chars")):
        return True
    if any(s in name for s in place_stems if s) or name.startswith(unit_words("national_prefixes")):
        return True
    return opens_with_division(name)


@lru_cache(maxsize=16384)
def opens_with_division(name: str) -> bool:
    """True if ``name`` opens with the name of a province or city, in full or short
    (湖北银监局, 哈尔滨铁路局); county short names (公安, 新城) are ordinary words too often.

    >>> opens_with_division("湖北银监局"), opens_with_division("公安局")
    (True, False)
    """
    from govkg.loaders.divisions import by_name

    return any(
        d.level in ("province", "city") for k in range(2, min(len(name), 5) + 1) for d in by_name(name[:k])
    )


def restates_prefix(lists: Iterable[Sequence[str]]) -> bool:
    """True if the document repeats the prefix on every item (区科信局、区建设局).

    Counts, over lists whose first item has a jurisdiction prefix, how many later
    (non-collective) items repeat it.

    >>> restates_prefix([["区科信局", "区建设局"]]), restates_prefix([["市财政局", "国税局"]])
    (True, False)
    """
    total = same = 0
    for names in lists:
        prefix = jurisdiction_prefix(names[0]) if names else None
        if prefix is None:
            continue
        for name in names[1:]:
            if not is_collective(name):
                total += 1
                same += name.startswith(prefix)
    return total > 0 and same * 2 > total


def unit_mentions(
    pieces: Sequence[Piece], role: Role, context: UnitContext | None = None, stated: str | None = None
) -> tuple[UnitMention, ...]:
    """UnitMentions for one list, with the list's jurisdiction prefix restored where due.

    ``stated`` is a prefix stated by an earlier list of the same clause (牵头单位:市发改委;
    配合单位:财政局), used when this list does not state one. A unit marked as lead inside
    the list (市发改委(牵头)) gets the lead role.

    >>> [u.name for u in unit_mentions(split_units("财政局、统计局"), Role.ASSIST, stated="市")]
    ['市财政局', '市统计局']
    """
    context = context or UnitContext()
    names = [_SPACE.sub("", p.text) for p in pieces]
    prefix = (jurisdiction_prefix(names[0]) if names else None) or stated
    anchor = ""  # the nearest earlier item that states its prefix
    out = []
    for piece, printed_name in zip(pieces, names, strict=True):
        name, marked = _lead_mark(printed_name)
        collective = is_collective(name)
        if jurisdiction_prefix(name):
            anchor = name
        elif (
            (context.restore_prefix or _party_after_party(anchor, prefix, name))
            and prefix
            and not collective
            and not carries_own_place(name, context.place_stems)
        ):
            name = restored_prefix(prefix, anchor, name) + name
        out.append(UnitMention(name, piece.text, Role.LEAD if marked else role, piece.span, collective))
    return tuple(out)


def _party_after_party(anchor: str, prefix: str | None, name: str) -> bool:
    """True for a party department named bare after one that states the party committee
    (市委宣传部、组织部): its committee is restored even where the document otherwise
    repeats every prefix."""
    return bool(prefix) and anchor.startswith(f"{prefix}委") and name.startswith(unit_words("party_units"))


def restored_prefix(prefix: str, anchor: str, name: str) -> str:
    """The prefix to restore on a bare ``name`` that follows ``anchor`` in its list.

    A party department takes the party committee (市委组织部、宣传部 -> 市委宣传部); an
    office that both the committee and the government have takes the organisation of
    the nearest earlier item that states one (市政府办公室、研究室 -> 市政府研究室);
    anything else takes ``prefix``.

    >>> restored_prefix("市", "市委组织部", "宣传部"), restored_prefix("省", "省发展改革委", "财政厅")
    ('市委', '省')
    >>> restored_prefix("市", "市政府办公室", "研究室"), restored_prefix("市", "市政府办公室", "财政局")
    ('市政府', '市')
    """
    if name.startswith(unit_words("party_units")):
        return prefix + "委"
    if name.startswith(unit_words("shared_offices")):
        org = anchor[len(prefix) :]
        for head in ("委", "政府"):
            if org.startswith(head) and not org.startswith("委员会"):
                return prefix + head
    return prefix


def _lead_mark(name: str) -> tuple[str, bool]:
    for mark in unit_words("lead_marks"):
        if name.endswith(mark) and len(name) - len(mark) >= 2:
            return name[: -len(mark)], True
    return name, False
