"""Property-based tests: random and mutated documents never raise, and every span lies
inside the text.

Inputs are the bundled sample documents and, when ../shared is beside the repo, the seed
and dev texts, with lines cut, duplicated, shuffled, brackets unbalanced, and very long
unit lists. Speed on large inputs is measured in ``bench/extract_bench.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govkg.loaders import Document, extract_text

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _corpus() -> list[str]:
    files = sorted((REPO / "samples").glob("*.txt"))
    if SHARED.is_dir():
        files += sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "dev" / "docs").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


CORPUS = _corpus()
PIECES = ["牵头单位:", "责任单位:", "配合单位", "(", ")", "【", "】", "|", "\t", "\n", "、", "一、", "1.", "(1)",
          "由", "会同", "负责", "牵头", "市发改委", "區(qū)", "┌─┬", "│", "序号", "工作任务", "2024年底前"]


def _check(doc: Document) -> None:
    n = len(doc.text)
    spans = [t.span for t in doc.tasks] + [s.span for s in doc.sections]
    spans += [u.span for t in doc.tasks for u in t.units] + [g.span for t in doc.tasks for g in t.targets]
    spans += [g.span for g in doc.targets] + [d.span for d in doc.diagnostics if d.span]
    for span in spans:
        assert 0 <= span.start <= span.end <= n, span
    for t in doc.tasks:
        for u in t.units:
            assert u.printed == doc.text[u.span.start : u.span.end]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(CORPUS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["cut", "dup", "swap", "drop", "insert", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "cut":
            k = draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:k], lines[i][k:]]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "drop":
            del lines[i]
        elif op == "insert":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.sampled_from(PIECES)) + lines[i][k:]
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines)


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(mutated())
def test_mutated_documents_parse_with_spans_inside_the_text(text: str) -> None:
    _check(extract_text("mutated.txt", text))


@_SETTINGS
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=80).map("".join))
def test_random_fragments_parse(text: str) -> None:
    _check(extract_text("random.txt", text))


@pytest.mark.parametrize("n", [10_000])
def test_a_ten_thousand_item_unit_list(n: int) -> None:
    units = "、".join(f"第{i}局" for i in range(n))
    doc = extract_text("long.txt", f"一、重点工作\n1、推进项目建设。(牵头单位:市发改委;责任单位:{units})")
    _check(doc)
    assert len(doc.tasks) == 1 and len(doc.tasks[0].units) == n + 1


def test_unbalanced_brackets_everywhere() -> None:
    text = "\n".join(f"{i}、推进(牵头单位:市发改委【责任单位:市财政局((" for i in range(1, 200))
    _check(extract_text("brackets.txt", text))
