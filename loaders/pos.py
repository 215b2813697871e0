"""Part-of-speech tags from jieba, for the few decisions that need them.

>>> first_tag("建成县残疾人综合服务中心。")
('建成', 'v')
>>> first_tag("陈宣群")
('陈宣群', 'nr')
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _tokenizer() -> Any:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


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
