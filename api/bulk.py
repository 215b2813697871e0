"""Loading many files into the store: parse and prepare in a process pool, add one document at a time.

Every file ends with one ``Outcome``: ``added``, ``unchanged`` (its file or its
normalised text is already stored), ``skipped`` (no tasks; a ``.doc``/``.wps`` file
without LibreOffice) or ``failed`` (the reason). A bad file never stops the others,
and each added document is its own store transaction. At most ``2 × jobs`` parsed
documents wait in memory at any time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from govkg.graph.store import Prepared, Store, StoreError, prepare
from govkg.loaders import LoadError, extract_text, load_document
from govkg.loaders.isolate import ParsePool
from govkg.loaders.limits import Limits
from govkg.loaders.model import Document
from govkg.loaders.readers import read_text

LEGACY_SUFFIXES = (".doc", ".wps")  # converted to .docx by LibreOffice when it is installed
CONVERT_TIMEOUT_S = 120
Status = Literal["added", "unchanged", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file."""

    path: Path
    status: Status
    reason: str = ""
    report: str | None = None
    tasks: int = 0


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file's document as the store writes it (``govkg.graph.store.prepare``), or why there is
    none (``status`` skipped or failed)."""

    path: Path
    doc: Prepared | None
    status: Status | None = None
    reason: str = ""


def soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(path: Path, command: str, jurisdiction: str | None = None) -> Document:
    """Convert a ``.doc``/``.wps`` file to .docx with LibreOffice and parse it under its own name."""
    data = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="govkg-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        run = subprocess.run(
            [
                command, f"-env:UserInstallation=file://{profile}", "--headless",
                "--convert-to", "docx", "--outdir", tmp, str(path),
            ],
            capture_output=True,
            timeout=CONVERT_TIMEOUT_S,
            check=False,
        )
        converted = Path(tmp) / f"{path.stem}.docx"
        if run.returncode != 0 or not converted.is_file():
            message = run.stderr.decode("utf-8", "replace").strip().splitlines()
            raise LoadError(path, "LibreOffice could not convert it" + (f": {message[-1]}" if message else ""))
        return extract_text(path.name, read_text(converted), hashlib.sha256(data).hexdigest(), jurisdiction)


def parse_file(path: Path, jurisdiction: str | None = None) -> Parsed:
    """Parse one file; every error becomes a ``failed`` or ``skipped`` result, never an exception.

    ``jurisdiction`` stands in for the one the document names (``--jurisdiction``)."""
    try:
        if path.suffix.lower() in LEGACY_SUFFIXES:
            command = soffice()
            if command is None:
                return Parsed(path, None, "skipped", "LibreOffice (soffice) is not installed to convert it")
            doc = convert_legacy(path, command, jurisdiction)
        else:
            doc = load_document(path, jurisdiction)
    except LoadError as e:
        return Parsed(path, None, "failed", str(e).removeprefix(f"{path}: "))
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the others
        return Parsed(path, None, "failed", f"{type(e).__name__}: {e}")
    if not doc.tasks:
        return Parsed(path, None, "skipped", "no tasks found")
    try:
        return Parsed(path, prepare(doc))
    except StoreError as e:
        return Parsed(path, None, "failed", str(e))


def parse_all(
    files: list[Path], jobs: int, jurisdiction: str | None = None, limits: Limits | None = None
) -> Iterator[Parsed]:
    """``parse_file`` of each file, in order, ``jobs`` at a time; each document is parsed and
    prepared for the store in a worker process under ``limits`` (``govkg.loaders.isolate``: time,
    memory), at most ``2 * jobs`` results held at once."""
    pool = ParsePool(replace(limits or Limits.from_env(), workers=max(1, jobs)), prepare)

    def one(path: Path) -> Parsed:
        if path.suffix.lower() in LEGACY_SUFFIXES:
            return parse_file(path, jurisdiction)
        try:
            doc = pool.load(path, cancel=None, jurisdiction=jurisdiction)
        except LoadError as e:
            return Parsed(path, None, "failed", e.reason)
        if not doc.task_count:
            return Parsed(path, None, "skipped", "no tasks found")
        return Parsed(path, doc)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        window: deque[Future[Parsed]] = deque()
        pending = iter(files)
        for f in pending:
            window.append(threads.submit(one, f))
            if len(window) >= 2 * max(1, jobs):
                break
        while window:
            result = window.popleft().result()
            nxt = next(pending, None)
            if nxt is not None:
                window.append(threads.submit(one, nxt))
            yield result


def load_files(
    store: Store,
    files: list[Path],
    jobs: int,
    wrap: Callable[[Iterable[Parsed]], Iterable[Parsed]] = iter,
    jurisdiction: str | None = None,
) -> Iterator[Outcome]:
    """Parse ``files`` and add each document to ``store``; one ``Outcome`` per file, in order.
    A document added without a jurisdiction says so in its outcome's reason."""
    for p in wrap(parse_all(files, jobs, jurisdiction)):
        if p.doc is None:
            yield Outcome(p.path, p.status or "failed", p.reason)
            continue
        try:
            r = store.add(p.doc)
        except Exception as e:  # noqa: BLE001 - reported; the store rolled this document back
            yield Outcome(p.path, "failed", f"not stored: {e}")
            continue
        if r.status != "added":
            reason = f"same text as {r.same_as} ({r.report})"
        elif p.doc.metadata.jurisdiction is None:
            reason = "jurisdiction unknown: its units are kept apart from other documents' (--jurisdiction names it)"
        else:
            reason = ""
        yield Outcome(p.path, r.status, reason, r.report, r.tasks)


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def summary(outcomes: list[Outcome], store: Store, show_added: int = 20) -> list[str]:
    """The lines ending a build: counts, then each file not added (and the added ones if few)."""
    count = {s: sum(o.status == s for o in outcomes) for s in ("added", "unchanged", "skipped", "failed")}
    reports, tasks = store.counts()
    lines = [
        f"{store.path}: " + ", ".join(f"{n} {s}" for s, n in count.items())
        + f"; the store holds {reports} reports, {tasks} tasks"
    ]
    for o in outcomes:
        if o.status == "added":
            if count["added"] <= show_added or o.reason:
                note = f"; {o.reason}" if o.reason else ""
                lines.append(f"  added      {o.path} ({o.report}, {o.tasks} tasks){note}")
        else:
            lines.append(f"  {o.status:<10} {o.path}: {o.reason}")
    return lines
