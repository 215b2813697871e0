"""Named-query and API-index times on a corpus of N copies of the samples.

Run from the repository root::

    .venv/bin/python bench/query_bench.py            # 20 copies (120 documents)
    .venv/bin/python bench/query_bench.py --copies 100

It builds the graph (``bench/graph_bench.copies``), then times the ``GraphIndex``
(tasks, holders, name tables), the jieba inverted index, the one network layout,
and each named query, repeated to show the per-call cost; each as a ratio to one
pass over all the graph's edges, measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.graph_bench import copies  # noqa: E402
from bench.timing import Table, measure  # noqa: E402
from govkg.graph.build import build_graph  # noqa: E402
from govkg.loaders import load_document  # noqa: E402
from govkg.queries import departments, diff, network, overview, search  # noqa: E402
from govkg.queries.index import GraphIndex  # noqa: E402

REPEAT = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    samples = [load_document(p) for p in sorted((REPO / "samples").iterdir()) if p.suffix == ".txt"]
    g = build_graph(copies(samples, args.copies))
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    scan, _ = measure(lambda: sum(1 for _ in g.edges(keys=True, data=True)))
    timed = Table(scan, "one pass over all edges with data").timed
    index = timed("GraphIndex", lambda: GraphIndex(g))
    assert isinstance(index, GraphIndex)
    timed("inverted index (jieba)", lambda: index.postings)
    timed("network + layout", lambda: index.layout)
    dept = next(u.id for u in index.units.values() if u.label == "区发改局")
    xialu = sorted((d["year"], k) for k, d in index.reports.items() if d["jurisdiction"] == "下陆区0")
    r2020, r2021 = xialu[0][1], xialu[-1][1]
    calls = {
        "tasks_of": lambda: departments.tasks_of(index, dept, "lead"),
        "co_owned": lambda: departments.co_owned(index, dept),
        "collaborators": lambda: departments.collaborators(index, dept),
        "profile (jieba keywords)": lambda: departments.profile(index, dept),
        "search 养老服务": lambda: search.search_tasks(index, "养老服务"),
        "network_view (unfiltered)": lambda: network.network_view(index),
        "network_view (min_weight 3)": lambda: network.network_view(index, min_weight=3),
        "top_leads": lambda: overview.top_leads(index),
        "report_change": lambda: diff.report_change(index, dept, r2020, r2021),
    }
    for label, call in calls.items():
        timed(f"{label} x{REPEAT}", lambda call=call: [call() for _ in range(REPEAT)])


if __name__ == "__main__":
    main()
