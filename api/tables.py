"""Read tables: the server's named questions answered from indexed SQLite rows.

Once per store generation, ``refresh`` derives the graph (``Store.load``), indexes it
(``GraphIndex``) and writes, in one transaction, what the hot endpoints return as
JSON fragments: reports, units, tasks (full record, list brief, leads), each
unit's holds (role, basis, year, whether another unit holds the task too, and then the
other units in brief), the collaboration
network of each jurisdiction with its measures and layout position, and the search
tokens (jieba, kept across generations since they depend only on the task text). A
server then answers those questions with one indexed read each, without loading the
graph (``Tables``); answers equal those of the ``GraphIndex`` path on the same data.

``govkg build``/``remove`` call ``refresh`` before they exit; a server whose store has
newer commits than its tables falls back to the graph path, which refreshes them.

>>> with Store.open("govkg-data/govkg.sqlite") as s:  # doctest: +SKIP
...     Tables(s).task("task:78d5a2606a6a4c2e:3")["number"]
'3'
"""

from __future__ import annotations

import functools
import json
import multiprocessing as mp
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from govkg.graph.layout import Mapper
from govkg.graph.network import tasks_network
from govkg.graph.store import Store, paused_gc
from govkg.queries.index import GraphIndex, query_tokens, tokenize
from govkg.queries.names import _norm
from govkg.queries.network import view_of

BATCH = 5000
TOKEN_BATCH = 50_000  # tasks whose search tokens are committed together (each batch touches every token)


# one encoder for every row (``json.dumps`` with options builds a new one per call)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


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


def refresh(store: Store, jobs: int = 1) -> int:
    """Derive the graph of the store's generation (cached) and write its read tables unless they
    are of it already, the networks measured in ``jobs`` processes; the generation.

    With ``jobs`` > 1 the worker processes are spawned: a script calling this must guard its own
    top level with ``if __name__ == "__main__":``, as ``multiprocessing`` requires."""
    generation = store.generation()
    if store.tables_generation() == generation:
        return generation
    generation, graph = store.load()
    with paused_gc():
        write(store, generation, GraphIndex(graph), jobs)
    return generation


def write(store: Store, generation: int, index: GraphIndex, jobs: int = 1) -> bool:
    """Write the read tables of ``index`` (the graph of ``generation``); False when a newer
    generation was committed meanwhile (nothing written). With ``jobs`` > 1 the network measures
    are computed in that many processes while the search tokens and rows are written, and the new
    tasks' texts are tokenised there too; the tokens are committed before the final write
    transaction, so other writers wait less."""
    with working(index, jobs) as work:
        _add_tokens(store, index, work.map)
        with store.writing_tables(generation) as c:
            if c is None:
                return False
            _write_rows(c, index, work.networks)
    return True


def _add_tokens(store: Store, index: GraphIndex, mapper: Mapper = map) -> None:
    """Search tokens of the tasks not tokenised yet (each distinct text once, by ``mapper``),
    committed in batches (they hold for any generation: a task key names one text)."""
    with store.reading() as c:
        stored = {k for (k,) in c.execute("SELECT task FROM task_tokens")}
    for batch in _batches((t for k, t in index.tasks.items() if k not in stored), TOKEN_BATCH):
        texts = list(dict.fromkeys(t.text for t in batch))  # a text recurs (a task carried over a year)
        tokenised = dict(zip(texts, map(frozenset, mapper(tokenize, texts)), strict=True))
        tokens = [(t.id, tokenised[t.text]) for t in batch]
        with store.writing_tables(None) as w:
            assert w is not None
            done = {  # another process may have stored some meanwhile
                k
                for keys in _batches(k for k, _ in tokens)
                for (k,) in w.execute(f"SELECT task FROM task_tokens WHERE task IN ({','.join('?' * len(keys))})", keys)
            }
            tokens = [(k, ts) for k, ts in tokens if k not in done]
            w.executemany(
                "INSERT INTO task_tokens VALUES (?,?,?)", ((k, len(ts), "\x1f".join(sorted(ts))) for k, ts in tokens)
            )
            # sorted by SQLite (in C) before they enter the index: far faster than unsorted inserts
            w.execute("CREATE TEMP TABLE IF NOT EXISTS new_postings (token TEXT, n INTEGER, task TEXT)")
            w.executemany("INSERT INTO new_postings VALUES (?,?,?)", ((t, len(ts), k) for k, ts in tokens for t in ts))
            w.execute("INSERT INTO postings SELECT * FROM new_postings ORDER BY token, n, task")
            w.execute("DELETE FROM new_postings")


def _write_rows(c: sqlite3.Connection, index: GraphIndex, nets: Callable[[], list[tuple[str, str]]]) -> None:
    for table in ("t_reports", "t_units", "t_tasks", "t_holds", "t_shared", "t_networks"):
        c.execute(f"DELETE FROM {table}")
    report_json, task_json, unit_json, brief, mention = _renderers()
    c.executemany(
        "INSERT INTO t_reports VALUES (?,?,?)",
        ((k, d.get("year") or 0, _dumps(report_json(k, d))) for k, d in index.reports.items()),
    )
    c.executemany("INSERT INTO t_units VALUES (?,?)", ((k, _dumps(unit_json(u))) for k, u in index.units.items()))
    order = {key: i for i, key in enumerate(index.tasks)}
    for tasks in _batches(index.tasks.values()):
        task_rows, shared_rows = [], []
        for t in tasks:
            full = task_json(t)
            short = {f: full[f] for f in brief}
            task_rows.append((order[t.id], t.id, t.year, _dumps(full), _dumps(short), _dumps(list(t.leads))))
            units = [h.unit for h in t.per_unit]
            if len(units) > 1:  # each holder's row carries the other units, in brief
                held = [{f: m[f] for f in mention} for m in full["units"]]
                shared_rows.extend((u, order[t.id], _dumps([m for m in held if m["id"] != u])) for u in units)
        c.executemany("INSERT INTO t_tasks VALUES (?,?,?,?,?,?)", task_rows)
        c.executemany("INSERT INTO t_shared VALUES (?,?,?)", shared_rows)
    for rows in _batches(
        (unit, order[rt.task.id], rt.role, rt.basis, int(any(h.unit != unit for h in rt.task.holders)), rt.task.year)
        for unit, held in index.unit_tasks.items()
        for rt in held
    ):
        c.executemany("INSERT INTO t_holds VALUES (?,?,?,?,?,?)", rows)
    c.executemany("INSERT INTO t_networks VALUES (?,?)", nets())
    gone = [(k, n, ts) for k, n, ts in c.execute("SELECT task, n, tokens FROM task_tokens") if k not in index.tasks]
    c.executemany(
        "DELETE FROM postings WHERE token = ? AND n = ? AND task = ?",
        ((t, n, k) for k, n, ts in gone for t in ts.split("\x1f")),
    )
    c.executemany("DELETE FROM task_tokens WHERE task = ?", ((k,) for k, _, _ in gone))


def _places(index: GraphIndex) -> dict[str, list[str]]:
    """Jurisdiction -> its tasks, sorted as ``selected_tasks`` lists them."""
    places: dict[str, list[str]] = defaultdict(list)
    for key in sorted(index.tasks):
        place = index.tasks[key].jurisdiction
        if place is not None:
            places[place].append(key)
    return places


PARALLEL_TASKS = 5000  # below this many tasks, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Work:
    """What ``write`` hands to worker processes: the network views (a function giving (each
    jurisdiction of a task, its view as JSON), sorted by jurisdiction) and a ``map`` for tokenising."""

    networks: Callable[[], list[tuple[str, str]]]
    map: Mapper


@contextmanager
def working(index: GraphIndex, jobs: int = 1, min_tasks: int = PARALLEL_TASKS) -> Iterator[Work]:
    """``Work`` done in this process, or with ``jobs`` > 1 (and ``min_tasks`` tasks or more) in
    worker processes: the layout's components, then in the background each jurisdiction's view
    from its collaboration network (built here, as the workers ask for more), and the tokenising.

    The workers are spawned, not forked: they get only what they compute on, never a copy of this
    process (a forked child's reference counts would copy every page of the graph it touches). A
    worker that dies (killed for memory) fails the refresh with ``BrokenProcessPool``; it never
    waits forever for the answer the worker took with it."""
    places = _places(index)
    order = sorted(places)
    if jobs <= 1 or len(index.tasks) < min_tasks:
        yield Work(lambda: [(p, _view_json(_view_job(index, places[p], index.layout))) for p in order], map)
        return
    spawn = mp.get_context("spawn")
    with ProcessPoolExecutor(jobs, spawn) as views, ProcessPoolExecutor(jobs, spawn) as tokens:
        layout = index.layout_by(functools.partial(views.map, chunksize=4))
        pending: list[Future[str]] = []
        failed: list[BaseException] = []
        stop = threading.Event()

        def submit() -> None:  # builds each network here, beside the tokens and rows being written
            try:
                for p in order:
                    if stop.is_set():
                        return
                    pending.append(views.submit(_view_json, _view_job(index, places[p], layout)))
            except BaseException as e:  # noqa: BLE001 - raised again by collect()
                failed.append(e)

        feeder = threading.Thread(target=submit, name="govkg-networks", daemon=True)
        feeder.start()

        def collect() -> list[tuple[str, str]]:
            feeder.join()
            if failed:
                raise failed[0]
            return [(p, f.result()) for p, f in zip(order, pending, strict=True)]

        try:
            yield Work(collect, functools.partial(tokens.map, chunksize=256))
        finally:  # on an error, stop feeding and drop what no worker has started
            stop.set()
            feeder.join()
            for f in pending:
                f.cancel()


def _view_job(
    index: GraphIndex, tasks: list[str], layout: dict[str, tuple[float, float]]
) -> tuple[Any, dict[str, tuple[float, float]]]:
    """The collaboration network of ``tasks`` and its nodes' positions in ``layout``: what
    ``_view_json`` needs, small enough to send to a worker process."""
    net = tasks_network(index.graph, tasks)
    return net, {n: layout[n] for n in net if n in layout}


def _view_json(job: tuple[Any, dict[str, tuple[float, float]]]) -> str:
    """A jurisdiction's view (``network_view(index, jurisdiction=…)``: ``view_of`` its collaboration
    network, positions from the index's one layout) as JSON."""
    net, positions = job
    return _dumps(asdict(view_of(net, positions)))


# a co-owned row: the task in brief, the unit's role, the task's other mentions and who leads
_CO_OWNED_COLUMNS = "t.brief, h.role, (SELECT s.others FROM t_shared s WHERE s.unit = h.unit AND s.ord = h.ord), t.leads"


def _batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of one page (JSON texts, as the response carries them) and the total they were cut from."""

    total: int
    rows: list[str]

    def json(self) -> str:
        """The rows as one JSON array."""
        return "[" + ",".join(self.rows) + "]"


@dataclass(frozen=True, slots=True)
class Found:
    """A unit found by key: the key and its JSON (``api.models.Unit``)."""

    key: str
    json: str


class Tables:
    """The named questions over the read tables of one store connection (not shared between threads).

    Every method reads in one transaction; callers check ``current`` first (tables of the
    store's last generation).
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
                "SELECT json FROM t_reports ORDER BY year, key LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return Page(total, [r for (r,) in rows])

    def task(self, key: str) -> str | None:
        """The full record of one task, or None."""
        with self.store.reading() as c:
            row = c.execute("SELECT task FROM t_tasks WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def tasks(self, offset: int, limit: int) -> Page:
        """Every task's full record, in report then document order."""
        with self.store.reading() as c:
            total = c.execute("SELECT count(*) FROM t_tasks").fetchone()[0]
            rows = c.execute("SELECT task FROM t_tasks ORDER BY ord LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return Page(total, [r for (r,) in rows])

    def unit(self, name: str) -> Found | None:
        """The unit whose key is ``name`` (white space and width folded), or None (resolve it by the
        graph path: labels, aliases and short forms)."""
        with self.store.reading() as c:
            row = c.execute("SELECT key, json FROM t_units WHERE key = ?", (_norm(name),)).fetchone()
        return Found(*row) if row else None

    def _held(
        self,
        columns: str,
        where: str,
        args: tuple[Any, ...],
        year: int | None,
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
        total, rows = self._held("t.brief, h.role, h.basis", where, args, year, offset, limit)
        return Page(total, [f'{b[:-1]},"role":{_dumps(r)},"basis":{_dumps(s)}}}' for b, r, s in rows])

    def co_owned(self, unit: str, partner: str | None, year: int | None, offset: int, limit: int) -> Page:
        """Tasks the unit holds with another unit (or with ``partner``): task, role, others, leads."""
        where, args = self._holds_where(unit, None, year)
        where += " AND h.shared = 1"
        if partner is not None:
            where += " AND EXISTS (SELECT 1 FROM t_holds p WHERE p.unit = ? AND p.ord = h.ord)"
            args = (*args, partner) if partner != unit else (*args, "")  # oneself is never an other
        total, rows = self._held(_CO_OWNED_COLUMNS, where, args, year, offset, limit)
        return Page(
            total,
            [
                f'{{"task":{task},"role":{_dumps(role)},"others":{others},"leads":{leads}}}'
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
        (fewest tokens first, then by key): the rarest token's postings walked in that order, each
        checked for the other tokens."""
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
            count = "SELECT count(*) FROM postings WHERE token = ?"
            tokens.sort(key=lambda t: c.execute(count, (t,)).fetchone()[0])
            where = "p.token = ?" + "".join(
                " AND EXISTS (SELECT 1 FROM postings q WHERE q.token = ? AND q.n = p.n AND q.task = p.task)"
                for _ in tokens[1:]
            )
            ranked = f"SELECT p.task FROM postings p WHERE {where} ORDER BY p.n, p.task"
            if len(tokens) == 1:  # a count of one index range, and one page of it
                total = c.execute(f"SELECT count(*) FROM postings p WHERE {where}", tokens).fetchone()[0]
                page = [k for (k,) in c.execute(f"{ranked} LIMIT ? OFFSET ?", (*tokens, limit, offset))]
            else:  # every match is checked anyway: one pass gives the count and the page
                every = [k for (k,) in c.execute(ranked, tokens)]
                total, page = len(every), every[offset : offset + limit]
            marks = ",".join("?" * len(page))
            records = dict(c.execute(f"SELECT key, task FROM t_tasks WHERE key IN ({marks})", page)) if page else {}
        return Page(total, [records[k] for k in page])

    @staticmethod
    def _indexed(c: sqlite3.Connection, word: str) -> tuple[str, ...]:
        """The indexed tokens standing for ``word``: itself, or all its search-mode parts (none: no task)."""
        def known(token: str) -> bool:
            return c.execute("SELECT 1 FROM postings WHERE token = ? LIMIT 1", (token,)).fetchone() is not None

        if known(word):
            return (word,)
        parts = [p for p in tokenize(word) if p != word]
        if not parts or not all(known(p) for p in parts):
            return ()
        return tuple(parts)

    def network(self, jurisdiction: str) -> str | None:
        """The collaboration network of one jurisdiction (None: no task of it)."""
        with self.store.reading() as c:
            row = c.execute("SELECT json FROM t_networks WHERE jurisdiction = ?", (jurisdiction,)).fetchone()
        return row[0] if row else None
