"""Generated corpora: the samples rewritten for other jurisdictions and years.

``variant_texts`` rewrites a sample's text (files for ``govkg build`` and uploads);
``variant_documents`` rewrites parsed Documents without re-parsing (for corpora of
a million tasks): the metadata gets another jurisdiction, year and sha256, the text a
unique last line (spans stay valid), so each variant is a distinct report whose units
resolve in its own jurisdiction.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace

from govkg.loaders.model import Document

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


def variant_documents(docs: Sequence[Document], n_tasks: int) -> Iterator[Document]:
    """Variants of ``docs`` (cycled) until they hold at least ``n_tasks`` tasks."""
    total = 0
    places = itertools.cycle(place_names())
    for i in itertools.count():
        if total >= n_tasks:
            return
        doc = docs[i % len(docs)]
        place = next(places)
        year = 2000 + (i // 400) % 60
        text = f"{doc.text}\n(变体 {i})"
        meta = replace(
            doc.metadata,
            source=f"variant_{i}_{doc.metadata.source}",
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            jurisdiction=place if doc.metadata.jurisdiction or i % 2 else None,
            year=year,
        )
        total += len(doc.tasks)
        yield replace(doc, metadata=meta, text=text)
