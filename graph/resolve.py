"""Entity resolution: printed unit names -> graph identities (pure functions).

A department's identity is ``(jurisdiction, canonical name)``. The canonical name is
the printed name with parenthesised qualifiers removed, the jurisdiction or level
prefix stripped and short forms expanded through ``loaders/data/aliases.json``:

>>> ctx = context("下陆区")
>>> resolve_unit("区公安分局", ctx) == resolve_unit("下陆公安分局", ctx)
True
>>> resolve_unit("区发改局", ctx).name
'发展和改革局'
>>> unit = resolve_unit("贵溪市政府", context("鹰潭市"))
>>> unit.jurisdiction, unit.name, unit.district
('贵溪市', '人民政府', '贵溪市')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from govkg.graph.schema import NodeKind, collective_key, department_key
from govkg.loaders import vocabulary
from govkg.loaders.model import Level

GOVERNMENT = "人民政府"

_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]")
_NOISE = re.compile(r"[\s“”\"'‘’「」『』《》]")


@dataclass(frozen=True, slots=True)
class Context:
    """The issuing jurisdiction of a document, as the resolver needs it.

    ``stem`` is the jurisdiction name without its level suffix (下陆 for 下陆区),
    ``level_suffix`` the suffix itself (区), ``places`` other places that the
    document names through their governments (贵溪市 from 贵溪市政府).
    """

    jurisdiction: str | None
    stem: str | None = None
    level_suffix: str | None = None
    places: frozenset[str] = frozenset()
    scope: str | None = None  # key namespace of a document whose jurisdiction is unknown

    @property
    def key_jurisdiction(self) -> str | None:
        """What unit keys are scoped by: the jurisdiction, else the document's own scope."""
        return self.jurisdiction or self.scope


@dataclass(frozen=True, slots=True)
class ResolvedUnit:
    """A unit's identity in the graph.

    ``district`` names the place (in the document's jurisdiction) that the unit
    stands for: a lower government (月湖区 from 月湖区政府) or a sub-district
    office (东街办).
    """

    kind: NodeKind
    jurisdiction: str | None
    name: str
    district: str | None = None
    scope: str | None = None  # used for the key when ``jurisdiction`` is unknown

    @property
    def key(self) -> str:
        owner = self.jurisdiction or self.scope
        if self.kind is NodeKind.COLLECTIVE:
            return collective_key(owner, self.name)
        return department_key(owner, self.name)


# --- vocabulary, compiled once ---


@cache
def _places() -> Mapping:
    return vocabulary.place_vocabulary()


@cache
def _level_suffixes() -> tuple[str, ...]:
    return tuple(sorted(_places()["level_suffixes"], key=len, reverse=True))


@cache
def _place_pattern() -> re.Pattern[str]:
    suffixes = "|".join(map(re.escape, _level_suffixes()))
    return re.compile(rf"^(?P<place>[\u4e00-\u9fff]{{2,6}}?(?:{suffixes}))(?P<rest>.*)$")


def _longest_prefix(name: str, prefixes: Iterable[str]) -> str | None:
    return max((p for p in prefixes if name.startswith(p)), key=len, default=None)


def _ends_with_any(name: str, suffixes: Iterable[str]) -> bool:
    return any(name.endswith(s) for s in suffixes)


@lru_cache(maxsize=1 << 14)
def place_level_suffix(place: str) -> str | None:
    """The level suffix a place name ends with: ``place_level_suffix("月湖区") == "区"``."""
    return next((s for s in _level_suffixes() if place.endswith(s) and len(place) > len(s)), None)


def place_rank(place: str | None) -> int | None:
    """Administrative rank from the suffix (1 province … 4 township), None if unknown."""
    suffix = place_level_suffix(place or "")
    return _places()["level_suffixes"][suffix] if suffix else None


def place_level(place: str) -> Level:
    """The ``Level`` a place name's suffix implies (UNKNOWN for towns and odd names)."""
    suffix = place_level_suffix(place)
    return Level(_places()["levels"].get(suffix, Level.UNKNOWN.value)) if suffix else Level.UNKNOWN


def is_place(place: str) -> bool:
    """True for a name like 华容区 or 贵溪市; False for zones like 葛店开发区 or 高新区."""
    not_places = (*_places()["zone_words"], *_places()["non_places"])
    return place_level_suffix(place) is not None and not _ends_with_any(place, not_places)


# --- names ---


def strip_qualifiers(name: str) -> str:
    """Drop parenthesised qualifiers, quotes and whitespace: ``东街办(工业新区)`` -> ``东街办``."""
    previous = None
    while previous != name:
        previous, name = name, _QUALIFIER.sub("", name)
    return _NOISE.sub("", name)


def expand_short_form(name: str) -> str:
    """Full name for a short form (``发改委`` -> ``发展和改革委员会``); others unchanged.

    A leading 政府 is dropped when a unit name follows (``政府金融办`` -> ``金融工作办公室``).
    """
    forms = vocabulary.short_forms()
    if name in forms:
        return forms[name]
    for gov in _places()["government_suffixes"]:
        rest = name.removeprefix(gov)
        if rest != name and len(rest) >= 2:
            return forms.get(rest, rest)
    return name


def _government_rest(rest: str) -> bool:
    return rest == "" or any(rest.startswith(g) for g in _places()["government_suffixes"])


def _other_place(name: str, ctx: Context) -> tuple[str, str] | None:
    """``(place, rest)`` when ``name`` is a unit of another place named by its own name."""
    m = _place_pattern().match(name)
    if not m:
        return None
    place, rest = m["place"], m["rest"]
    if place == ctx.jurisdiction or not is_place(place):
        return None
    if _government_rest(rest) or place in ctx.places:
        return place, rest
    return None


def _strip_own_prefix(name: str, ctx: Context) -> str:
    """Remove the document's jurisdiction, its stem or its level suffix from the front."""
    for prefix in (ctx.jurisdiction, ctx.stem):
        if prefix and len(prefix) >= 2 and name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    suffix = ctx.level_suffix
    if not suffix or not name.startswith(suffix) or len(name) == len(suffix):
        return name
    rest = name[len(suffix) :]
    if _government_rest(rest) or _longest_prefix(name, _places()["kept_words"]) is None:
        return rest
    return name


def canonical_name(name: str, ctx: Context) -> tuple[str | None, str]:
    """``(jurisdiction, canonical name)`` of a department as printed.

    >>> canonical_name("市发改委", context("鄂州市"))
    ('鄂州市', '发展和改革委员会')
    >>> canonical_name("市场监管局", context("鄂州市"))
    ('鄂州市', '市场监督管理局')
    """
    name = strip_qualifiers(name)
    other = _other_place(name, ctx)
    if other:
        place, rest = other
        return place, expand_short_form(rest) if rest else GOVERNMENT
    name = expand_short_form(_strip_own_prefix(name, ctx))
    if _ends_with_any(name, _places()["zone_words"]):
        name += _places()["zone_authority"]
    return ctx.jurisdiction, name


@lru_cache(maxsize=1 << 16)
def resolve_unit(name: str, ctx: Context, collective: bool = False) -> ResolvedUnit:
    """The graph identity of a unit mention (``UnitMention.name``) in a document."""
    if collective:
        return ResolvedUnit(
            NodeKind.COLLECTIVE,
            ctx.jurisdiction,
            _strip_own_prefix(strip_qualifiers(name), ctx),
            scope=ctx.scope,
        )
    jurisdiction, canonical = canonical_name(name, ctx)
    district = None
    if jurisdiction != ctx.jurisdiction:
        rank, own_rank = place_rank(jurisdiction), place_rank(ctx.jurisdiction)
        if own_rank is None or (rank is not None and rank >= own_rank):
            district = jurisdiction
    elif _ends_with_any(canonical, _places()["subdistrict_suffixes"]) and not _is_collective_name(canonical):
        district = canonical
    return ResolvedUnit(NodeKind.DEPARTMENT, jurisdiction, canonical, district, scope=ctx.scope)


def context(
    jurisdiction: str | None,
    level: Level = Level.UNKNOWN,
    names: Iterable[str] = (),
    scope: str | None = None,
) -> Context:
    """The resolver's view of a document issued by ``jurisdiction``.

    ``scope`` namespaces the keys of units when the jurisdiction is unknown, so that
    two documents of unknown, possibly different places never share a department.

    ``names`` are the document's unit names; governments of other places among them
    (贵溪市政府) make those places known, so 贵溪市公安局 is attributed to 贵溪市 too.
    When the jurisdiction is unknown, ``level`` still gives the level prefix (市, 区 …).
    """
    suffix = place_level_suffix(jurisdiction) if jurisdiction else None
    if suffix is None:
        suffix = next((k for k, v in _places()["levels"].items() if v == level.value), None)
    stem = jurisdiction[: -len(suffix)] if jurisdiction and suffix and jurisdiction.endswith(suffix) else None
    base = Context(jurisdiction, stem, suffix)
    places = set()
    for n in names:
        other = _other_place(strip_qualifiers(n), base)
        if other and _government_rest(other[1]):
            places.add(other[0])
    return Context(jurisdiction, stem, suffix, frozenset(places), None if jurisdiction else scope)


# --- collectives ---


def _is_collective_name(name: str) -> bool:
    return any(m in name for m in vocabulary.collective_vocabulary()["distributive_markers"])


def _level_alternatives(name: str) -> list[str]:
    """``各区(市)政府`` -> ``[各区政府, 各市政府]``: a parenthesised level suffix is an alternative."""
    out = [strip_qualifiers(name)]
    levels = _places()["level_suffixes"]
    m = re.search(r"(.)[(（]([^()（）]+)[)）]", name)
    if m and m[1] in levels and m[2] in levels:
        out.append(strip_qualifiers(name[: m.start(1)] + m[2] + name[m.end() :]))
    return out


def collective_tails(name: str) -> tuple[str, ...]:
    """Name endings that members of a collective unit have; empty when unknowable.

    >>> collective_tails("各区(市)政府")
    ('区政府', '市政府')
    >>> collective_tails("市政府各有关部门")
    ()
    """
    vocab = vocabulary.collective_vocabulary()
    tails: list[str] = []
    for variant in _level_alternatives(name):
        for marker in vocab["distributive_markers"]:
            if marker not in variant:
                continue
            tail = variant.split(marker, 1)[1]
            qualifier = _longest_prefix(tail, vocab["qualifiers"])
            tail = tail[len(qualifier) :] if qualifier else tail
            if len(tail) >= 2 and tail not in vocab["generic_tails"] and tail not in tails:
                tails.append(tail)
    return tuple(tails)


def is_member(tails: Iterable[str], printed_names: Iterable[str]) -> bool:
    """True if a unit printed as any of ``printed_names`` belongs to a collective with ``tails``.

    >>> is_member(("街办",), ["东街办(工业新区)"])
    True
    """
    stripped = [strip_qualifiers(n) for n in printed_names]
    return any(
        n.endswith(t) and len(n) > len(t) and not _is_collective_name(n) for n in stripped for t in tails
    )


# --- reform renamings ---


@cache
def _successors() -> Mapping[str, str]:
    return {expand_short_form(a): expand_short_form(b) for a, b in vocabulary.renamings().items()}


def successor(canonical: str) -> str | None:
    """Canonical name of the unit that replaced ``canonical`` in an institutional reform.

    >>> successor("环境保护局")
    '生态环境局'
    """
    return _successors().get(canonical)
