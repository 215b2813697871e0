"""The store benchmark behind ``bench/run``: build, start-up, latency under load, RDF.

Each figure is printed beside a baseline measured in the same run (the JSON-file
store this replaced, a trivial endpoint, rdflib's own path) and written to
``bench/RESULTS.md``. The corpus is the samples rewritten for other jurisdictions
and years (``bench/corpus.py``), parsed once and varied without re-parsing.

    .venv/bin/python bench/store_bench.py --tasks 100000 --rdf-tasks 10000
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import Variants, variant_documents  # noqa: E402
from govkg.api.bulk import default_jobs  # noqa: E402
from govkg.graph.store import Prepared  # noqa: E402
from govkg.loaders import SUPPORTED_SUFFIXES, Document, load_document  # noqa: E402

ROWS: list[tuple[str, str, str, str, str]] = []  # section, what, value, baseline, ratio
TIMEOUT_S = 60
WORKERS = int(os.environ.get("BENCH_WORKERS", str(default_jobs())))  # govkg serve --workers


def row(section: str, what: str, value: float, unit: str, baseline: float | None = None, base_label: str = "") -> None:
    ratio = f"{value / baseline:.2f}×" if baseline else ""
    base = f"{baseline:.3g} {unit} ({base_label})" if baseline is not None else base_label
    ROWS.append((section, what, f"{value:.3g} {unit}", base, ratio))
    print(f"{section:<8} {what:<46} {value:10.3f} {unit:<4} {base:<40} {ratio}", flush=True)


def samples() -> list[Document]:
    return [load_document(p) for p in sorted((REPO / "samples").iterdir()) if p.suffix in SUPPORTED_SUFFIXES]


def in_child(fn: Callable[..., Any], *args: Any) -> tuple[float, float, float, Any]:
    """(wall seconds, peak RSS GiB, peak RSS GiB of the largest process it started (0: none), result)
    of ``fn(*args)`` run in a forked process."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()

    def run() -> None:
        start = time.perf_counter()
        result = fn(*args)
        wall = time.perf_counter() - start
        peaks = [resource.getrusage(who).ru_maxrss / 2**20 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        child.send((wall, *peaks, result))

    p = ctx.Process(target=run)
    p.start()
    child.close()  # the child's end is the child's alone: recv() then ends when the child does
    try:
        out = parent.recv()
    except EOFError:
        p.join()
        raise SystemExit(f"{getattr(fn, '__name__', fn)} failed in its process (exit code {p.exitcode})") from None
    p.join()
    return out


# -- build ------------------------------------------------------------------------------------


def build_sqlite(docs: list[Document], tasks: int, path: str) -> int:
    from govkg.api.tables import refresh
    from govkg.graph.store import Store

    with Store.open(path) as store:
        for doc in prepared_variants(docs, tasks, default_jobs()):
            store.add(doc)
        refresh(store, default_jobs())  # derive, cache and write the read tables, as `govkg build` does
        return os.path.getsize(path)


VARIANTS_PER_CALL = 20


def prepared_variants(docs: list[Document], tasks: int, jobs: int) -> Iterator[Prepared]:
    """The corpus's variants, in order, made and prepared for the store in ``jobs`` worker
    processes, as the parse workers of ``govkg build`` hand over their documents; at most
    ``4 * jobs`` calls' worth waits in memory."""
    count = Variants(docs).count(tasks)
    calls = (range(a, min(a + VARIANTS_PER_CALL, count)) for a in range(0, count, VARIANTS_PER_CALL))
    with ProcessPoolExecutor(jobs, mp.get_context("spawn"), initializer=_set_variants, initargs=(docs,)) as pool:
        window = deque(pool.submit(_prepared, r.start, r.stop) for r in itertools.islice(calls, 4 * jobs))
        while window:
            done = window.popleft().result()
            window.extend(pool.submit(_prepared, r.start, r.stop) for r in itertools.islice(calls, 1))
            yield from done


_worker_variants: list[Variants] = []  # a worker process's corpus, set once when it starts


def _set_variants(docs: list[Document]) -> None:
    _worker_variants.append(Variants(docs))


def _prepared(start: int, stop: int) -> list[Prepared]:
    from govkg.graph.store import prepare

    return [prepare(_worker_variants[0][i]) for i in range(start, stop)]


def build_json(docs: list[Document], tasks: int, path: str) -> int:
    """Today's path before this store: build the whole graph in memory, write one JSON file."""
    from govkg.graph.build import build_graph
    from govkg.graph.files import write_atomic
    from govkg.graph.store import dumps

    write_atomic(path, dumps(build_graph(variant_documents(docs, tasks))))
    return os.path.getsize(path)


# -- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """``govkg serve`` on a free port; (process, url, seconds from start to the first data answer)."""
    import httpx

    port = free_port()
    exe = str(Path(sys.executable).parent / "govkg")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "serve", "--port", str(port), "--data-dir", str(data), "--workers", str(WORKERS)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit("govkg serve exited")
        try:
            if httpx.get(f"{url}/api/reports?limit=1", timeout=5).status_code == 200:
                return proc, url, time.perf_counter() - start
        except httpx.HTTPError:
            time.sleep(0.02)


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# each question is measured as served (a repeated question's answer is replayed while the store
# is unchanged: govkg.api.answers) and with every answer computed afresh
ANSWERS: tuple[tuple[str, dict[str, str] | None], ...] = (("", None), (", afresh", {"Cache-Control": "no-cache"}))


def load(
    url: str, paths: list[str], clients: int, requests: int, headers: dict[str, str] | None = None
) -> tuple[list[float], float]:
    """``requests`` GETs of ``paths`` (cycled) from ``clients`` threads, each on one keep-alive
    connection (``http.client``; an asyncio client costs more CPU than the server here): latencies, seconds."""
    import http.client
    import threading

    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT_S)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths[i % len(paths)]
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                r = conn.getresponse()
                body = r.read()
            except OSError as e:  # a timeout: counted, the connection opened again
                errors.append(f"{path}: {type(e).__name__}")
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT_S)
                continue
            latencies.append(time.perf_counter() - t)
            if r.status != 200:
                errors.append(f"{path}: {r.status} {body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} of {requests} requests failed, e.g. {errors[0]}", flush=True)
    return latencies, time.perf_counter() - start


_WRK_SCRIPT = """
local paths = {%s}
local headers = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('GOVKG {"requests": %%d, "seconds": %%f, "p99_ms": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    """What one load run measured: requests answered, seconds, p99 latency in ms, failures."""

    requests: int
    seconds: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def load_wrk(url: str, paths: list[str], clients: int, seconds: float, headers: dict[str, str] | None = None) -> Load:
    """``clients`` keep-alive connections from wrk (a C load client: the Python client below spends
    more CPU than the server it measures) sending ``paths`` in turn for ``seconds``, after one second
    of warm-up; the latency percentiles are wrk's own (corrected for coordinated omission)."""
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        given = ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {}).items())
        f.write(_WRK_SCRIPT % (", ".join(f'"{p}"' for p in paths), given))
    try:
        out = ""
        for duration in (1, seconds):  # the first run warms the server's caches and is dropped
            cmd = ["wrk", "-t1", f"-c{clients}", f"-d{duration:g}s", f"--timeout={TIMEOUT_S}s", "-s", f.name, url]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.split("GOVKG ", 1)[1])
    finally:
        os.unlink(f.name)
    if result["errors"]:
        print(f"  {result['errors']} of {result['requests']} requests failed (wrk: non-2xx or socket errors)")
    return Load(result["requests"], result["seconds"], result["p99_ms"], result["errors"])


def load_python(url: str, paths: list[str], clients: int, requests: int, headers: dict[str, str] | None = None) -> Load:
    """The same measurement with the threaded Python client, for machines without wrk."""
    lat, secs = load(url, paths, clients, requests, headers)
    return Load(len(lat), secs, p99(lat), requests - len(lat))


def p99(xs: list[float]) -> float:
    """99th percentile in ms (inf when fewer than two requests succeeded)."""
    return statistics.quantiles(xs, n=100)[98] * 1000 if len(xs) >= 2 else float("inf")


def endpoints(data: Path) -> dict[str, list[str]]:
    """Request paths per measured question, picked from the stored graph."""
    from urllib.parse import quote

    from govkg.graph.store import Store, store_path
    from govkg.queries.index import GraphIndex

    with Store.open(store_path(data)) as s:
        g = s.load_graph()
    index = GraphIndex(g)
    rng = random.Random(7)
    busy = sorted(index.unit_tasks, key=lambda u: -len(index.unit_tasks[u]))
    units = [u for u in busy if index.units[u].jurisdiction][:50]
    tasks = rng.sample(sorted(index.tasks), 200)
    places = sorted({index.units[u].jurisdiction for u in units})
    return {
        "co-owned": [f"/api/departments/{quote(u)}/co-owned?limit=50" for u in units],
        "department tasks": [f"/api/departments/{quote(u)}/tasks?limit=50" for u in units],
        "task by id": [f"/api/tasks/{quote(t)}" for t in tasks],
        "search": [f"/api/tasks?q={quote(w)}&limit=20" for w in ("疫情防控", "招商引资", "乡村振兴", "营商环境")],
        "network (one jurisdiction)": [f"/api/network?jurisdiction={quote(p)}" for p in places[:10]],
    }


# -- the build's floor ------------------------------------------------------------------------


def floor_figures(big_tasks: int) -> None:
    """What two stages alone cost per task, in CPU, on the bundled samples: parsing a file
    (``extract_text``; the build figures above make their variants from documents already
    parsed, so they hold none of it) and tokenising a task's text for search (jieba, pure
    Python; the refresh tokenises each distinct text of a group once). With every core busy
    and nothing else to do, a build of ``big_tasks`` distinct tasks takes at least their sum
    times ``big_tasks``, over the cores."""
    from govkg.loaders import extract_text
    from govkg.queries.index import tokenize

    files = [p for p in sorted((REPO / "samples").iterdir()) if p.suffix == ".txt"]
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in files]
    docs = [extract_text(name, text) for name, text in texts]  # warm (dictionaries, patterns)
    task_texts = [t.text for d in docs for t in d.tasks]
    for text in task_texts:
        tokenize(text)

    def cpu(work: Callable[[], object]) -> float:  # the least of three runs, per task
        runs = []
        for _ in range(3):
            start = time.process_time()
            work()
            runs.append(time.process_time() - start)
        return min(runs) / len(task_texts)

    parse = cpu(lambda: [extract_text(name, text) for name, text in texts])
    tokens = cpu(lambda: [tokenize(text) for text in task_texts])
    where = f"{len(files)} sample files, {len(task_texts)} tasks"
    row("floor", "parse: CPU per task", parse * 1e6, "µs", None, where)
    row("floor", "tokenise for search: CPU per task text", tokens * 1e6, "µs", None, where)
    n, cores = big_tasks or 1_000_000, os.cpu_count() or 1
    row("floor", f"{n} distinct tasks: parse + tokenise, all {cores} cores busy", (parse + tokens) * n / cores, "s",
        120.0, "the 120 s build target")  # fmt: skip


# -- RDF --------------------------------------------------------------------------------------


def rdf_figures(docs: list[Document], tasks: int) -> None:
    from govkg.graph.build import build_graph
    from govkg.ontology.rdf import to_rdf, write_ntriples
    from govkg.queries.stores import SparqlStore

    g = build_graph(variant_documents(docs, tasks))
    dept = max(
        (n for n, d in g.nodes(data=True) if d["kind"] == "Department"),
        key=lambda n: g.degree(n),
    )
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        to_rdf(g).serialize(Path(tmp) / "old.ttl", format="turtle")
        old = time.perf_counter() - t
        t = time.perf_counter()
        with open(Path(tmp) / "new.ttl", "wb") as f:
            write_ntriples(g, f)
        new = time.perf_counter() - t
    row("rdf", f"export ttl, {tasks} tasks (streamed)", new, "s", old, "rdflib pretty Turtle")
    rdf = to_rdf(g)
    t = time.perf_counter()
    slow = SparqlStore(rdf, engine="rdflib").run("co_owned", dept=dept)
    old = time.perf_counter() - t
    store = SparqlStore(rdf)
    t = time.perf_counter()
    fast = store.run("co_owned", dept=dept)
    new = time.perf_counter() - t
    assert sorted(map(repr, slow)) == sorted(map(repr, fast)), "Oxigraph and rdflib disagree"
    row("rdf", f"SPARQL co_owned, {tasks} tasks (Oxigraph)", new, "s", old, "rdflib SPARQL")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="corpus for build, start-up and load")
    parser.add_argument("--big-tasks", type=int, default=0, help="also a build of this many tasks (e.g. 1000000)")
    parser.add_argument("--rdf-tasks", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10, help="requests per client per question (no wrk)")
    parser.add_argument("--seconds", type=float, default=5, help="seconds of load per question (wrk)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    began = time.perf_counter()
    docs = samples()
    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for n in filter(None, (args.big_tasks,)):
            big = Path(tmp) / "big"
            big.mkdir()
            wall, rss, worker_rss, size = in_child(build_sqlite, docs, n, str(big / "govkg.sqlite"))
            row("build", f"{n} tasks: wall", wall, "s", None, "target < 120 s")
            row("build", f"{n} tasks: peak RSS", rss, "GiB", None, "target < 4 GiB")
            row("build", f"{n} tasks: peak RSS of a worker process", worker_rss, "GiB", None, f"{default_jobs()} workers")
            row("build", f"{n} tasks: store size", size / 2**20, "MiB")
            proc, _, first = start_server(big)
            stop(proc)
            row("serve", f"{n} tasks: start to first answer", first, "s", None, "target < 2 s")
            write_results(args.out, args, time.perf_counter() - began)
            shutil.rmtree(big)
        base_wall, base_rss, _, base_size = in_child(build_json, docs, args.tasks, str(Path(tmp) / "graph.json"))
        wall, rss, worker_rss, size = in_child(build_sqlite, docs, args.tasks, str(data / "govkg.sqlite"))
        n = args.tasks
        row("build", f"{n} tasks: wall", wall, "s", base_wall, "graph.json build")
        row("build", f"{n} tasks: peak RSS", rss, "GiB", base_rss, "graph.json build")
        row("build", f"{n} tasks: peak RSS of a worker process", worker_rss, "GiB", None, f"{default_jobs()} workers")
        row("build", f"{n} tasks: store size", size / 2**20, "MiB", base_size / 2**20, "graph.json")

        def json_start() -> None:
            from govkg.graph.store import loads
            from govkg.queries.index import GraphIndex

            GraphIndex(loads((Path(tmp) / "graph.json").read_bytes()))

        base_start = in_child(json_start)[0]
        paths = endpoints(data)
        proc, url, first = start_server(data)
        try:
            row("serve", f"{n} tasks: start to first answer", first, "s", base_start, "load graph.json + index")
            wrk = shutil.which("wrk") is not None
            print(f"load client: {'wrk' if wrk else 'Python threads (install wrk for server-bound figures)'}")

            def measure(ps: list[str], clients: int, headers: dict[str, str] | None = None) -> Load:
                if wrk:
                    return load_wrk(url, ps, clients, args.seconds, headers)
                return load_python(url, ps, clients, clients * args.requests, headers)

            for clients in (16, 64):
                trivial = measure(["/api/health"], clients)
                row("serve", f"{clients} clients: /api/health p99", trivial.p99_ms, "ms", None, "trivial endpoint")
                for (name, ps), (how, headers) in itertools.product(paths.items(), ANSWERS):
                    got = measure(ps, clients, headers)
                    target = "< 200 ms" if name.startswith("network") else "< 20 ms"
                    note = f"target {target}" + (f"; {got.errors} failed" if got.errors else "")
                    row("serve", f"{clients} clients: {name}{how} p99", got.p99_ms, "ms", None, note)
                    row("serve", f"{clients} clients: {name}{how} req/s", got.rate, "/s", trivial.rate, "/api/health")
                    write_results(args.out, args, time.perf_counter() - began)  # partial results kept
        finally:
            stop(proc)
    floor_figures(args.big_tasks)
    rdf_figures(docs, args.rdf_tasks)
    total = time.perf_counter() - began
    write_results(args.out, args, total)
    print(f"written {args.out} ({total:.0f} s)")


def write_results(out: Path, args: argparse.Namespace, total: float) -> None:
    lines = [
        "# Store benchmark (`bench/run`)",
        "",
        f"Run on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, in {total:.0f} s: "
        f"`bench/store_bench.py --tasks {args.tasks} --big-tasks {args.big_tasks} --rdf-tasks {args.rdf_tasks} "
        f"--requests {args.requests} --seconds {args.seconds}`, {WORKERS} server process(es). Ratio = value / baseline, both measured in this run.",
        "",
        "| part | what | value | baseline | ratio |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(r)} |" for r in ROWS),
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
