"""Graph build, store and export times on a corpus of N copies of the samples.

Run from the repository root::

    .venv/bin/python bench/graph_bench.py            # 100 copies (500 documents)
    .venv/bin/python bench/graph_bench.py --copies 20

The samples are parsed once; each copy gets its own sha256 and one of ten
jurisdictions, so the graph grows like a real multi-year, multi-city corpus.
It prints the time to build the graph, to add one new document to the big graph
(the graph-wide refresh included), to re-add known documents (a no-op), to add
the corpus to the SQLite store and load it back (derived, then from the cached
snapshot), and to render each export format.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402

from bench.timing import Table, measure  # noqa: E402
from govkg.graph.build import build_graph  # noqa: E402
from govkg.graph.export import FORMATS, render  # noqa: E402
from govkg.graph.store import Store  # noqa: E402
from govkg.loaders import Document, load_document  # noqa: E402


def copies(docs: list[Document], n: int) -> list[Document]:
    out = []
    for i in range(n):
        for d in docs:
            meta = dataclasses.replace(
                d.metadata,
                sha256=f"{i:06d}{d.metadata.sha256[6:]}",
                jurisdiction=f"{d.metadata.jurisdiction or '某某市'}{i % 10}",
            )
            out.append(dataclasses.replace(d, metadata=meta))
    return out


def baseline(g: nx.MultiDiGraph) -> float:
    """Seconds for plain ``json.dumps`` of the graph's node-link data: the least a store does."""
    seconds, _ = measure(lambda: json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    samples = [load_document(p) for p in sorted((REPO / "samples").iterdir()) if p.suffix == ".txt"]
    corpus = copies(samples, args.copies)
    build_seconds, g = measure(lambda: build_graph(corpus))
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges from {len(corpus)} documents")
    table = Table(baseline(g), "json.dumps of node-link data")
    print(f"{f'build ({len(corpus)} documents)':<44} {build_seconds:8.3f} s {build_seconds / table.baseline:10.1f}x")
    timed = table.timed
    extra = copies(samples[:1], args.copies + 1)[-1]
    timed("add one new document", lambda: build_graph([extra], g))
    timed("re-add known documents", lambda: build_graph(corpus, g))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "govkg.sqlite"
        unique = [dataclasses.replace(d, text=f"{d.text}\n({i})") for i, d in enumerate(corpus)]  # text differs
        with Store.open(path) as store:
            timed("store (one transaction per document)", lambda: store.add_all(unique))
            print(f"{'stored size':<44} {path.stat().st_size / 2**20:8.1f} MiB")
            timed("load (unite + derive, then cache)", store.load_graph)
            timed("load (cached snapshot)", store.load_graph)
    for fmt in FORMATS:
        timed(f"render {fmt}", lambda fmt=fmt: render(g, fmt))


if __name__ == "__main__":
    main()
