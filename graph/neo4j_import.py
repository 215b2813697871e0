"""The graph as the CSV files that ``neo4j-admin database import full`` takes, for very large loads.

One node file per label (``key:ID`` plus typed property columns) and one relationship
file per type (``:START_ID``, ``:END_ID`` plus typed columns), and ``import.args``
holding the options, so that inside the folder

    neo4j-admin database import full @import.args neo4j

fills an empty database with the same nodes, relationships and property values that
``govkg.graph.neo4j_store.sync`` writes (then run ``govkg neo4j`` for the constraints and indexes).
Strings are quoted, missing values are empty cells, lists are joined by ``ARRAY_DELIMITER``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from govkg.graph.files import write_atomic
from govkg.graph.neo4j_store import edge_type_of, properties

ARRAY_DELIMITER = "\u001f"  # ASCII unit separator: never in the documents' text
ARGS_FILE = "import.args"

_SCALAR_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _column_type(values: Iterable[Any]) -> str:
    """The import type of a column holding ``values`` (Neo4j values, see ``properties``)."""
    kinds: set[str] = set()
    for v in values:
        if isinstance(v, list):
            kinds |= {_SCALAR_TYPES[type(x)] + "[]" for x in v} or {"[]"}
        else:
            kinds.add(_SCALAR_TYPES[type(v)])
    if kinds == {"[]"}:
        return "string[]"
    kinds.discard("[]")
    if kinds <= {"long", "double"} and "double" in kinds:
        return "double"
    if kinds <= {"long[]", "double[]"} and "double[]" in kinds:
        return "double[]"
    if len(kinds) != 1:
        raise ValueError(f"a column mixes the types {sorted(kinds)}")
    return kinds.pop()


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, int | float) else str(value)


def _cell(value: Any) -> str:
    """One CSV field: missing is an empty field, a string (or list) quoted, a number bare."""
    if value is None:
        return ""
    if isinstance(value, list):
        return _quote(ARRAY_DELIMITER.join(_scalar(v) for v in value))
    if isinstance(value, str):
        return _quote(value)
    return _scalar(value)


def _table(rows: list[Mapping[str, Any]], id_columns: list[str]) -> bytes:
    """A CSV file: the id columns, then one typed column per property found in ``rows``."""
    columns = sorted({k for row in rows for k in row["props"]})
    types = {c: _column_type(r["props"][c] for r in rows if c in r["props"]) for c in columns}
    lines = [",".join([*id_columns, *(f"{c}:{types[c]}" for c in columns)])]
    for row in rows:
        props = row["props"]
        lines.append(",".join([*(_quote(i) for i in row["ids"]), *(_cell(props.get(c)) for c in columns)]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_tables(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """File name → CSV bytes: ``nodes_<Label>.csv`` and ``rels_<TYPE>.csv``."""
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, attrs in graph.nodes(data=True):
        props = {k: v for k, v in properties(attrs).items() if k != "key"}
        nodes[attrs["kind"]].append({"ids": [key], "props": props})
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        rels[edge_type_of(etype, attrs)].append({"ids": [u, v], "props": properties(attrs)})
    out = {f"nodes_{kind}.csv": _table(rows, ["key:ID"]) for kind, rows in sorted(nodes.items())}
    out |= {f"rels_{t}.csv": _table(rows, [":START_ID", ":END_ID"]) for t, rows in sorted(rels.items())}
    return out


def import_arguments(folder: Path | None = None, names: Iterable[str] | None = None) -> list[str]:
    """The ``neo4j-admin database import full`` options for the files in ``folder`` (names alone without it)."""
    if names is None:
        if folder is None:
            raise ValueError("give the folder or the file names")
        names = sorted(p.name for p in folder.glob("*.csv"))
    args = []
    for name in sorted(names):
        path = str(folder / name) if folder is not None else name
        if name.startswith("nodes_"):
            args.append(f"--nodes={name.removeprefix('nodes_').removesuffix('.csv')}={path}")
        elif name.startswith("rels_"):
            args.append(f"--relationships={name.removeprefix('rels_').removesuffix('.csv')}={path}")
    return [*args, "--multiline-fields=true", f"--array-delimiter={ARRAY_DELIMITER}", "--overwrite-destination=true"]


def write_import_files(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """Write the import CSV files and ``import.args`` into ``folder`` (each file atomically)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = import_tables(graph)
    written = []
    for name, data in tables.items():
        write_atomic(folder / name, data)
        written.append(folder / name)
    args = "\n".join(_quoted(a) for a in import_arguments(names=tables)) + "\n"
    write_atomic(folder / ARGS_FILE, args.encode("utf-8"))
    return [*written, folder / ARGS_FILE]


def _quoted(arg: str) -> str:
    """``arg`` as one line of a picocli @-file (quoted, so the control-character delimiter survives)."""
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'
