"""The API's graph: loaded once, indexed once, swapped whole after an upload.

``GraphState`` holds the stored graph's path, the graph and its ``GraphIndex``.
Readers take ``state.index`` (a consistent snapshot); ``add_document`` builds on a
copy, saves it atomically and only then swaps graph and index, so a failure leaves
both the file and the served graph as they were.

>>> import networkx as nx  # doctest: +SKIP
>>> GraphState.load("govkg-data/graph.json").index  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx
from fastapi import Request

from graph.build import build_graph, document_sha256
from graph.schema import report_key
from graph.store import load_graph, save_graph
from loaders import Document
from queries.index import GraphIndex


@dataclass(frozen=True, slots=True)
class Added:
    """What an upload did: ``added`` a new report or found it ``unchanged``."""

    status: Literal["added", "unchanged"]
    report: str
    source: str
    tasks: int
    nodes: int
    edges: int


class GraphState:
    """The served graph and its index (see the module docstring)."""

    def __init__(self, path: Path, graph: nx.MultiDiGraph) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._snapshot = (graph, GraphIndex(graph))

    @classmethod
    def load(cls, path: str | Path) -> GraphState:
        return cls(Path(path), load_graph(path))

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self._snapshot[0]

    @property
    def index(self) -> GraphIndex:
        return self._snapshot[1]

    def add_document(self, doc: Document) -> Added:
        """Merge ``doc`` into a copy of the graph, save it, then serve the copy.

        Idempotent by content hash: a report already in the graph changes nothing.
        """
        key = report_key(document_sha256(doc))

        def outcome(status: Literal["added", "unchanged"], graph: nx.MultiDiGraph) -> Added:
            return Added(
                status, key, doc.source, len(doc.tasks), graph.number_of_nodes(), graph.number_of_edges()
            )

        with self._lock:
            if key in self.graph:
                return outcome("unchanged", self.graph)
            new = build_graph([doc], copy.deepcopy(self.graph))
            save_graph(new, self.path)
            self._snapshot = (new, GraphIndex(new))
            return outcome("added", new)


def get_state(request: Request) -> GraphState:
    """FastAPI dependency: the app's ``GraphState``."""
    return request.app.state.govkg


def get_index(request: Request) -> GraphIndex:
    """FastAPI dependency: the index of the graph served right now."""
    return request.app.state.govkg.index
