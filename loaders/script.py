"""Traditional -> simplified folding for matching, one character for one character.

The table is OpenCC's ``TSCharacters`` dictionary (PyPI ``opencc-python-reimplemented``),
first candidate of every single-character entry. Folding keeps the length of the text,
so a span found in the folded text indexes the printed text too.

>>> fold_script("牽頭單位:省財政廳")
'牵头单位:省财政厅'
>>> len(fold_script("責任單位")) == len("責任單位")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources


@cache
def _table() -> dict[int, int]:
    source = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    table: dict[int, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split(" ", 1)[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            table[ord(key)] = ord(first)
    if len(table) < 2000:
        raise RuntimeError(f"OpenCC TSCharacters table looks truncated ({len(table)} entries)")
    return table


@cache
def _traditional() -> Callable[[str], bool]:
    return holds_any(map(chr, _table()))


def fold_script(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones (same length)."""
    if not _traditional()(text):
        return text
    return text.translate(_table())


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def holds_any(chars: Iterable[str]) -> Callable[[str], bool]:
    """A test of whether a text holds any of ``chars``: one regex scan over a character class
    (a bitmap for the basic plane; characters beyond it by set, only in a text that has one).

    >>> holds_any("廣東")("广东省"), holds_any("廣東")("廣州")
    (False, True)
    """
    found = frozenset(chars)
    basic = re.compile("[" + "".join(re.escape(c) for c in sorted(found) if ord(c) <= 0xFFFF) + "]")
    astral = frozenset(c for c in found if ord(c) > 0xFFFF)

    def test(text: str) -> bool:
        if basic.search(text):
            return True
        return bool(astral) and _ASTRAL.search(text) is not None and not astral.isdisjoint(text)

    return test
