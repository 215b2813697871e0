"""Nothing is lost: concurrent builds and uploads, kill -9 mid-build, a running server sees CLI builds,
``scripts/serve.sh`` keeps uploads, removal through CLI and API. Real processes, real server, real SQLite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.corpus import variant_texts
from govkg.graph.build import build_graph
from govkg.graph.schema import NodeKind
from govkg.graph.store import Store, dumps, store_path
from govkg.loaders import load_document
from tests.conftest import REPO, SAMPLES
from tests.support import free_port, stored
from tests.test_cli import govkg

SYNTHETIC = SAMPLES / "2021_xialu_sample.txt"
SYNTHETIC_TASKS = 12


def write_variants(folder: Path, n: int, skip: int = 0) -> list[Path]:
    """``n`` distinct documents (the synthetic sample for other districts and years)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(variant_texts(SYNTHETIC.read_text(encoding="utf-8"), "下陆区", 2021, n + skip))[skip:]
    paths = []
    for name, text in texts:
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def task_nodes(path: Path) -> int:
    with Store.open(path) as s:
        return sum(1 for _, k in s.load_graph().nodes(data="kind") if k == NodeKind.TASK)


def check_consistent(path: Path) -> tuple[int, int]:
    """(reports, tasks); every report complete: its task count equals its task nodes."""
    with Store.open(path) as s:
        assert s._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        g = s.load_graph()  # one committed state; a build may be adding more meanwhile
    reports = [(k, d["task_count"]) for k, d in g.nodes(data=True) if d["kind"] == "Report"]
    for key, count in reports:
        held = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "Task" and d["report"] == key)
        assert held == count, key
    return len(reports), sum(c for _, c in reports)


def eventually(check: Callable[[], bool], timeout: float = 30) -> bool:
    """True as soon as ``check()`` is; False if it never is within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Server:
    """``govkg serve`` (the console script) on a free port, stopped by its process id."""

    def __init__(
        self, data: Path, command: list[str] | None = None, env: dict[str, str] | None = None, workers: int = 1
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        exe = str(Path(sys.executable).parent / "govkg")
        cmd = command or [exe, "serve", "--port", str(self.port), "--data-dir", str(data), "--workers", str(workers)]
        self.proc = subprocess.Popen(
            cmd,
            env={**os.environ, **(env or {}), "PORT": str(self.port), "GOVKG_DATA": str(data)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )

    def wait(self, timeout: float = 180) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited: {self.proc.stdout.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/reports", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("server did not start")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> Server:
        return self.wait()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _open_fresh(path: str) -> str:
    try:
        with Store.open(path) as s:
            return f"generation {s.generation()}"
    except Exception as e:  # noqa: BLE001 - the message is the result
        return str(e)


def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path):
    """Creating a store switches it to WAL, which SQLite does without waiting for a busy lock: the
    openers that lose the race retry instead of calling the file 'not a govkg store'."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(8) as pool:
        for i in range(20):
            results = pool.map(_open_fresh, [str(tmp_path / f"s{i}" / "govkg.sqlite")] * 8, chunksize=1)
            assert results == ["generation 0"] * 8, results


def test_two_concurrent_builds_lose_nothing(tmp_path):
    a = write_variants(tmp_path / "a", 12)
    b = write_variants(tmp_path / "b", 12, skip=12)
    data = tmp_path / "data"
    exe = str(Path(sys.executable).parent / "govkg")
    runs = [
        subprocess.Popen([exe, "build", str(folder), "-d", str(data), "-j", "1"], stdout=subprocess.PIPE, text=True)
        for folder in (tmp_path / "a", tmp_path / "b")
    ]
    outs = [r.communicate(timeout=300)[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    assert all("12 added, 0 unchanged, 0 skipped, 0 failed" in o for o in outs), outs
    assert check_consistent(store_path(data)) == (24, 24 * SYNTHETIC_TASKS)
    with Store.open(store_path(data)) as s:
        assert sorted(r.source for r in s.reports()) == sorted(p.name for p in a + b)


def test_kill_9_mid_build_keeps_the_previous_state(tmp_path, sample_documents):
    data = tmp_path / "data"
    path = stored(sample_documents, data)
    before = dumps(build_graph(sample_documents))
    write_variants(tmp_path / "many", 60)
    exe = str(Path(sys.executable).parent / "govkg")
    run = subprocess.Popen([exe, "build", str(tmp_path / "many"), "-d", str(data), "-j", "1"], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while check_consistent(path)[0] < len(sample_documents) + 3:
            assert run.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    reports, tasks = check_consistent(path)
    assert len(sample_documents) + 3 <= reports < len(sample_documents) + 60
    with Store.open(path) as s:  # the previous state is all there, and the store takes more
        kept = [r.key for r in s.reports()][: len(sample_documents)]
        assert sorted(kept) == sorted(n for n in build_graph(sample_documents) if n.startswith("report:"))
        for r in s.reports()[len(sample_documents) :]:
            s.remove(r.key)
        assert dumps(s.load_graph()) == before
    finished = govkg("build", tmp_path / "many", "-d", data)
    assert finished.returncode == 0 and "60 added" in finished.stdout


def test_50_concurrent_uploads_lose_nothing(tmp_path, sample_documents):
    data = tmp_path / "data"
    stored(sample_documents[:1], data)
    files = write_variants(tmp_path / "up", 50)
    with Server(data) as server:

        def upload(p: Path) -> int:
            with p.open("rb") as f:
                return httpx.post(f"{server.url}/api/documents", files={"file": (p.name, f)}, timeout=120).status_code

        with ThreadPoolExecutor(50) as pool:
            codes = list(pool.map(upload, files))
        assert codes == [201] * 50
        listed = httpx.get(f"{server.url}/api/reports").json()
        assert len(listed) == 51
    assert check_consistent(store_path(data)) == (51, len(sample_documents[0].tasks) + 50 * SYNTHETIC_TASKS)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cli_build_is_seen_by_a_running_server(tmp_path, sample_documents, workers):
    data = tmp_path / "data"
    stored([d for d in sample_documents if d.source != SYNTHETIC.name], data)
    with Server(data, workers=workers) as server:
        assert len(httpx.get(f"{server.url}/api/reports").json()) == 5
        assert httpx.get(f"{server.url}/api/departments/区乡村振兴局").status_code == 404
        assert govkg("build", SYNTHETIC, "-d", data).returncode == 0
        # the next request sees it (it waits up to 2 s for the reload; polled in case CI is slower)
        assert eventually(lambda: len(httpx.get(f"{server.url}/api/reports").json()) == 6)
        assert httpx.get(f"{server.url}/api/departments/区乡村振兴局").status_code == 200
        removed = govkg("remove", SYNTHETIC.name, "-d", data)
        assert removed.returncode == 0 and "removed report:" in removed.stdout
        assert eventually(lambda: httpx.get(f"{server.url}/api/departments/区乡村振兴局").status_code == 404)


def test_delete_report_takes_away_exactly_its_tasks_and_mentions(tmp_path, sample_documents):
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app

    path = stored(sample_documents, tmp_path)
    client = TestClient(create_app(path), base_url="http://127.0.0.1")
    gone = next(d for d in sample_documents if d.source == SYNTHETIC.name)
    key = next(r["id"] for r in client.get("/api/reports").json() if r["source"] == SYNTHETIC.name)
    total = client.get("/api/tasks", params={"limit": 1}).json()["total"]
    r = client.delete(f"/api/reports/{key}")
    assert r.status_code == 200 and r.json()["task_count"] == SYNTHETIC_TASKS
    assert client.get("/api/tasks", params={"limit": 1}).json()["total"] == total - SYNTHETIC_TASKS
    rest = build_graph([d for d in sample_documents if d is not gone])
    with Store.open(path) as s:
        assert dumps(s.load_graph()) == dumps(rest)
    assert client.delete(f"/api/reports/{key}").status_code == 404


def test_delete_report_by_an_ambiguous_title_lists_the_candidates(tmp_path):
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app
    from tests.docmaker import made_documents

    client = TestClient(create_app(stored(made_documents(), tmp_path)), base_url="http://127.0.0.1")
    r = client.delete("/api/reports/重点工作责任分解")  # every made document has this title
    assert r.status_code == 409 and len(r.json()["candidates"]) == 4
    assert client.delete("/api/reports/xialu.txt").status_code == 200
    assert [x["source"] for x in client.get("/api/reports").json()] == ["ezhou2011.txt", "ezhou2019.txt", "yingtan.txt"]


def test_cli_remove_names_ambiguous_and_unknown_reports(tmp_path):
    from tests.docmaker import made_documents

    data = tmp_path / "data"
    stored(made_documents(), data)
    r = govkg("remove", "重点工作责任分解", "-d", data)
    assert r.returncode == 1 and "names 4 reports" in r.stderr
    assert govkg("remove", "nothing", "-d", data).returncode == 1
    assert govkg("remove", "ezhou2011.txt", "-d", data).returncode == 0
    listed = json.loads(govkg("reports", "--json", "-d", data).stdout)
    assert sorted(r["source"] for r in listed) == ["ezhou2019.txt", "xialu.txt", "yingtan.txt"]


def test_serve_sh_twice_keeps_uploaded_documents(tmp_path, sample_documents):
    data = tmp_path / "data"
    extra = write_variants(tmp_path / "extra", 1)[0]
    script = ["bash", str(REPO / "scripts" / "serve.sh")]
    with Server(data, script) as first:
        assert len(httpx.get(f"{first.url}/api/reports").json()) == len(sample_documents)
        with extra.open("rb") as f:
            assert httpx.post(f"{first.url}/api/documents", files={"file": (extra.name, f)}).status_code == 201
    with Server(data, script) as second:
        sources = [r["source"] for r in httpx.get(f"{second.url}/api/reports").json()]
    assert len(sources) == len(sample_documents) + 1 and extra.name in sources


def test_uploads_and_a_cli_build_at_once(tmp_path):
    """Writers in two processes at the same time: every document lands once."""
    data = tmp_path / "data"
    stored([load_document(SYNTHETIC)], data)
    ups = write_variants(tmp_path / "up", 10)
    write_variants(tmp_path / "cli", 10, skip=10)
    with Server(data) as server:
        results: list[int] = []

        def uploads() -> None:
            for p in ups:
                with p.open("rb") as f:
                    results.append(httpx.post(f"{server.url}/api/documents", files={"file": (p.name, f)}).status_code)

        t = threading.Thread(target=uploads)
        t.start()
        built = govkg("build", tmp_path / "cli", "-d", data, "-j", "1")
        t.join()
        assert built.returncode == 0 and results == [201] * 10
        assert len(httpx.get(f"{server.url}/api/reports").json()) == 21
    assert task_nodes(store_path(data)) == 21 * SYNTHETIC_TASKS
