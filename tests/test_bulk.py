"""``govkg build DIR`` on a folder of mixed files (issue 11 point 3), through the console script."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.api.bulk import soffice
from tests.conftest import SAMPLES
from tests.test_cli import govkg

SYNTHETIC = SAMPLES / "2021_xialu_sample.txt"
EMPTY_PATH = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no soffice on it


def docx_of(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(path)
    return path


@pytest.fixture
def mixed(tmp_path) -> Path:
    """Samples, the same notice again as GB18030 text and as .docx, a stray file, a broken PDF, a .doc."""
    folder = tmp_path / "mixed"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("README*"))
    text = SYNTHETIC.read_text(encoding="utf-8")
    (folder / "again").mkdir()
    (folder / "again" / "xialu2021_gbk.txt").write_bytes(text.encode("gb18030"))
    docx_of(text, folder / "again" / "xialu2021.docx")
    (folder / "notes.txt").write_text("会议纪要:下周二上午九点开会,请准时参加。", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")  # not a document type: ignored in folders
    return folder


def build(folder: Path, data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("govkg", path=str(Path(sys.executable).parent))
    assert exe
    return subprocess.run(
        [exe, "build", str(folder), "-d", str(data), *args], capture_output=True, text=True, timeout=300, env=env
    )


def lines_of(out: str, status: str) -> list[str]:
    return [line.split(": ", 1)[0].split()[-1] for line in out.splitlines() if line.startswith(f"  {status} ")]


def test_mixed_folder_summary(mixed, tmp_path):
    data = tmp_path / "data"
    r = build(mixed, data, "--jobs", "2", env=EMPTY_PATH)
    assert r.returncode == 1, r.stderr  # one file failed; the others are in
    head = r.stdout.splitlines()[0]
    assert head.endswith("6 added, 10 unchanged, 2 skipped, 1 failed; the store holds 6 reports, 251 tasks")
    out = r.stdout
    assert f"  failed     {mixed / 'scan.pdf'}: " in out
    assert f"  skipped    {mixed / 'notes.txt'}: no tasks found" in out
    assert f"  skipped    {mixed / 'old.doc'}: LibreOffice (soffice) is not installed" in out
    for name in ("xialu2021_gbk.txt", "xialu2021.docx"):
        assert f"  unchanged  {mixed / 'again' / name}: same text as 2021_xialu_sample.txt (report:" in out
    assert len(lines_of(out, "added")) == 6
    listed = json.loads(govkg("reports", "--json", "-d", data).stdout)
    assert len(listed) == 6 and "notes.txt" not in {x["source"] for x in listed}
    xialu = [(x["jurisdiction"], x["year"], x["task_count"]) for x in listed if x["jurisdiction"] == "下陆区"]
    assert xialu == [("下陆区", 2020, 106), ("下陆区", 2021, 12)]


def test_a_second_build_is_all_unchanged_and_fresh_clears(mixed, tmp_path):
    data = tmp_path / "data"
    build(SAMPLES, data)
    again = build(SAMPLES, data)
    assert again.returncode == 0 and "0 added, 14 unchanged, 0 skipped, 0 failed" in again.stdout
    fresh = build(SYNTHETIC, data, "--fresh")
    assert fresh.returncode == 0 and "1 added" in fresh.stdout and "holds 1 reports, 12 tasks" in fresh.stdout
    kept = build(SAMPLES, data, "--if-empty")
    assert kept.returncode == 0 and "nothing added (--if-empty)" in kept.stdout
    assert len(json.loads(govkg("reports", "--json", "-d", data).stdout)) == 1


def test_reports_table_names_key_title_jurisdiction_year_tasks(tmp_path):
    data = tmp_path / "data"
    build(SAMPLES, data)
    r = govkg("reports", "-d", data)
    assert r.returncode == 0
    header = next(line for line in r.stdout.splitlines() if "key" in line)
    assert [w.strip() for w in header.strip("┃ ").split("┃")] == ["key", "title", "jurisdiction", "year", "tasks", "source"]
    row = next(line for line in r.stdout.splitlines() if "2021_xialu_sample.txt" in line)
    assert "report:07884e50c9f77e9a" in row and "下陆区" in row and "2021" in row and "│ 12 " in row


def test_progress_bar_on_a_terminal(tmp_path):
    """On a terminal, stderr shows a progress bar; piped, it does not (see the other tests)."""
    exe = shutil.which("govkg", path=str(Path(sys.executable).parent))
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [exe, "build", str(SAMPLES), "-d", str(tmp_path / "data"), "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = proc.communicate(timeout=60)[0].decode()
    os.close(leader)
    assert proc.returncode == 0 and "6 added" in out
    text = seen.decode("utf-8", "replace")
    assert "Loading" in text and "100%" in text


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_doc_is_converted_by_libreoffice(tmp_path):
    src = docx_of(SYNTHETIC.read_text(encoding="utf-8"), tmp_path / "xialu.docx")
    subprocess.run([soffice(), "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(src)], check=True)
    src.unlink()
    r = build(tmp_path / "xialu.doc", tmp_path / "data")
    assert r.returncode == 0 and "1 added" in r.stdout and "12 tasks" in r.stdout
