"""A real Neo4j 5 server for the tests, started by ``scripts/neo4j.sh`` (jars from Maven Central).

The session fixture first loads the samples' ``neo4j-import`` export into a fresh home
with ``neo4j-admin database import full`` (the tool from the same artefacts), then starts
the server there on free local ports, reads what the import put in the database, and
stops the server (by its pid) at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import free_port, missing_service

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "neo4j.sh"
DATABASE = "neo4j"  # Community has one user database
STARTUP_TIMEOUT = 300  # seconds: a first fetch from Maven Central plus a cold JVM on a busy machine


@dataclass(frozen=True, slots=True)
class Neo4jServer:
    """A running server: Bolt and HTTP URIs, credentials (auth is off), the version it reports."""

    uri: str
    http_uri: str
    home: Path
    version: str
    imported: tuple[dict[str, int], dict[str, int], str]  # labels, types, checksum right after import
    user: str = "neo4j"
    password: str = "unused-auth-is-off"
    database: str = DATABASE


def _env(home: Path, bolt: int, http: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    return {
        **env,
        "NEO4J_HOME_DIR": str(home),
        "NEO4J_BOLT_PORT": str(bolt),
        "NEO4J_HTTP_PORT": str(http),
        "NEO4J_HEAP": "1g",
        "NEO4J_STARTUP_TIMEOUT": str(STARTUP_TIMEOUT),
    }


def _run(args: list[str], env: dict[str, str], timeout: float = STARTUP_TIMEOUT + 120) -> str:
    """``scripts/neo4j.sh ARGS`` run in the server's home (neo4j-admin writes its report there)."""
    done = subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        cwd=env["NEO4J_HOME_DIR"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/neo4j.sh {' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def import_files(graph, home: Path, env: dict[str, str]) -> str:
    """Write ``graph`` as ``neo4j-import`` CSV files in ``home``/import and run the full import."""
    from govkg.graph.neo4j_import import import_arguments, write_import_files

    folder = home / "import" / "govkg"
    write_import_files(graph, folder)
    return _run(["admin", "database", "import", "full", *import_arguments(folder), DATABASE], env)


def snapshot(uri: str, database: str = DATABASE) -> tuple[dict[str, int], dict[str, int], str]:
    """Nodes per label, relationships per type, and a checksum of every property, read over Bolt."""
    import hashlib
    import json

    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=None) as driver:

        def read(cypher: str) -> list[dict]:
            return [r.data() for r in driver.execute_query(cypher, database_=database)[0]]

        labels = read("MATCH (n) RETURN labels(n) AS l, count(*) AS c")
        types = read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")
        props = read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p") + read(
            "MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS p"
        )
    lines = sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in props)
    return (
        {"/".join(sorted(r["l"])): r["c"] for r in labels},
        {r["t"]: r["c"] for r in types},
        hashlib.sha256("\n".join(lines).encode()).hexdigest(),
    )


@pytest.fixture(scope="session")
def neo4j_server(sample_graph) -> Iterator[Neo4jServer]:
    """A running Neo4j 5 whose database holds the samples' graph as ``neo4j-admin import`` loaded it."""
    if shutil.which("mvn") is None and not (REPO / ".neo4j" / "lib" / ".fetched").exists():
        missing_service("Maven (mvn) is needed to fetch Neo4j")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing_service("Java 17+ is needed to run Neo4j")
    home = Path(tempfile.mkdtemp(prefix="govkg-neo4j-"))
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    env = _env(home, bolt, http)
    try:
        import_files(sample_graph, home, env)
        out = _run(["start"], env)
        uri = f"bolt://127.0.0.1:{bolt}"
        version = out.split()[1] if out.startswith("Neo4j ") else ""
        yield Neo4jServer(uri, f"http://127.0.0.1:{http}", home, version, snapshot(uri))
    finally:
        try:
            _run(["stop"], env, timeout=120)
        finally:
            shutil.rmtree(home, ignore_errors=True)
