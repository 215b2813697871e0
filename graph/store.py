"""The embedded store: one SQLite database (WAL mode), a document per transaction.

Each report is stored with the nodes and edges its document contributes to the
graph (``govkg.graph.build.add_document`` on an empty graph), as indexed rows whose
attributes are JSON. Adding or removing a document is one ``BEGIN IMMEDIATE``
transaction, so concurrent writers (CLI and server) are serialised by SQLite and
a killed process leaves the last committed state. ``load_graph`` unites the
documents' rows in the order they were added and recomputes the graph-wide facts
(``govkg.graph.derive``): the result equals ``build_graph`` over the same documents.

Every write bumps ``generation`` in ``meta``; readers compare it to know when
what they cached is stale. The reports fall into groups that nothing derived crosses
(``groups``); a refresh (``refresh_plan``, ``dropping``, ``writing_groups`` per batch, ``finishing``,
driven by ``govkg.api.tables.refresh``) derives only the groups whose reports changed and
caches each one's graph in the ``snapshot`` table (``marshal`` of plain nodes and edges, no
code), a batch of groups per transaction, so a reader of that generation skips the union
and derivation. Each report's normalised text is kept beside its rows (``text``), so its
spans can be shown. The schema is versioned (``PRAGMA user_version``); ``MIGRATIONS`` brings
an older database up to ``SCHEMA_VERSION`` on open.

>>> with Store.open(":memory:") as s:  # doctest: +SKIP
...     s.add(document).status
'added'
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import itertools
import json
import marshal
import random
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from govkg.graph import derive
from govkg.graph.build import add_document, document_sha256
from govkg.graph.schema import UNIT_KINDS, NodeKind, jurisdiction_key, report_key
from govkg.loaders.model import Document, Level, Metadata

FORMAT = "govkg-graph"  # marker of the JSON export (``dumps``)
VERSION = 1
SCHEMA_VERSION = 8
STORE_FILE = "govkg.sqlite"
BUSY_TIMEOUT_MS = 60_000
_SPACE = re.compile(r"\s+")

SCHEMA_V1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        text_sha256 TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT,
        issuer TEXT,
        doc_number TEXT,
        published TEXT,
        jurisdiction TEXT,
        level TEXT,
        year INTEGER,
        task_count INTEGER NOT NULL,
        added_at REAL NOT NULL)""",
    """CREATE TABLE nodes (
        report INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        attrs TEXT NOT NULL,
        PRIMARY KEY (report, seq)) WITHOUT ROWID""",
    """CREATE TABLE edges (
        report INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        type TEXT NOT NULL,
        attrs TEXT NOT NULL,
        PRIMARY KEY (report, seq)) WITHOUT ROWID""",
    "CREATE INDEX nodes_key ON nodes (key)",
    "CREATE INDEX nodes_kind ON nodes (kind, key)",
    "CREATE INDEX edges_source ON edges (source, type)",
    "CREATE INDEX edges_target ON edges (target, type)",
    "CREATE INDEX reports_year ON reports (year, jurisdiction)",
    "INSERT INTO meta VALUES ('generation', '0')",
)

SCHEMA_V2 = (
    """CREATE TABLE snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        generation INTEGER NOT NULL,
        data BLOB NOT NULL)""",
)

SCHEMA_V3 = (  # each report's normalised text, which the spans of its tasks and units index
    "CREATE TABLE texts (report INTEGER PRIMARY KEY, text TEXT NOT NULL)",
)

# The read tables (``govkg.api.tables``): what the server's named questions read, written once per
# generation from the derived graph. ``tables_generation`` in ``meta`` says which generation they
# are of; the search tokens (``task_tokens``, ``postings``) depend only on a task's text and are
# kept across generations (added and dropped with their tasks).
SCHEMA_V4 = (
    "INSERT INTO meta VALUES ('tables_generation', '-1')",
    """CREATE TABLE t_reports (
        key TEXT PRIMARY KEY, year INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID""",
    "CREATE INDEX t_reports_order ON t_reports (year, key)",
    """CREATE TABLE t_units (key TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE t_tasks (
        ord INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        year INTEGER,
        task TEXT NOT NULL,
        brief TEXT NOT NULL,
        mentions TEXT NOT NULL,
        leads TEXT NOT NULL)""",
    """CREATE TABLE t_holds (
        unit TEXT NOT NULL,
        ord INTEGER NOT NULL,
        role TEXT NOT NULL,
        basis TEXT NOT NULL,
        shared INTEGER NOT NULL,
        PRIMARY KEY (unit, ord)) WITHOUT ROWID""",
    """CREATE TABLE t_networks (jurisdiction TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE task_tokens (
        id INTEGER PRIMARY KEY, task TEXT NOT NULL UNIQUE, n INTEGER NOT NULL, tokens TEXT NOT NULL)""",
    """CREATE TABLE postings (token TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (token, id)) WITHOUT ROWID""",
)
READ_TABLES = ("t_reports", "t_units", "t_tasks", "t_holds", "t_shared", "t_networks", "task_tokens")
GROUP_TABLES = ("t_reports", "t_units", "t_tasks", "t_holds", "t_shared", "t_networks")  # rows per group

# The cached snapshot in parts: SQLite refuses a value over 1 GB ("string or blob too big"),
# which the marshalled graph of a million tasks exceeds. It is a cache: dropped, not converted.
SCHEMA_V5 = (
    "DROP TABLE snapshot",
    """CREATE TABLE snapshot (
        part INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,
        data BLOB NOT NULL)""",
)
SNAPSHOT_PART_ITEMS = 20_000  # nodes or edges per cached part: far below SQLite's 1 GB per value

# Search postings keyed by (token, the task's token count, task), so one index walk reads a word's
# tasks best first (fewest tokens) and checks another word of the same task; a task row drops its
# mentions column (they are in its record). A hold carries its
# task's year, and a shared hold the task's other mentions (``t_shared``), so counts and co-owned
# rows are read without joining or parsing JSON. The read tables are rewritten.
SCHEMA_V6 = (
    "DELETE FROM snapshot",  # cached in parts of nodes and edges, each marshalled on its own
    "DROP TABLE postings",
    "DROP TABLE task_tokens",
    "DROP TABLE t_holds",
    "DROP TABLE t_tasks",
    """CREATE TABLE t_tasks (
        ord INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        year INTEGER,
        task TEXT NOT NULL,
        brief TEXT NOT NULL,
        leads TEXT NOT NULL)""",
    """CREATE TABLE task_tokens (task TEXT PRIMARY KEY, n INTEGER NOT NULL, tokens TEXT NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE postings (
        token TEXT NOT NULL, n INTEGER NOT NULL, task TEXT NOT NULL, PRIMARY KEY (token, n, task)) WITHOUT ROWID""",
    """CREATE TABLE t_holds (
        unit TEXT NOT NULL,
        ord INTEGER NOT NULL,
        role TEXT NOT NULL,
        basis TEXT NOT NULL,
        shared INTEGER NOT NULL,
        year INTEGER,
        PRIMARY KEY (unit, ord)) WITHOUT ROWID""",
    """CREATE TABLE t_shared (
        unit TEXT NOT NULL, ord INTEGER NOT NULL, others TEXT NOT NULL, PRIMARY KEY (unit, ord)) WITHOUT ROWID""",
    "UPDATE meta SET value = '-1' WHERE key = 'tables_generation'",
)
# The derived graph and the read tables are written per group of reports (``Store.groups``): a
# refresh rewrites only the groups whose reports changed. ``groups`` records the group of each
# report the tables were written for; every derived row says its group (a task's ``ord`` holds it
# in its high bits, ``GROUP_SHIFT``), the snapshot is kept in parts per group, and the task list
# is ordered by report key from an index. The read tables are rewritten.
SCHEMA_V7 = (
    "DROP TABLE snapshot",
    """CREATE TABLE snapshot (
        grp INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (grp, part)) WITHOUT ROWID""",
    "CREATE TABLE groups (report INTEGER PRIMARY KEY, grp INTEGER NOT NULL)",
    "DROP TABLE t_reports",
    "DROP TABLE t_units",
    "DROP TABLE t_tasks",
    "DELETE FROM t_holds",  # found by their units' group
    "DELETE FROM t_shared",
    "DROP TABLE t_networks",
    """CREATE TABLE t_reports (
        key TEXT PRIMARY KEY, grp INTEGER NOT NULL, year INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID""",
    "CREATE INDEX t_reports_order ON t_reports (year, key)",
    "CREATE INDEX t_reports_grp ON t_reports (grp)",
    "CREATE TABLE t_units (key TEXT PRIMARY KEY, grp INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID",
    "CREATE INDEX t_units_grp ON t_units (grp)",
    """CREATE TABLE t_tasks (
        ord INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        report TEXT NOT NULL,
        year INTEGER,
        task TEXT NOT NULL,
        brief TEXT NOT NULL,
        leads TEXT NOT NULL)""",
    "CREATE INDEX t_tasks_order ON t_tasks (report, ord)",
    """CREATE TABLE t_networks (
        jurisdiction TEXT PRIMARY KEY, grp INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID""",
    "UPDATE meta SET value = '-1' WHERE key = 'tables_generation'",
)
GROUP_SHIFT = 24  # a task's ``ord`` is its group << GROUP_SHIFT | its place in the group (16M tasks)
# ``tables_generation`` below any generation: every group's rows are to be deleted (a migration
# sets it), or none is of a generation yet (``groups`` says which are written)
TABLES_REWRITE, TABLES_PARTIAL = -1, -2
# Search by SQLite's full-text index (FTS5, contentless, no positions): each task's row id is its
# search rank (``queries.index.search_rank``), so a word's tasks come best first and a page of hits
# is read without sorting every hit; its tokens are written in hex (``search_term``), which FTS5's
# tokenizer keeps whole. ``task_tokens`` keeps each task's rank and tokens (a row of a contentless
# index is deleted by restating them). The tokens are made again on the next refresh.
SCHEMA_V8 = (
    "DROP TABLE postings",
    "DROP TABLE task_tokens",
    """CREATE TABLE task_tokens (
        task TEXT PRIMARY KEY, rank INTEGER NOT NULL UNIQUE, tokens TEXT NOT NULL) WITHOUT ROWID""",
    "CREATE VIRTUAL TABLE task_search USING fts5(terms, content='', columnsize=0, detail=none)",
    "UPDATE meta SET value = '-1' WHERE key = 'tables_generation'",
)
# version -> statements that bring a database at version - 1 to it (0: an empty file)
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: SCHEMA_V1, 2: SCHEMA_V2, 3: SCHEMA_V3, 4: SCHEMA_V4, 5: SCHEMA_V5, 6: SCHEMA_V6, 7: SCHEMA_V7,
    8: SCHEMA_V8,
}


class StoreError(ValueError):
    """A store that cannot be opened, read or written; the message names the file."""


class _Stored(Exception):  # noqa: N818 - control flow: the document is already stored
    def __init__(self, key: str, source: str) -> None:
        self.key, self.source = key, source


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One report row: its key, metadata and task count."""

    key: str
    sha256: str
    source: str
    title: str | None
    issuer: str | None
    doc_number: str | None
    published: str | None
    jurisdiction: str | None
    level: str | None
    year: int | None
    task_count: int


@dataclass(frozen=True, slots=True)
class AddResult:
    """What adding a document did: ``added``, or ``unchanged`` because ``report`` holds the same text."""

    status: Literal["added", "unchanged"]
    report: str
    source: str
    tasks: int
    same_as: str | None = None  # source of the stored report with the same text


def text_sha256(doc: Document) -> str:
    """sha256 of the document's normalised text with all white space removed.

    Two formats or encodings of one notice give the same value.
    """
    return hashlib.sha256(_SPACE.sub("", doc.text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document as ``Store.add`` writes it: its keys, report row and graph rows, rendered
    without a store (``prepare``), so that parse workers can do it in parallel."""

    source: str
    sha256: str
    key: str
    text_sha256: str
    metadata: Metadata
    text: str
    task_count: int
    nodes: tuple[tuple[str, str, str], ...]  # (key, kind, attributes as JSON)
    edges: tuple[tuple[str, str, str, str], ...]  # (source, target, type, attributes as JSON)


def prepare(doc: Document) -> Prepared:
    """The rows of ``doc``: the nodes and edges it contributes to the graph (``add_document`` on an
    empty graph), attributes as JSON. Raises ``StoreError`` naming the document if an attribute
    cannot be stored."""
    sha = document_sha256(doc)
    sub = nx.MultiDiGraph()
    add_document(sub, doc, sha)
    return Prepared(
        doc.source,
        sha,
        report_key(sha),
        text_sha256(doc),
        doc.metadata,
        doc.text,
        len(doc.tasks),
        tuple((k, d["kind"], _json(d, doc.source)) for k, d in sub.nodes(data=True)),
        tuple((u, v, t, _json(d, doc.source)) for u, v, t, d in sub.edges(keys=True, data=True)),
    )


def store_path(data_dir: str | Path) -> Path:
    """The store file in ``data_dir``."""
    return Path(data_dir) / STORE_FILE


_REPORT_COLUMNS = (
    "key, sha256, source, title, issuer, doc_number, published, jurisdiction, level, year, task_count"
)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """True for the lock errors that clear when the other connection finishes."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Store:
    """A connection to the store file (use as a context manager; not shared between threads)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path, create: bool = True, cache_mib: int | None = None) -> Store:
        """Open (and with ``create``, create or migrate) the store at ``path``; ``cache_mib``: the
        pages this connection keeps in memory (SQLite's default: 2 MiB)."""
        path = Path(path)
        if str(path) != ":memory:":
            if not create and not path.is_file():
                raise StoreError(f"{path}: no such store")
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.005
        while True:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                # switching to WAL takes an exclusive lock without waiting on the busy handler
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                if cache_mib is not None:
                    conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")  # negative: in KiB
                store = cls(path, conn)
                store._migrate()
                return store
            except sqlite3.OperationalError as e:
                conn.close()
                if not _is_busy(e):
                    raise StoreError(f"{path}: not a govkg store ({e})") from None
                if time.monotonic() > deadline:
                    raise StoreError(f"{path}: store is busy ({e}); another process holds it") from None
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, 0.5)
            except sqlite3.DatabaseError as e:
                conn.close()
                raise StoreError(f"{path}: not a govkg store ({e})") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (the write lock taken at its start), rolled back on any error."""
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            yield c
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that bumps ``generation``; rolled back on any error."""
        with self._immediate() as c:
            yield c
            c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} is newer than this govkg ({SCHEMA_VERSION})"
            )
        if version == SCHEMA_VERSION:
            return
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            version = c.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v]:
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {v}")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # -- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def generation(self) -> int:
        """A number that changes with every committed write."""
        return int(self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def tables_generation(self) -> int:
        """The generation the read tables (``govkg.api.tables``) were written for (-1: never)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'tables_generation'").fetchone()
        return int(row[0])

    def tables_current(self) -> bool:
        """True when the read tables are of the last committed generation (both read in one statement)."""
        rows = dict(self._conn.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'tables_generation')"))
        return rows.get("generation") == rows.get("tables_generation")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one read transaction (every statement sees the same committed state)."""
        c = self._conn
        c.execute("BEGIN")
        try:
            yield c
        finally:
            c.execute("COMMIT")

    def read(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one query (in the transaction under way, if any)."""
        return self._conn.execute(sql, tuple(args)).fetchall()

    def reports(self) -> list[StoredReport]:
        """The stored reports in the order they were added."""
        rows = self._conn.execute(f"SELECT {_REPORT_COLUMNS} FROM reports ORDER BY id").fetchall()
        return [StoredReport(*r) for r in rows]

    def counts(self) -> tuple[int, int]:
        """(reports, tasks) stored."""
        n, tasks = self._conn.execute("SELECT count(*), coalesce(sum(task_count), 0) FROM reports").fetchone()
        return int(n), int(tasks)

    def find(self, ref: str) -> list[StoredReport]:
        """Reports matching ``ref``: a report key, a sha256 prefix, a source file name or a title."""
        rows = self.reports()
        for match in (
            lambda r: r.key == ref,
            lambda r: len(ref) >= 8 and r.sha256.startswith(ref.removeprefix("report:")),
            lambda r: r.source == ref,
            lambda r: r.title == ref,
        ):
            found = [r for r in rows if match(r)]
            if found:
                return found
        return []

    def text(self, key: str) -> str | None:
        """The normalised text of report ``key`` (which its spans index); None if it is not stored
        (no such report, or a report stored before schema 3 kept texts)."""
        row = self._conn.execute(
            "SELECT t.text FROM texts t JOIN reports r ON r.id = t.report WHERE r.key = ?", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def load_graph(self) -> nx.MultiDiGraph:
        """The whole graph: every report's rows united in order, graph-wide facts derived."""
        return self.load()[1]

    def load(self) -> tuple[int, nx.MultiDiGraph]:
        """The generation and the whole graph, read from one committed state.

        From the cached parts of each group (``Refresh.cache``) when the refresh is of this
        generation; otherwise united and derived from the rows.
        """
        with paused_gc():
            return self._load()

    def _load(self) -> tuple[int, nx.MultiDiGraph]:
        c = self._conn
        c.execute("BEGIN")  # one snapshot for all the reads
        try:
            generation = self.generation()
            if self.tables_generation() == generation:
                parts = c.execute("SELECT data FROM snapshot ORDER BY grp, part")
                return generation, _from_parts(data for (data,) in parts)
            g = self._united(None)
        finally:
            c.execute("COMMIT")
        derive.refresh(g)
        return generation, g

    def _united(self, reports: tuple[int, ...] | None) -> nx.MultiDiGraph:
        """The rows of ``reports`` (None: all) united in the order they were added (not derived)."""
        c = self._conn
        marks = "" if reports is None else ",".join("?" * len(reports))
        rows, ids = ("", "") if reports is None else (f"WHERE report IN ({marks})", f"WHERE id IN ({marks})")
        args = reports or ()
        return _unite(
            c.execute(f"SELECT key, attrs FROM nodes {rows} ORDER BY report, seq", args),
            c.execute(f"SELECT source, target, type, attrs FROM edges {rows} ORDER BY report, seq", args),
            c.execute(f"SELECT jurisdiction, level FROM reports {ids} ORDER BY id", args),
        )

    def group_graph(self, reports: tuple[int, ...]) -> nx.MultiDiGraph:
        """The derived graph of one group of reports (``groups``): the part of the whole graph
        that holds their nodes and edges, equal to ``build_graph`` over their documents alone."""
        with paused_gc():
            g = self._united(reports)
            derive.refresh(g)
        return g

    def groups(self) -> dict[int, tuple[int, ...]]:
        """The reports (ids) in groups that no stored or derived fact crosses, each keyed by its
        smallest report id.

        Two reports are in one group when they share a unit, district or jurisdiction node, or
        one names a district ``D`` and the other has units of jurisdiction ``D`` (which may be
        members of a collective of the first, ``govkg.graph.derive``). Everything
        ``govkg.graph.derive`` links lies within a jurisdiction or a document, and every unit of a
        jurisdiction is part of its jurisdiction node: so the whole graph is the disjoint union of
        the groups' graphs.
        """
        parent: dict[Any, Any] = {}

        def root(x: Any) -> Any:
            while (up := parent.setdefault(x, x)) != x:
                parent[x] = parent.get(up, up)
                x = up
            return x

        shared = ",".join(f"'{k.value}'" for k in (*UNIT_KINDS, NodeKind.DISTRICT, NodeKind.JURISDICTION))
        reports = [r for (r,) in self._conn.execute("SELECT id FROM reports")]
        for r in reports:
            parent[r] = r
        rows = self._conn.execute(
            "SELECT report, key, CASE WHEN kind = ? THEN json_extract(attrs, '$.name') END"
            f" FROM nodes WHERE kind IN ({shared})",
            (NodeKind.DISTRICT.value,),
        )
        kind = (NodeKind.JURISDICTION.value,)
        places = {k for (k,) in self._conn.execute("SELECT DISTINCT key FROM nodes WHERE kind = ?", kind)}
        for report, key, district in rows:
            place = jurisdiction_key(district) if district else None
            for label in (key, place if place in places else None):  # a district's name: units of it exist
                if label is not None:
                    a, b = root(report), root(label)
                    if a != b:
                        parent[b] = a
        out: dict[Any, list[int]] = {}
        for r in reports:
            out.setdefault(root(r), []).append(r)
        return {min(rs): tuple(sorted(rs)) for rs in out.values()}

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        """Hold the store's refresh lock (an OS file lock beside it, released if the process dies):
        one refresh at a time, so two never derive the same groups."""
        with (self.path.parent / f"{self.path.name}-refresh.lock").open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def refresh_plan(self) -> RefreshPlan | None:
        """What a refresh of the cached graph and the read tables must do: delete the written groups
        that no longer are groups, and write the groups whose reports changed since their rows were
        written (``groups`` records them); None when the tables are of the last generation. After a
        migration that asks for it, every group's rows are deleted first."""
        with self._immediate() as c:
            generation = self.generation()
            written = self.tables_generation()
            if written == generation:
                return None
            if written == TABLES_REWRITE:
                for table in (*GROUP_TABLES, "snapshot", "groups"):
                    c.execute(f"DELETE FROM {table}")
                _set_tables_generation(c, TABLES_PARTIAL)
            before: dict[int, set[int]] = {}
            for report, grp in c.execute("SELECT report, grp FROM groups"):
                before.setdefault(grp, set()).add(report)
            now = self.groups()
            kept = {g for g, rs in now.items() if before.get(g) == set(rs)}
            changed = tuple((g, rs) for g, rs in sorted(now.items()) if g not in kept)
            return RefreshPlan(generation, tuple(sorted(set(before) - kept)), changed)

    @contextmanager
    def dropping(self, plan: RefreshPlan) -> Iterator[Dropping]:
        """The write transaction that starts a refresh: a ``Dropping`` of the plan's dropped groups
        (a changed group's unit, report and task keys are in no other written group once they are
        gone); then ``groups`` forgets them. Raises ``StoreMoved`` (nothing written) when another
        process committed since the plan."""
        with self._immediate() as c:
            self._unmoved(plan)
            yield Dropping(c, plan.dropped)
            c.executemany("DELETE FROM groups WHERE grp = ?", ((g,) for g in plan.dropped))

    @contextmanager
    def writing_groups(self, plan: RefreshPlan) -> Iterator[GroupsWrite]:
        """One write transaction for some changed groups of ``plan``, after ``dropping``: a
        ``GroupsWrite`` to write their rows with and record each as written. Raises ``StoreMoved``
        as ``dropping`` does."""
        with self._immediate() as c:
            self._unmoved(plan)
            yield GroupsWrite(c)

    @contextmanager
    def finishing(self, plan: RefreshPlan) -> Iterator[sqlite3.Connection]:
        """The write transaction that ends a refresh once every group of ``plan`` is written; then
        the tables are of the plan's generation. Raises ``StoreMoved`` as ``dropping`` does."""
        with self._immediate() as c:
            self._unmoved(plan)
            yield c
            _set_tables_generation(c, plan.generation)

    def _unmoved(self, plan: RefreshPlan) -> None:
        if self.generation() != plan.generation:
            raise StoreMoved(f"{self.path}: changed since the refresh was planned")

    # -- writing ---------------------------------------------------------------------------

    def add(self, doc: Document | Prepared) -> AddResult:
        """Add one document (or its ``prepare``d rows) in one transaction; a no-op if its file or
        its text is already stored."""
        p = doc if isinstance(doc, Prepared) else prepare(doc)
        try:
            with self._write() as c:
                rid = self._insert_report(c, p)
                c.executemany("INSERT INTO nodes VALUES (?,?,?,?,?)", ((rid, i, *n) for i, n in enumerate(p.nodes)))
                c.executemany("INSERT INTO edges VALUES (?,?,?,?,?,?)", ((rid, i, *e) for i, e in enumerate(p.edges)))
                c.execute("INSERT INTO texts VALUES (?, ?)", (rid, p.text))
        except _Stored as same:
            return AddResult("unchanged", same.key, p.source, p.task_count, same_as=same.source)
        return AddResult("added", p.key, p.source, p.task_count)

    @staticmethod
    def _insert_report(c: sqlite3.Connection, p: Prepared) -> int:
        """Insert the report row and return its id; raises ``_Stored`` if the file or text is there."""
        same = c.execute(
            "SELECT key, source FROM reports WHERE key = ? OR text_sha256 = ?", (p.key, p.text_sha256)
        ).fetchone()
        if same:
            raise _Stored(*same)
        meta = p.metadata
        rid = c.execute(
            "INSERT INTO reports (key, sha256, text_sha256, source, title, issuer, doc_number, published,"
            " jurisdiction, level, year, task_count, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                p.key, p.sha256, p.text_sha256, meta.source, meta.title, meta.issuer, meta.doc_number,
                meta.published, meta.jurisdiction, meta.level.value, meta.year, p.task_count,
                time.time(),
            ),
        ).lastrowid
        assert rid is not None
        return rid

    def add_all(self, docs: Iterable[Document]) -> list[AddResult]:
        """Add each document (one transaction each)."""
        return [self.add(d) for d in docs]

    def remove(self, key: str) -> StoredReport:
        """Remove the report ``key`` with all its rows, in one transaction."""
        with self._write() as c:
            row = c.execute(f"SELECT id, {_REPORT_COLUMNS} FROM reports WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: no report {key!r}")
            for table in ("nodes", "edges", "texts"):
                c.execute(f"DELETE FROM {table} WHERE report = ?", (row[0],))
            c.execute("DELETE FROM reports WHERE id = ?", (row[0],))
        return StoredReport(*row[1:])

    def clear(self) -> None:
        """Remove every report, in one transaction."""
        with self._write() as c:
            for table in ("nodes", "edges", "texts", "reports", "snapshot", "groups", *READ_TABLES):
                c.execute(f"DELETE FROM {table}")
            c.execute("INSERT INTO task_search (task_search) VALUES ('delete-all')")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block without cyclic garbage collection (building a large graph allocates millions of
    containers, and each full collection would walk them all); it is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class RefreshPlan:
    """What a refresh does (``Store.refresh_plan``), planned at ``generation``: the written groups
    it deletes, and the groups it writes as (group, report ids)."""

    generation: int
    dropped: tuple[int, ...]
    changed: tuple[tuple[int, tuple[int, ...]], ...]


class StoreMoved(StoreError):
    """Another process committed since a refresh was planned: plan again."""


@dataclass(frozen=True, slots=True)
class Dropping:
    """The first write transaction of a refresh (``Store.dropping``): its connection and the
    written ``groups`` it deletes."""

    conn: sqlite3.Connection
    groups: tuple[int, ...]

    def removed_tasks(self) -> list[tuple[str]]:
        """The keys of the groups' tasks whose reports are no longer stored."""
        sql = "SELECT key FROM t_tasks WHERE ord >= ? AND ord < ? AND report NOT IN (SELECT key FROM reports)"
        return [row for g in self.groups for row in self.conn.execute(sql, _ords(g))]

    def drop(self) -> None:
        """Delete the groups' cached graph and read-table rows."""
        _drop_groups(self.conn, self.groups)


@dataclass(frozen=True, slots=True)
class GroupsWrite:
    """A write transaction of some groups in a refresh (``Store.writing_groups``): its connection."""

    conn: sqlite3.Connection

    def written(self, group: int, reports: tuple[int, ...], parts: Iterable[bytes]) -> None:
        """Record ``group`` (its ``reports``) as written, keeping its derived graph (``snapshot_parts``)."""
        self.conn.executemany("INSERT INTO snapshot VALUES (?, ?, ?)", ((group, i, p) for i, p in enumerate(parts)))
        self.conn.executemany("INSERT INTO groups VALUES (?, ?)", ((r, group) for r in reports))


def snapshot_parts(g: nx.MultiDiGraph, size: int = SNAPSHOT_PART_ITEMS) -> list[bytes]:
    """A group's derived graph as the parts ``Store.load`` reads (``marshal``, ``size`` nodes or
    edges each: SQLite refuses a value over 1 GB)."""
    return list(_to_parts(g, size))


def _ords(group: int) -> tuple[int, int]:
    """The range of ``ord`` that the tasks of ``group`` hold: [first, end)."""
    return group << GROUP_SHIFT, (group + 1) << GROUP_SHIFT


def _set_tables_generation(c: sqlite3.Connection, generation: int) -> None:
    c.execute("UPDATE meta SET value = ? WHERE key = 'tables_generation'", (str(generation),))


def _drop_groups(c: sqlite3.Connection, groups: Iterable[int]) -> None:
    """Delete the cached graph and read-table rows of ``groups``."""
    units = "(SELECT key FROM t_units WHERE grp = ?)"
    for g in groups:
        c.execute(f"DELETE FROM t_holds WHERE unit IN {units}", (g,))
        c.execute(f"DELETE FROM t_shared WHERE unit IN {units}", (g,))
        c.execute("DELETE FROM t_tasks WHERE ord >= ? AND ord < ?", _ords(g))
        for table in ("t_units", "t_reports", "t_networks", "snapshot"):
            c.execute(f"DELETE FROM {table} WHERE grp = ?", (g,))


def _to_parts(g: nx.MultiDiGraph, size: int) -> Iterator[bytes]:
    """The graph as ``marshal`` parts (plain nodes and edges, no code): its attributes, then its
    nodes and its edges, ``size`` at a time."""
    yield marshal.dumps(("graph", dict(g.graph)), 4)
    for kind, items in (("nodes", iter(g.nodes(data=True))), ("edges", iter(g.edges(keys=True, data=True)))):
        while chunk := list(itertools.islice(items, size)):
            yield marshal.dumps((kind, chunk), 4)


def _from_parts(parts: Iterable[bytes]) -> nx.MultiDiGraph:
    """The graph of ``_to_parts``, one part in memory at a time."""
    g = nx.MultiDiGraph()
    for data in parts:
        kind, items = marshal.loads(data)
        if kind == "graph":
            g.graph.update(items)
        elif kind == "nodes":
            g.add_nodes_from(items)
        else:
            g.add_edges_from(items)
    return g


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def _json(attrs: dict[str, Any], source: str) -> str:
    try:
        return _ENCODE(attrs)
    except (TypeError, ValueError) as e:
        raise StoreError(f"{source}: cannot store its graph: {e}") from e


def _unite(
    nodes: Iterable[tuple[str, str]],
    edges: Iterable[tuple[str, str, str, str]],
    reports: Iterable[tuple[str | None, str | None]],
) -> nx.MultiDiGraph:
    """The union of the documents' rows as ``build_graph`` would add them one by one.

    A node or edge already there keeps its attributes; a report's jurisdiction then
    takes the level that report states (``govkg.graph.build._add_jurisdiction``).
    """
    g = nx.MultiDiGraph()
    loads = json.loads
    for key, attrs in nodes:
        if key not in g:
            g.add_node(key, **loads(attrs))
    for u, v, t, attrs in edges:
        if not g.has_edge(u, v, key=t):
            g.add_edge(u, v, key=t, **loads(attrs))
    for jurisdiction, level in reports:
        if jurisdiction and level and level != Level.UNKNOWN.value:
            g.nodes[jurisdiction_key(jurisdiction)]["level"] = level
    return g


# -- JSON: an export/import format, not the store -------------------------------------------


def dumps(graph: nx.MultiDiGraph) -> bytes:
    """The graph as deterministic, UTF-8 node-link JSON (``govkg export -f json``)."""
    data = nx.node_link_data(graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], str(e.get("key"))))
    data["govkg"] = {"format": FORMAT, "version": VERSION}
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def loads(data: bytes, name: str = "<json>") -> nx.MultiDiGraph:
    """The graph of ``dumps`` output; raises ``StoreError`` naming ``name`` if invalid."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StoreError(f"{name}: not a govkg graph file (invalid JSON: {e})") from None
    marker = parsed.get("govkg") if isinstance(parsed, dict) else None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT or marker.get("version") != VERSION:
        raise StoreError(f"{name}: not a govkg graph file (no '{FORMAT}' version {VERSION} marker)")
    g = nx.MultiDiGraph(**parsed.get("graph", {}))
    g.add_nodes_from((n.pop("id"), n) for n in parsed["nodes"])
    g.add_edges_from((e.pop("source"), e.pop("target"), e.pop("key"), e) for e in parsed["links"])
    return g
