"""Part-of-speech tags from jieba, for the few decisions that need them.

>>> first_tag("建成县全民健身活动中心。")
('建成', 'v')
>>> first_tag("王建国")
('王建国', 'nr')
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any


@cache
def _tokenizer() -> Any:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


@lru_cache(maxsize=8192)
def first_tag(text: str) -> tuple[str, str] | None:
    """The first word of ``text`` and its jieba tag (``v`` verb, ``nr`` person name …)."""
    word = next(iter(_tokenizer().cut(text.strip())), None)
    return (word.word, word.flag) if word is not None else None


def is_person_name(name: str) -> bool:
    """True for a personal name (2–4 characters opening with a surname word).

    >>> is_person_name("伍泽国"), is_person_name("经委")
    (True, False)
    """
    if not 2 <= len(name) <= 4:
        return False
    tag = first_tag(name)
    return tag is not None and tag[1] == "nr"
