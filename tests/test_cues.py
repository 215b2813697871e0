"""Every cue rule of loaders/data/cues.json runs its own examples."""

from __future__ import annotations

import pytest

from govkg.loaders.clauses import cue_clauses, cue_rules, group_clause
from govkg.loaders.vocabulary import table

_RULES = table("cues")["rules"]
_POSITIVE = [(r["name"], ex) for r in _RULES for ex in r["positive"]]
_NEGATIVE = [(r["name"], text) for r in _RULES for text in r["negative"]]


def _lists(text: str) -> dict[str, list[str]]:
    got: dict[str, list[str]] = {}
    for clause in cue_clauses(text, 0, len(text)):
        for u in clause.lists:
            got.setdefault(u.kind, []).append(u.text)
    return got


def test_every_rule_has_examples_and_compiles() -> None:
    names = [r["name"] for r in _RULES]
    assert len(names) == len(set(names))
    assert [n for n, _ in cue_rules()] == names
    assert all(r["positive"] and r["negative"] for r in _RULES)


@pytest.mark.parametrize(("rule", "example"), _POSITIVE, ids=[f"{n}:{e['text'][:12]}" for n, e in _POSITIVE])
def test_positive_example(rule: str, example: dict) -> None:
    expected = {k: list(v) for k, v in example.items() if k != "text"}
    assert _lists(example["text"]) == expected


@pytest.mark.parametrize(("rule", "text"), _NEGATIVE, ids=[f"{n}:{t[:12]}" for n, t in _NEGATIVE])
def test_negative_example(rule: str, text: str) -> None:
    assert _lists(text) == {}


_GROUPS = table("cues")["group_rules"]


@pytest.mark.parametrize("rule", _GROUPS, ids=[r["name"] for r in _GROUPS])
def test_group_rule_examples(rule: dict) -> None:
    assert rule["positive"] and rule["negative"]
    for example in rule["positive"]:
        clause = group_clause(example["text"], 0)
        assert clause is not None, example["text"]
        got = {u.kind: [u.text] for u in clause.lists}
        assert got == {k: list(v) for k, v in example.items() if k != "text"}
    for text in rule["negative"]:
        assert group_clause(text, 0) is None, text
