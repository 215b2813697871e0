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

_DATA = "govkg.loaders.data"


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


@cache
def unit_suffixes() -> tuple[str, ...]:
    """Suffixes that end a unit name (局, 委, 办, 中心 …), longest first."""
    return tuple(sorted(table("units")["suffixes"], key=len, reverse=True))


# -- unit lists and responsibility clauses (extraction core) ---------------------------------


def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def unit_words(key: str) -> tuple[str, ...]:
    """A word list of ``units.json`` (``conjunctions``, ``drop_tails`` …), longest first.

    >>> unit_words("jurisdiction_prefixes")[:1] in (("省",), ("市",), ("区",), ("县",), ("州",), ("镇",), ("乡",), ("旗",))
    True
    """
    return _longest_first(table("units")[key])


def max_unit_length() -> int:
    """Longest plausible unit name, in characters."""
    return int(table("units")["max_unit_length"])


@cache
def clause_labels() -> MappingProxyType:
    """Role -> labels (``lead`` -> 牵头单位 …; also ``deadline`` and ``ignore``), longest first."""
    return MappingProxyType({k: _longest_first(v) for k, v in table("clauses")["labels"].items()})


@cache
def national_verbs() -> MappingProxyType:
    """Role -> verbs of the national clause style (``A牵头``, ``B按职责分工负责``), longest first."""
    return MappingProxyType({k: _longest_first(v) for k, v in table("clauses")["national"].items()})


@cache
def deadline_cues() -> tuple[str, ...]:
    """Words that mark a deadline inside a unit list (年底前, 持续推进 …)."""
    return _longest_first(table("clauses")["deadline_cues"])


@cache
def outline_words(key: str) -> tuple[str, ...]:
    """``review_words`` (工作回顾 …), ``plan_words`` (今年, 工作安排 …), ``preamble_words``
    (指导思想 …) or ``closing_heads`` (各位代表, 附件, 抄送 …) of ``outline.json``."""
    return _longest_first(table("outline")[key])


@cache
def table_columns() -> MappingProxyType:
    """Column kind -> header words of a task table (``task`` -> 工作任务 …)."""
    return table("clauses")["columns"]


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


# --- readers, metadata and targets tables (engineer B), continued ---


def reader_vocabulary() -> MappingProxyType:
    """Reader settings: accepted encodings, HTML charset aliases, page-furniture phrases."""
    return table("readers")


def metadata_vocabulary() -> MappingProxyType:
    """Header field labels, government suffixes, level suffixes and self-reference words."""
    return table("metadata")


def target_vocabulary() -> MappingProxyType:
    """Units, measure words, comparators, fillers and goal/result markers of targets."""
    return table("targets")
