"""Read tables: the server's named questions answered from indexed SQLite rows.

Once per store generation, ``refresh`` derives each group of reports that changed
(``Store.groups``, ``Store.group_graph``), indexes it (``GraphIndex``) and writes, in one
transaction with the group's cached graph, what the hot endpoints return as JSON
fragments: reports, units, tasks (full record, list brief, leads), each unit's holds
(role, basis, year, whether another unit holds the task too, and then the other units
in brief), the collaboration network of each jurisdiction with its measures and layout
position, and the search tokens (jieba, kept across generations since they depend only
on the task text). A server then answers those questions with one indexed read each,
without loading the graph (``Tables``); answers equal those of the ``GraphIndex`` path
on the same data.

``govkg build``/``remove`` call ``refresh`` before they exit; a server whose store has
newer commits than its tables falls back to the graph path, and its reload refreshes them.

>>> with Store.open("govkg-data/govkg.sqlite") as s:  # doctest: +SKIP
...     Tables(s).task("task:78d5a2606a6a4c2e:3")["number"]
'3'
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import multiprocessing as mp
import pickle
import sqlite3
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govkg.graph.store import GROUP_SHIFT, RefreshPlan, Store, StoreMoved, snapshot_parts
from govkg.queries.index import GraphIndex, query_tokens, search_rank, tokenize
from govkg.queries.names import _norm
from govkg.queries.network import network_view, view_dict

BATCH = 5000
RANK_PROBES = 64  # ranks tried after a task's own when it is taken (a hash collision)
OPTIMIZE_SHARE = 8  # a refresh adding at least 1/8 of the indexed tasks merges the full-text index


# one encoder for every row (``json.dumps`` with options builds a new one per call)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


@functools.cache
def _renderers() -> tuple[Any, Any, Any, tuple[str, ...], tuple[str, ...]]:
    """(report -> JSON, task -> JSON, unit -> JSON, the task fields of a list row, the mention
    fields of a list row), rendered by the API's own models (imported here: ``govkg.api.models``
    imports ``govkg.api.deps``, which imports this module)."""
    from govkg.api import models as m

    return (
        lambda k, d: m.Report.of_node(k, d).model_dump(mode="json"),
        lambda t: m.Task.model_validate(t).model_dump(mode="json"),
        lambda u: m.Unit.model_validate(u).model_dump(mode="json"),
        tuple(m.TaskBrief.model_fields),
        tuple(m.MentionBrief.model_fields),
    )


# Rows of random keys written a group at a time rewrote most of each table's touched pages per
# commit; larger transactions write each page once per batch (a 100k-task refresh under the
# profiler: 10.0 s in the writer's statements instead of 21.0 s)
BATCH_TASKS = 5000
Track = Callable[[Iterator[Any], int], Iterable[Any]]  # (items, how many) -> the items, e.g. with a progress bar


def _untracked(items: Iterator[Any], _: int) -> Iterator[Any]:
    return items


def refresh(
    store: Store,
    jobs: int = 1,
    min_tasks: int | None = None,
    track: Track = _untracked,
    batch_tasks: int = BATCH_TASKS,
) -> int:
    """Bring the cached graph and the read tables up to the store's last generation; the generation.

    Only the groups of reports that changed (``Store.groups``) are derived and written, in
    transactions of whole groups holding ``batch_tasks`` tasks or more: memory holds one group's
    graph at a time (and a batch's rows), whatever the size of the store, and other writers wait
    for one batch, not for the whole refresh. The tables count as current (of
    the generation) only once every group is written; a refresh that stops half-way (killed,
    failed) leaves the groups it wrote, and the next one writes the rest. When another process
    commits meanwhile, the refresh waits until the store is quiet and plans again. One refresh runs
    at a time (``Store.refresh_lock``).

    With ``jobs`` > 1 and ``min_tasks`` tasks or more to write (default ``PARALLEL_TASKS``), the
    groups are derived in that many spawned worker processes while this one writes; a script
    calling this must then guard its own top level with ``if __name__ == "__main__":``, as
    ``multiprocessing`` requires. ``track`` sees the groups go by as they are written (``govkg
    build`` shows a progress bar)."""
    while True:
        with store.refresh_lock():
            plan = store.refresh_plan()
            if plan is None:
                return store.generation()
            try:
                _write(store, plan, jobs, PARALLEL_TASKS if min_tasks is None else min_tasks, batch_tasks, track)
            except StoreMoved:
                pass
            else:
                return plan.generation
        _quiet(store)  # without the lock: a build whose adds are done may refresh meanwhile


QUIET_S = 0.5  # a refresh that another writer overtook plans again once no commit came for this long


def _quiet(store: Store, poll: float = 0.1) -> None:
    """Return once the store's generation has not changed for ``QUIET_S`` seconds (a build adding
    documents one by one would otherwise make the refresh plan again after each of them)."""
    seen, since = store.generation(), time.monotonic()
    while time.monotonic() - since < QUIET_S:
        time.sleep(poll)
        if (now := store.generation()) != seen:
            seen, since = now, time.monotonic()


def _write(store: Store, plan: RefreshPlan, jobs: int, min_tasks: int, batch_tasks: int, track: Track) -> None:
    """Delete the plan's dropped groups, write the changed groups in batches, then end the refresh."""
    with store.dropping(plan) as dropping:
        _drop_tokens(dropping.conn, dropping.removed_tasks())
        dropping.drop()
    indexed = 0
    with contextlib.closing(_derived(store, plan.changed, jobs, min_tasks)) as derived:
        for batch in _batches(track(derived, len(plan.changed)), batch_tasks, weight=lambda item: len(item[1].tasks)):
            with store.writing_groups(plan) as write:
                for (group, reports), rows in batch:
                    _insert(write.conn, rows)
                    write.written(group, reports, rows.snapshot)
            indexed += sum(len(rows.tokens) for _, rows in batch)
    with store.finishing(plan) as c:
        if indexed and indexed * OPTIMIZE_SHARE >= c.execute("SELECT count(*) FROM task_tokens").fetchone()[0]:
            # many new rows leave the full-text index in many segments, and each query reads them
            # all: merged into one (0.4 s at 100k tasks), a search takes half the time
            c.execute("INSERT INTO task_search (task_search) VALUES ('optimize')")


@dataclass(frozen=True, slots=True)
class GroupRows:
    """What one group of reports writes: its cached graph in parts and its read-table rows."""

    snapshot: list[bytes]
    reports: list[tuple[str, int, int, str]]
    units: list[tuple[str, int, str]]
    tasks: list[tuple[int, str, str, int | None, str, str, str]]
    shared: list[tuple[str, int, str]]
    holds: list[tuple[str, int, str, str, int, int | None]]
    networks: list[tuple[str, int, str]]
    tokens: list[tuple[str, int, str, str]]  # (task, search rank, tokens joined, terms): tasks new to the index


def group_rows(store: Store, group: int, reports: tuple[int, ...]) -> GroupRows:
    """Derive one group's graph (``Store.group_graph``) and render its rows: the records of the API's
    models as JSON, each jurisdiction's network view, the search tokens of tasks not yet indexed."""
    graph = store.group_graph(reports)
    index = GraphIndex(graph)
    report_json, task_json, unit_json, brief, mention = _renderers()
    first = group << GROUP_SHIFT
    order = {key: first + i for i, key in enumerate(index.tasks)}
    tasks, shared = [], []
    for t in index.tasks.values():
        full = task_json(t)
        short = {f: full[f] for f in brief}
        tasks.append((order[t.id], t.id, t.report, t.year, _dumps(full), _dumps(short), _dumps(list(t.leads))))
        units = [h.unit for h in t.per_unit]
        if len(units) > 1:  # each holder's row carries the other units, in brief
            held = [{f: m[f] for f in mention} for m in full["units"]]
            shared.extend((u, order[t.id], _dumps([m for m in held if m["id"] != u])) for u in units)
    holds = [
        (unit, order[rt.task.id], rt.role, rt.basis, int(any(h.unit != unit for h in rt.task.holders)), rt.task.year)
        for unit, held in index.unit_tasks.items()
        for rt in held
    ]
    places = sorted({t.jurisdiction for t in index.tasks.values() if t.jurisdiction is not None})
    networks = [(p, group, _dumps(view_dict(network_view(index, jurisdiction=p)))) for p in places]
    return GroupRows(
        snapshot_parts(graph),
        [(k, group, d.get("year") or 0, _dumps(report_json(k, d))) for k, d in index.reports.items()],
        [(k, group, _dumps(unit_json(u))) for k, u in index.units.items()],
        tasks,
        shared,
        holds,
        networks,
        _new_tokens(store, index),
    )


def _new_tokens(store: Store, index: GraphIndex) -> list[tuple[str, int, str, str]]:
    """(task, search rank, tokens joined, full-text terms) of the index's tasks that have no tokens
    stored (they hold for any generation: a task key names one text); each distinct text is
    tokenised once."""
    keys = list(index.tasks)
    stored = {
        k
        for batch in _batches(keys, 900)
        for (k,) in store.read(f"SELECT task FROM task_tokens WHERE task IN ({','.join('?' * len(batch))})", batch)
    }
    cut: dict[str, frozenset[str]] = {}
    rows = []
    for k in keys:
        if k not in stored:
            text = index.tasks[k].text
            tokens = cut.get(text) or cut.setdefault(text, frozenset(tokenize(text)))
            joined = "\x1f".join(sorted(tokens))
            rows.append((k, search_rank(k, len(tokens)), joined, _terms(joined)))
    return rows


def search_term(token: str) -> str:
    """How the full-text index (``task_search``) holds a jieba token: its UTF-8 bytes in hex, a
    run of letters and digits that FTS5's tokenizer keeps whole (it would split ``2.5`` or ``5g+``).

    >>> search_term("养老")
    'e585bbe88081'
    """
    return token.encode("utf-8").hex()


def _terms(tokens: str) -> str:
    """The full-text index's terms of a task's tokens as ``task_tokens`` keeps them (joined by 0x1f)."""
    return " ".join(search_term(t) for t in tokens.split("\x1f"))


def _index_terms(c: sqlite3.Connection, rows: list[tuple[str, int, str, str]]) -> None:
    """Add tasks to the full-text index, each under its search rank. Two keys with one rank (a hash
    collision, about once in 10,000 stores of a million tasks) are told apart by the next free
    rank, which may swap the two among the hits."""
    add = "INSERT INTO task_tokens VALUES (?,?,?) ON CONFLICT (task) DO NOTHING"
    for k, first, tokens, terms in rows:
        for rank in range(first, first + RANK_PROBES):
            try:
                added = c.execute(add, (k, rank, tokens)).rowcount
                break
            except sqlite3.IntegrityError:  # the rank is taken
                continue
        else:
            raise sqlite3.IntegrityError(f"{k}: no free search rank from {first}")
        if added:
            c.execute("INSERT INTO task_search (rowid, terms) VALUES (?, ?)", (rank, terms))


def _insert(c: sqlite3.Connection, rows: GroupRows) -> None:
    c.executemany("INSERT INTO t_reports VALUES (?,?,?,?)", rows.reports)
    c.executemany("INSERT INTO t_units VALUES (?,?,?)", rows.units)
    c.executemany("INSERT INTO t_tasks VALUES (?,?,?,?,?,?,?)", rows.tasks)
    c.executemany("INSERT INTO t_shared VALUES (?,?,?)", rows.shared)
    c.executemany("INSERT INTO t_holds VALUES (?,?,?,?,?,?)", rows.holds)
    c.executemany("INSERT INTO t_networks VALUES (?,?,?)", rows.networks)
    _index_terms(c, rows.tokens)


def _drop_tokens(c: sqlite3.Connection, keys: list[tuple[str]]) -> None:
    """Delete the search tokens of the tasks ``keys`` (a row of the contentless full-text index is
    deleted by restating its terms)."""
    sql = "SELECT rank, tokens FROM task_tokens WHERE task = ?"
    gone = [row for key in keys for row in c.execute(sql, key)]
    c.executemany(
        "INSERT INTO task_search (task_search, rowid, terms) VALUES ('delete', ?, ?)",
        ((rank, _terms(tokens)) for rank, tokens in gone),
    )
    c.executemany("DELETE FROM task_tokens WHERE task = ?", keys)


PARALLEL_TASKS = 5000  # below this many tasks, starting worker processes costs more than it saves
IN_FLIGHT = 4  # groups handed to each worker ahead of the writer


Group = tuple[int, tuple[int, ...]]  # a group of a refresh plan and its report ids


def _derived(store: Store, groups: tuple[Group, ...], jobs: int, min_tasks: int) -> Iterator[tuple[Group, GroupRows]]:
    """((group, reports), its rows) for each of ``groups``, in order: derived here, or with ``jobs``
    > 1 and enough tasks in spawned worker processes (each opens the store and reads it as
    committed). A worker that dies fails the refresh with
    ``BrokenProcessPool``; it never waits forever for the answer the worker took with it. Each
    worker hands its rows over in a file and sends back only its name: a worker killed while
    writing a large answer into the pool's pipe would leave it half-written, and the pool waiting
    for the rest of it forever."""
    if jobs <= 1 or len(groups) < 2 or _task_count(store, groups) < min_tasks:
        for group, reports in groups:
            with store.reading():
                rows = group_rows(store, group, reports)
            yield (group, reports), rows
        return
    with (
        tempfile.TemporaryDirectory(prefix="govkg-refresh-") as folder,
        ProcessPoolExecutor(jobs, mp.get_context("spawn")) as pool,
    ):
        pending: deque[tuple[Group, Future[str]]] = deque()
        todo = iter(groups)
        try:
            for item in itertools.islice(todo, jobs * IN_FLIGHT):
                pending.append((item, pool.submit(_group_rows_at, str(store.path), *item, folder)))
            while pending:
                item, future = pending.popleft()
                rows = _taken(Path(future.result()))
                for nxt in itertools.islice(todo, 1):
                    pending.append((nxt, pool.submit(_group_rows_at, str(store.path), *nxt, folder)))
                yield item, rows
        finally:  # on an error, drop what no worker has started
            for _, future in pending:
                future.cancel()


def _task_count(store: Store, groups: tuple[Group, ...]) -> int:
    """The tasks of ``groups``."""
    reports = [r for _, rs in groups for r in rs]
    sql = "SELECT coalesce(sum(task_count), 0) FROM reports WHERE id IN ({})"
    return sum(store.read(sql.format(",".join("?" * len(b))), b)[0][0] for b in _batches(reports, 900))


@functools.lru_cache(maxsize=1)
def _worker_store(path: str) -> Store:
    """A worker process's one connection to the store."""
    return Store.open(path, create=False)


def _group_rows_at(path: str, group: int, reports: tuple[int, ...], folder: str) -> str:
    """``group_rows`` in a worker process, pickled into a file in ``folder``; the file's name."""
    store = _worker_store(path)
    with store.reading():
        rows = group_rows(store, group, reports)
    out = Path(folder) / f"group-{group}.pickle"
    with out.open("wb") as f:
        pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
    return str(out)


def _taken(path: Path) -> GroupRows:
    """The rows a worker left in ``path``, which is removed."""
    with path.open("rb") as f:
        rows = pickle.load(f)  # noqa: S301 - written by this refresh's own worker
    path.unlink()
    return rows


def _batches(
    rows: Iterable[Any], size: int = BATCH, weight: Callable[[Any], int] = lambda _: 1
) -> Iterator[list[Any]]:
    """``rows`` in lists whose ``weight`` adds up to ``size`` or more (the last may weigh less)."""
    batch: list[Any] = []
    held = 0
    for r in rows:
        batch.append(r)
        held += weight(r)
        if held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


# a co-owned row: the task in brief, the unit's role, the task's other mentions and who leads
_CO_OWNED_COLUMNS = """CAST(t.brief AS BLOB), h.role,
    (SELECT CAST(s.others AS BLOB) FROM t_shared s WHERE s.unit = h.unit AND s.ord = h.ord), CAST(t.leads AS BLOB)"""


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> bytes:
    """``text`` as a JSON string in UTF-8 (roles and bases: a few distinct ones, asked of every row)."""
    return _dumps(text).encode("utf-8")


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of one page (JSON in UTF-8, as the response carries them) and the total they were cut from."""

    total: int
    rows: list[bytes]

    def json(self) -> bytes:
        """The rows as one JSON array."""
        return b"[" + b",".join(self.rows) + b"]"


@dataclass(frozen=True, slots=True)
class Found:
    """A unit found by key: the key and its JSON in UTF-8 (``api.models.Unit``)."""

    key: str
    json: bytes


class Tables:
    """The named questions over the read tables of one store connection (not shared between threads).

    Every method reads in one transaction; callers check ``current`` first (tables of the
    store's last generation). The stored JSON is read as bytes (``CAST(... AS BLOB)``): an answer
    goes out as it is stored, never decoded and encoded again (a third of the time of a page of
    50 co-owned tasks).
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def current(self) -> bool:
        """True when the tables are of the store's last committed generation."""
        return self.store.tables_current()

    def reports(self, offset: int, limit: int) -> Page:
        """Reports oldest first (year, then key)."""
        with self.store.reading() as c:
            total = c.execute("SELECT count(*) FROM t_reports").fetchone()[0]
            rows = c.execute(
                "SELECT CAST(json AS BLOB) FROM t_reports ORDER BY year, key LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return Page(total, [r for (r,) in rows])

    def task(self, key: str) -> bytes | None:
        """The full record of one task, or None."""
        with self.store.reading() as c:
            row = c.execute("SELECT CAST(task AS BLOB) FROM t_tasks WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def tasks(self, offset: int, limit: int) -> Page:
        """Every task's full record, in report then document order."""
        with self.store.reading() as c:
            total = c.execute("SELECT count(*) FROM t_tasks").fetchone()[0]
            rows = c.execute(
                "SELECT CAST(task AS BLOB) FROM t_tasks ORDER BY report, ord LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return Page(total, [r for (r,) in rows])

    def unit(self, name: str) -> Found | None:
        """The unit whose key is ``name`` (white space and width folded), or None (resolve it by the
        graph path: labels, aliases and short forms)."""
        with self.store.reading() as c:
            row = c.execute("SELECT key, CAST(json AS BLOB) FROM t_units WHERE key = ?", (_norm(name),)).fetchone()
        return Found(*row) if row else None

    def _held(
        self,
        columns: str,
        where: str,
        args: tuple[Any, ...],
        offset: int,
        limit: int,
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """The count of the holds matching ``where`` and one page of ``columns`` of them with their tasks."""
        with self.store.reading() as c:
            total = c.execute(f"SELECT count(*) FROM t_holds h {where}", args).fetchone()[0]
            rows = c.execute(
                f"SELECT {columns} FROM t_holds h JOIN t_tasks t USING (ord) {where} ORDER BY h.ord LIMIT ? OFFSET ?",
                (*args, limit, offset),
            ).fetchall()
        return total, rows

    def unit_tasks(self, unit: str, role: str | None, year: int | None, offset: int, limit: int) -> Page:
        """The unit's tasks in ``role`` (None: any) and ``year``, in task order."""
        where, args = self._holds_where(unit, role, year)
        total, rows = self._held("CAST(t.brief AS BLOB), h.role, h.basis", where, args, offset, limit)
        return Page(total, [b'%s,"role":%s,"basis":%s}' % (b[:-1], _quoted(r), _quoted(s)) for b, r, s in rows])

    def co_owned(self, unit: str, partner: str | None, year: int | None, offset: int, limit: int) -> Page:
        """Tasks the unit holds with another unit (or with ``partner``): task, role, others, leads."""
        where, args = self._holds_where(unit, None, year)
        where += " AND h.shared = 1"
        if partner is not None:
            where += " AND EXISTS (SELECT 1 FROM t_holds p WHERE p.unit = ? AND p.ord = h.ord)"
            args = (*args, partner) if partner != unit else (*args, "")  # oneself is never an other
        total, rows = self._held(_CO_OWNED_COLUMNS, where, args, offset, limit)
        return Page(
            total,
            [
                b'{"task":%s,"role":%s,"others":%s,"leads":%s}' % (task, _quoted(role), others, leads)
                for task, role, others, leads in rows
            ],
        )

    @staticmethod
    def _holds_where(unit: str, role: str | None, year: int | None) -> tuple[str, tuple[Any, ...]]:
        where, args = "WHERE h.unit = ?", [unit]
        if role is not None:
            where += " AND h.role = ?"
            args.append(role)
        if year is not None:
            where += " AND h.year = ?"
            args.append(year)
        return where, tuple(args)

    def search(self, text: str, offset: int, limit: int) -> Page:
        """Tasks having every word of ``text`` best first, as ``queries.search.search_tasks`` ranks them
        (fewest tokens first, then ``search_rank``): one full-text query counts them, and one reads a
        page of them in row-id (rank) order."""
        words = query_tokens(text)
        if not words:
            return Page(0, [])
        with self.store.reading() as c:
            tokens: list[str] = []
            for word in words:
                found = self._indexed(c, word)
                if not found:
                    return Page(0, [])
                tokens.extend(t for t in found if t not in tokens)
            query = " AND ".join(search_term(t) for t in tokens)
            total = c.execute("SELECT count(*) FROM task_search WHERE task_search MATCH ?", (query,)).fetchone()[0]
            page = c.execute(
                "SELECT CAST(t.task AS BLOB) FROM task_search s JOIN task_tokens k ON k.rank = s.rowid"
                " JOIN t_tasks t ON t.key = k.task WHERE task_search MATCH ? ORDER BY s.rowid LIMIT ? OFFSET ?",
                (query, limit, offset),
            ).fetchall()
        return Page(total, [record for (record,) in page])

    @staticmethod
    def _indexed(c: sqlite3.Connection, word: str) -> tuple[str, ...]:
        """The indexed tokens standing for ``word``: itself, or all its search-mode parts (none: no task)."""
        def known(token: str) -> bool:
            found = "SELECT 1 FROM task_search WHERE task_search MATCH ? LIMIT 1"
            return c.execute(found, (search_term(token),)).fetchone() is not None

        if known(word):
            return (word,)
        parts = [p for p in tokenize(word) if p != word]
        if not parts or not all(known(p) for p in parts):
            return ()
        return tuple(parts)

    def network(self, jurisdiction: str) -> bytes | None:
        """The collaboration network of one jurisdiction (None: no task of it)."""
        with self.store.reading() as c:
            row = c.execute(
                "SELECT CAST(json AS BLOB) FROM t_networks WHERE jurisdiction = ?", (jurisdiction,)
            ).fetchone()
        return row[0] if row else None
