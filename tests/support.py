"""Helpers for tests that need a service: a free port, and skip-or-fail when one is missing."""

from __future__ import annotations

import contextlib
import os
import socket

import pytest


def missing_service(reason: str) -> None:
    """Skip a test whose service (Chromium, Neo4j, node) is missing.

    Under ``scripts/test.sh``, which installs them, ``GOVKG_REQUIRE_SERVICES=1`` makes it
    a failure instead, so a broken install step cannot pass as skipped tests.
    """
    if os.environ.get("GOVKG_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (scripts/test.sh installs it)")
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stored(documents, folder):  # noqa: ANN001, ANN201
    """The store file ``folder/govkg.sqlite`` holding ``documents`` (added one by one)."""
    from govkg.graph.store import Store, store_path

    path = store_path(folder)
    with Store.open(path) as store:
        store.add_all(documents)
    return path


@contextlib.contextmanager
def serving(store):  # noqa: ANN001, ANN201
    """``create_app(store)`` served by uvicorn on a free loopback port; yields its base URL."""
    import threading
    import time

    import uvicorn

    from govkg.api.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
