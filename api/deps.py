"""The API's view of the store: a graph and its index cached per data generation.

``GraphState`` serves a snapshot (generation, graph, ``GraphIndex``) of the SQLite
store (``graph.store``). Each request compares the store's generation with the
snapshot's (one indexed read) and, when another process (a CLI ``build``, another
server) or this one committed since, loads a new snapshot; readers keep using the
previous one until the new one is ready. Uploads and removals are one store
transaction each, so concurrent writers never lose each other's documents.

>>> GraphState.load("govkg-data/govkg.sqlite").index  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx
from fastapi import Request

from graph.store import Store, StoredReport, paused_gc
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


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The graph as of one store generation, with its index."""

    generation: int
    graph: nx.MultiDiGraph
    index: GraphIndex


class NoSuchReport(LookupError):
    """A report reference that matches no stored report, or several (``candidates``)."""

    def __init__(self, message: str, candidates: tuple[StoredReport, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class GraphState:
    """The served store and its cached snapshot (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reload = threading.Lock()
        self._local = threading.local()
        self._snapshot = self._load()

    @classmethod
    def load(cls, path: str | Path) -> GraphState:
        return cls(Path(path))

    def _store(self) -> Store:
        """This thread's connection to the store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store.open(self.path, create=False)
        return store

    def _load(self) -> Snapshot:
        with paused_gc():
            generation, graph = self._store().load()
            snap = Snapshot(generation, graph, GraphIndex(graph))
        gc.freeze()  # long-lived: keep it out of later collections (no pauses walking the graph)
        threading.Thread(target=warm, args=(snap.index,), name="govkg-warm", daemon=True).start()
        return snap

    def snapshot(self) -> Snapshot:
        """The snapshot of the last committed generation (loaded now if it changed)."""
        snap = self._snapshot
        if self._store().generation() == snap.generation:
            return snap
        with self._reload:
            if self._store().generation() != self._snapshot.generation:
                self._snapshot = self._load()
            return self._snapshot

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.snapshot().graph

    @property
    def index(self) -> GraphIndex:
        return self.snapshot().index

    def add_document(self, doc: Document) -> Added:
        """Add ``doc`` in one store transaction (a no-op if its file or text is stored)."""
        result = self._store().add(doc)
        graph = self.graph
        return Added(
            result.status, result.report, doc.source, result.tasks, graph.number_of_nodes(), graph.number_of_edges()
        )

    def remove_report(self, ref: str) -> StoredReport:
        """Remove the one report ``ref`` names (key, sha256 prefix, file name or title)."""
        store = self._store()
        found = store.find(ref)
        if not found:
            raise NoSuchReport(f"no report {ref!r}")
        if len(found) > 1:
            raise NoSuchReport(f"{ref!r} names {len(found)} reports; give the key", tuple(found))
        removed = store.remove(found[0].key)
        self.snapshot()
        return removed


def warm(index: GraphIndex) -> None:
    """Compute the index's lazy parts (search postings, collaboration network, layout) ahead of the
    first request that needs them; a request arriving meanwhile waits for the same computation."""
    for part in ("postings", "network", "layout"):
        getattr(index, part)


def get_state(request: Request) -> GraphState:
    """FastAPI dependency: the app's ``GraphState``."""
    return request.app.state.govkg


def get_index(request: Request) -> GraphIndex:
    """FastAPI dependency: the index of the last committed graph."""
    return request.app.state.govkg.index
