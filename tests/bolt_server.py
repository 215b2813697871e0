"""A real Bolt server for the tests: ArcadeDB with its Neo4j protocol plugin.

The ``arcadedb-embedded`` wheel (a test extra) ships a JRE and the server jars, so no
Docker, apt or network is needed. The server runs in a temporary root folder on free
local ports and is stopped at the end of the session.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import free_port, missing_service

USER = "root"
PASSWORD = "govkg-test-password"
DATABASE = "kg_test"
SCRATCH_DATABASE = "kg_scratch"  # for tests that load something else than the samples
STARTUP_TIMEOUT = 90.0  # seconds; a cold JVM on a slow CI machine


@dataclass(frozen=True)
class BoltServer:
    uri: str
    user: str
    password: str
    database: str
    scratch_database: str = SCRATCH_DATABASE


def _wheel_dir() -> Path | None:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _command(wheel: Path, root: Path, bolt_port: int, http_port: int) -> list[str]:
    props = {
        "arcadedb.server.rootPath": root,
        "arcadedb.server.rootPassword": PASSWORD,
        "arcadedb.server.defaultDatabases": f"{DATABASE}[{USER}];{SCRATCH_DATABASE}[{USER}]",
        "arcadedb.server.httpIncomingHost": "127.0.0.1",
        "arcadedb.server.httpIncomingPort": http_port,
        "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "arcadedb.bolt.host": "127.0.0.1",
        "arcadedb.bolt.port": bolt_port,
        "arcadedb.bolt.defaultDatabase": DATABASE,
    }
    return [
        str(wheel / "jre" / "bin" / "java"),
        "-Xmx1g",
        *(f"-D{k}={v}" for k, v in props.items()),
        "-cp",
        str(wheel / "jars" / "*"),
        "com.arcadedb.server.ArcadeDBServer",
    ]


def _answers(server: BoltServer) -> bool:
    """True once the server runs a query in its databases (it opens the port before that)."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            for database in (server.database, server.scratch_database):
                driver.execute_query("RETURN 1 AS one", database_=database)
        return True
    except (Neo4jError, ServiceUnavailable, OSError):
        return False


def _wait_until_ready(proc: subprocess.Popen, server: BoltServer, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Bolt server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if _listening(port) and _answers(server):
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"Bolt server not ready on {port} after {STARTUP_TIMEOUT}s:\n{log.read_text()[-3000:]}"
    )


@pytest.fixture(scope="session")
def bolt_server() -> Iterator[BoltServer]:
    """A running Bolt server (uri, user, password, database, scratch_database); skipped without the wheel."""
    wheel = _wheel_dir()
    if wheel is None or not (wheel / "jre" / "bin" / "java").exists():
        missing_service("arcadedb-embedded (test extra) is not installed")
    root = Path(tempfile.mkdtemp(prefix="govkg-bolt-"))
    bolt_port = http_port = free_port()
    while http_port == bolt_port:
        http_port = free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _command(wheel, root, bolt_port, http_port), stdout=out, stderr=subprocess.STDOUT, cwd=root
        )
    try:
        server = BoltServer(f"bolt://127.0.0.1:{bolt_port}", USER, PASSWORD, DATABASE)
        _wait_until_ready(proc, server, bolt_port, log)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
