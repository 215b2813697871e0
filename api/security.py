"""Hardening of the served API: who may write, how much, under which name.

``Guard`` (ASGI middleware with a ``Policy``) wraps the app. For writing requests (POST, PUT, PATCH,
DELETE) it checks, in order:

- ``Host`` is one of ``policy.allowed_hosts`` (DNS rebinding) -> else 403;
- ``Origin``, when sent, names an allowed host (cross-site form posts) -> else 403;
- with ``GOVKG_TOKEN`` set, ``Authorization: Bearer <token>`` -> else 401; without a token
  a server bound beyond loopback refuses writes (403);
- the body is at most ``policy.max_body_bytes``: ``Content-Length`` first, then counted
  while it streams -> else 413.

It also rewrites an RFC 5987 ``filename*=`` of a multipart part into ``filename=`` so that
such uploads are files. ``safe_filename`` turns any client name into a display name that
is never a path. Every refusal is ``{"detail": "..."}``, the API's one error schema.

>>> safe_filename("../../etc/pass\\x00wd.txt")
'pass wd.txt'
>>> Policy.from_env("127.0.0.1", {}).allowed_hosts >= {"localhost", "127.0.0.1", "::1"}
True
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WRITING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BODY_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around an upload
_HEAD_BYTES = 16 * 1024  # part headers looked at for filename*=
_MAX_NAME_BYTES = 255


@dataclass(frozen=True, slots=True)
class Policy:
    """What the guard allows (see the module docstring)."""

    allowed_hosts: frozenset[str] = LOOPBACK_NAMES
    token: str | None = None
    loopback_only: bool = True
    max_body_bytes: int = 50 * 1024 * 1024 + _BODY_OVERHEAD

    @classmethod
    def from_env(cls, bind_host: str, env: Mapping[str, str] | None = None, max_file_bytes: int | None = None) -> Policy:
        """The policy for a server bound to ``bind_host``: ``GOVKG_ALLOWED_HOSTS`` (comma
        separated names, added to the loopback names and the bound address), ``GOVKG_TOKEN``."""
        env = os.environ if env is None else env
        extra = {h.strip().lower() for h in env.get("GOVKG_ALLOWED_HOSTS", "").split(",") if h.strip()}
        bind = bind_host.strip("[]").lower()
        hosts = LOOPBACK_NAMES | extra | ({bind} if bind not in ("0.0.0.0", "::", "") else set())
        limit = max_file_bytes if max_file_bytes is not None else cls().max_body_bytes - _BODY_OVERHEAD
        return cls(
            allowed_hosts=frozenset(hosts),
            token=env.get("GOVKG_TOKEN") or None,
            loopback_only=is_loopback(bind),
            max_body_bytes=limit + _BODY_OVERHEAD,
        )


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 and ::1."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _hostname(authority: str) -> str:
    """``'[::1]:8000'`` -> ``'::1'``, ``'Example.org:80'`` -> ``'example.org'``."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1 : authority.find("]")] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def safe_filename(name: str | None, default: str = "upload.txt") -> str:
    """A display name for an uploaded file: the last path component, Unicode NFC, control
    and format characters replaced by spaces, never ``.``/``..``, at most 255 UTF-8 bytes
    (the suffix kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return default
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    while len((stem + suffix).encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(" .") or "upload") + suffix


_EXT_VALUE = re.compile(rb"""filename\*\s*=\s*([A-Za-z0-9_\-]*)'[^']*'([^;\r\n]*)""", re.I)
_PLAIN_FILENAME = re.compile(rb"""(?<![A-Za-z*])filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;\r\n]*)""", re.I)


def rewrite_filename_star(head: bytes) -> bytes:
    """Part headers with each ``filename*=charset''percent-encoded`` turned into a quoted
    UTF-8 ``filename="…"`` (which wins over a plain ``filename=`` beside it, RFC 6266).

    >>> rewrite_filename_star(b"Content-Disposition: form-data; name=\\"f\\"; filename*=UTF-8''%E8%B4%A3.txt")
    b'Content-Disposition: form-data; name="f"; filename="\\xe8\\xb4\\xa3.txt"'
    """

    def line(m: re.Match[bytes]) -> bytes:
        text = m.group(0)
        ext = _EXT_VALUE.search(text)
        if ext is None:
            return text
        charset = ext.group(1).decode("ascii", "replace") or "utf-8"
        try:
            value = unquote(ext.group(2).decode("ascii", "replace").strip().strip('"'), encoding=charset)
        except LookupError:
            value = unquote(ext.group(2).decode("ascii", "replace"))
        quoted = b'filename="' + value.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8") + b'"'
        text = _PLAIN_FILENAME.sub(b"", text)
        text = _EXT_VALUE.sub(lambda _: quoted, text)
        return re.sub(rb";\s*;", b";", text)

    return re.sub(rb"(?im)^content-disposition:[^\r\n]*", line, head)


class _TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: the app behind the checks of ``policy`` (see the module docstring);
    use as ``app.add_middleware(Guard, policy=policy)``."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITING:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = _refusal(headers, self.policy)
        if refusal is not None:
            await _problem(send, *refusal)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        multipart = headers.get("content-type", "").lower().startswith("multipart/form-data")
        try:
            await self.app(scope, _limited(receive, self.policy.max_body_bytes, multipart), tracking_send)
        except _TooLarge:
            if not started:
                await _problem(send, 413, _too_large(self.policy))


def _refusal(headers: dict[str, str], policy: Policy) -> tuple[int, str] | None:
    host = _hostname(headers.get("host", ""))
    if host not in policy.allowed_hosts:
        return 403, f"host {host!r} is not allowed to write (allowed: GOVKG_ALLOWED_HOSTS or loopback)"
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or parts.scheme not in ("http", "https") or _hostname(parts.netloc) not in policy.allowed_hosts:
            return 403, f"cross-site request from origin {origin[:100]!r} refused"
    if policy.token is not None:
        given = headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), policy.token.encode()):
            return 401, "writing needs 'Authorization: Bearer <GOVKG_TOKEN>'"
    elif not policy.loopback_only:
        return 403, "writing is off: the server listens beyond loopback and GOVKG_TOKEN is not set"
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > policy.max_body_bytes:
        return 413, _too_large(policy)
    return None


def _too_large(policy: Policy) -> str:
    mb = (policy.max_body_bytes - _BODY_OVERHEAD) / (1024 * 1024)
    return f"request body too large (the limit is {mb:g} MB, GOVKG_MAX_FILE_MB)"


def _limited(receive: Receive, limit: int, multipart: bool) -> Receive:
    """``receive`` that counts body bytes (``_TooLarge`` past ``limit``) and rewrites
    ``filename*=`` in the first part headers."""
    seen = 0
    head = b""
    head_done = not multipart

    async def wrapped() -> Message:
        nonlocal seen, head, head_done
        message = await receive()
        if message["type"] != "http.request":
            return message
        body = message.get("body", b"")
        seen += len(body)
        if seen > limit:
            raise _TooLarge
        if head_done:
            return message
        head += body
        more = message.get("more_body", False)
        if len(head) < _HEAD_BYTES and more:
            return {"type": "http.request", "body": b"", "more_body": True}
        head_done = True
        out, head = rewrite_filename_star(head), b""
        return {"type": "http.request", "body": out, "more_body": more}

    return wrapped


async def _problem(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})
