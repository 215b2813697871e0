"""The API's view of the store: a graph and its index cached per data generation.

``GraphState`` serves a snapshot (generation, graph, ``GraphIndex``) of the SQLite
store (``govkg.graph.store``). Each request compares the store's generation with the
snapshot's (one indexed read) and, when another process (a CLI ``build``, another
server) or this one committed since, has a new snapshot loaded in a background
thread. The request waits for it up to ``FRESH_WAIT_S`` (small stores: always the
last committed state) and is otherwise answered from the previous snapshot, so a
large reload never stalls readers. Uploads and removals are one store transaction
each, so concurrent writers never lose each other's documents, and they wait for
the snapshot that holds their change.

Start-up reads no graph: the hot questions are answered from the store's read tables
(``GraphState.tables``, ``govkg.api.tables``) while they are of the last generation, and
the snapshot is loaded on the first request that needs the graph. Each reload first
refreshes the read tables and cached graph of the groups of reports that changed
(``govkg.api.tables.refresh``), then reads the graph from that cache.

>>> GraphState.load("govkg-data/govkg.sqlite").index  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import networkx as nx
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from govkg.api import tables
from govkg.api.bulk import default_jobs
from govkg.api.tables import Tables
from govkg.graph.store import Prepared, Store, StoredReport, paused_gc
from govkg.loaders import Document
from govkg.queries.index import GraphIndex

_T = TypeVar("_T")


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


FRESH_WAIT_S = 2.0
# Pages each serving connection keeps. The read tables' answers read pages all over the store; with
# SQLite's default 2 MiB, 64 clients asking co-owned of 50 departments at 100k tasks read most of them
# from the file again (3,300 answers/s, half the system time in reads); with 64 MiB, 3,700/s.
READ_CACHE_MIB = 64


class GraphState:
    """The served store and its cached snapshot (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._guard = threading.Lock()
        self._loading: threading.Event | None = None
        self._local = threading.local()
        self._snapshot: Snapshot | None = None  # loaded on first need, not at start-up
        self._stale = 0  # requests answered from a snapshot older than the last commit
        with Store.open(path, create=False) as store:
            stale = not store.tables_current()
        if stale:  # e.g. a store written by an older govkg: derive the graph and write its tables now
            self._reloading()

    @classmethod
    def load(cls, path: str | Path) -> GraphState:
        return cls(Path(path))

    def _store(self) -> Store:
        """This thread's connection to the store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store.open(self.path, create=False, cache_mib=READ_CACHE_MIB)
        return store

    def tables(self) -> Tables | None:
        """The read tables (``api.tables``) when they are of the last committed generation, else None
        (answer from the graph, whose reload writes them)."""
        tables = getattr(self._local, "tables", None)
        if tables is None:
            tables = self._local.tables = Tables(self._store())
        return tables if tables.current() else None

    @staticmethod
    def _load(store: Store) -> Snapshot:
        with paused_gc():
            generation, graph = store.load()
            snap = Snapshot(generation, graph, GraphIndex(graph))
        gc.freeze()  # long-lived: keep it out of later collections (no pauses walking the graph)
        return snap

    def snapshot(self, wait: float | None = FRESH_WAIT_S) -> Snapshot:
        """The snapshot of the last committed generation, or the previous one if loading the new one
        takes longer than ``wait`` seconds (``None``: wait until it is loaded; always on first use)."""
        snap = self._snapshot
        generation = self._store().generation()
        if snap is not None and generation == snap.generation:
            return snap
        self._reloading().wait(wait if snap is not None else None)
        if self._snapshot is None:  # the background load failed: load here, raising its error
            with Store.open(self.path, create=False) as store:
                self._snapshot = self._load(store)
        if wait is None and self._snapshot.generation < generation:  # committed during that reload
            return self.snapshot(None)
        if self._snapshot.generation < generation:
            with self._guard:
                self._stale += 1
        return self._snapshot

    def generation(self) -> int:
        """The store's last committed generation."""
        return self._store().generation()

    @property
    def loaded(self) -> bool:
        """True once a snapshot of the graph has been read (answers from the read tables need none)."""
        return self._snapshot is not None

    def stale_answers(self) -> int:
        """How many times a snapshot older than the last commit has been served so far."""
        return self._stale

    def _reloading(self) -> threading.Event:
        """The event of the reload under way, or of one started now."""
        with self._guard:
            if self._loading is None or self._loading.is_set():
                self._loading = threading.Event()
                threading.Thread(target=self._reload, args=(self._loading,), daemon=True).start()
            return self._loading

    def _reload(self, done: threading.Event) -> None:
        try:
            with Store.open(self.path, create=False) as store:
                # the groups that changed (in worker processes when they are many, as a build does):
                # the cached graph read next is of them
                tables.refresh(store, default_jobs())
                snap = self._snapshot = self._load(store)
                done.set()
                threading.Thread(target=warm, args=(snap.index,), name="govkg-warm", daemon=True).start()
        finally:
            done.set()

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.snapshot().graph

    @property
    def index(self) -> GraphIndex:
        return self.snapshot().index

    def text(self, report: str) -> str | None:
        """The stored normalised text of ``report`` (a report key), which its spans index."""
        return self._store().text(report)

    def add_document(self, doc: Document | Prepared) -> Added:
        """Add ``doc`` (or its ``prepare``d rows) in one store transaction (a no-op if its file or
        text is stored)."""
        result = self._store().add(doc)
        graph = self.snapshot(wait=None).graph
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
        self.snapshot(wait=None)
        return removed


def warm(index: GraphIndex) -> None:
    """Compute the index's lazy parts (search postings, collaboration network, layout) ahead of the
    first request that needs them; a request arriving meanwhile waits for the same computation."""
    for part in ("postings", "network", "layout"):
        getattr(index, part)


async def get_state(request: Request) -> GraphState:
    """FastAPI dependency: the app's ``GraphState`` (async: taken on the event loop, no thread hop)."""
    return request.app.state.govkg


def get_index(request: Request) -> GraphIndex:
    """FastAPI dependency: the index of the last committed graph."""
    return request.app.state.govkg.index


async def from_graph(state: GraphState, answer: Callable[[GraphIndex], _T]) -> _T:
    """``answer(index)`` in a worker thread. The read-table paths answer on the event loop; the graph
    path must not, since loading a new snapshot may take seconds."""
    return await run_in_threadpool(lambda: answer(state.index))


State = Annotated[GraphState, Depends(get_state)]  # the parameters of the routers that take them
Index = Annotated[GraphIndex, Depends(get_index)]
