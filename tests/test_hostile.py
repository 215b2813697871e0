"""Hostile files: each one is refused with a reason naming the file (or read sanely), within
the parse budget, through the readers, the worker pool, the CLI and the API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govkg.loaders.errors import LoadError
from govkg.loaders.isolate import ParsePool
from govkg.loaders.limits import Limits
from govkg.loaders.model import Document
from govkg.loaders.readers import cell_text, read_text
from tests import hostile as h

REPO = Path(__file__).resolve().parents[1]
W = h.W_NS
SMALL = Limits(max_inflated_bytes=64 << 20)  # bombs of 100 MB are enough to trip it

REFUSED: list[tuple[str, Callable[[Path], Path], str]] = [
    ("zip bomb", lambda d: h.zip_bomb(d, 100), "inflates beyond"),
    ("many entries", lambda d: h.many_entries(d, 2500), "archive entries"),
    ("billion laughs", lambda d: h.docx_xml(d, "laughs.docx", h.billion_laughs()), "not well-formed"),
    ("empty document.xml", lambda d: h.docx_xml(d, "empty.docx", ""), "not well-formed"),
    ("unclosed document.xml", lambda d: h.docx_xml(d, "open.docx", f'<w:document xmlns:w="{W}"><w:body>'),
     "not well-formed"),
    ("nesting over 256", lambda d: h.docx_xml(d, "deep.docx", h.deep_xml(300)), "not well-formed"),
    ("text node over 10 MB", lambda d: h.docx_xml(
        d, "bigtext.docx", f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{"政" * 3_500_001}</w:t>'
        "</w:r></w:p></w:body></w:document>"), "not well-formed"),
    ("no body", lambda d: h.docx_xml(d, "nobody.docx", f'<w:document xmlns:w="{W}"/>'), "no body"),
    ("PDF stream bomb", lambda d: h.pdf_stream_bomb(d, 100), "inflate beyond"),
    ("1 GB sparse file", h.sparse_file, "file too large"),
    ("valid GBK bytes, no text", lambda d: h.write(d, "noise.txt", h.gbk_noise()), "improbable"),
]


@pytest.mark.parametrize(("case", "make", "reason"), REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_file_is_refused_with_reason(tmp_path: Path, case: str, make, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(LoadError) as info:
        read_text(path, SMALL)
    assert reason in info.value.reason, info.value.reason
    assert path.name in str(info.value) and "\n" not in str(info.value)


def test_absurd_grid_span_is_clamped_to_the_table(tmp_path: Path) -> None:
    lines = read_text(h.grid_span(tmp_path)).split("\n")
    assert lines[-2:] == ["牵头单位", "市发改委\t市财政局"]  # spans both columns: a merged row


@pytest.mark.parametrize("span", ["abc", "-3", "", "9" * 40])
def test_malformed_grid_span_counts_as_one(tmp_path: Path, span: str) -> None:
    text = read_text(h.grid_span(tmp_path, span))
    assert text.split("\n")[-2] in ("牵头单位\t配合单位", "牵头单位")


def test_vmerge_in_first_row_has_nothing_above(tmp_path: Path) -> None:
    assert read_text(h.vmerge_first_row(tmp_path)).split("\n")[-2:] == ["配合单位", "市发改委\t市财政局"]


def test_style_cycles_end(tmp_path: Path) -> None:
    text = read_text(h.style_cycle(tmp_path))
    assert text.startswith("一、重点工作\n1、推进项目建设。")


def test_malformed_numbering_is_ignored(tmp_path: Path) -> None:
    # ilvl="x" and level 12 get no number; the only valid level (0, start -5 clamped to 0) is unused
    assert read_text(h.bad_numbering(tmp_path)).split("\n")[:2] == ["一、重点工作", h.TASK]


def _docx(path: Path, build: Callable) -> Path:
    import docx

    d = docx.Document()
    build(d)
    d.save(str(path))
    return path


def test_table_cell_with_two_paragraphs_keeps_both(tmp_path: Path) -> None:
    from govkg.loaders import load_document

    def build(d) -> None:  # noqa: ANN001
        d.add_paragraph("一、重点工作")
        t = d.add_table(rows=2, cols=3)
        for cell, text in zip(t.rows[0].cells, ("序号", "工作任务", "责任单位"), strict=True):
            cell.text = text
        t.cell(1, 0).text = "1"
        t.cell(1, 1).text = "推进园区建设。"
        t.cell(1, 2).text = "市发改委"
        t.cell(1, 2).add_paragraph("市财政局")

    path = _docx(tmp_path / "cell.docx", build)
    assert read_text(path).split("\n")[-1] == "1\t推进园区建设。\t市发改委；市财政局"
    task = next(t for t in load_document(path).tasks if t.number == "1")
    assert task.responsible == ["市发改委", "市财政局"]


def test_merged_cells_span_columns_and_rows(tmp_path: Path) -> None:
    def build(d) -> None:  # noqa: ANN001
        t = d.add_table(rows=4, cols=3)
        for cell, text in zip(t.rows[0].cells, ("序号", "工作任务", "牵头单位"), strict=True):
            cell.text = text
        t.cell(1, 0).merge(t.cell(1, 2)).text = "一、稳定增长"  # across the row
        t.cell(2, 0).text, t.cell(2, 1).text = "1", "修路。"
        t.cell(3, 0).text, t.cell(3, 1).text = "2", "架桥。"
        t.cell(2, 2).merge(t.cell(3, 2)).text = "市交通局"  # down two rows

    lines = read_text(_docx(tmp_path / "merged.docx", build)).split("\n")
    assert lines == ["序号\t工作任务\t牵头单位", "一、稳定增长", "1\t修路。\t市交通局", "2\t架桥。\t市交通局"]


def test_cell_paragraphs_are_never_glued() -> None:
    assert cell_text(["A", "B", "C。", "D"]) == "A；B；C。D"
    assert cell_text([" ", "A"]) == "A"


def test_deep_html_reads_without_recursion(tmp_path: Path) -> None:
    assert read_text(h.deep_html(tmp_path, 20_000)) == h.TASK


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("big5.txt", "一、重點工作\n1、推進園區建設。(責任單位:市發改委)\n".encode("big5"), "責任單位"),
        ("u16le.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode("utf-16-le"), "责任单位"),
        ("u16be.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode("utf-16-be"), "责任单位"),
        ("wrong.html", '<meta charset="utf-8"><p>一、重點工作 責任單位:市發改委</p>'.encode("big5"), "責任單位"),
        ("wrong2.html", '<meta charset="big5"><p>一、重点工作 责任单位:市发改委</p>'.encode("gb18030"), "责任单位"),
        ("none.html", "<p>一、重点工作 责任单位:市发改委</p>".encode("gb18030"), "责任单位"),
    ],
)
def test_encodings_detected(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    assert expected in read_text(h.write(tmp_path, name, data))


def test_memory_budget_kills_the_parse(tmp_path: Path) -> None:
    path = h.zip_bomb(tmp_path, 300)
    pool = ParsePool(Limits(max_inflated_bytes=4 << 30, parse_memory_bytes=250 << 20))
    with pytest.raises(LoadError) as info:
        pool.load(path)
    assert "memory" in info.value.reason and info.value.path == "bomb.docx"


def test_time_budget_kills_the_parse(tmp_path: Path) -> None:
    path = h.write(tmp_path, "slow.txt", ("回顾\n" * 200_000).encode())  # super-linear in structure.py
    pool = ParsePool(Limits(parse_seconds=1))
    start = time.monotonic()
    with pytest.raises(LoadError) as info:
        pool.load(path)
    assert "longer than 1 s" in info.value.reason
    assert time.monotonic() - start < 20  # killed, not waited for


def test_cancel_stops_the_parse(tmp_path: Path) -> None:
    import threading

    path = h.write(tmp_path, "slow.txt", ("回顾\n" * 200_000).encode())
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(LoadError) as info:
        ParsePool(Limits(parse_seconds=60)).load(path, cancel=cancel)
    assert "cancelled" in info.value.reason


def test_internal_parser_error_becomes_the_files_error(tmp_path: Path) -> None:
    # an uncaught KeyError in targets.py (issue 12) must not end the run
    path = h.write(tmp_path, "crash.txt", "一、重点工作\n1、新建学校3所、医院2家。(责任单位:市教育局)\n".encode())
    good = h.write(tmp_path, "good.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode())
    results = list(ParsePool(Limits()).map([path, good]))
    assert not isinstance(results[1], LoadError) and len(results[1].tasks) == 1
    if isinstance(results[0], LoadError):
        assert results[0].path == str(path) and "internal error" in results[0].reason


def test_cli_names_each_bad_file_on_one_line_and_goes_on(tmp_path: Path) -> None:
    bad = [h.zip_bomb(tmp_path, 100), h.sparse_file(tmp_path), h.style_cycle(tmp_path)]
    good = h.write(tmp_path, "good.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode())
    run = subprocess.run(
        [sys.executable, "-m", "govkg.api.cli", "extract", *map(str, bad), str(good)],
        cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, "GOVKG_MAX_INFLATED_MB": "64"},
    )
    assert run.returncode == 1
    errors = run.stderr.strip().split("\n")
    assert len(errors) == 2 and "bomb.docx" in errors[0] and "sparse.txt" in errors[1]
    assert len(run.stdout.strip().split("\n")) == 2  # the style-cycle file and the good one


def test_blocks_keep_paragraph_and_cell_spans(tmp_path: Path) -> None:
    from govkg.loaders.readers import read_document

    def build(d) -> None:  # noqa: ANN001
        d.add_paragraph("一、重点工作")
        t = d.add_table(rows=3, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "工作任务", "责任单位"
        t.cell(1, 0).merge(t.cell(1, 1)).text = "（一）稳定增长"
        t.cell(2, 0).text = "推进园区建设"
        t.cell(2, 1).text = "市发改委"
        t.cell(2, 1).add_paragraph("市财政局")
        d.add_paragraph("二、保障民生")

    reading = read_document(_docx(tmp_path / "blocks.docx", build))
    got = [(b.kind, reading.text[b.start : b.end], b.row, b.column) for b in reading.blocks]
    assert got == [
        ("paragraph", "一、重点工作", None, None),
        ("cell", "工作任务", 0, 0), ("cell", "责任单位", 0, 1),
        ("cell", "（一）稳定增长", 1, 0),
        ("cell", "推进园区建设", 2, 0), ("cell", "市发改委；市财政局", 2, 1),
        ("cell_paragraph", "市发改委", 2, 1), ("cell_paragraph", "市财政局", 2, 1),
        ("paragraph", "二、保障民生", None, None),
    ]


def test_blocks_of_text_and_html(tmp_path: Path) -> None:
    from govkg.loaders.readers import read_document

    page = "<p>一、目标</p><table><tr><td>1</td><td>修路。</td><td>市交通局</td></tr></table>"
    for name, data in (("a.txt", "一、目标\n1\t修路。\t市交通局\n".encode()), ("a.html", page.encode())):
        reading = read_document(h.write(tmp_path, name, data))
        texts = [(b.kind, reading.text[b.start : b.end], b.row, b.column) for b in reading.blocks]
        assert texts == [("paragraph", "一、目标", None, None), ("cell", "1", 0, 0), ("cell", "修路。", 0, 1),
                         ("cell", "市交通局", 0, 2)], name


def worker_and_tasks(doc: Document) -> tuple[int, int]:
    """A ``finish`` for the test below: the process it ran in and the document's task count."""
    return os.getpid(), len(doc.tasks)


def refuse(doc: Document) -> None:
    raise ValueError(f"{doc.source}: refused")


def test_finish_runs_in_the_worker_and_its_refusal_is_the_files_error(tmp_path: Path) -> None:
    good = h.write(tmp_path, "good.txt", "一、重点工作\n1、推进园区建设。(牵头单位:市发改委)\n".encode())
    pid, tasks = ParsePool(Limits(), worker_and_tasks).load(good)
    assert pid != os.getpid() and tasks == 1
    with pytest.raises(LoadError) as e:
        ParsePool(Limits(), refuse).load(good)
    assert e.value.reason == "good.txt: refused"
