"""The server-side layout is reproducible across processes."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# Nodes are inserted in set order, which depends on the process's string hashing.
SCRIPT = """
import json, networkx as nx
from govkg.graph.layout import packed_layout
names = {f"单位{i}" for i in range(40)}
g = nx.Graph()
g.add_nodes_from(names)
ordered = sorted(names)
g.add_edges_from((a, b, {"weight": 1 + i % 3}) for i, (a, b) in enumerate(zip(ordered, ordered[1:])) if i % 9)
print(json.dumps({k: [round(x, 9) for x in v] for k, v in sorted(packed_layout(g).items())}))
"""


def _layout(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_layout_does_not_depend_on_string_hashing():
    first = _layout("1")
    assert first.startswith("{")
    assert _layout("2") == first == _layout("3")
