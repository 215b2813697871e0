"""How ``govkg serve`` speaks HTTP: uvicorn's httptools protocol on Python's own event loop, with
``TCP_NODELAY`` on every connection, and with several workers each its own listening socket.

- **The loop.** Under load, uvloop left some connections unserved for long stretches: one
  process, 64 connections asking co-owned afresh had a p99 of 909 ms (longest 1.4 s) with uvloop,
  and 44 ms (longest 46 ms) with asyncio, at the same 1,500 requests per second.
- **TCP_NODELAY.** asyncio sets it only on connections whose listening socket names
  ``IPPROTO_TCP``; the socket uvicorn binds for several workers does not, so each response
  waited for the client's delayed ACK (40 ms a request: 362 requests per second instead of 9,700).
- **One socket per worker** (``SO_REUSEPORT``): the kernel spreads new connections over the
  workers. With uvicorn's one shared socket, whichever worker woke first accepted a burst of
  connections whole: 55 of 64 keep-alive connections on one worker of two, whose clients then
  waited for it while the other had little to do.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import socket
import sys
import threading
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

STOP_S = 10  # a worker still running this long after SIGTERM is killed
KERNEL_SPREADS = sys.platform == "linux"  # BSDs give a port's SO_REUSEPORT connections to one socket


class NoDelayHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol that sends each response at once (``TCP_NODELAY``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def uvicorn_options(**options: Any) -> dict[str, Any]:
    """uvicorn's keyword arguments for this server: Python's own loop and ``NoDelayHttp``, then
    ``options``."""
    return {"loop": "asyncio", "http": NoDelayHttp, **options}


def serve_workers(app: str, host: str, port: int, workers: int, **options: Any) -> int:
    """Run ``workers`` server processes of the app factory ``app`` (``module:function``), each
    listening on ``host:port`` with a socket of its own; return once they have stopped (SIGINT or
    SIGTERM here stops them all, and so does one that ends): 0, or 1 when a worker failed.
    ``options`` go to ``uvicorn.Config``. Elsewhere than on Linux, whose kernel alone spreads
    connections over such sockets, uvicorn's own supervisor runs the workers on one shared socket."""
    if not KERNEL_SPREADS:
        import uvicorn

        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **uvicorn_options(**options))
        return 0
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_worker, args=(app, host, port, options), name=f"govkg-worker-{i}", daemon=False)
        for i in range(workers)
    ]
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for p in procs:
            p.start()
        while not stop.is_set() and all(p.is_alive() for p in procs):
            stop.wait(0.2)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for p in procs:
            p.join(STOP_S)
            if p.is_alive():
                p.kill()
                p.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if stop.is_set() or all(p.exitcode == 0 for p in procs) else 1


def _worker(app: str, host: str, port: int, options: dict[str, Any]) -> None:
    """One server process: its own listening socket on ``host:port``, shared by ``SO_REUSEPORT``."""
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    config = uvicorn.Config(app, factory=True, host=host, port=port, **uvicorn_options(**options))
    uvicorn.Server(config).run(sockets=[sock])
