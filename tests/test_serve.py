"""How ``govkg serve`` runs: each worker its own listening socket, connections sent at once,
the workers stopped together."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from pathlib import Path

import httpx
import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from govkg.api.http import NoDelayHttp
from tests.support import stored
from tests.test_durability import Server, eventually


def _children(pid: int) -> list[int]:
    """The worker processes of ``pid`` (spawned by multiprocessing; not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid and b"spawn_main" in command:
                found.append(int(entry.name))
    return found


def _established(port: int) -> set[str]:
    """Socket inodes of the established TCP connections whose local port is ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    return inodes


def _held(pid: int, inodes: set[str]) -> int:
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        held += link.startswith("socket:[") and link[8:-1] in inodes
    return held


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, sample_documents):
    data = tmp_path_factory.mktemp("serve") / "data"
    stored(sample_documents[:2], data)
    with Server(data, workers=2) as server:
        yield server


def test_connections_are_spread_over_the_workers(two_workers):
    """Each worker listens on a socket of its own (SO_REUSEPORT), so the kernel spreads new
    connections over them; with one shared socket, the worker that woke first accepted the whole
    burst (55 of 64 in one bench run)."""
    workers = _children(two_workers.proc.pid)
    assert len(workers) == 2
    burst = [socket.create_connection(("127.0.0.1", two_workers.port)) for _ in range(48)]  # queued at once
    try:
        for s in burst:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for s in burst:
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
        inodes = _established(two_workers.port)
        held = [_held(w, inodes) for w in workers]
        assert sum(held) == 48 and min(held) >= 10, held  # below 10 of 48: p < 1e-4 if spread evenly
    finally:
        for s in burst:
            s.close()


def test_a_worker_that_dies_stops_the_server(tmp_path, sample_documents):
    data = tmp_path / "data"
    stored(sample_documents[:1], data)
    server = Server(data, workers=2).wait()
    try:
        workers = _children(server.proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        assert server.proc.wait(30) == 1
        assert eventually(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 15)
    finally:
        if server.proc.poll() is None:
            server.stop()


def test_sigterm_stops_every_worker(tmp_path, sample_documents):
    data = tmp_path / "data"
    stored(sample_documents[:1], data)
    server = Server(data, workers=2).wait()
    workers = _children(server.proc.pid)
    server.proc.send_signal(signal.SIGTERM)  # the supervising process only, as a service manager would
    assert server.proc.wait(30) == 0
    assert eventually(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 15)


async def _ok(scope, receive, send) -> None:  # noqa: ANN001 - a minimal ASGI app
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize(("protocol", "nodelay"), [(HttpToolsProtocol, 0), (NoDelayHttp, 1)])
def test_each_connection_sends_at_once(protocol, nodelay):
    """On a listening socket made as uvicorn makes one for several workers (no IPPROTO_TCP named),
    asyncio leaves TCP_NODELAY off and each response waits for the client's delayed ACK; the
    server's protocol turns it on."""
    sock = socket.socket(socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(_ok, loop="asyncio", http=protocol, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        assert eventually(lambda: server.started, 10)
        with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}") as client:
            assert client.get("/").text == "ok"
            connections = list(server.server_state.connections)
            assert len(connections) == 1
            option = connections[0].transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            assert bool(option) == bool(nodelay)
    finally:
        server.should_exit = True
        thread.join(10)


def test_elsewhere_than_linux_uvicorn_supervises_the_workers(tmp_path, sample_documents):
    """The fallback for kernels that do not spread connections over SO_REUSEPORT sockets: the
    server answers, from the worker processes uvicorn started."""
    data = tmp_path / "data"
    stored(sample_documents[:1], data)
    script = (
        "import os, sys; import govkg.api.http as h; h.KERNEL_SPREADS = False; from govkg.api.cli import main; "
        "sys.argv = ['govkg', 'serve', '--port', os.environ['PORT'], '--data-dir', os.environ['GOVKG_DATA'], "
        "'--workers', '2']; main()"
    )
    with Server(data, command=[sys.executable, "-c", script]) as server:
        assert httpx.get(f"{server.url}/api/health").json() == {"status": "ok"}
        assert len(_children(server.proc.pid)) == 2
    assert "Started parent process" in server.proc.stdout.read().decode()  # uvicorn's supervisor
