"""Generated corpora: the samples rewritten for other jurisdictions and years.

``variant_texts`` rewrites a sample's text (files for ``govkg build`` and uploads);
``variant_documents`` rewrites parsed Documents without re-parsing (for corpora of
a million tasks): the metadata gets another jurisdiction, year and sha256, the text a
unique last line (spans stay valid), and the other places its units name (鄂城区 of
鄂城区人民政府 in a 鄂州市 notice) get names of that jurisdiction's own (东西鄂城区 for
东西区), so each variant is a distinct report whose units resolve in its own jurisdiction
and the places under it, as another city's notices would.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache

from govkg.graph.resolve import canonical_name, context
from govkg.loaders.model import Document, Task

PLACE_CHARS = "东西南北中新华安平宁泰和兴隆昌盛康福永定"


def place_names() -> Iterator[str]:
    """区 names that no sample uses: 东西区, 东南区, … (400 of them)."""
    for a, b in itertools.product(PLACE_CHARS, repeat=2):
        if a != b:
            yield f"{a}{b}区"


def variant_texts(text: str, jurisdiction: str, year: int, n: int) -> Iterator[tuple[str, str]]:
    """``n`` (name, text) variants of a sample naming ``jurisdiction`` and ``year``."""
    places = place_names()
    count = 0
    for place in places:
        for y in range(year + 1, year + 11):
            if count == n:
                return
            body = text.replace(jurisdiction, place).replace(str(year), str(y))
            yield f"{place}_{y}.txt", body
            count += 1


def other_places(doc: Document) -> tuple[str, ...]:
    """The places other than the document's own that its units are attributed to, longest first."""
    meta = doc.metadata
    ctx = context(meta.jurisdiction, meta.level, (u.name for t in doc.tasks for u in t.units))
    found = {
        place
        for t in doc.tasks
        for u in t.units
        if not u.collective and (place := canonical_name(u.name, ctx)[0]) not in (None, meta.jurisdiction)
    }
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


def _renamed(tasks: tuple[Task, ...], places: tuple[str, ...], prefix: str) -> tuple[Task, ...]:
    """``tasks`` with the first of ``places`` (longest first) found in each unit name prefixed by
    ``prefix``."""

    def rename(name: str) -> str:
        for place in places:
            if place in name:
                return name.replace(place, prefix + place)
        return name

    return tuple(
        replace(t, units=tuple(replace(u, name=rename(u.name), printed=rename(u.printed)) for u in t.units))
        for t in tasks
    )


class Variants:
    """The variants of ``docs``: variant ``i`` is ``docs[i % len(docs)]`` in the ``i``-th place
    (cycled) and year; any variant can be made on its own (in a worker process, say)."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = tuple(docs)
        self.places = tuple(place_names())
        self.others = tuple(other_places(d) for d in self.docs)

    def count(self, n_tasks: int) -> int:
        """How many variants, from the first, hold at least ``n_tasks`` tasks."""
        total = 0
        for i in itertools.count():
            if total >= n_tasks:
                return i
            total += len(self.docs[i % len(self.docs)].tasks)
        raise AssertionError  # unreachable: count() never ends

    @cache  # noqa: B019 - one per corpus, alive as long as it
    def _tasks(self, k: int, place: str) -> tuple[Task, ...]:
        return _renamed(self.docs[k].tasks, self.others[k], place[:-1]) if self.others[k] else self.docs[k].tasks

    def __getitem__(self, i: int) -> Document:
        k = i % len(self.docs)
        doc = self.docs[k]
        place = self.places[i % len(self.places)]
        text = f"{doc.text}\n(变体 {i})"
        meta = replace(
            doc.metadata,
            source=f"variant_{i}_{doc.metadata.source}",
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            jurisdiction=place if doc.metadata.jurisdiction or i % 2 else None,
            year=2000 + (i // 400) % 60,
        )
        tasks = self._tasks(k, place) if meta.jurisdiction else doc.tasks
        return replace(doc, metadata=meta, text=text, tasks=tasks)


def variant_documents(docs: Sequence[Document], n_tasks: int) -> Iterator[Document]:
    """Variants of ``docs`` (cycled) until they hold at least ``n_tasks`` tasks."""
    variants = Variants(docs)
    return (variants[i] for i in range(variants.count(n_tasks)))
