"""Answers kept per generation (``govkg.api.answers``): replayed while the store is unchanged, never
across a write, never when they may be of an older state."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from govkg.api.answers import Answer, AnswerCache, Source, _Kept
from govkg.api.app import create_app
from govkg.graph.store import Store
from tests.support import stored

HIT = "x-answer-cache"


@pytest.fixture
def path(sample_documents, tmp_path):
    return stored(sample_documents[:3], tmp_path)


def _client(path, **kw) -> TestClient:  # noqa: ANN001
    return TestClient(create_app(path, **kw), base_url="http://127.0.0.1")


def test_a_repeated_get_is_replayed_with_its_headers(path):
    client = _client(path)
    first = client.get("/api/reports?limit=2")
    again = client.get("/api/reports?limit=2")
    assert HIT not in first.headers and again.headers[HIT] == "hit"
    assert again.content == first.content
    assert again.headers["x-total-count"] == first.headers["x-total-count"] == "3"
    assert again.headers["content-type"] == first.headers["content-type"]
    other = client.get("/api/reports?limit=1")  # another query string is another answer
    assert HIT not in other.headers and len(other.json()) == 1


def test_a_write_by_another_process_or_the_api_ends_the_kept_answers(path, sample_documents):
    client = _client(path)
    before = client.get("/api/reports").json()
    assert client.get("/api/reports").headers[HIT] == "hit"
    with Store.open(path) as store:  # as a CLI build would
        store.add(sample_documents[3])
    added = client.get("/api/reports")
    assert HIT not in added.headers and len(added.json()) == len(before) + 1
    assert client.get("/api/reports").headers[HIT] == "hit"
    assert client.delete(f"/api/reports/{before[0]['id']}").status_code == 200
    removed = client.get("/api/reports")
    assert HIT not in removed.headers and [r["id"] for r in removed.json()] == [
        r["id"] for r in added.json() if r["id"] != before[0]["id"]
    ]


def test_no_cache_asks_for_a_fresh_answer(path):
    client = _client(path)
    first = client.get("/api/tasks?limit=3")
    fresh = client.get("/api/tasks?limit=3", headers={"Cache-Control": "no-cache"})
    assert HIT not in fresh.headers and fresh.content == first.content


def test_errors_health_and_pages_outside_the_api_are_not_kept(path):
    client = _client(path)
    for url in ("/api/tasks/no-such-task", "/api/health", "/openapi.json"):
        first, again = client.get(url), client.get(url)
        assert HIT not in again.headers, url
        assert again.status_code == first.status_code
    assert client.get("/api/tasks/no-such-task").status_code == 404


def test_nothing_is_kept_with_a_size_of_zero(path, monkeypatch):
    client = _client(path, answer_cache_mb=0)
    client.get("/api/reports")
    assert HIT not in client.get("/api/reports").headers
    monkeypatch.setenv("GOVKG_ANSWER_CACHE_MB", "0")
    client = _client(path)
    client.get("/api/reports")
    assert HIT not in client.get("/api/reports").headers
    monkeypatch.setenv("GOVKG_ANSWER_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="GOVKG_ANSWER_CACHE_MB='lots'"):
        _client(path)


class _Counting:
    """An ASGI app answering its call count; with ``stale`` set, each answer counts as served from an
    older snapshot, and with ``commit`` set, each answer is followed by a write."""

    def __init__(self) -> None:
        self.calls = self.generation = self.stale = 0
        self.serve_stale = self.commit = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        self.stale += self.serve_stale
        body = str(self.calls).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        if scope["path"] == "/api/long":  # streamed in parts: the count, then 100 kB
            await send({"type": "http.response.body", "body": body, "more_body": True})
            body = b"x" * 100_000
        await send({"type": "http.response.body", "body": body})
        self.generation += self.commit


def _counting_client() -> tuple[_Counting, TestClient]:
    app = _Counting()
    source = Source(lambda: app.generation, lambda: app.stale)
    return app, TestClient(AnswerCache(app, source, max_bytes=1 << 20))  # answers up to 128 kB kept


def test_an_answer_from_an_older_snapshot_or_across_a_commit_is_not_kept():
    app, client = _counting_client()
    app.serve_stale = True
    assert client.get("/api/x").text == "1" and client.get("/api/x").text == "2"
    app.serve_stale, app.commit = False, True
    assert client.get("/api/x").text == "3" and client.get("/api/x").text == "4"
    app.commit = False
    assert client.get("/api/x").text == "5"
    hit = client.get("/api/x")
    assert hit.text == "5" and hit.headers[HIT] == "hit" and app.calls == 5


def test_a_streamed_answer_is_kept_whole_or_not_at_all():
    app, client = _counting_client()
    first = client.get("/api/long")
    assert first.text == "1" + "x" * 100_000
    again = client.get("/api/long")
    assert again.headers[HIT] == "hit" and again.content == first.content
    app.calls = 0
    with_more = AnswerCache(app, Source(lambda: app.generation, lambda: app.stale), max_bytes=640_000)
    client = TestClient(with_more)  # answers up to 80 kB kept
    assert client.get("/api/long").text.startswith("1x") and client.get("/api/long").text.startswith("2x")


def test_kept_answers_are_bounded_and_the_least_recently_used_go_first():
    kept = _Kept(max_bytes=800)  # answers over 100 bytes are never kept
    answer = Answer(200, (), b"x" * 100)
    assert kept.get(7, ("a", b"")) is None
    kept.put(7, ("a", b""), answer)
    kept.put(7, ("big", b""), Answer(200, (), b"x" * 101))
    assert kept.get(7, ("big", b"")) is None
    for name in "bcdefgh":
        kept.put(7, (name, b""), answer)
    assert kept.get(7, ("a", b"")) is answer  # now the most recently used
    kept.put(7, ("i", b""), answer)
    assert kept.get(7, ("b", b"")) is None and kept.get(7, ("a", b"")) is answer and kept.size == 800
    kept.put(6, ("j", b""), answer)  # an answer of an older generation is dropped
    assert kept.get(7, ("j", b"")) is None
    assert kept.get(8, ("a", b"")) is None and kept.size == 0  # a new generation drops them all
