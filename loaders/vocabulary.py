"""Chinese domain vocabulary: the one place that reads the data tables in ``loaders/data``.

Every table is a JSON file; callers get immutable values (tuples, frozensets,
``MappingProxyType``), cached after the first read.

>>> "局" in unit_suffixes()
True
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

_DATA = "loaders.data"


@cache
def table(name: str) -> Any:
    """The parsed JSON table ``loaders/data/<name>.json`` (treat as read-only)."""
    text = resources.files(_DATA).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return _freeze(json.loads(text))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def unit_suffixes() -> tuple[str, ...]:
    """Suffixes that end a unit name (局, 委, 办, 中心 …), longest first."""
    return tuple(sorted(table("units")["suffixes"], key=len, reverse=True))


# -- readers, metadata and targets tables (engineer B) ---------------------------------------


@cache
def text_encodings() -> frozenset[str]:
    """Codec names accepted for Chinese text files (normalised with ``codecs.lookup``)."""
    import codecs

    return frozenset(codecs.lookup(e).name for e in table("readers")["encodings"])


def html_junk_phrases() -> tuple[str, ...]:
    """Phrases that mark page furniture (设为首页, 打印本页 …) rather than document text."""
    return table("readers")["html_junk"]


# --- entity resolution tables (graph.resolve) ---


def short_forms() -> MappingProxyType:
    """Short department names -> full names, e.g. ``发改委`` -> ``发展和改革委员会``."""
    return table("aliases")["short_forms"]


def renamings() -> MappingProxyType:
    """Reform renamings, predecessor -> successor (names possibly short forms)."""
    return table("renamings")["renamings"]


def place_vocabulary() -> MappingProxyType:
    """Place words: level suffixes and ranks, government and sub-district suffixes, zone words."""
    return table("places")


def collective_vocabulary() -> MappingProxyType:
    """Collective-unit words: distributive markers (各), qualifiers, generic tails."""
    return table("collectives")
