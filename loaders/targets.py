"""Quantitative targets (地区生产总值年均增长13%以上 -> >= 13 %) in a piece of text."""

from __future__ import annotations

from loaders.model import Target


def find_targets(text: str, offset: int = 0) -> tuple[Target, ...]:
    """Targets stated in ``text`` (reported results are not targets).

    Spans are shifted by ``offset`` so that they index into the document text.
    """
    raise NotImplementedError
