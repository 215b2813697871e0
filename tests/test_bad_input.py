"""Bad input is rejected with a LoadError naming the file and the reason, also through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.loaders.errors import LoadError
from govkg.loaders.readers import read_text

REPO = Path(__file__).resolve().parents[1]
GOOD = "1、地区生产总值增长10%以上。(责任单位:市发改委)\n2、做好就业工作。(牵头单位:市人社局)\n"


def _rejected(path: Path) -> LoadError:
    with pytest.raises(LoadError) as info:
        read_text(path)
    assert path.name in str(info.value)
    assert info.value.reason
    return info.value


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \r\n\t\n  ", "empty"),
        ("nul.txt", b"\x00\x01\x02PK\x00\x00" * 50, "binary"),
        ("controls.txt", bytes(range(1, 9)) * 40 + "政府".encode(), "binary"),
        ("garbage.txt", b"\x81\x20\xfe\x7f\xff" * 40, "decode"),
        ("empty.html", b"<html><body><script>x=1</script></body></html>", "no text"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip archive", "corrupt"),
        ("notzip.docx", "一、总体要求".encode(), "corrupt"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
    ],
)
def test_bad_files_raise_load_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    assert reason in _rejected(p).reason


def test_unsupported_extension(tmp_path: Path) -> None:
    p = tmp_path / "report.xls"
    p.write_text(GOOD, encoding="utf-8")
    assert "unsupported" in _rejected(p).reason
    assert ".xls" in _rejected(p).reason


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in _rejected(tmp_path / "missing.txt").reason


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(3, 3))
    fig.add_subplot().plot([0, 1], [1, 0])  # drawing only; axis ticks off so there is no text
    fig.axes[0].axis("off")
    p = tmp_path / "scan.pdf"
    fig.savefig(p)
    plt.close(fig)
    assert "no text layer" in _rejected(p).reason


def test_cli_extract_reports_bad_file_and_keeps_going(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.bin"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_bytes(b"\x00\x01\x02\x03" * 64)
    govkg = Path(sys.executable).with_name("govkg")
    result = subprocess.run(
        [str(govkg), "extract", str(good), str(bad)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode != 0
    err_lines = result.stderr.strip().splitlines()
    assert len(err_lines) == 1, result.stderr
    assert "bad.bin" in err_lines[0] and "unsupported" in err_lines[0]
    assert "Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(d["source"]).name for d in out] == ["good.txt"]
    assert len(out[0]["tasks"]) == 2
