"""Name resolution: a department, collective or report named the way a person would.

A unit can be named by its node key, its label, any printed alias, its canonical
name or a short form (``发改委`` for 发展和改革委员会), optionally after a place
(``下陆区发改局``). The closest tier that matches wins: key, then label or alias, then
canonical name. Several matches raise ``AmbiguousName`` with the candidates; none
raises ``UnknownName`` with close suggestions (difflib).

>>> from graph.build import build_graph
>>> from queries.index import GraphIndex
>>> resolve_unit(GraphIndex(build_graph([])), "发改委")
Traceback (most recent call last):
...
queries.names.UnknownName: unknown name '发改委'
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from govkg.loaders import vocabulary
from govkg.loaders.normalize import fold_width
from govkg.queries.results import UnitRef

if TYPE_CHECKING:
    from govkg.queries.index import GraphIndex

LEVEL_PREFIXES = ("省", "市", "区", "县")
MAX_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible meaning of a name: node key, label and a distinguishing detail."""

    id: str
    label: str
    detail: str | None

    @property
    def pick(self) -> str:
        """The name that resolves to this candidate alone: 市发改委 (鄂州市)."""
        return f"{self.label} ({self.detail})" if self.detail else self.label


class QueryError(LookupError):
    """A name in a question that does not pick exactly one node."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


class UnknownName(QueryError):
    """No node has this name; ``suggestions`` are the closest known names."""

    def __init__(self, name: str, suggestions: Iterable[str] = (), what: str = "name") -> None:
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {what} {name!r}{hint}", name)


class AmbiguousName(QueryError):
    """Several nodes have this name; ``candidates`` lists them, each with the name that picks it."""

    def __init__(self, name: str, candidates: Iterable[Candidate], what: str = "name") -> None:
        self.candidates = tuple(candidates)
        listed = ", ".join(c.pick for c in self.candidates)
        example = f"; name one as listed, e.g. {self.candidates[0].pick!r}" if self.candidates else ""
        super().__init__(f"ambiguous {what} {name!r}: {listed}{example}", name)


@dataclass(frozen=True, slots=True)
class NameTable:
    """Lookup tables from names to unit keys, built once per graph."""

    keys: frozenset[str]
    printed: Mapping[str, tuple[str, ...]]  # label or alias -> units
    canonical: Mapping[str, tuple[str, ...]]  # canonical name -> units
    places: tuple[str, ...]  # jurisdiction names, longest first

    @classmethod
    def of(cls, units: Mapping[str, UnitRef]) -> NameTable:
        printed: dict[str, set[str]] = defaultdict(set)
        canonical: dict[str, set[str]] = defaultdict(set)
        for key, unit in units.items():
            for alias in (unit.label, *unit.aliases):
                printed[_norm(alias)].add(key)
            canonical[_norm(unit.name)].add(key)
        places = {u.jurisdiction for u in units.values() if u.jurisdiction}
        return cls(
            keys=frozenset(units),
            printed=_frozen(printed),
            canonical=_frozen(canonical),
            places=tuple(sorted(places, key=lambda p: (-len(p), p))),
        )


def _frozen(table: dict[str, set[str]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(sorted(v)) for k, v in table.items()})


def _norm(name: str) -> str:
    return fold_width("".join(name.split()))


def _tiers(index: GraphIndex, query: str, jurisdiction: str | None) -> Iterator[set[str]]:
    """Candidate sets from the closest reading of ``query`` to the loosest."""
    table = index.names

    def canonical(name: str) -> set[str]:
        return {k for form in _full_forms(name) for k in table.canonical.get(form, ())}

    place = next((p for p in table.places if query.startswith(p) and len(query) > len(p)), None)
    rest = query[len(place) :] if place else None
    yield _within(index, table.printed.get(query, ()), jurisdiction)
    if rest:
        yield _within(index, _within(index, table.printed.get(rest, ()), place), jurisdiction)
    yield _within(index, canonical(query), jurisdiction)
    if rest:
        yield _within(index, _within(index, canonical(rest), place), jurisdiction)
    if query.startswith(LEVEL_PREFIXES) and len(query) > 2:  # 区X局 for a unit printed 区…
        level = query[0]
        found = {k for k in canonical(query[1:]) if index.units[k].label.startswith(level)}
        yield _within(index, found, jurisdiction)


def _full_forms(name: str) -> list[str]:
    """The name, and its full form if it is a known short form (发改委 -> 发展和改革委员会)."""
    full = vocabulary.short_forms().get(name)
    return [name, full] if full else [name]


def resolve_unit(index: GraphIndex, name: str, jurisdiction: str | None = None) -> UnitRef:
    """The one department or collective called ``name`` (optionally in ``jurisdiction``).

    Raises ``AmbiguousName`` (with candidates) or ``UnknownName`` (with suggestions).
    """
    table = index.names
    query = _norm(name)
    if query in table.keys:
        return index.units[query]
    qualified = _QUALIFIED.fullmatch(query)
    if qualified and jurisdiction is None and _is_place_or_report(index, qualified.group(2)):
        return _resolve(index, qualified.group(1), qualified.group(2), name)
    return _resolve(index, query, jurisdiction, name)


_QUALIFIED = re.compile(r"(.+?)[(（]([^()（）]+)[)）]")  # 市发改委 (鄂州市), as candidates are listed


def _is_place_or_report(index: GraphIndex, qualifier: str) -> bool:
    return qualifier in index.names.places or any(d.get("source") == qualifier for d in index.reports.values())


def _resolve(index: GraphIndex, query: str, within: str | None, name: str) -> UnitRef:
    table = index.names
    for found in _tiers(index, query, within):
        if len(found) == 1:
            return index.units[next(iter(found))]
        if found:
            refs = [index.units[k] for k in sorted(found)]
            raise AmbiguousName(name, [Candidate(u.id, u.label, unit_place(index, u)) for u in refs])
    labels = {u.label for u in index.units.values()} | set(table.printed)
    close = difflib.get_close_matches(query, sorted(labels), n=MAX_SUGGESTIONS, cutoff=0.5)
    if not close:  # always something to try: the names that share most characters
        close = sorted(labels, key=lambda lab: (-len(set(lab) & set(query)), len(lab), lab))[:MAX_SUGGESTIONS]
    raise UnknownName(name, close)


def unit_place(index: GraphIndex, unit: UnitRef) -> str | None:
    """What tells a unit from its namesakes: its jurisdiction, else the file of the report that
    printed it (a unit of a document whose jurisdiction is unknown)."""
    if unit.jurisdiction:
        return unit.jurisdiction
    scope = unit.id.split(":")[1] if unit.id.count(":") >= 2 else ""
    if scope.startswith("?"):
        for data in index.reports.values():
            if str(data.get("sha256") or "").startswith(scope[1:]):
                return str(data.get("source"))
    return None


def _within(index: GraphIndex, keys: Iterable[str], jurisdiction: str | None) -> set[str]:
    """The ``keys`` of units in ``jurisdiction`` (or printed by the report file of that name)."""
    if jurisdiction is None:
        return set(keys)
    return {k for k in keys if unit_place(index, index.units[k]) == jurisdiction}


def resolve_report(index: GraphIndex, report: str) -> str:
    """The key of the report named by its key, sha256 (prefix of 8+), source file, stem or title."""
    query = _norm(report)
    found = []
    for key, data in index.reports.items():
        source = str(data.get("source") or "")
        names = {key, source, source.rsplit(".", 1)[0], _norm(str(data.get("title") or ""))}
        sha = str(data.get("sha256") or "")
        if query in names or (len(query) >= 8 and sha.startswith(query)):
            found.append(key)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousName(
            report,
            [Candidate(k, index.reports[k].get("label", k), index.reports[k].get("source")) for k in found],
            what="report",
        )
    known = [str(d.get("source")) for d in index.reports.values()]
    raise UnknownName(
        report, difflib.get_close_matches(query, known, n=MAX_SUGGESTIONS, cutoff=0.4), "report"
    )
