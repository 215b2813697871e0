"""Extraction throughput and jieba start-up cost, each against a baseline measured in the same run.

Run from the repository root::

    .venv/bin/python bench/extract_bench.py            # ~10 MB of documents
    .venv/bin/python bench/extract_bench.py --mb 2     # a quicker run

It parses the seeds (``../shared/seeds``, else ``samples/``) again and again with
``govkg.loaders.load_document`` until about ``--mb`` megabytes have gone through, and compares
that with the baseline: plain UTF-8 decoding plus one regex scan of the same bytes (the
least work any extractor must do). jieba start-up (import + dictionary initialisation) is
timed in fresh subprocesses, with an empty cache (first run on a machine) and with the
cache it wrote (later runs), against the start-up of a bare interpreter.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from govkg.loaders import load_document  # noqa: E402

_SCAN = re.compile(r"(\d{1,3})[、.]|(牵头|责任|配合)单位[::]")
_JIEBA = (
    "import time, sys; t = time.perf_counter(); import jieba; jieba.setLogLevel(60); "
    "jieba.dt.tmp_dir = sys.argv[1]; jieba.initialize(); print(time.perf_counter() - t)"
)


def seed_files() -> list[Path]:
    """The seed documents, from ../shared when it is beside the repo, else the samples."""
    shared = REPO.parent / "shared" / "seeds"
    folder = shared if shared.is_dir() else REPO / "samples"
    return sorted(p for p in folder.iterdir() if p.is_file())


def _passes(files: list[Path], megabytes: float) -> int:
    size = sum(p.stat().st_size for p in files)
    return max(1, round(megabytes * 1e6 / size))


def time_extraction(files: list[Path], passes: int) -> float:
    """Seconds to load every file ``passes`` times."""
    start = time.perf_counter()
    for _ in range(passes):
        for p in files:
            load_document(p)
    return time.perf_counter() - start


def time_baseline(files: list[Path], passes: int) -> float:
    """Seconds to read, UTF-8 decode and regex-scan every file ``passes`` times."""
    start = time.perf_counter()
    for _ in range(passes):
        for p in files:
            sum(1 for _ in _SCAN.finditer(p.read_bytes().decode("utf-8", "replace")))
    return time.perf_counter() - start


def scaling(files: list[Path], factor: int = 8) -> tuple[float, float]:
    """Seconds to parse the seeds joined into one document, and that text ``factor`` times."""
    from govkg.loaders import extract_text

    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    extract_text("warm.txt", text)
    small = min(_timed(lambda: extract_text("one.txt", text)) for _ in range(3))
    big = "\n".join([text] * factor)
    large = min(_timed(lambda: extract_text("many.txt", big)) for _ in range(2))
    return small, large


def _timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _run(code: str, *args: str) -> tuple[float, float]:
    """(wall-clock seconds of a fresh interpreter running ``code``, the float it printed)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    printed = out.stdout.strip().splitlines()
    return wall, float(printed[-1]) if printed else 0.0


def time_jieba(repeats: int = 3) -> dict[str, float]:
    """jieba start-up in fresh interpreters: import + initialise with an empty cache (cold) and
    with the cache it wrote (warm), the whole process wall time, and a bare interpreter's."""
    with tempfile.TemporaryDirectory() as cache:
        _, cold = _run(_JIEBA, cache)
        runs = [_run(_JIEBA, cache) for _ in range(repeats)]
    bare = min(_run("pass")[0] for _ in range(repeats))
    return {
        "cold": cold,
        "warm": min(r[1] for r in runs),
        "process": min(r[0] for r in runs),
        "bare_process": bare,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of documents to parse (default 10)")
    args = parser.parse_args()

    files = seed_files()
    passes = _passes(files, args.mb)
    mb = passes * sum(p.stat().st_size for p in files) / 1e6
    time_extraction(files, 1)  # warm-up: imports, cached vocabulary tables
    extract_s = time_extraction(files, passes)
    baseline_s = min(time_baseline(files, passes) for _ in range(3))
    print(f"documents: {len(files)} files from {files[0].parent}, {passes} passes, {mb:.1f} MB")
    print(f"extraction: {mb / extract_s:8.2f} MB/s  ({extract_s:.2f} s)")
    print(f"baseline  : {mb / baseline_s:8.2f} MB/s  ({baseline_s:.3f} s, UTF-8 decode + regex scan)")
    print(f"extraction is {extract_s / baseline_s:.0f}x the baseline time")
    small, large = scaling(files)
    print(f"scaling: one document of all seeds {small:.3f} s; the same text 8 times in one document "
          f"{large:.3f} s = {large / small / 8:.2f}x per character (1.0 is linear)")

    j = time_jieba()
    print(f"jieba import + initialise: {j['cold']:.2f} s cold (empty cache), {j['warm']:.2f} s warm")
    print(f"jieba warm start-up = {j['warm'] / baseline_s:.1f}x the baseline scan of {mb:.1f} MB, "
          f"{j['warm'] / (extract_s / passes / len(files)):.0f}x the extraction of one seed document")
    print(f"a process that starts jieba: {j['process']:.2f} s wall vs {j['bare_process']:.3f} s for a bare "
          f"interpreter ({j['process'] / j['bare_process']:.0f}x)")

if __name__ == "__main__":
    main()
