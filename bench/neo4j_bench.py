"""Neo4j sync speed: ``govkg.graph.neo4j_store.sync`` against one autocommit MERGE per row, same server, same run.

Run from the repository root (Java 17 and Maven; the server is started and stopped here)::

    .venv/bin/python bench/neo4j_bench.py                  # 10k and 100k tasks
    .venv/bin/python bench/neo4j_bench.py --tasks 2000
    .venv/bin/python bench/neo4j_bench.py --uri bolt://127.0.0.1:7687   # a running server (it is emptied!)

The graph is synthetic but shaped like the real one: 10 jurisdictions with 30
departments each, one report per jurisdiction with 20 sections, and per task one lead
and two assisting departments, so each department holds thousands of relationships
at 100k tasks. The baseline (per-row MERGE, the way a naive loader writes) is run in
full up to ``--full-per-row`` tasks; above that, after the nodes are in place, on every
k-th relationship and node (about ``--sample`` rows) and multiplied by k, which flatters
the baseline: its relationship MERGEs meet a k-th of the real degree.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402

from govkg.graph.neo4j_store import edge_type_of, properties, sync  # noqa: E402

JURISDICTIONS = 10
DEPARTMENTS = 30  # per jurisdiction
SECTIONS = 20  # per report


def synthetic_graph(tasks: int, seed: int = 7) -> nx.MultiDiGraph:
    """A graph of ``tasks`` tasks following graph/schema.py's kinds and edge types."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()

    def edge(u: str, v: str, etype: str, **attrs: Any) -> None:
        g.add_edge(u, v, key=etype, type=etype, **attrs)

    depts: dict[int, list[str]] = {}
    for j in range(JURISDICTIONS):
        place = f"某市{j}"
        jkey = f"jurisdiction:{place}"
        g.add_node(jkey, kind="Jurisdiction", label=place, name=place, level="city")
        depts[j] = []
        for d in range(DEPARTMENTS):
            key = f"dept:{place}:部门{d}"
            g.add_node(key, kind="Department", label=f"部门{d}", name=f"部门{d}", jurisdiction=place, aliases=[f"部门{d}"])
            edge(key, jkey, "PART_OF")
            depts[j].append(key)
        report = f"report:{j:016x}"
        g.add_node(report, kind="Report", label=f"{place}重点工作", source=f"{j}.txt", sha256=f"{j:064x}",
                   jurisdiction=place, year=2020 + j % 5, task_count=0)  # fmt: skip
        for s in range(SECTIONS):
            section = f"section:{j:016x}:{s}"
            g.add_node(section, kind="Section", label=f"({s})", report=report, number=str(s), level=1, path=[str(s)])
            edge(report, section, "CONTAINS")
    for t in range(tasks):
        j = t % JURISDICTIONS
        report, place = f"report:{j:016x}", f"某市{j}"
        key = f"task:{j:016x}:{t}"
        g.add_node(key, kind="Task", label=f"任务{t}", report=report, task_id=str(t), number=str(t),
                   text=f"第{t}项任务:推进重点项目建设,确保按期完成。", section_path=[str(t % SECTIONS)],
                   span=[t * 40, t * 40 + 30], year=2020 + j % 5, jurisdiction=place)  # fmt: skip
        edge(f"section:{j:016x}:{t % SECTIONS}", key, "CONTAINS")
        lead, *assists = rng.sample(depts[j], 3)
        for etype, unit in (("LEADS", lead), ("ASSISTS", assists[0]), ("ASSISTS", assists[1])):
            edge(unit, key, etype, basis="explicit", report=report, span=[1, 9], printed=g.nodes[unit]["label"])
    return g


def per_row_rows(graph: nx.MultiDiGraph) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """The naive loader's statements: one MERGE per node, then one MATCH … MERGE per relationship."""
    nodes = [
        (f"MERGE (n:`{d['kind']}` {{key: $key}}) SET n = $props", {"key": n, "props": {**properties(d), "key": n}})
        for n, d in graph.nodes(data=True)
    ]
    rels = []
    for u, v, k, d in graph.edges(keys=True, data=True):
        lu, lv, t = graph.nodes[u]["kind"], graph.nodes[v]["kind"], edge_type_of(k, d)
        cypher = f"MATCH (a:`{lu}` {{key: $a}}) MATCH (b:`{lv}` {{key: $b}}) MERGE (a)-[r:`{t}`]->(b) SET r = $props"
        rels.append((cypher, {"a": u, "b": v, "props": properties(d)}))
    return nodes, rels


def run_per_row(driver: Any, rows: list[tuple[str, dict]]) -> float:
    start = time.perf_counter()
    with driver.session(database="neo4j") as session:
        for cypher, params in rows:
            session.run(cypher, params).consume()  # autocommit: one transaction per row
    return time.perf_counter() - start


def empty(driver: Any) -> None:
    with driver.session(database="neo4j") as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench(uri: str, tasks: int, full_per_row: int, sample: int) -> None:
    from neo4j import GraphDatabase

    g = synthetic_graph(tasks)
    n, m = g.number_of_nodes(), g.number_of_edges()
    print(f"\n{tasks} tasks: {n} nodes, {m} relationships")
    with GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF") as driver:
        empty(driver)
        sync(nx.MultiDiGraph(), uri, "neo4j", "", "neo4j")  # constraints and indexes, as sync makes them
        nodes, rels = per_row_rows(g)
        if tasks <= full_per_row:
            per_row = run_per_row(driver, nodes) + run_per_row(driver, rels)
            how = "in full"
        else:
            nodes_only = nx.MultiDiGraph()
            nodes_only.add_nodes_from(g.nodes(data=True))
            sync(nodes_only, uri, "neo4j", "", "neo4j")  # the nodes in place, untimed
            step = max(2, (len(nodes) + len(rels)) // sample)
            per_row = step * (run_per_row(driver, rels[::step]) + run_per_row(driver, nodes[::step]))
            how = f"1/{step} sample x {step}"
        print(f"  per-row MERGE, autocommit ({how}) {per_row:9.2f} s   baseline 1.0x")
        empty(driver)
        seconds, summary = timed(lambda: sync(g, uri, "neo4j", "", "neo4j"))
        print(f"  sync into the empty database      {seconds:9.2f} s   {per_row / seconds:8.1f}x faster")
        print(f"    {summary}")
        again, summary = timed(lambda: sync(g, uri, "neo4j", "", "neo4j"))
        print(f"  sync again (nothing to change)    {again:9.2f} s   {per_row / again:8.1f}x faster")
        print(f"    {summary}")
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
        assert records[0]["n"] == n, "the database does not hold the graph"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--full-per-row", type=int, default=1_000, help="Largest size whose baseline runs in full.")
    parser.add_argument("--sample", type=int, default=5_000, help="Rows of the baseline run above that size.")
    parser.add_argument("--uri", help="Bolt URI of a running Neo4j without auth (default: start one).")
    args = parser.parse_args()
    if args.uri:
        for tasks in args.tasks:
            bench(args.uri, tasks, args.full_per_row, args.sample)
        return
    sys.path.insert(0, str(REPO / "tests"))
    from tests.support import free_port

    home = Path(tempfile.mkdtemp(prefix="govkg-neo4j-bench-"))
    bolt, http = free_port(), free_port()
    env = {**os.environ, "NEO4J_HOME_DIR": str(home), "NEO4J_BOLT_PORT": str(bolt), "NEO4J_HTTP_PORT": str(http),
           "NEO4J_HEAP": "2g", "NEO4J_PAGECACHE": "512m"}  # fmt: skip
    env.pop("NEO4J_PASSWORD", None)
    script = str(REPO / "scripts" / "neo4j.sh")
    print(subprocess.run(["bash", script, "start"], env=env, check=True, capture_output=True, text=True).stdout)
    try:
        for tasks in args.tasks:
            bench(f"bolt://127.0.0.1:{bolt}", tasks, args.full_per_row, args.sample)
    finally:
        subprocess.run(["bash", script, "stop"], env=env, check=False)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
