"""Parse documents in worker processes under a wall-clock and memory budget.

``ParsePool(limits).load(path)`` reads and parses one file in a child process (forked
from a forkserver that has the loaders imported) whose address space is capped at
``limits.parse_memory_bytes``; a parse that runs past ``limits.parse_seconds``, runs out
of memory, crashes, or whose caller gives up (``cancel`` set, e.g. a disconnected client)
is killed and reported as that file's ``LoadError``. At most ``limits.workers`` documents
are parsed at the same time; the CLI (``extract``, ``build``) and the server share this.

>>> from loaders.limits import Limits
>>> doc = ParsePool(Limits()).load("samples/001_6ae365a741fde3ec.txt")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Generic, TypeVar, overload

from govkg.loaders.errors import LoadError
from govkg.loaders.limits import Limits, megabytes
from govkg.loaders.model import Document

_POLL = 0.05
T = TypeVar("T")


def parse_file(
    path: str | Path, name: str | None = None, limits: Limits | None = None, jurisdiction: str | None = None
) -> Document:
    """Read ``path`` once and parse it in this process; ``name`` is the source it is stored as
    (default: the file name); ``jurisdiction`` stands in for the one the document names."""
    from govkg.loaders.extract import extract_text
    from govkg.loaders.readers import read_bytes, text_of

    path = Path(path)
    limits = limits or Limits()
    data = read_bytes(path, limits)
    label = name or path.name
    try:
        return extract_text(label, text_of(path, data, limits), hashlib.sha256(data).hexdigest(), jurisdiction)
    except LoadError as e:
        raise LoadError(label, e.reason) from None


def _child(
    path: str,
    name: str | None,
    limits: Limits,
    out: Connection,
    jurisdiction: str | None = None,
    finish: Callable[[Document], object] | None = None,
) -> None:
    """Worker body: cap memory, parse, send ``("ok", doc)`` (or ``finish(doc)``) or ``("error", reason)``."""
    with contextlib.suppress(ValueError, OSError):  # not every platform caps address space
        resource.setrlimit(resource.RLIMIT_AS, (limits.parse_memory_bytes, limits.parse_memory_bytes))
    try:
        result: tuple[str, object] = _finished(parse_file(path, name, limits, jurisdiction), finish)
    except LoadError as e:
        result = ("error", e.reason)
    except MemoryError:
        result = ("memory", "")
    except RecursionError:
        result = ("error", "internal error in the parser: input nested too deeply")
    except Exception as e:  # noqa: BLE001 — any parser bug becomes this file's error
        result = ("error", f"internal error in the parser: {type(e).__name__}: {e}"[:500])
    try:
        out.send(result)
    except MemoryError:
        out.send(("memory", ""))
    finally:
        out.close()


def _finished(doc: Document, finish: Callable[[Document], object] | None) -> tuple[str, object]:
    """``("ok", doc)``, ``("ok", finish(doc))``, or ``("error", reason)`` when ``finish`` refuses it."""
    if finish is None:
        return "ok", doc
    try:
        return "ok", finish(doc)
    except ValueError as e:  # e.g. a StoreError naming the document
        return "error", str(e)[:500]


def _context(preload: tuple[str, ...] = ()):  # noqa: ANN202
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # the process's forkserver starts once, with the modules named before its first use
        ctx.set_forkserver_preload(["govkg.loaders.isolate", "govkg.loaders._preload", *preload])
        return ctx
    return multiprocessing.get_context("spawn")


class ParsePool(Generic[T]):
    """Parses documents in killable worker processes; at most ``limits.workers`` at once.

    With ``finish`` (a module-level function), each worker sends back ``finish(doc)`` instead of
    the Document: work on the document done in parallel, as the parse is. An error it raises is
    the file's ``LoadError``."""

    @overload
    def __init__(self: ParsePool[Document], limits: Limits | None = None) -> None: ...

    @overload
    def __init__(self: ParsePool[T], limits: Limits | None, finish: Callable[[Document], T]) -> None: ...

    def __init__(self, limits: Limits | None = None, finish: Callable[[Document], T] | None = None) -> None:
        self.limits = limits or Limits()
        self._finish = finish
        self._slots = threading.BoundedSemaphore(self.limits.workers)
        self._ctx = _context(() if finish is None else (finish.__module__,))

    def load(
        self,
        path: str | Path,
        name: str | None = None,
        cancel: threading.Event | None = None,
        jurisdiction: str | None = None,
    ) -> T:
        """The Document of ``path`` (stored as ``name``), or what ``finish`` made of it; raises
        ``LoadError`` naming it."""
        label = name or Path(path).name
        with self._slots:
            if cancel is not None and cancel.is_set():
                raise LoadError(label, "cancelled")
            return self._run(str(path), name, label, cancel, jurisdiction)

    def _run(
        self, path: str, name: str | None, label: str, cancel: threading.Event | None, jurisdiction: str | None
    ) -> T:
        receive, send = self._ctx.Pipe(duplex=False)
        worker = self._ctx.Process(
            target=_child, args=(path, name, self.limits, send, jurisdiction, self._finish), daemon=True
        )
        worker.start()
        send.close()
        deadline = time.monotonic() + self.limits.parse_seconds
        try:
            while not receive.poll(_POLL):
                if cancel is not None and cancel.is_set():
                    raise LoadError(label, "cancelled (the client went away)")
                if time.monotonic() > deadline:
                    raise LoadError(
                        label, f"parsing took longer than {self.limits.parse_seconds:g} s (GOVKG_PARSE_SECONDS)"
                    )
                if not worker.is_alive() and not receive.poll(0):
                    raise LoadError(label, _died(worker.exitcode, self.limits))
            try:
                kind, value = receive.recv()
            except (EOFError, OSError):
                worker.join(1)
                raise LoadError(label, _died(worker.exitcode, self.limits)) from None
        finally:
            receive.close()
            if worker.is_alive():
                worker.kill()
            worker.join()
        if kind == "ok":
            return value  # type: ignore[return-value] # a Document, or finish's result
        if kind == "memory":
            raise LoadError(label, _memory(self.limits))
        raise LoadError(label, str(value))

    def map(self, paths: Iterable[Path], jurisdiction: str | None = None) -> Iterator[T | LoadError]:
        """Each file's Document (or what ``finish`` made of it) or its LoadError, in order, parsed
        ``limits.workers`` at a time."""

        def one(p: Path) -> T | LoadError:
            try:
                return self.load(p, jurisdiction=jurisdiction)
            except LoadError as e:
                return LoadError(p, e.reason)  # named by its path, as given

        with ThreadPoolExecutor(self.limits.workers) as threads:
            yield from threads.map(one, paths)


def _memory(limits: Limits) -> str:
    return f"parsing needed more than {megabytes(limits.parse_memory_bytes)} of memory (GOVKG_PARSE_MEMORY_MB)"


def _died(exitcode: int | None, limits: Limits) -> str:
    if exitcode == -9:
        return _memory(limits) + " or was killed"
    return f"the parser process died (exit code {exitcode})"
