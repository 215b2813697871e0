"""Extraction throughput and jieba start-up cost, each against a baseline measured in the same run.

Run from the repository root::

    .venv/bin/python bench/extract_bench.py                  # a corpus of ~10,000 tasks
    .venv/bin/python bench/extract_bench.py --tasks 2000     # a quicker run
    .venv/bin/python bench/extract_bench.py --against ../old # also an earlier checkout, same corpus

The corpus is the real documents at hand (``../shared/dev/docs`` and ``../shared/seeds`` when
they are beside the repo, else ``samples/``), each rewritten for other jurisdictions and years
(``bench.corpus.variant_texts``) until the variants hold ``--tasks`` tasks. It is parsed in
process with ``extract_text`` and compared with the baseline: UTF-8 decoding plus one regex
scan of the same bytes (the least work any extractor must do). ``--against DIR`` parses the
same corpus with the loaders of another checkout (an earlier revision: ``git worktree add DIR
REV``) in a subprocess, runs alternating with this one's, so that "no slower than before" is
measured on one machine at one time. Times are CPU seconds of the parsing process (the
machine may be shared); the best of ``--rounds`` is kept. jieba start-up (import + dictionary
initialisation) is timed in fresh subprocesses, with an empty cache (first run on a machine)
and with the cache it wrote (later runs), against the start-up of a bare interpreter.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import variant_texts  # noqa: E402

_SCAN = re.compile(r"(\d{1,3})[、.]|(牵头|责任|配合)单位[::]")
_JIEBA = (
    "import time, sys; t = time.perf_counter(); import jieba; jieba.setLogLevel(60); "
    "jieba.dt.tmp_dir = sys.argv[1]; jieba.initialize(); print(time.perf_counter() - t)"
)


def source_files() -> list[Path]:
    """The real documents: ../shared dev and seed documents when beside the repo, else the samples."""
    shared = REPO.parent / "shared"
    found = sorted((shared / "dev" / "docs").glob("*.txt")) + sorted((shared / "seeds").glob("*"))
    return [p for p in found if p.is_file()] or sorted(p for p in (REPO / "samples").glob("*.txt"))


def build_corpus(files: list[Path], tasks: int) -> list[tuple[str, str]]:
    """(name, text) variants of ``files`` for other jurisdictions and years, ``tasks`` tasks in all."""
    from govkg.loaders import extract_text

    sources = []
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        doc = extract_text(p.name, text)
        if doc.tasks:
            sources.append((p.name, text, doc.metadata.jurisdiction, doc.metadata.year, len(doc.tasks)))
    corpus: list[tuple[str, str]] = []
    total, round_ = 0, 0
    while total < tasks:
        for name, text, place, year, n in sources:
            if total >= tasks:
                break
            if place and year:
                variant = list(variant_texts(text, place, year, round_ + 1))[-1]
                corpus.append((f"{round_}_{name}", variant[1]))
            else:
                corpus.append((f"{round_}_{name}", f"{text}\n(变体 {round_})"))
            total += n
        round_ += 1
    return corpus


# Run in this process, or in a subprocess over another checkout's loaders (``--against``).
_TIMER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
if sys.argv[3] == "bare":  # a checkout from before the govkg package
    from loaders import extract_text
else:
    from govkg.loaders import extract_text
corpus = json.load(open(sys.argv[2], encoding="utf-8"))
def one_pass():
    failed = 0
    for name, text in corpus:
        try:
            extract_text(name, text)
        except Exception:
            failed += 1
    return failed
one_pass()  # warm-up: imports, jieba, cached tables
start = time.process_time()
failed = one_pass()
print(json.dumps({"cpu": time.process_time() - start, "failed": failed}))
"""


def time_extraction(root: Path, corpus_file: Path) -> dict[str, float]:
    """CPU seconds of one pass over the corpus with the loaders of the checkout at ``root``: with
    its own .venv when it has one, else with this interpreter (for a checkout from before the
    govkg package, whose bare ``loaders`` is then imported from ``root``)."""
    own = root / ".venv" / "bin" / "python"
    python = str(own) if own.exists() and root != REPO else sys.executable
    bare = not (root / "loaders" / "extract.py").read_text(encoding="utf-8").count("from govkg.")
    if not bare and python == sys.executable and root != REPO:
        raise SystemExit(f"{root}: a checkout with the govkg package needs its own .venv (scripts/setup.sh)")
    out = subprocess.run(
        [python, "-c", _TIMER, str(root), str(corpus_file), "bare" if bare else "govkg"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_baseline(corpus: list[tuple[str, str]]) -> float:
    """CPU seconds to UTF-8 decode and regex-scan the corpus's bytes."""
    data = [text.encode("utf-8") for _, text in corpus]
    start = time.process_time()
    for raw in data:
        sum(1 for _ in _SCAN.finditer(raw.decode("utf-8", "replace")))
    return time.process_time() - start


def scaling(files: list[Path], factor: int = 8) -> tuple[float, float]:
    """Seconds to parse the source files joined into one document, and that text ``factor`` times."""
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
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks in the corpus (default 10000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; the best is kept (default 3)")
    parser.add_argument("--against", type=Path, help="a checkout of an earlier revision to time as well")
    args = parser.parse_args()

    files = source_files()
    corpus = build_corpus(files, args.tasks)
    mb = sum(len(text.encode("utf-8")) for _, text in corpus) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        corpus_file = Path(tmp) / "corpus.json"
        corpus_file.write_text(json.dumps(corpus, ensure_ascii=False), encoding="utf-8")
        ours: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        for _ in range(args.rounds):  # alternating, so that both see the same machine load
            ours.append(time_extraction(REPO, corpus_file))
            if args.against:
                theirs.append(time_extraction(args.against.resolve(), corpus_file))
    extract_s = min(r["cpu"] for r in ours)
    baseline_s = min(time_baseline(corpus) for _ in range(3))
    print(f"corpus: {len(corpus)} documents ({args.tasks}+ tasks, variants of {len(files)} files "
          f"from {', '.join(sorted({str(f.parent) for f in files}))}), {mb:.1f} MB")
    print(f"extraction: {mb / extract_s:8.2f} MB/s  ({extract_s:.2f} s CPU, {int(ours[0]['failed'])} failed)")
    print(f"baseline  : {mb / baseline_s:8.2f} MB/s  ({baseline_s:.3f} s CPU, UTF-8 decode + regex scan)")
    print(f"extraction is {extract_s / baseline_s:.0f}x the baseline time")
    if theirs:
        before = min(r["cpu"] for r in theirs)
        print(f"{args.against}: {mb / before:8.2f} MB/s  ({before:.2f} s CPU, {int(theirs[0]['failed'])} failed); "
              f"this checkout takes {extract_s / before:.2f}x its time")
    small, large = scaling(files[:8])
    small, large = scaling(files)
    print(f"scaling: the source files joined in one document {small:.3f} s; the same text 8 times in one document "
          f"{large:.3f} s = {large / small / 8:.2f}x per character (1.0 is linear)")

    j = time_jieba()
    print(f"jieba import + initialise: {j['cold']:.2f} s cold (empty cache), {j['warm']:.2f} s warm")
    print(f"jieba warm start-up = {j['warm'] / baseline_s:.1f}x the baseline scan of {mb:.1f} MB, "
          f"{j['warm'] / (extract_s / len(corpus)):.0f}x the extraction of one corpus document")
    print(f"a process that starts jieba: {j['process']:.2f} s wall vs {j['bare_process']:.3f} s for a bare "
          f"interpreter ({j['process'] / j['bare_process']:.0f}x)")

if __name__ == "__main__":
    main()
