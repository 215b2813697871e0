"""The embedded JSON store: round trip, determinism, atomic failure, validation."""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest

from graph.build import build_graph
from graph.files import write_atomic
from graph.store import StoreError, dumps, load_graph, save_graph
from tests.docmaker import made_documents


@pytest.fixture(scope="module")
def g():
    return build_graph(made_documents())


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr)


def test_round_trip_is_equal(g, tmp_path):
    path = tmp_path / "graph.json"
    save_graph(g, path)
    back = load_graph(path)
    assert isinstance(back, nx.MultiDiGraph)
    assert_same_graph(g, back)
    assert dumps(back) == path.read_bytes()


def test_rebuilding_from_the_same_documents_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    save_graph(build_graph(made_documents()), a)
    save_graph(build_graph(made_documents()), b)
    assert a.read_bytes() == b.read_bytes()


def test_adding_to_a_loaded_graph_is_a_no_op_for_known_documents(g, tmp_path):
    path = tmp_path / "graph.json"
    save_graph(g, path)
    again = build_graph(made_documents(), load_graph(path))
    assert dumps(again) == path.read_bytes()


def test_save_creates_the_folder(g, tmp_path):
    path = tmp_path / "new" / "deeper" / "graph.json"
    save_graph(g, path)
    assert load_graph(path).number_of_nodes() == g.number_of_nodes()


def test_unserialisable_attribute_leaves_the_previous_file_intact(g, tmp_path):
    path = tmp_path / "graph.json"
    save_graph(g, path)
    before = path.read_bytes()
    bad = g.copy()
    bad.add_node("x", kind="Task", label="x", when={1, 2})
    with pytest.raises(StoreError, match="graph.json"):
        save_graph(bad, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["graph.json"]  # no temp file left behind


def test_unwritable_target_leaves_no_partial_file(g, tmp_path):
    blocker = tmp_path / "graph.json"
    blocker.mkdir()  # os.replace cannot replace a folder with a file
    with pytest.raises(OSError):
        save_graph(g, blocker)
    assert blocker.is_dir() and os.listdir(tmp_path) == ["graph.json"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_leaves_the_previous_file_intact(g, tmp_path):
    path = tmp_path / "graph.json"
    save_graph(g, path)
    before = path.read_bytes()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            save_graph(nx.MultiDiGraph(), path)
    finally:
        tmp_path.chmod(0o755)
    assert path.read_bytes() == before


def test_write_atomic_replaces_whole_files(tmp_path):
    path = tmp_path / "out.bin"
    write_atomic(path, b"first version, rather long")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    write_atomic(path, b"third")
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe", "invalid JSON"),
        (b"[]", "format marker"),
        (json.dumps({"nodes": [], "links": []}).encode(), "format marker"),
        (
            json.dumps(
                {"govkg": {"format": "govkg-graph", "version": 99}, "directed": True, "multigraph": True}
            ).encode(),
            "version 99",
        ),
        (
            json.dumps(
                {
                    "govkg": {"format": "govkg-graph", "version": 1},
                    "directed": True,
                    "multigraph": True,
                    "nodes": [{"id": "a", "kind": "Task"}],
                    "links": [{"source": "a"}],
                }
            ).encode(),
            "bad link",
        ),
    ],
)
def test_load_rejects_bad_files_naming_them(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message) as err:
        load_graph(path)
    assert str(path) in str(err.value)


def test_load_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no such graph file"):
        load_graph(tmp_path / "absent.json")
