"""``govkg draw``: the static PNG / SVG picture of the collaboration network."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from govkg.api.draw import EDGE_GID, NODE_GID, draw_network
from govkg.graph.layout import packed_layout
from govkg.graph.network import collaboration_network
from govkg.graph.schema import Basis, EdgeType, NodeKind, department_key, report_key, task_key

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[1]

# (task, lead, assistants): 发改局 and 财政局 share three tasks, the others one or two.
TASKS = [
    ("1", "发展和改革局", ["财政局", "教育局"]),
    ("2", "发展和改革局", ["财政局"]),
    ("3", "财政局", ["发展和改革局", "审计局"]),
    ("4", "教育局", ["审计局"]),
    ("5", "统计局", []),
]


def small_graph() -> nx.MultiDiGraph:
    """A one-report graph built by hand following graph.schema."""
    g = nx.MultiDiGraph()
    sha = "ab" * 32
    report = report_key(sha)
    g.add_node(report, kind=NodeKind.REPORT.value, label="测试区2020年重点工作责任分解", source="t.txt",
               sha256=sha, title="测试区2020年重点工作责任分解", jurisdiction="测试区", year=2020,
               task_count=len(TASKS))
    for number, lead, assistants in TASKS:
        task = task_key(sha, number)
        g.add_node(task, kind=NodeKind.TASK.value, label=f"任务{number}", report=report, task_id=number,
                   number=number, text=f"任务{number}", section_path=[], deadline=None, span=[0, 1],
                   year=2020, jurisdiction="测试区")
        g.add_edge(report, task, key=EdgeType.CONTAINS.value, type=EdgeType.CONTAINS.value)
        for role, names in ((EdgeType.LEADS, [lead]), (EdgeType.ASSISTS, assistants)):
            for name in names:
                dept = department_key("测试区", name)
                g.add_node(dept, kind=NodeKind.DEPARTMENT.value, label=name, name=name,
                           jurisdiction="测试区", aliases=[name])
                g.add_edge(dept, task, key=role.value, type=role.value, basis=Basis.EXPLICIT.value,
                           report=report, span=[0, 1], printed=name)
    return g


def svg_groups(path: Path) -> dict[str, int]:
    """Number of drawn shapes in the SVG's node and edge groups."""
    root = ET.parse(path).getroot()
    counts = {}
    for gid in (NODE_GID, EDGE_GID):
        group = root.find(f".//{SVG}g[@id='{gid}']")
        counts[gid] = 0 if group is None else sum(1 for e in group.iter() if e.tag in (f"{SVG}path", f"{SVG}use"))
    return counts


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_is_written(tmp_path):
    out = tmp_path / "net.png"
    draw_network(small_graph(), out)
    width, height = png_size(out)
    assert 800 <= width <= 4000 and 600 <= height <= 4000
    assert out.stat().st_size > 20_000  # a drawing, not a blank canvas
    assert not [p for p in tmp_path.iterdir() if p != out]  # no temp file left behind
    assert out.stat().st_mode & 0o777 == 0o644


def test_svg_draws_one_marker_per_node_and_one_line_per_edge(tmp_path):
    g = small_graph()
    network = collaboration_network(g)
    assert network.number_of_nodes() == 5  # 统计局 works alone but is still a unit
    out = tmp_path / "net.svg"
    draw_network(g, out)
    assert svg_groups(out) == {NODE_GID: network.number_of_nodes(), EDGE_GID: network.number_of_edges()}


def test_min_weight_drops_light_edges(tmp_path):
    g = small_graph()
    out = tmp_path / "heavy.svg"
    draw_network(g, out, min_weight=2)
    network = collaboration_network(g, min_weight=2)
    # Only 发改局-财政局 (3 tasks) reaches 2 shared tasks.
    assert network.number_of_edges() == 1
    assert svg_groups(out)[EDGE_GID] == 1
    assert svg_groups(out)[NODE_GID] == network.number_of_nodes()


def test_empty_graph_still_gives_a_picture(tmp_path):
    out = tmp_path / "empty.svg"
    draw_network(nx.MultiDiGraph(), out)
    assert svg_groups(out) == {NODE_GID: 0, EDGE_GID: 0}


def test_unknown_suffix_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="png or .svg"):
        draw_network(small_graph(), tmp_path / "net.jpg")
    assert list(tmp_path.iterdir()) == []


def test_svg_is_reproducible(tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    draw_network(small_graph(), a)
    draw_network(small_graph(), b)
    assert a.read_bytes() == b.read_bytes()


def test_packed_layout_keeps_components_apart():
    network = nx.disjoint_union_all([nx.complete_graph(6), nx.cycle_graph(5), nx.path_graph(2), nx.empty_graph(3)])
    pos = packed_layout(network)
    assert set(pos) == set(network)
    assert all(-1 <= c <= 1 for p in pos.values() for c in p)
    boxes = []
    for part in nx.connected_components(network):
        xs, ys = [pos[v][0] for v in part], [pos[v][1] for v in part]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    assert packed_layout(network) == pos  # fixed seed


def test_samples_graph_is_drawn(tmp_path, sample_graph):
    network = collaboration_network(sample_graph)
    assert network.number_of_nodes() > 10
    out = tmp_path / "samples.svg"
    draw_network(sample_graph, out)
    assert svg_groups(out) == {NODE_GID: network.number_of_nodes(), EDGE_GID: network.number_of_edges()}


def test_govkg_draw_command(tmp_path):
    govkg = shutil.which("govkg", path=str(Path(sys.executable).parent))
    assert govkg, "the govkg console script is not installed in this venv"
    data = tmp_path / "data"
    build = subprocess.run([govkg, "build", str(REPO / "samples"), "--data-dir", str(data)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    out = tmp_path / "net.png"
    run = subprocess.run([govkg, "draw", "--out", str(out), "--data-dir", str(data), "--min-weight", "2"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert png_size(out)[0] > 800
    bad = subprocess.run([govkg, "draw", "--out", str(tmp_path / "x.gif"), "--data-dir", str(data)],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and "png or .svg" in bad.stderr
