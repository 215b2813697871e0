"""``govkg query`` through the real console script on a temporary data folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

R2020 = "001_6ae365a741fde3ec.txt"


def govkg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("govkg", path=str(Path(sys.executable).parent))
    assert exe, "the govkg console script is not installed in this environment"
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    built = govkg("build", SAMPLES, "--data-dir", folder)
    assert built.returncode == 0, built.stderr
    assert "6 added, 8 unchanged, 0 skipped, 0 failed" in built.stdout  # samples/formats: the same notices
    for made in sorted((SAMPLES / "formats").iterdir()):
        original = made.stem.removesuffix("_gb18030").removesuffix("_utf16") + ".txt"
        assert f"  unchanged  {made}: same text as {original} (report:" in built.stdout
    return folder


def query_json(data: Path, *args: str) -> object:
    r = govkg("query", *args, "--json", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govkg: error:"), r.stderr
    return lines[0]


def test_tasks_by_role(data):
    rows = query_json(data, "tasks", "区发改局", "--role", "lead", "--report", R2020)
    assert [r["task"]["number"] for r in rows] == [
        "3",
        "14",
        "24",
        "25",
        "26",
        "37",
        "38",
        "45",
        "70",
        "105",
        "106",
    ]
    table = govkg("query", "tasks", "发改委", "--year", "2011", "--data-dir", data)
    assert table.returncode == 0 and "27 tasks" in table.stdout


def test_co_owned_collaborators_profile(data):
    rows = query_json(data, "co-owned", "区发改局", "--with", "区科信局", "--year", "2020")
    assert len(rows) == 11
    top = query_json(data, "collaborators", "区发改局", "--report", R2020)[0]
    assert (top["unit"]["label"], top["shared"]) == ("区招商服务中心", 12)
    profile = query_json(data, "profile", "区乡村振兴局")
    assert [u["label"] for u in profile["predecessors"]] == ["区扶贫工作专班"]
    text = govkg("query", "profile", "发改委", "--data-dir", data)
    assert text.returncode == 0 and "鄂州市" in text.stdout and "18" in text.stdout


def test_network_search_overview(data):
    net = query_json(data, "network", "--min-weight", "5")
    assert net["links"] and all(link["weight"] >= 5 for link in net["links"])
    hits = query_json(data, "search", "养老服务", "--department", "区民政局")
    assert [h["task"]["number"] for h in hits] == ["10"]
    assert query_json(data, "no-lead", "--report", R2020) == []
    top = query_json(data, "top-leads", "--limit", "1")
    assert top[0]["unit"]["label"] == "市发改委" and top[0]["lead"] == 18
    districts = query_json(data, "districts")
    assert (districts[0]["name"], districts[0]["tasks"]) == ("东街办", 8)
    targets = query_json(data, "targets", "--indicator", "生产总值", "--year", "2021")
    assert [t["value"] for t in targets] == [10.0]


def test_diff(data):
    change = query_json(data, "diff", "区发改局", "--from", R2020, "--to", "2021_xialu_sample.txt")
    assert (change["before"]["lead"], change["after"]["lead"]) == (11, 1)
    assert [r["task"]["number"] for r in change["gained"]] == ["3"]
    table = govkg(
        "query", "diff", "区发改局", "--from", R2020, "--to", "2021_xialu_sample.txt", "--data-dir", data
    )
    assert table.returncode == 0 and "1 gained, 24 lost, 1 kept" in table.stdout


def test_export_after_build(data, tmp_path):
    out = tmp_path / "edges.csv"
    r = govkg("export", "--format", "csv", "--out", out, "--data-dir", data)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("source,target,weight")


def test_bad_input_is_one_line(data, tmp_path):
    assert "did you mean 区发改局" in one_line_error(
        govkg("query", "tasks", "发展改革局", "--data-dir", data)
    )
    assert "ambiguous" in one_line_error(govkg("query", "profile", "市发改委", "--data-dir", data))
    assert "unknown report" in one_line_error(
        govkg("query", "tasks", "区发改局", "--report", "x.txt", "--data-dir", data)
    )
    assert "no stored graph" in one_line_error(govkg("query", "top-leads", "--data-dir", tmp_path / "empty"))
    assert govkg("query", "tasks", "区发改局", "--role", "boss", "--data-dir", data).returncode != 0


def test_a_bad_file_is_reported_and_the_others_added(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    folder = tmp_path / "data"
    r = govkg("build", SAMPLES / "2021_xialu_sample.txt", bad, "--data-dir", folder)
    assert r.returncode == 1
    assert "1 added, 0 unchanged, 0 skipped, 1 failed" in r.stdout
    assert f"failed     {bad}: " in r.stdout
    assert [row["source"] for row in json.loads(govkg("reports", "--json", "-d", folder).stdout)] == [
        "2021_xialu_sample.txt"
    ]


def test_export_json_is_the_stored_graph(data, tmp_path, sample_graph):
    from govkg.graph.store import dumps, loads

    out = tmp_path / "graph.json"
    r = govkg("export", "-f", "json", "-o", out, "--data-dir", data)
    assert r.returncode == 0, r.stderr
    assert dumps(loads(out.read_bytes())) == out.read_bytes() == dumps(sample_graph)


def test_port_in_use_is_one_line(data):
    import socket

    from tests.support import free_port

    port = free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        r = govkg("serve", "--port", str(port), "--data-dir", data)
    assert "already in use" in one_line_error(r) and f"127.0.0.1:{port}" in r.stderr
