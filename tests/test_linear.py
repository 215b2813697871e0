"""Cost grows linearly with the input: each case is timed at sizes n and 4n (best of several runs, the garbage collector paused)
and fails when the ratio approaches 16 (quadratic) rather than 4 (linear). A ratio, never a time."""

from __future__ import annotations

import gc
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govkg.loaders.readers import decode_bytes, html_to_text, text_of

LINEAR_LIMIT = 10.0  # 4x the input: linear ~4 (up to ~8 seen on a busy machine), quadratic ~16


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # the collector's pauses are noise here, not the algorithm's cost
        try:
            start = time.process_time()  # CPU time: other processes on the machine do not count
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def growth(make: Callable[[int], object], run: Callable[[object], object], n: int, repeat: int = 3) -> float:
    """Best time of ``run(make(4n))`` over best time of ``run(make(n))``."""
    small, large = make(n), make(4 * n)
    run(small)  # warm caches (vocabulary, regexes)
    return _best(lambda: run(large), repeat) / max(_best(lambda: run(small), repeat + 2), 1e-6)


def _docx(paragraphs: int, rows: int) -> bytes:
    import docx

    d = docx.Document()
    for i in range(paragraphs):
        d.add_paragraph(f"{i + 1}、推进园区建设。(责任单位:市发改委)")
    if rows:
        t = d.add_table(rows=rows, cols=3)
        for r, row in enumerate(t.rows):
            row.cells[0].text, row.cells[1].text, row.cells[2].text = str(r), "修路。", "市交通局"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


TASK = "推进园区建设，加快产业转型升级。(责任单位:市发改委、市财政局)"
READERS = [
    ("nested html", lambda n: "<div>" * n + TASK + "</div>" * n, html_to_text, 600),
    ("nested tables", lambda n: "<table><tr><td>" * n + TASK + "</td></tr></table>" * n, html_to_text, 250),
    ("flat html", lambda n: f"<p>{TASK}</p>" * n, html_to_text, 400),
    ("html table rows", lambda n: "<table>" + f"<tr><td>1</td><td>{TASK}</td></tr>" * n + "</table>", html_to_text, 250),
    ("gb18030 text", lambda n: (TASK + "\n").encode("gb18030") * n, decode_bytes, 2000),
    ("big5 text", lambda n: "責任單位:市發改委、市財政局。\n".encode("big5") * n, decode_bytes, 2000),
    ("docx paragraphs", lambda n: _docx(n, 0), lambda d: text_of("a.docx", d), 250),
    ("docx table rows", lambda n: _docx(0, n), lambda d: text_of("a.docx", d), 80),
]


@pytest.mark.parametrize(("case", "make", "run", "n"), READERS, ids=[c[0] for c in READERS])
def test_readers_are_linear(case: str, make, run, n: int) -> None:
    ratio = growth(make, run, n, repeat=3)
    assert ratio < LINEAR_LIMIT, f"{case}: 4x the input took {ratio:.1f}x the time"


def _extract(text: str) -> object:
    from govkg.loaders import extract_text

    return extract_text("a.txt", text)


_SAMPLE = (Path(__file__).resolve().parents[1] / "samples" / "2021_xialu_sample.txt").read_text(encoding="utf-8")


_TABLE_AND_ITEM = "序号|工作任务|牵头单位|责任单位\n1|推进园区建设。|市发改委|市财政局\n2、完成道路修建。\n"


def _header(body: str) -> str:
    return "一、重点工作\n" + body


PIPELINE = [
    pytest.param("review lines", lambda n: "回顾\n" * n, 200),
    pytest.param("counted targets", lambda n: _header("建设" + "1个甲" * n), 200),
    pytest.param("one long line", lambda n: _header("1、" + "推进园区建设。" * n), 1000),
    pytest.param("labelled clauses", lambda n: _header("1、" + "一是推进建设(牵头单位:市发改委)" * n), 150),
    pytest.param("ordinary items", lambda n: _header("".join(f"{i + 1}、{TASK}\n" for i in range(n))), 120),
    pytest.param("plain lines below a header", lambda n: "任务\n牵头单位\n责任单位\n" + "回顾\n" * n, 200),
    pytest.param("a sample said again and again", lambda n: _SAMPLE * n, 2),
    pytest.param("tables between items", lambda n: _header(_TABLE_AND_ITEM * n), 100),
]


@pytest.mark.parametrize(("case", "make", "n"), PIPELINE)
def test_pipeline_is_linear(case: str, make, n: int) -> None:
    ratio = growth(make, _extract, n, repeat=1)
    assert ratio < LINEAR_LIMIT, f"{case}: 4x the input took {ratio:.1f}x the time"
