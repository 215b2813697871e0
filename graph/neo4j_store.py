"""Mirror the networkx graph into Neo4j 5 (or any Bolt server speaking its Cypher).

Nodes get the label of their ``kind`` and a unique ``key``; relationships get their
``EdgeType`` as type. The load is idempotent: nodes and relationships are MERGEd on
their keys and their properties replaced, and whatever the graph no longer has is
deleted, so a second ``sync`` of the same graph changes nothing.

>>> sync(graph, "bolt://127.0.0.1:7687", "neo4j", "secret", "neo4j")  # doctest: +SKIP
'1203 nodes, 2410 relationships (created 1203 nodes, 2410 relationships; deleted 0 nodes, 0 relationships)'
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.schema import EdgeType, NodeKind

BATCH_SIZE = 500

# Properties worth an index beyond the unique ``key`` of every label.
INDEXED_PROPERTIES: tuple[tuple[NodeKind, str], ...] = (
    (NodeKind.DEPARTMENT, "name"),
    (NodeKind.COLLECTIVE, "name"),
    (NodeKind.DISTRICT, "name"),
    (NodeKind.TASK, "report"),
    (NodeKind.TARGET, "indicator"),
    (NodeKind.REPORT, "sha256"),
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Neo4jSyncError(RuntimeError):
    """The graph could not be loaded into Neo4j; the message says where and why."""


@dataclass(frozen=True, slots=True)
class _Statement:
    cypher: str
    params: dict[str, Any]


def _name(identifier: str) -> str:
    """``identifier`` as a backquoted Cypher label or type; refuses anything odd."""
    if not _IDENTIFIER.match(identifier):
        raise Neo4jSyncError(f"{identifier!r} is not usable as a Neo4j label or relationship type")
    return f"`{identifier}`"


def property_value(value: Any) -> Any:
    """``value`` as a Neo4j property: scalars and lists of one scalar type as they are, others as JSON.

    >>> property_value([1, 2]), property_value((1, 2)), property_value({"a": 1}), property_value([1, "a"])
    ([1, 2], [1, 2], '{"a": 1}', '[1, "a"]')
    """
    if isinstance(value, str | int | float | bool):
        return value
    if (
        isinstance(value, list | tuple)
        and all(isinstance(v, str | int | float | bool) for v in value)
        and len({type(v) for v in value}) <= 1
    ):
        return list(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def properties(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The Neo4j properties for networkx ``attrs``: ``None`` values dropped (Neo4j has no null)."""
    return {k: property_value(v) for k, v in attrs.items() if v is not None}


def schema_statements(kinds: Iterable[str] = tuple(NodeKind)) -> list[str]:
    """Uniqueness constraints on ``key`` for every label, then the extra indexes (Neo4j 5 syntax)."""
    out = [
        f"CREATE CONSTRAINT {kind.lower()}_key IF NOT EXISTS FOR (n:{_name(kind)}) REQUIRE n.key IS UNIQUE"
        for kind in kinds
    ]
    out += [
        f"CREATE INDEX {kind.lower()}_{prop} IF NOT EXISTS FOR (n:{_name(kind)}) ON (n.{prop})"
        for kind, prop in INDEXED_PROPERTIES
    ]
    return out


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH_SIZE):
        yield rows[i : i + BATCH_SIZE]


def node_statements(graph: nx.MultiDiGraph) -> list[_Statement]:
    """Batched ``UNWIND … MERGE`` statements loading the nodes, one label at a time."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, attrs in graph.nodes(data=True):
        by_kind[attrs["kind"]].append({"key": key, "props": {**properties(attrs), "key": key}})
    out = []
    for kind in sorted(by_kind):
        cypher = f"UNWIND $rows AS row MERGE (n:{_name(kind)} {{key: row.key}}) SET n = row.props"
        out += [_Statement(cypher, {"rows": batch}) for batch in _batches(by_kind[kind])]
    return out


def edge_statements(graph: nx.MultiDiGraph) -> list[_Statement]:
    """Batched ``UNWIND … MERGE`` statements loading the edges, per (source label, type, target label)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        group = (graph.nodes[u]["kind"], _edge_type(etype, attrs), graph.nodes[v]["kind"])
        groups[group].append({"source": u, "target": v, "props": properties(attrs)})
    out = []
    for source_kind, etype, target_kind in sorted(groups):
        cypher = (
            f"UNWIND $rows AS row MATCH (a:{_name(source_kind)} {{key: row.source}}) "
            f"MATCH (b:{_name(target_kind)} {{key: row.target}}) "
            f"MERGE (a)-[r:{_name(etype)}]->(b) SET r = row.props"
        )
        out += [_Statement(cypher, {"rows": b}) for b in _batches(groups[(source_kind, etype, target_kind)])]
    return out


def _edge_type(etype: str, attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("type", etype))


def prune_statements(tx: Any, graph: nx.MultiDiGraph) -> list[_Statement]:
    """Statements deleting the nodes and relationships of govkg's labels and types that ``graph`` lacks.

    Reads the keys in the database through ``tx`` and compares them here, so the
    deletes only touch stale items and use the ``key`` constraints.
    """
    keys: dict[str, set[str]] = defaultdict(set)
    for key, kind in graph.nodes(data="kind"):
        keys[kind].add(key)
    out = []
    for kind in sorted(set(NodeKind) | set(keys)):
        label = _name(kind)
        stale = [
            r["key"] for r in tx.run(f"MATCH (n:{label}) RETURN n.key AS key") if r["key"] not in keys[kind]
        ]
        if stale:
            out.append(
                _Statement(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) DETACH DELETE n", {"keys": stale})
            )
    stale_keys = {k for st in out for k in st.params["keys"]}
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        pairs[_edge_type(etype, attrs)].add((u, v))
    for etype in sorted(set(EdgeType) | set(pairs)):
        cypher = f"MATCH (a)-[:{_name(etype)}]->(b) RETURN a.key AS a, labels(a) AS la, b.key AS b, labels(b) AS lb"
        by_labels: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for r in tx.run(cypher):
            ours = r["a"] is not None and r["b"] is not None and r["la"] and r["lb"]
            if ours and (r["a"], r["b"]) not in pairs[etype] and not {r["a"], r["b"]} & stale_keys:
                by_labels[(r["la"][0], r["lb"][0])].append({"a": r["a"], "b": r["b"]})
        for (la, lb), rows in sorted(by_labels.items()):
            cypher = (
                f"UNWIND $rows AS row MATCH (a:{_name(la)} {{key: row.a}})-[r:{_name(etype)}]->"
                f"(b:{_name(lb)} {{key: row.b}}) DELETE r"
            )
            out.append(_Statement(cypher, {"rows": rows}))
    return out


_COUNTERS = ("nodes_created", "relationships_created", "nodes_deleted", "relationships_deleted")


def _load(tx: Any, graph: nx.MultiDiGraph, statements: list[_Statement]) -> dict[str, int]:
    """Delete what ``graph`` lacks, then run ``statements``, in the transaction ``tx``; the summed counters."""
    totals = dict.fromkeys(_COUNTERS, 0)
    for st in prune_statements(tx, graph) + statements:
        counters = tx.run(st.cypher, st.params).consume().counters
        for name in _COUNTERS:
            totals[name] += getattr(counters, name)
    return totals


def sync(graph: nx.MultiDiGraph, uri: str, user: str, password: str, database: str = "neo4j") -> str:
    """Load ``graph`` into the Neo4j ``database`` at ``uri``; returns a one-line summary of counts.

    Constraints and indexes are created first; then, in one write transaction, stale
    nodes and relationships are deleted and every node and edge is MERGEd in batches of
    ``BATCH_SIZE``. Raises ``Neo4jSyncError`` if the server can't be reached or refuses.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    kinds = sorted(set(NodeKind) | {k for _, k in graph.nodes(data="kind")})
    statements = node_statements(graph) + edge_statements(graph)
    try:
        with GraphDatabase.driver(uri, auth=(user, password)) as driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                for cypher in schema_statements(kinds):
                    session.run(cypher).consume()
                totals = session.execute_write(_load, graph, statements)
                counts = session.execute_read(_counts)
    except (DriverError, Neo4jError, OSError) as e:
        raise Neo4jSyncError(
            f"Neo4j sync to {uri} (database {database}) failed: {' '.join(str(e).split())}"
        ) from e
    return (
        f"{counts[0]} nodes, {counts[1]} relationships (created {totals['nodes_created']} nodes, "
        f"{totals['relationships_created']} relationships; deleted {totals['nodes_deleted']} nodes, "
        f"{totals['relationships_deleted']} relationships)"
    )


def _counts(tx: Any) -> tuple[int, int]:
    nodes = tx.run("MATCH (n) RETURN count(n) AS c").single()["c"]
    rels = tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
    return nodes, rels
