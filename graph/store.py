"""The embedded store: the graph persisted atomically to one JSON file."""

from __future__ import annotations

from pathlib import Path

import networkx as nx


def save_graph(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``graph`` to ``path`` atomically (temp file + rename)."""
    raise NotImplementedError


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by ``save_graph``."""
    raise NotImplementedError
