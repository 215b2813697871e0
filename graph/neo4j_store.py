"""Mirror the networkx graph into Neo4j 5.

Nodes get the label of their ``kind`` and a unique ``key``; relationships get their
``EdgeType`` as type (one per type between two nodes, as in the graph). ``sync`` reads
what the database holds (keys and properties), then writes in chunked ``UNWIND``
transactions: it deletes what the graph no longer has (the key set difference),
``CREATE``s what the database lacks and sets the properties of what both have where they
differ. A second ``sync`` of the same graph writes nothing. An interrupted sync leaves earlier chunks written;
running it again completes it.

>>> sync(graph, "bolt://127.0.0.1:7687", "neo4j", "secret", "neo4j")  # doctest: +SKIP
'1203 nodes, 2410 relationships (created 1203 nodes, 2410 relationships; deleted 0 nodes, 0 relationships)'
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from govkg.graph.schema import EdgeType, NodeKind

BATCH_SIZE = 5000  # rows per UNWIND transaction

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
    """The Neo4j properties for networkx ``attrs``.

    ``None`` values are dropped (Neo4j has no null), and so are empty lists: an empty
    array has no element type, and ``neo4j-admin database import`` leaves it out too.

    >>> properties({"a": None, "b": [], "c": [1], "d": "x"})
    {'c': [1], 'd': 'x'}
    """
    return {k: property_value(v) for k, v in attrs.items() if v is not None and not _empty_list(v)}


def _empty_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and not value


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


def edge_type_of(etype: str, attrs: Mapping[str, Any]) -> str:
    """The relationship type of a networkx edge (its ``type`` attribute, else its key)."""
    return str(attrs.get("type", etype))


def _chunks(cypher: str, rows: list[Any], size: int) -> list[_Statement]:
    return [_Statement(cypher, {"rows": rows[i : i + size]}) for i in range(0, len(rows), size)]


@dataclass(frozen=True, slots=True)
class DatabaseKeys:
    """What the database holds of govkg's labels and types, with the properties of each item."""

    nodes: Mapping[str, Mapping[str, dict[str, Any]]]  # label -> key -> properties
    # type -> (source key, target key) -> (source label, target label, properties)
    relationships: Mapping[str, Mapping[tuple[str, str], tuple[str, str, dict[str, Any]]]]


def read_keys(tx: Any, labels: Iterable[str], types: Iterable[str]) -> DatabaseKeys:
    """The nodes of ``labels`` and relationships of ``types`` in the database, keyed as in the graph."""
    nodes = {
        label: {
            r["key"]: r["p"]
            for r in tx.run(f"MATCH (n:{_name(label)}) RETURN n.key AS key, properties(n) AS p")
            if r["key"] is not None
        }
        for label in labels
    }
    rels: dict[str, dict[tuple[str, str], tuple[str, str, dict[str, Any]]]] = {}
    for etype in types:
        cypher = (
            f"MATCH (a)-[r:{_name(etype)}]->(b) WHERE a.key IS NOT NULL AND b.key IS NOT NULL "
            "RETURN a.key AS a, labels(a)[0] AS la, b.key AS b, labels(b)[0] AS lb, properties(r) AS p"
        )
        rels[etype] = {(r["a"], r["b"]): (r["la"], r["lb"], r["p"]) for r in tx.run(cypher)}
    return DatabaseKeys(nodes, rels)


def sync_statements(
    graph: nx.MultiDiGraph, db: DatabaseKeys, batch_size: int = BATCH_SIZE
) -> list[_Statement]:
    """The writes that make the database described by ``db`` mirror ``graph``, in order.

    Stale relationships, then stale nodes (with whatever still hangs on them) are deleted;
    new nodes and relationships are ``CREATE``d; those whose properties differ get them set.
    """
    want_nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for key, attrs in graph.nodes(data=True):
        want_nodes[attrs["kind"]][key] = {**properties(attrs), "key": key}
    kind_of = {key: kind for kind, nodes in want_nodes.items() for key in nodes}
    want_rels: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        want_rels[(kind_of[u], edge_type_of(etype, attrs), kind_of[v])][(u, v)] = properties(attrs)

    stale_nodes = {
        label: sorted(keys.keys() - want_nodes.get(label, {}).keys()) for label, keys in db.nodes.items()
    }
    gone = {k for keys in stale_nodes.values() for k in keys}
    wanted_pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (_, etype, _), pairs in want_rels.items():
        wanted_pairs[etype] |= pairs.keys()

    out: list[_Statement] = []
    for etype, pairs in sorted(db.relationships.items()):
        stale: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for (a, b), (la, lb, _) in pairs.items():
            if (a, b) not in wanted_pairs[etype] and a not in gone and b not in gone:
                stale[(la, lb)].append({"a": a, "b": b})
        for (la, lb), rows in sorted(stale.items()):
            cypher = (
                f"UNWIND $rows AS row MATCH (a:{_name(la)} {{key: row.a}})-[r:{_name(etype)}]->"
                f"(b:{_name(lb)} {{key: row.b}}) DELETE r"
            )
            out += _chunks(cypher, sorted(rows, key=lambda r: (r["a"], r["b"])), batch_size)
    for label, keys in sorted(stale_nodes.items()):
        cypher = f"UNWIND $rows AS k MATCH (n:{_name(label)} {{key: k}}) DETACH DELETE n"
        out += _chunks(cypher, keys, batch_size)

    for label, nodes in sorted(want_nodes.items()):
        have = db.nodes.get(label, {})
        new = [props for key, props in nodes.items() if key not in have]
        changed = [{"key": k, "props": p} for k, p in nodes.items() if k in have and have[k] != p]
        out += _chunks(f"UNWIND $rows AS props CREATE (n:{_name(label)}) SET n = props", new, batch_size)
        cypher = f"UNWIND $rows AS row MATCH (n:{_name(label)} {{key: row.key}}) SET n = row.props"
        out += _chunks(cypher, changed, batch_size)

    for (la, etype, lb), pairs in sorted(want_rels.items()):
        have_rels = db.relationships.get(etype, {})
        new = [{"a": a, "b": b, "props": p} for (a, b), p in pairs.items() if (a, b) not in have_rels]
        changed = [
            {"a": a, "b": b, "props": p}
            for (a, b), p in pairs.items()
            if (a, b) in have_rels and have_rels[(a, b)][2] != p
        ]
        ends = f"MATCH (a:{_name(la)} {{key: row.a}}) MATCH (b:{_name(lb)} {{key: row.b}}) "
        out += _chunks(f"UNWIND $rows AS row {ends}CREATE (a)-[r:{_name(etype)}]->(b) SET r = row.props", new, batch_size)
        cypher = (
            f"UNWIND $rows AS row MATCH (a:{_name(la)} {{key: row.a}})-[r:{_name(etype)}]->"
            f"(b:{_name(lb)} {{key: row.b}}) SET r = row.props"
        )
        out += _chunks(cypher, changed, batch_size)
    return out


_COUNTERS = ("nodes_created", "relationships_created", "nodes_deleted", "relationships_deleted")


def _write(tx: Any, statement: _Statement) -> dict[str, int]:
    counters = tx.run(statement.cypher, statement.params).consume().counters
    return {name: getattr(counters, name) for name in _COUNTERS}


def sync(
    graph: nx.MultiDiGraph,
    uri: str,
    user: str,
    password: str,
    database: str = "neo4j",
    batch_size: int = BATCH_SIZE,
) -> str:
    """Load ``graph`` into the Neo4j ``database`` at ``uri``; returns a one-line summary of counts.

    Constraints and indexes are created first, then the keys in the database are read
    and the ``sync_statements`` run, one transaction per chunk of ``batch_size`` rows.
    Raises ``Neo4jSyncError`` if the server can't be reached or refuses.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    kinds = sorted(set(NodeKind) | {k for _, k in graph.nodes(data="kind")})
    types = sorted(set(EdgeType) | {edge_type_of(k, a) for _, _, k, a in graph.edges(keys=True, data=True)})
    totals = dict.fromkeys(_COUNTERS, 0)
    try:
        with GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF") as driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                for cypher in schema_statements(kinds):
                    session.run(cypher).consume()
                db = session.execute_read(read_keys, kinds, types)
                for statement in sync_statements(graph, db, batch_size):
                    for name, n in session.execute_write(_write, statement).items():
                        totals[name] += n
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
