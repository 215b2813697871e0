"""Answers kept per data generation: an ASGI middleware that replays the answer to a repeated GET.

Every ``GET /api/...`` answer is a function of the request and of the store's committed state,
whose generation (``Store.generation``) changes with every write. ``AnswerCache`` keeps the 200
answers of one generation, least recently used first out past ``max_bytes``, and replays one when
the same path and query come again while the generation is the same. A write by anyone (this
server, another one, a CLI ``build``) changes the generation, so the next request drops them all.

An answer is kept under the generation read before it was computed, and only when no request
was meanwhile answered from an older snapshot (``GraphState.stale_answers``: a reload slower than
``FRESH_WAIT_S``). One computed across a commit is never replayed: the first request after the
commit reads the new generation and drops every answer kept before.

A request with ``Cache-Control: no-cache`` (or ``no-store``) is answered afresh. Replayed answers
carry ``X-Answer-Cache: hit``.

>>> app.add_middleware(AnswerCache, source=Source(state.generation, state.stale_answers), max_bytes=64 << 20)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HIT = (b"x-answer-cache", b"hit")
PREFIX = "/api/"
ANSWER_CACHE_MB = "GOVKG_ANSWER_CACHE_MB"
DEFAULT_MB = 64  # per server process
ENTRY_SHARE = 8  # an answer larger than max_bytes / ENTRY_SHARE is not kept


def cache_bytes(mb: float | None = None, env: Mapping[str, str] | None = None) -> int:
    """The bytes of answers to keep: ``mb`` megabytes, else ``GOVKG_ANSWER_CACHE_MB``, else 64
    (0: none).

    >>> cache_bytes(env={"GOVKG_ANSWER_CACHE_MB": "0.5"})
    524288
    """
    if mb is None:
        given = (os.environ if env is None else env).get(ANSWER_CACHE_MB, "").strip()
        try:
            mb = float(given) if given else DEFAULT_MB
        except ValueError:
            raise ValueError(f"{ANSWER_CACHE_MB}={given!r}: not a number of megabytes") from None
    return max(0, int(mb * 2**20))


@dataclass(frozen=True, slots=True)
class Answer:
    """One kept response: status, headers and body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


@dataclass(frozen=True, slots=True)
class Source:
    """What the cache asks of the served store: its committed generation, and how many requests
    have been answered from an older snapshot so far (both read on the event loop)."""

    generation: Callable[[], int]
    stale_answers: Callable[[], int]


class _Kept:
    """The answers of one generation, least recently used first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.generation = -1
        self.size = 0
        self.answers: OrderedDict[tuple[str, bytes], Answer] = OrderedDict()

    def get(self, generation: int, key: tuple[str, bytes]) -> Answer | None:
        if generation != self.generation:
            self.answers.clear()
            self.size, self.generation = 0, generation
            return None
        answer = self.answers.get(key)
        if answer is not None:
            self.answers.move_to_end(key)
        return answer

    def put(self, generation: int, key: tuple[str, bytes], answer: Answer) -> None:
        if generation != self.generation or len(answer.body) > self.max_bytes // ENTRY_SHARE:
            return
        old = self.answers.pop(key, None)
        self.size += len(answer.body) - (len(old.body) if old else 0)
        self.answers[key] = answer
        while self.size > self.max_bytes:
            _, dropped = self.answers.popitem(last=False)
            self.size -= len(dropped.body)


def _bypass(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"cache-control" and (b"no-cache" in value or b"no-store" in value):
            return True
    return False


class AnswerCache:
    """ASGI middleware: replays the answers to ``GET /api/...`` of the store's current generation
    (see the module docstring); ``source`` is the served store's, ``skip`` the paths always
    answered afresh."""

    def __init__(self, app: ASGIApp, source: Source, max_bytes: int, skip: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.source = source
        self.skip = skip  # paths always answered afresh
        self.kept = _Kept(max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(PREFIX)
            or scope["path"] in self.skip
            or self.kept.max_bytes <= 0
        ):
            await self.app(scope, receive, send)
            return
        source = self.source
        key = (scope["path"], scope.get("query_string", b""))
        generation, stale = source.generation(), source.stale_answers()
        answer = None if _bypass(scope) else self.kept.get(generation, key)
        if answer is not None:
            await send({"type": "http.response.start", "status": answer.status, "headers": [*answer.headers, HIT]})
            await send({"type": "http.response.body", "body": answer.body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        room = self.kept.max_bytes // ENTRY_SHARE  # a longer answer is sent on, not collected

        async def keeping(message: Message) -> None:
            nonlocal start, room
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None and start["status"] == 200:
                body = message.get("body", b"")
                room -= len(body)
                if room >= 0:
                    chunks.append(body)
                else:
                    chunks.clear()
                if room >= 0 and not message.get("more_body", False) and source.stale_answers() == stale:
                    headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", ()))
                    self.kept.put(generation, key, Answer(200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping)
